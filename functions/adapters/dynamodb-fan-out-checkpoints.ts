import { type DynamoDBDocumentClient, GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { ownerIndexKeys } from "../config/owner-index-keys.ts";
import type { FanOutCheckpoint, FanOutCheckpoints } from "../ports/fan-out-checkpoints.ts";

export class DynamoDbFanOutCheckpoints implements FanOutCheckpoints {
  readonly #client: DynamoDBDocumentClient;
  readonly #tableName: string;

  constructor(client: DynamoDBDocumentClient, tableName: string) {
    this.#client = client;
    this.#tableName = tableName;
  }

  async load(kind: string, noticeId: string): Promise<FanOutCheckpoint | undefined> {
    const { Item } = await this.#client.send(
      new GetCommand({
        TableName: this.#tableName,
        Key: ownerIndexKeys.checkpoint(kind, noticeId),
        ConsistentRead: true,
      }),
    );
    return Item?.checkpoint as FanOutCheckpoint | undefined;
  }

  async save(kind: string, noticeId: string, checkpoint: FanOutCheckpoint): Promise<void> {
    await this.#client.send(
      new PutCommand({
        TableName: this.#tableName,
        Item: { ...ownerIndexKeys.checkpoint(kind, noticeId), checkpoint },
      }),
    );
  }
}
