import { type AttributeValue, DynamoDBClient, GetItemCommand } from "@aws-sdk/client-dynamodb";
import { marshall, unmarshall } from "@aws-sdk/util-dynamodb";
import { itemBytes } from "../../functions/core/item-size.ts";
import type { LocalDynamo } from "./dynalite.ts";

/** One AWS operation as the meter counts it: how many requests, and the payload bytes they carried. */
export interface OperationCount {
  requests: number;
  /** Entries in batch requests (SendMessageBatch, PutEvents, PutRecordBatch, BatchWriteItem…); else 1 each. */
  entries: number;
  /** The bytes AWS meters by (message bodies, event entries, records), summed per entry. */
  entryBytes: number[];
  /** Each request's payload: SQS and SNS bill a request per 64 KB of it. */
  requestBytes: number[];
}

/** One handler invocation: the records it was given and the time it spent outside DynamoDB. */
export interface Invocation {
  fn: string;
  records: number;
  /** Wall time minus the time spent waiting on dynalite, which runs in this process. */
  cpuMs: number;
  /** Requests it made, by `service.operation`, so a latency per request can be added. */
  requests: Record<string, number>;
}

type Key = Record<string, AttributeValue>;

const TYPE_TAGS = new Set(["S", "N", "B", "BOOL", "NULL", "M", "L", "SS", "NS", "BS"]);

/**
 * An item or key as AttributeValues. At the initialize step a document client's input is still plain
 * JavaScript (it marshals just before serializing); a base client's already is.
 */
function attributes(value: Record<string, unknown>): Key {
  const marshalled = Object.values(value).every(
    (v) =>
      typeof v === "object" && v !== null && Object.keys(v).length === 1 && TYPE_TAGS.has(Object.keys(v)[0]!),
  );
  return marshalled ? (value as Key) : marshall(value, { removeUndefinedValues: true });
}

/**
 * Counts every AWS request a run makes, by service and operation, with DynamoDB's capacity worked out
 * from real UTF-8 item sizes (dynalite reports UTF-16 units): a write costs ceil(max(item before, item
 * after) / 1 KB) write units, a read ceil(bytes / 4 KB) read units, halved when eventually consistent.
 */
export class CallMeter {
  readonly operations = new Map<string, OperationCount>();
  readonly invocations: Invocation[] = [];
  readUnits = 0;
  writeUnits = 0;
  /** Bytes each function wrote to stdout (its log lines and EMF metrics), while stdout is captured. */
  readonly logBytes: Record<string, number> = {};
  #current: Invocation | undefined;
  #dynamoMs = 0;

  count(service: string, operation: string, entryBytes: number[] = [0]): void {
    const name = `${service}.${operation}`;
    const counted = this.operations.get(name) ?? {
      requests: 0,
      entries: 0,
      entryBytes: [],
      requestBytes: [],
    };
    counted.requests++;
    counted.entries += entryBytes.length;
    counted.entryBytes.push(...entryBytes);
    counted.requestBytes.push(entryBytes.reduce((sum, b) => sum + b, 0));
    this.operations.set(name, counted);
    if (this.#current) this.#current.requests[name] = (this.#current.requests[name] ?? 0) + 1;
  }

  /** Forgets what was counted: a run measures from here (after its customers' history is built). */
  reset(): void {
    this.operations.clear();
    this.invocations.length = 0;
    this.readUnits = 0;
    this.writeUnits = 0;
    for (const fn of Object.keys(this.logBytes)) delete this.logBytes[fn];
  }

  /**
   * Counts what is written to stdout, by the function running when it is written, and keeps it off the
   * terminal; in Lambda those lines are what CloudWatch Logs ingests. Returns the way to stop.
   */
  captureStdout(): () => void {
    const write = process.stdout.write;
    process.stdout.write = ((chunk: string | Uint8Array) => {
      const fn = this.#current?.fn ?? "outside";
      this.logBytes[fn] = (this.logBytes[fn] ?? 0) + Buffer.byteLength(chunk);
      return true;
    }) as typeof process.stdout.write;
    return () => {
      process.stdout.write = write;
    };
  }

  requests(name: string): number {
    return this.operations.get(name)?.requests ?? 0;
  }

  /** Runs one handler invocation, timing it apart from the in-process DynamoDB it waits on. */
  async invoke<T>(fn: string, records: number, run: () => Promise<T>): Promise<T> {
    const outer = this.#current;
    const invocation: Invocation = { fn, records, cpuMs: 0, requests: {} };
    this.#current = invocation;
    const dynamoBefore = this.#dynamoMs;
    const started = performance.now();
    try {
      return await run();
    } finally {
      invocation.cpuMs = performance.now() - started - (this.#dynamoMs - dynamoBefore);
      this.invocations.push(invocation);
      this.#current = outer;
    }
  }

  /** Meters every request of the DynamoDB client the handlers use. */
  meterDynamo(dynamo: LocalDynamo): void {
    // Item sizes are read through a second client, so the look-ups are not counted as the run's.
    const shadow = new DynamoDBClient({
      endpoint: dynamo.endpoint,
      region: "ap-northeast-2",
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
    });
    const sizeOf = async (tableName: string, key: Key): Promise<number> => {
      const started = performance.now();
      const { Item } = await shadow.send(
        new GetItemCommand({ TableName: tableName, Key: key, ConsistentRead: true }),
      );
      this.#dynamoMs += performance.now() - started;
      return Item ? itemBytes(unmarshall(Item)) : 0;
    };
    // The round trip alone (dynalite's work and the loopback), timed innermost: the SDK's own marshalling,
    // signing and parsing stay in the handler's time, as they would in Lambda.
    dynamo.client.middlewareStack.add(
      (next) => async (args) => {
        const started = performance.now();
        try {
          return await next(args);
        } finally {
          this.#dynamoMs += performance.now() - started;
        }
      },
      { step: "deserialize", priority: "low", name: "waymarkRoundTrip" },
    );
    dynamo.client.middlewareStack.add(
      (next, context) => async (args) => {
        const operation = (context.commandName ?? "Unknown").replace(/Command$/, "");
        const input = args.input as Record<string, unknown>;
        const table = input.TableName as string | undefined;
        const writes = writtenKeys(operation, input);
        const before = await Promise.all(writes.map((w) => sizeOf(w.table, w.key)));
        let result: Awaited<ReturnType<typeof next>>;
        try {
          result = await next(args);
        } catch (error) {
          // A failed condition still consumes write capacity for the item as it stands.
          this.count("DynamoDB", operation, [0]);
          for (let i = 0; i < writes.length; i++)
            this.writeUnits += Math.max(1, Math.ceil(before[i]! / 1024));
          throw error;
        }
        this.count("DynamoDB", operation, writes.length > 0 ? writes.map(() => 0) : [0]);
        const after = await Promise.all(writes.map((w) => sizeOf(w.table, w.key)));
        for (let i = 0; i < writes.length; i++) {
          const proposed = writes[i]!.item ? itemBytes(unmarshall(writes[i]!.item!)) : 0;
          this.writeUnits += Math.max(1, Math.ceil(Math.max(before[i]!, after[i]!, proposed) / 1024));
        }
        type Loose = Record<string, unknown>;
        const output = result.output as {
          Item?: Loose;
          Items?: Loose[];
          Responses?: Record<string, Loose[]>;
        };
        const plain = (item: Loose) => unmarshall(attributes(item));
        const factor = input.ConsistentRead === true ? 1 : 0.5;
        if (operation === "GetItem")
          this.readUnits +=
            factor * Math.max(1, Math.ceil((output.Item ? itemBytes(plain(output.Item)) : 0) / 4096));
        if (operation === "Query" && table) {
          const bytes = (output.Items ?? []).reduce((sum, item) => sum + itemBytes(plain(item)), 0);
          this.readUnits += factor * Math.max(1, Math.ceil(bytes / 4096));
        }
        if (operation === "BatchGetItem")
          for (const items of Object.values(output.Responses ?? {}))
            for (const item of items)
              this.readUnits += 0.5 * Math.max(1, Math.ceil(itemBytes(plain(item)) / 4096));
        return result;
      },
      { step: "initialize", name: "waymarkCallMeter" },
    );
  }
}

interface WrittenKey {
  table: string;
  key: Key;
  item?: Key;
}

/** The items a write request touches, with the proposed item for a put. */
function writtenKeys(operation: string, input: Record<string, unknown>): WrittenKey[] {
  const table = input.TableName as string;
  if (operation === "PutItem") {
    const item = attributes(input.Item as Record<string, unknown>);
    return [{ table, key: { pk: item.pk!, sk: item.sk! }, item }];
  }
  if (operation === "UpdateItem" || operation === "DeleteItem")
    return [{ table, key: attributes(input.Key as Record<string, unknown>) }];
  if (operation === "BatchWriteItem") {
    const requests = input.RequestItems as Record<
      string,
      { PutRequest?: { Item: Record<string, unknown> }; DeleteRequest?: { Key: Record<string, unknown> } }[]
    >;
    return Object.entries(requests).flatMap(([name, entries]) =>
      entries.map((entry) => {
        if (!entry.PutRequest) return { table: name, key: attributes(entry.DeleteRequest!.Key) };
        const item = attributes(entry.PutRequest.Item);
        return { table: name, key: { pk: item.pk!, sk: item.sk! }, item };
      }),
    );
  }
  return [];
}
