/**
 * AWS as the recall bench models it, for runs too large for dynalite (a million owners take minutes to seed
 * and gigabytes to hold): the SDK clients are the real ones — their middleware, marshalling, signing and
 * checksums run as in Lambda — but their requests are answered in this process, after a fixed latency per
 * call, by models of just the calls the fan-out makes. Time is modelled too (`ModelledTime`), so that a
 * 13-hour paced recall runs in the time its CPU work takes.
 */
import { createHash } from "node:crypto";
import type { HttpRequest, HttpResponse, RequestHandler } from "@smithy/types";
import { OWNER_SHARDS, ownerIndexKeys } from "../functions/config/owner-index-keys.ts";

/** CPU time of this thread, in milliseconds: what the code took, whatever else the machine was doing. */
function threadCpuMs(): number {
  const { user, system } = process.threadCpuUsage();
  return (user + system) / 1000;
}

/**
 * A Lambda's clock in the bench: the CPU time its code takes here (this thread's, so a busy machine does not
 * slow it; the bench's own work excluded), times `cpuFactor` for the share of a vCPU its memory buys, plus
 * the latencies and queue waits it would sit through — those are skipped, not slept. Every wait is a `sleep`
 * on this clock; with nothing left to run, the clock jumps to the earliest sleeper, so concurrent calls
 * overlap as they would.
 */
export class ModelledTime {
  readonly cpuFactor: number;
  readonly #origin = threadCpuMs();
  #offClockMs = 0;
  #skippedMs = 0;
  #sleepers: { at: number; wake: () => void }[] = [];
  #scheduled = false;

  constructor(cpuFactor: number) {
    this.cpuFactor = cpuFactor;
  }

  /** Modelled milliseconds since the bench began. */
  now(): number {
    return (threadCpuMs() - this.#origin - this.#offClockMs) * this.cpuFactor + this.#skippedMs;
  }

  /** The bench's own work (the modelled services, the sampling): it costs the Lambda nothing. */
  offClock<T>(work: () => T): T {
    const started = threadCpuMs();
    try {
      return work();
    } finally {
      this.#offClockMs += threadCpuMs() - started;
    }
  }

  sleep(ms: number): Promise<void> {
    return new Promise((wake) => {
      this.#sleepers.push({ at: this.now() + ms, wake });
      this.#schedule();
    });
  }

  /** Nothing runs until `at`: a message waiting on its queue, no Lambda invoked. */
  idleUntil(at: number): void {
    const now = this.now();
    if (at > now) this.#skippedMs += at - now;
  }

  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    // setImmediate runs once every promise continuation has: whatever is not asleep has finished.
    setImmediate(() => {
      this.#scheduled = false;
      if (this.#sleepers.length === 0) return;
      this.idleUntil(Math.min(...this.#sleepers.map((s) => s.at)));
      const now = this.now();
      const due = this.#sleepers.filter((s) => s.at <= now).sort((a, b) => a.at - b.at);
      this.#sleepers = this.#sleepers.filter((s) => s.at > now);
      for (const sleeper of due) sleeper.wake();
      if (this.#sleepers.length > 0) this.#schedule();
    });
  }
}

const utf8 = new TextDecoder();

/** What a modelled service answers one call with, and how long the call takes. */
export interface ModelledAnswer {
  latencyMs: number;
  output: unknown;
}

/**
 * An SDK request handler for the AWS JSON protocol (DynamoDB, SQS): the operation from `X-Amz-Target`, the
 * input from the body, the model's answer back as the service's JSON after its latency. A call the model
 * does not know throws: the bench fails rather than measure something else.
 */
export function modelledHandler(
  time: ModelledTime,
  answer: (operation: string, input: Record<string, unknown>) => ModelledAnswer,
): RequestHandler<HttpRequest, HttpResponse> {
  return {
    handle: async (request) => {
      const { latencyMs, body } = time.offClock(() => {
        const target = Object.entries(request.headers).find(
          ([name]) => name.toLowerCase() === "x-amz-target",
        );
        const operation = String(target?.[1] ?? "").split(".")[1] ?? "";
        const text =
          typeof request.body === "string" ? request.body : utf8.decode(request.body as Uint8Array);
        const { latencyMs, output } = answer(operation, JSON.parse(text) as Record<string, unknown>);
        return { latencyMs, body: Buffer.from(JSON.stringify(output)) };
      });
      await time.sleep(latencyMs);
      return {
        response: {
          statusCode: 200,
          headers: { "content-type": "application/x-amz-json-1.0", "x-amzn-requestid": "modelled" },
          body,
        },
      };
    },
  };
}

/** The latencies the bench assumes: typical in-region figures, not measured ones. */
export interface Latencies {
  /** A Query reading one page of the owner index (500 small items). */
  queryMs: number;
  /** GetItem and PutItem of the fan-out's checkpoint. */
  itemMs: number;
  /** SendMessageBatch. */
  sendMs: number;
}

type AttributeMap = Record<string, { S?: string }>;

/**
 * Waymark's table as far as the fan-out reads it: the owner index of one model, every owner with one order,
 * in the real shards (`ownerIndexKeys.shardOf`) and key order, and the checkpoint items. The index is four
 * bytes an owner (the owner's number), so holding a million costs the bench 4 MB, not the gigabytes an
 * item each would.
 */
export class ModelledOwnerTable {
  readonly calls = new Map<string, number>();
  readonly #model: string;
  readonly #shards: Int32Array[];
  readonly #items = new Map<string, AttributeMap>();
  readonly #latencies: Latencies;

  static ownerId(n: number): string {
    return `owner-${String(n).padStart(7, "0")}`;
  }

  constructor(model: string, owners: number, latencies: Latencies) {
    this.#model = model;
    this.#latencies = latencies;
    const shardOf = new Uint8Array(owners);
    const sizes = new Array<number>(OWNER_SHARDS).fill(0);
    for (let n = 0; n < owners; n++) {
      const shard = ownerIndexKeys.shardOf(ModelledOwnerTable.ownerId(n));
      shardOf[n] = shard;
      sizes[shard]!++;
    }
    this.#shards = sizes.map((size) => new Int32Array(size));
    const filled = new Array<number>(OWNER_SHARDS).fill(0);
    // Zero-padded ids: ascending numbers are ascending keys, as DynamoDB sorts them.
    for (let n = 0; n < owners; n++) this.#shards[shardOf[n]!]![filled[shardOf[n]!]!++] = n;
  }

  answer = (operation: string, input: Record<string, unknown>): ModelledAnswer => {
    this.calls.set(operation, (this.calls.get(operation) ?? 0) + 1);
    switch (operation) {
      case "Query":
        return { latencyMs: this.#latencies.queryMs, output: this.#query(input) };
      case "GetItem": {
        const item = this.#items.get(itemKey(input.Key as AttributeMap));
        return { latencyMs: this.#latencies.itemMs, output: item ? { Item: item } : {} };
      }
      case "PutItem":
        if (input.ConditionExpression !== undefined) throw new Error("modelled table: no conditional puts");
        this.#items.set(itemKey(input.Item as AttributeMap), input.Item as AttributeMap);
        return { latencyMs: this.#latencies.itemMs, output: {} };
      default:
        throw new Error(`modelled table: ${operation} is not modelled`);
    }
  };

  #query(input: Record<string, unknown>) {
    const values = input.ExpressionAttributeValues as AttributeMap;
    const pk = values[":pk"]?.S ?? "";
    const match = /^OWNER#(.+)#(\d+)$/.exec(pk);
    if (input.KeyConditionExpression !== "pk = :pk" || !match)
      throw new Error(`modelled table: only the owner index is modelled, not ${JSON.stringify(input)}`);
    const shard = match[1] === this.#model ? this.#shards[Number(match[2])] : undefined;
    if (!shard) return { Items: [], Count: 0, ScannedCount: 0 };
    const after = (input.ExclusiveStartKey as AttributeMap | undefined)?.sk?.S;
    const limit = typeof input.Limit === "number" ? input.Limit : Number.POSITIVE_INFINITY;
    let from = 0;
    if (after !== undefined) {
      // The first owner whose key sorts after `after` (keys are `<ownerId>#o-1`).
      const last = Number(/^owner-(\d+)#/.exec(after)?.[1] ?? -1);
      let lo = 0;
      let hi = shard.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (shard[mid]! <= last) lo = mid + 1;
        else hi = mid;
      }
      from = lo;
    }
    const to = Math.min(shard.length, from + limit);
    const Items: AttributeMap[] = [];
    for (let i = from; i < to; i++) {
      const customerId = ModelledOwnerTable.ownerId(shard[i]!);
      Items.push({
        pk: { S: pk },
        sk: { S: `${customerId}#o-1` },
        customerId: { S: customerId },
        model: { S: this.#model },
      });
    }
    // As DynamoDB does: a Query stopped by its Limit says where it stopped, even at the partition's end.
    const stoppedByLimit = Items.length === limit;
    return {
      Items,
      Count: Items.length,
      ScannedCount: Items.length,
      ...(stoppedByLimit ? { LastEvaluatedKey: { pk: { S: pk }, sk: Items.at(-1)!.sk } } : {}),
    };
  }
}

function itemKey(key: AttributeMap): string {
  return `${key.pk?.S}\u0000${key.sk?.S}`;
}

/** One message as SendMessageBatch hands it to a queue. */
export interface SentMessage {
  body: string;
  groupId?: string;
  deduplicationId?: string;
  delaySeconds: number;
}

/**
 * SQS's SendMessageBatch: every entry accepted (with the MD5 of its body, which the SDK checks), handed to
 * `receive` for the queue its URL names.
 */
export class ModelledQueues {
  readonly calls = new Map<string, number>();
  readonly #latencies: Latencies;
  readonly #receive: (queueUrl: string, message: SentMessage) => void;

  constructor(latencies: Latencies, receive: (queueUrl: string, message: SentMessage) => void) {
    this.#latencies = latencies;
    this.#receive = receive;
  }

  answer = (operation: string, input: Record<string, unknown>): ModelledAnswer => {
    if (operation !== "SendMessageBatch") throw new Error(`modelled SQS: ${operation} is not modelled`);
    const queueUrl = String(input.QueueUrl);
    this.calls.set(queueUrl, (this.calls.get(queueUrl) ?? 0) + 1);
    const entries = input.Entries as {
      Id: string;
      MessageBody: string;
      MessageGroupId?: string;
      MessageDeduplicationId?: string;
      DelaySeconds?: number;
    }[];
    if (entries.length > 10) throw new Error("modelled SQS: more than ten entries in one batch");
    for (const entry of entries) {
      this.#receive(queueUrl, {
        body: entry.MessageBody,
        delaySeconds: entry.DelaySeconds ?? 0,
        ...(entry.MessageGroupId !== undefined ? { groupId: entry.MessageGroupId } : {}),
        ...(entry.MessageDeduplicationId !== undefined
          ? { deduplicationId: entry.MessageDeduplicationId }
          : {}),
      });
    }
    return {
      latencyMs: this.#latencies.sendMs,
      output: {
        Successful: entries.map((entry) => ({
          Id: entry.Id,
          MessageId: entry.Id,
          MD5OfMessageBody: createHash("md5").update(entry.MessageBody).digest("hex"),
        })),
        Failed: [],
      },
    };
  };
}
