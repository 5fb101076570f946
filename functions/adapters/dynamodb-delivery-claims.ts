import { type DynamoDBDocumentClient, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { table } from "../config/table.ts";
import type { Channel } from "../core/customer-state.ts";
import type { DeliveryClaim, DeliveryClaims, DeliveryKey } from "../ports/delivery-claims.ts";
import { claimWithLease, releaseLease } from "./dynamodb-leased-claim.ts";

/**
 * Delivery claims beside the customer's other items (`sk = DELIVERY#<channel>#<notificationId>`), on the
 * leased-claim algorithm every exactly-once effect uses: the first conditional put wins and holds a lease
 * (`delivery: "sending"`); the owner then settles it as `sent`, `failed` or `uncertain`.
 */
export class DynamoDbDeliveryClaims implements DeliveryClaims {
  readonly #client: DynamoDBDocumentClient;
  readonly #tableName: string;
  readonly #channel: Channel;

  constructor(client: DynamoDBDocumentClient, tableName: string, channel: Channel) {
    this.#client = client;
    this.#tableName = tableName;
    this.#channel = channel;
  }

  async claim(key: DeliveryKey, now: Date): Promise<DeliveryClaim> {
    const claim = await claimWithLease(
      this.#client,
      this.#tableName,
      this.#key(key),
      { notificationId: key.notificationId, claimedAt: now.toISOString() },
      now,
    );
    if (claim.outcome !== "done") return claim;
    const { delivery, reason } = claim.item;
    return {
      outcome: "done",
      delivery: String(delivery),
      ...(typeof reason === "string" ? { reason } : {}),
    };
  }

  markSent(key: DeliveryKey, messageId: string, now: Date): Promise<void> {
    return this.#settle(key, "sent", { messageId }, now);
  }

  markFailed(key: DeliveryKey, reason: string, now: Date): Promise<void> {
    return this.#settle(key, "failed", { reason }, now);
  }

  markUncertain(key: DeliveryKey, cause: string, now: Date): Promise<void> {
    return this.#settle(key, "uncertain", { reason: cause }, now);
  }

  async release(key: DeliveryKey): Promise<void> {
    await releaseLease(this.#client, this.#tableName, this.#key(key));
  }

  /**
   * Ends the lease with the outcome. `sent` and `failed` record what the provider said, whatever the item holds
   * (a retried write after a lost answer must succeed); `uncertain` only settles a claim still `sending`, as
   * the notification store's does.
   */
  async #settle(
    key: DeliveryKey,
    delivery: "sent" | "failed" | "uncertain",
    fields: { messageId?: string; reason?: string },
    now: Date,
  ): Promise<void> {
    const names: Record<string, string> = {
      "#delivery": "delivery",
      "#settledAt": "settledAt",
      "#leaseUntil": "leaseUntil",
    };
    const values: Record<string, unknown> = { ":delivery": delivery, ":now": now.toISOString() };
    const sets = ["#delivery = :delivery", "#settledAt = :now"];
    for (const [field, value] of Object.entries(fields)) {
      names[`#${field}`] = field;
      values[`:${field}`] = value;
      sets.push(`#${field} = :${field}`);
    }
    const onlyWhileSending = delivery === "uncertain";
    await this.#client.send(
      new UpdateCommand({
        TableName: this.#tableName,
        Key: this.#key(key),
        UpdateExpression: `SET ${sets.join(", ")} REMOVE #leaseUntil`,
        ...(onlyWhileSending ? { ConditionExpression: "#delivery = :sending" } : {}),
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: onlyWhileSending ? { ...values, ":sending": "sending" } : values,
      }),
    );
  }

  #key(key: DeliveryKey): { pk: string; sk: string } {
    return table.keys.delivery(this.#channel, key.customerId, key.notificationId);
  }
}
