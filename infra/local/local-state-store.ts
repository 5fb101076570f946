import {
  CreateTableCommand,
  type DynamoDBClient,
  ResourceInUseException,
  waitUntilTableExists,
} from "@aws-sdk/client-dynamodb";
import {
  BatchWriteCommand,
  type BatchWriteCommandInput,
  type BatchWriteCommandOutput,
  type DynamoDBDocumentClient,
  GetCommand,
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

type WriteRequest = NonNullable<BatchWriteCommandInput["RequestItems"]>[string][number];

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
  /**
   * Writes not yet sent, by item key, the last one winning. The bookkeeping cost the local runtime ~2
   * requests of its own per input; written behind in BatchWriteItem requests of 25, it costs a tenth of
   * one. Every read flushes first, and the runtime flushes whenever it falls quiet.
   */
  readonly #unwritten = new Map<string, WriteRequest>();
  #flushing: Promise<void> = Promise.resolve();

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
    this.#put({ pk: log, sk, value });
  }

  #put(item: { pk: string; sk: string; value: unknown }): void {
    this.#write(item.pk, item.sk, { PutRequest: { Item: item } });
  }

  #write(pk: string, sk: string, request: WriteRequest): void {
    const key = `${pk}\u0000${sk}`;
    // Deleting first moves the key to the end, so writes reach the table in the order they were made.
    this.#unwritten.delete(key);
    this.#unwritten.set(key, request);
  }

  /** Sends every write made so far; resolves when they (and any flush begun earlier) are in the table. */
  flush(): Promise<void> {
    if (this.#unwritten.size === 0) return this.#flushing;
    const requests = [...this.#unwritten.values()];
    this.#unwritten.clear();
    this.#flushing = this.#flushing.then(() => this.#send(requests));
    return this.#flushing;
  }

  async #send(requests: WriteRequest[]): Promise<void> {
    for (let i = 0; i < requests.length; i += 25) {
      let pending: BatchWriteCommandInput["RequestItems"] = { [this.tableName]: requests.slice(i, i + 25) };
      for (let attempt = 0; pending && Object.keys(pending).length > 0; attempt++) {
        if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(100, 5 * 2 ** attempt)));
        const result: BatchWriteCommandOutput = await this.#documents.send(
          new BatchWriteCommand({ RequestItems: pending }),
        );
        pending = result.UnprocessedItems;
      }
    }
  }

  async list<T>(log: LocalLog): Promise<T[]> {
    await this.flush();
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
    this.#put({ ...CLOCK_KEY, value: state });
  }

  async clock(): Promise<ClockState | undefined> {
    await this.flush();
    const { Item } = await this.#documents.send(
      new GetCommand({ TableName: this.tableName, Key: CLOCK_KEY }),
    );
    return Item?.value as ClockState | undefined;
  }

  async putTimer(timer: PendingTimer): Promise<void> {
    this.#put({ pk: "TIMER", sk: timer.name, value: timer });
    this.#timers.put(timer);
  }

  async deleteTimer(name: string): Promise<void> {
    this.#write("TIMER", name, { DeleteRequest: { Key: { pk: "TIMER", sk: name } } });
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
