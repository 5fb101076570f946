import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { type DynamoDBDocumentClient, PutCommand, QueryCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { table } from "../config/table.ts";
import { type NotificationRecord, notificationRecordSchema } from "../core/notification.ts";
import type { ClaimResult, NotificationStore } from "../ports/notification-store.ts";
import { claimWithLease, releaseLease } from "./dynamodb-leased-claim.ts";

/**
 * Notification records double as send claims: the first conditional put of a record id wins,
 * and the record then carries the delivery status (`sending` → `sent`).
 */
export class DynamoDbNotificationStore implements NotificationStore {
  readonly #client: DynamoDBDocumentClient;
  readonly #tableName: string;

  constructor(client: DynamoDBDocumentClient, tableName: string) {
    this.#client = client;
    this.#tableName = tableName;
  }

  async claim(record: NotificationRecord, now: Date): Promise<ClaimResult> {
    const key = table.keys.notification(record.customerId, record.id);
    const claim = await claimWithLease(this.#client, this.#tableName, key, { record }, now);
    if (claim.outcome !== "done") return claim;
    const { delivery, messageId, record: stored } = claim.item;
    return {
      outcome: "done",
      delivery: String(delivery),
      ...(typeof messageId === "string" ? { messageId } : {}),
      record: notificationRecordSchema.parse(stored),
    };
  }

  async markSent(record: NotificationRecord, messageId: string, now: Date): Promise<void> {
    await this.#client.send(
      new UpdateCommand({
        TableName: this.#tableName,
        Key: table.keys.notification(record.customerId, record.id),
        UpdateExpression:
          "SET #delivery = :sent, #messageId = :messageId, #sentAt = :sentAt REMOVE #leaseUntil",
        ExpressionAttributeNames: {
          "#delivery": "delivery",
          "#messageId": "messageId",
          "#sentAt": "sentAt",
          "#leaseUntil": "leaseUntil",
        },
        ExpressionAttributeValues: { ":sent": "sent", ":messageId": messageId, ":sentAt": now.toISOString() },
      }),
    );
  }

  async markSuppressed(record: NotificationRecord, now: Date): Promise<void> {
    await this.#client.send(
      new UpdateCommand({
        TableName: this.#tableName,
        Key: table.keys.notification(record.customerId, record.id),
        UpdateExpression:
          "SET #delivery = :suppressed, #record = :record, #decidedAt = :now REMOVE #leaseUntil",
        ExpressionAttributeNames: {
          "#delivery": "delivery",
          "#record": "record",
          "#decidedAt": "decidedAt",
          "#leaseUntil": "leaseUntil",
        },
        ExpressionAttributeValues: {
          ":suppressed": "suppressed",
          ":record": record,
          ":now": now.toISOString(),
        },
      }),
    );
  }

  async markUncertain(record: NotificationRecord, now: Date, cause: string): Promise<void> {
    await this.#client.send(
      new UpdateCommand({
        TableName: this.#tableName,
        Key: table.keys.notification(record.customerId, record.id),
        UpdateExpression: "SET #delivery = :uncertain, #cause = :cause, #decidedAt = :now REMOVE #leaseUntil",
        ConditionExpression: "#delivery = :sending",
        ExpressionAttributeNames: {
          "#delivery": "delivery",
          "#cause": "uncertainBecause",
          "#decidedAt": "decidedAt",
          "#leaseUntil": "leaseUntil",
        },
        ExpressionAttributeValues: {
          ":uncertain": "uncertain",
          ":sending": "sending",
          ":cause": cause,
          ":now": now.toISOString(),
        },
      }),
    );
  }

  async release(record: NotificationRecord): Promise<void> {
    await releaseLease(this.#client, this.#tableName, table.keys.notification(record.customerId, record.id));
  }

  async record(record: NotificationRecord): Promise<"recorded" | "duplicate"> {
    try {
      await this.#client.send(
        new PutCommand({
          TableName: this.#tableName,
          Item: { ...table.keys.notification(record.customerId, record.id), record, delivery: record.status },
          ConditionExpression: "attribute_not_exists(#pk)",
          ExpressionAttributeNames: { "#pk": table.partitionKey },
        }),
      );
      return "recorded";
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return "duplicate";
      throw error;
    }
  }

  /** A customer's notification records with their delivery status, oldest first. */
  async listForCustomer(customerId: string): Promise<Array<NotificationRecord & { delivery: string }>> {
    const items: Array<NotificationRecord & { delivery: string }> = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.#client.send(
        new QueryCommand({
          TableName: this.#tableName,
          KeyConditionExpression: "#pk = :pk AND begins_with(#sk, :prefix)",
          ExpressionAttributeNames: { "#pk": table.partitionKey, "#sk": table.sortKey },
          ExpressionAttributeValues: {
            ":pk": table.keys.customerState(customerId).pk,
            ":prefix": table.notificationPrefix,
          },
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) {
        items.push({ ...notificationRecordSchema.parse(item.record), delivery: String(item.delivery) });
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return items.sort((a, b) => a.at.localeCompare(b.at));
  }
}
