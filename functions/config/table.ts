/**
 * The one DynamoDB table, declared once for the CDK stack, the adapters, the local runtime
 * and the tests. Single-table design: everything about a customer lives in one partition so
 * that processing an event reads one item and commits with one conditional write.
 *
 *   pk = CUSTOMER#<customerId>  sk = STATE                     the customer item (context,
 *                                                              journey instances, version)
 *   pk = CUSTOMER#<customerId>  sk = NOTIFICATION#<id>         one record per notification
 *                                                              decision; also the send claim
 */
export const table = {
  partitionKey: "pk",
  sortKey: "sk",
  versionAttribute: "version",
  keys: {
    customerState: (customerId: string) => ({ pk: `CUSTOMER#${customerId}`, sk: "STATE" }),
    notification: (customerId: string, notificationId: string) => ({
      pk: `CUSTOMER#${customerId}`,
      sk: `NOTIFICATION#${notificationId}`,
    }),
  },
  notificationPrefix: "NOTIFICATION#",
} as const;
