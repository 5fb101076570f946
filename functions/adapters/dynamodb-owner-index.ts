import { BatchWriteCommand, type DynamoDBDocumentClient, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { OWNER_SHARDS, ownerIndexKeys } from "../config/owner-index-keys.ts";
import type { OwnerCursor, OwnerIndex, OwnerPage, OwnershipChange } from "../ports/owner-index.ts";

const BATCH_LIMIT = 25;

/** The owner index on DynamoDB: one small item per (model, order), sharded by customer. */
export class DynamoDbOwnerIndex implements OwnerIndex {
  readonly #client: DynamoDBDocumentClient;
  readonly #tableName: string;

  constructor(client: DynamoDBDocumentClient, tableName: string) {
    this.#client = client;
    this.#tableName = tableName;
  }

  async apply(changes: readonly OwnershipChange[]): Promise<void> {
    // One batch may not name a key twice: the last change of each (model, customer, order) wins.
    const latest = new Map(changes.map((c) => [`${c.model}\u0000${c.customerId}\u0000${c.orderId}`, c]));
    const requests = [...latest.values()].map((change) => {
      const Key = ownerIndexKeys.owner(change.model, change.customerId, change.orderId);
      return change.owned
        ? { PutRequest: { Item: { ...Key, customerId: change.customerId, model: change.model } } }
        : { DeleteRequest: { Key } };
    });
    for (let start = 0; start < requests.length; start += BATCH_LIMIT) {
      let pending: typeof requests | undefined = requests.slice(start, start + BATCH_LIMIT);
      // BatchWriteItem may hand back unprocessed items under load: retry them, with a pause.
      for (let attempt = 0; pending && pending.length > 0; attempt++) {
        if (attempt > 8) throw new Error(`owner index: ${pending.length} change(s) still unprocessed`);
        if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 20 * 2 ** attempt));
        const result = await this.#client.send(
          new BatchWriteCommand({ RequestItems: { [this.#tableName]: pending } }),
        );
        pending = result.UnprocessedItems?.[this.#tableName] as typeof requests | undefined;
      }
    }
  }

  async page(models: readonly string[], cursor: OwnerCursor, limit: number): Promise<OwnerPage> {
    let { modelIndex, shard, after } = cursor;
    const owners: OwnerPage["owners"] = [];
    while (modelIndex < models.length && owners.length < limit) {
      const model = models[modelIndex]!;
      const result = await this.#client.send(
        new QueryCommand({
          TableName: this.#tableName,
          KeyConditionExpression: "pk = :pk",
          ExpressionAttributeValues: { ":pk": ownerIndexKeys.partition(model, shard) },
          ...(after ? { ExclusiveStartKey: { pk: ownerIndexKeys.partition(model, shard), sk: after } } : {}),
          Limit: limit - owners.length,
        }),
      );
      for (const item of result.Items ?? []) owners.push({ customerId: String(item.customerId), model });
      const last = result.LastEvaluatedKey?.sk;
      if (typeof last === "string") {
        after = last;
        continue;
      }
      after = undefined;
      shard++;
      if (shard === OWNER_SHARDS) {
        shard = 0;
        modelIndex++;
      }
    }
    const done = modelIndex >= models.length;
    return { owners, ...(done ? {} : { next: { modelIndex, shard, ...(after ? { after } : {}) } }) };
  }
}
