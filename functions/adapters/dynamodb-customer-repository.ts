import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { table } from "../config/table.ts";
import { type CustomerState, customerStateSchema } from "../core/customer-state.ts";
import { DYNAMODB_ITEM_LIMIT_BYTES, itemBytes } from "../core/item-size.ts";
import { setOwnProperty } from "../core/own-property.ts";
import {
  ConcurrentUpdateError,
  type CustomerRepository,
  type StoredCustomer,
} from "../ports/customer-repository.ts";

/**
 * The customer item: one strongly consistent read, one conditional put per transition
 * (optimistic locking on `version`). No transactions, by design.
 */
export class DynamoDbCustomerRepository implements CustomerRepository {
  readonly #client: DynamoDBDocumentClient;
  readonly #tableName: string;

  constructor(client: DynamoDBDocumentClient, tableName: string) {
    this.#client = client;
    this.#tableName = tableName;
  }

  async load(customerId: string): Promise<StoredCustomer | undefined> {
    const { Item } = await this.#client.send(
      new GetCommand({
        TableName: this.#tableName,
        Key: table.keys.customerState(customerId),
        ConsistentRead: true,
      }),
    );
    if (!Item) return undefined;
    const stored = customerStateSchema.parse(Item.state);
    return {
      state: { ...stored, orders: unescapeKeys(stored.orders) },
      version: Number(Item[table.versionAttribute]),
    };
  }

  async save(state: CustomerState, expectedVersion: number | undefined): Promise<number> {
    const version = (expectedVersion ?? 0) + 1;
    const isNew = expectedVersion === undefined;
    const item = {
      ...table.keys.customerState(state.customerId),
      [table.versionAttribute]: version,
      customerId: state.customerId,
      updatedAt: state.updatedAt,
      state: { ...state, orders: escapeKeys(state.orders) },
    };
    // DynamoDB's own count (UTF-8), checked here because dynalite counts UTF-16 units and would accept an
    // item AWS refuses. The engine's budget keeps the state well under this; reaching it is a bug, said plainly.
    const bytes = itemBytes(item);
    if (bytes > DYNAMODB_ITEM_LIMIT_BYTES) {
      throw new CustomerItemTooLargeError(
        `customer ${state.customerId}: the item would be ${bytes} bytes; DynamoDB accepts at most ${DYNAMODB_ITEM_LIMIT_BYTES}`,
      );
    }
    try {
      await this.#client.send(
        new PutCommand({
          TableName: this.#tableName,
          Item: item,
          ConditionExpression: isNew ? "attribute_not_exists(#pk)" : "#version = :expected",
          ExpressionAttributeNames: isNew
            ? { "#pk": table.partitionKey }
            : { "#version": table.versionAttribute },
          ...(isNew ? {} : { ExpressionAttributeValues: { ":expected": expectedVersion } }),
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        throw new ConcurrentUpdateError(
          `customer ${state.customerId}: version ${expectedVersion ?? "none"} is no longer current`,
        );
      }
      throw error;
    }
    return version;
  }
}

export class CustomerItemTooLargeError extends Error {
  override name = "CustomerItemTooLargeError";
}

/**
 * Order ids come from producers: `__proto__`, `constructor` or `toString` are valid ids. As map keys in the
 * stored item they would be mangled on the way back (a parsed record drops `__proto__`; the marshaller
 * takes a map with an own `constructor` for a class instance), so every key is stored with a prefix and
 * read back as an own property.
 */
const KEY_PREFIX = "#";

function escapeKeys<T>(record: Readonly<Record<string, T>>): Record<string, T> {
  const escaped: Record<string, T> = {};
  for (const [key, value] of Object.entries(record)) escaped[`${KEY_PREFIX}${key}`] = value;
  return escaped;
}

function unescapeKeys<T>(record: Readonly<Record<string, T>>): Record<string, T> {
  const plain: Record<string, T> = {};
  for (const [key, value] of Object.entries(record)) {
    // Items written before keys were escaped have plain keys; both read back the same.
    const id = key.startsWith(KEY_PREFIX) ? key.slice(KEY_PREFIX.length) : key;
    setOwnProperty(plain, id, value);
  }
  return plain;
}
