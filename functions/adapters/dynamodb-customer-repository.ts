import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { table } from "../config/table.ts";
import { type CustomerState, customerStateSchema } from "../core/customer-state.ts";
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
    return { state: customerStateSchema.parse(Item.state), version: Number(Item[table.versionAttribute]) };
  }

  async save(state: CustomerState, expectedVersion: number | undefined): Promise<number> {
    const version = (expectedVersion ?? 0) + 1;
    const isNew = expectedVersion === undefined;
    try {
      await this.#client.send(
        new PutCommand({
          TableName: this.#tableName,
          Item: {
            ...table.keys.customerState(state.customerId),
            [table.versionAttribute]: version,
            customerId: state.customerId,
            updatedAt: state.updatedAt,
            state,
          },
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
