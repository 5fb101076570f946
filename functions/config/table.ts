/**
 * The one DynamoDB table, declared once for the CDK stack, the adapters, the local runtime
 * and the tests. Single-table design: everything about a customer lives in one partition so
 * that processing an event reads one item and commits with one conditional write.
 *
 *   pk = CUSTOMER#<customerId>  sk = STATE                     the customer item (context,
 *                                                              journey instances, version)
 *   pk = CUSTOMER#<customerId>  sk = NOTIFICATION#<id>         one record per notification
 *                                                              decision; also the send claim
 *   pk = CUSTOMER#<customerId>  sk = EMIT#<detailType>#<eventId>  the claim of one emitted event
 *   pk = CUSTOMER#<customerId>  sk = DELIVERY#<channel>#<id>   the claim of one provider hand-off of a
 *                                                              notification (the email sender's SendEmail)
 *   pk = EMIT                   sk = <detailType>#<eventId>   the claim of an event for no one customer
 *   pk = RATE#<channel>         sk = <epoch second>           a sending-rate counter (expires a day later)
 *
 * Stores and their stock, kept apart from customers (docs/architecture.md, what Waymark knows: "nearest store within 50 km with SKU X in
 * stock" without a Scan):
 *
 *   pk = STORE#<storeId>        sk = PROFILE                   name, address, location, geohash cell,
 *                                                              the SKUs it has listed, `at` of the update
 *   pk = STOCK#<sku>#<cell>     sk = STORE#<storeId>           one per (SKU, cell, store): name, address,
 *                                                              lat, lon, quantity, reserved, at
 *   pk = RESERVATION#<key>      sk = RESERVATION               a unit promised to one owner (key e.g.
 *                                                              <recallId>#<customerId>): store and SKU
 *
 * <cell> is the precision-3 geohash of the store (functions/core/geohash.ts); it is always the last
 * three characters of the stock pk, so a `#` inside a SKU cannot make two keys collide.
 */
export const table = {
  partitionKey: "pk",
  sortKey: "sk",
  versionAttribute: "version",
  /**
   * The table's TTL attribute (epoch seconds): DynamoDB deletes an item some time after it. Only items that
   * lose their use on their own carry it, today the sending-rate counters (`pk = RATE#<channel>`).
   */
  timeToLiveAttribute: "expiresAt",
  keys: {
    customerState: (customerId: string) => ({ pk: `CUSTOMER#${customerId}`, sk: "STATE" }),
    notification: (customerId: string, notificationId: string) => ({
      pk: `CUSTOMER#${customerId}`,
      sk: `NOTIFICATION#${notificationId}`,
    }),
    delivery: (channel: string, customerId: string, notificationId: string) => ({
      pk: `CUSTOMER#${customerId}`,
      sk: `DELIVERY#${channel}#${notificationId}`,
    }),
    emitClaim: (customerId: string | undefined, detailType: string, eventId: string) =>
      customerId === undefined
        ? { pk: "EMIT", sk: `${detailType}#${eventId}` }
        : { pk: `CUSTOMER#${customerId}`, sk: `EMIT#${detailType}#${eventId}` },
    storeProfile: (storeId: string) => ({ pk: `STORE#${storeId}`, sk: "PROFILE" }),
    /** The partition holding every store of one cell that lists `sku`. */
    stockCell: (sku: string, cell: string) => `STOCK#${sku}#${cell}`,
    stock: (sku: string, cell: string, storeId: string) => ({
      pk: `STOCK#${sku}#${cell}`,
      sk: `STORE#${storeId}`,
    }),
    reservation: (reservationKey: string) => ({ pk: `RESERVATION#${reservationKey}`, sk: "RESERVATION" }),
    /** The counter of one channel's messages in one slot of its sending rate. */
    sendingRate: (channel: string, slot: number) => ({ pk: `RATE#${channel}`, sk: String(slot) }),
  },
  notificationPrefix: "NOTIFICATION#",
} as const;
