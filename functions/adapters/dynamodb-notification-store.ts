import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import { table } from "../config/table.ts";
import { type NotificationRecord, notificationRecordSchema } from "../core/notification.ts";
import type { ClaimResult, NotificationStore } from "../ports/notification-store.ts";

/** How long a claim protects a publish in progress before another worker may retry it. */
export const CLAIM_LEASE_MS = 5 * 60_000;

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
    try {
      await this.#client.send(
        new PutCommand({
          TableName: this.#tableName,
          Item: {
            ...table.keys.notification(record.customerId, record.id),
            record,
            delivery: "sending",
            leaseUntil: now.getTime() + CLAIM_LEASE_MS,
          },
          ConditionExpression: "attribute_not_exists(#pk) OR (#delivery = :sending AND #leaseUntil < :now)",
          ExpressionAttributeNames: {
            "#pk": table.partitionKey,
            "#delivery": "delivery",
            "#leaseUntil": "leaseUntil",
          },
          ExpressionAttributeValues: { ":sending": "sending", ":now": now.getTime() },
        }),
      );
      return { outcome: "claimed" };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
    const { Item } = await this.#client.send(
      new GetCommand({
        TableName: this.#tableName,
        Key: table.keys.notification(record.customerId, record.id),
        ConsistentRead: true,
      }),
    );
    return Item?.delivery === "sending" ? { outcome: "busy" } : { outcome: "done" };
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
    try {
      await this.#client.send(
        new DeleteCommand({
          TableName: this.#tableName,
          Key: table.keys.notification(record.customerId, record.id),
          ConditionExpression: "#delivery = :sending",
          ExpressionAttributeNames: { "#delivery": "delivery" },
          ExpressionAttributeValues: { ":sending": "sending" },
        }),
      );
    } catch (error) {
      // Already sent by someone else, or already released: nothing to give back.
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
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
