import {
  CreateTableCommand,
  type DynamoDBClient,
  ResourceInUseException,
  waitUntilTableExists,
} from "@aws-sdk/client-dynamodb";
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
} from "@aws-sdk/lib-dynamodb";
import { createTableInput } from "../../functions/config/create-table-input.ts";
import { TimerIndex } from "./timer-index.ts";
import type { ClockState } from "./virtual-clock.ts";

/**
 * What the local runtime keeps beside Waymark's own table, so `--data` restarts lose nothing. REPLAY links a
 * rejected event to the fixed event replayed in its place.
 */
export type LocalLog = "TIMER" | "OUTBOX" | "EVENT" | "REJECTED" | "REPLAY";

const CLOCK_KEY = { pk: "CLOCK", sk: "state" };

export interface PendingTimer {
  name: string;
  dueAt: string;
  /** The engine-queue message the timer delivers, and its FIFO group. */
  body: string;
  groupId: string;
}

/**
 * Timers, the outbox, the event log and rejected inputs, in a second table on the same
 * dynalite: the local runtime's own bookkeeping goes through the real DynamoDB protocol too.
 */
export class LocalStateStore {
  readonly #client: DynamoDBClient;
  readonly #documents: DynamoDBDocumentClient;
  readonly tableName: string;
  #sequence = 0;
  /** The TIMER items, indexed by due time; the table stays the durable copy (`--data` keeps it). */
  readonly #timers = new TimerIndex<PendingTimer>();

  constructor(client: DynamoDBClient, documents: DynamoDBDocumentClient, tableName: string) {
    this.#client = client;
    this.#documents = documents;
    this.tableName = tableName;
  }

  async ensureTable(): Promise<void> {
    try {
      await this.#client.send(new CreateTableCommand(createTableInput(this.tableName)));
    } catch (error) {
      if (!(error instanceof ResourceInUseException)) throw error;
    }
    await waitUntilTableExists(
      { client: this.#client, maxWaitTime: 30, minDelay: 0.02, maxDelay: 0.1 },
      { TableName: this.tableName },
    );
    this.#timers.clear();
    for (const timer of await this.list<PendingTimer>("TIMER")) this.#timers.put(timer);
    // Continue numbering after what a previous run left on disk.
    for (const log of ["OUTBOX", "EVENT", "REJECTED", "REPLAY"] as const) {
      const last = await this.#documents.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: "pk = :pk",
          ExpressionAttributeValues: { ":pk": log },
          ScanIndexForward: false,
          Limit: 1,
        }),
      );
      const sk = last.Items?.[0]?.sk;
      if (typeof sk === "string") this.#sequence = Math.max(this.#sequence, Number(sk));
    }
  }

  async append(log: Exclude<LocalLog, "TIMER">, value: unknown): Promise<void> {
    const sk = String(++this.#sequence).padStart(12, "0");
    await this.#documents.send(new PutCommand({ TableName: this.tableName, Item: { pk: log, sk, value } }));
  }

  async list<T>(log: LocalLog): Promise<T[]> {
    const values: T[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.#documents.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: "pk = :pk",
          ExpressionAttributeValues: { ":pk": log },
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) values.push(item.value as T);
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return values;
  }

  async saveClock(state: ClockState): Promise<void> {
    await this.#documents.send(
      new PutCommand({ TableName: this.tableName, Item: { ...CLOCK_KEY, value: state } }),
    );
  }

  async clock(): Promise<ClockState | undefined> {
    const { Item } = await this.#documents.send(
      new GetCommand({ TableName: this.tableName, Key: CLOCK_KEY }),
    );
    return Item?.value as ClockState | undefined;
  }

  async putTimer(timer: PendingTimer): Promise<void> {
    await this.#documents.send(
      new PutCommand({ TableName: this.tableName, Item: { pk: "TIMER", sk: timer.name, value: timer } }),
    );
    this.#timers.put(timer);
  }

  async deleteTimer(name: string): Promise<void> {
    await this.#documents.send(
      new DeleteCommand({ TableName: this.tableName, Key: { pk: "TIMER", sk: name } }),
    );
    this.#timers.delete(name);
  }

  /** Every pending timer, in firing order. */
  async timers(): Promise<PendingTimer[]> {
    return this.#timers.sorted();
  }

  /** The timer due first: O(log T), so firing T timers is not O(T²). */
  nextTimer(): PendingTimer | undefined {
    return this.#timers.peek();
  }

  get pendingTimerCount(): number {
    return this.#timers.size;
  }
}
