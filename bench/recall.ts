/**
 * A product recall to many owners (issue 14, target 7), in two parts:
 *
 * - The fan-out at full size (a million owners): the real fan-out handler, wiring, use case and adapters
 *   (owner index, checkpoints, engine and global queues) over real SDK clients whose calls are answered in
 *   this process after a fixed latency (bench/modelled-aws.ts). Lambda is modelled as deployed: the fan-out
 *   function's timeout and memory (its share of a vCPU scales the CPU time measured here), one message per
 *   invocation, a job that re-queues itself when its remaining time runs low or its pace says wait — the
 *   global queue holding it back for DelaySeconds. Run twice: unpaced (no sending rate: the fan-out's own
 *   speed) and paced at an SMS quota (the catalog's `delivery.sendingRate`: when everyone has been messaged).
 * - Each owner's path after the fan-out at a smaller size: ingest → fan-out → engine (eligibility, nearest
 *   store, reservation, decision) → notifier, the real handlers on dynalite, every DynamoDB call counted.
 */

import v8 from "node:v8";
import { runInNewContext } from "node:vm";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SQSClient } from "@aws-sdk/client-sqs";
import type { Context, SQSEvent } from "aws-lambda";
import { referenceEvents } from "../events/catalog.ts";
import { defineCatalog } from "../events/define-catalog.ts";
import { SQS_SEND_CONCURRENCY } from "../functions/adapters/sqs-batches.ts";
import { SqsEngineQueue } from "../functions/adapters/sqs-engine-queue.ts";
import { SqsWorkQueue } from "../functions/adapters/sqs-work-queue.ts";
import type { Catalog } from "../functions/core/catalog/catalog.ts";
import { makeFanOutHandler } from "../functions/handlers/fan-out-handler.ts";
import { eventMessage } from "../functions/messages/queue-messages.ts";
import { documentClient, fanOutDependencies, tablePorts } from "../functions/wiring/pipeline.ts";
import { FAN_OUT_MEMORY_MB, FAN_OUT_TIMEOUT } from "../infra/constructs/waymark-runtime.ts";
import {
  referenceCalculators,
  referenceDelivery,
  referenceJourneys,
  referenceTemplates,
} from "../journeys/registry.ts";
import { safetyJourneysOnly } from "../test/support/catalogs.ts";
import { startDynamo } from "../test/support/dynalite.ts";
import { envelope } from "../test/support/events.ts";
import { Pipeline } from "../test/support/pipeline.ts";
import {
  type Latencies,
  ModelledOwnerTable,
  ModelledQueues,
  ModelledTime,
  modelledHandler,
} from "./modelled-aws.ts";

/** What `npm run bench` writes to bench/results.json under `recall`. */
export interface RecallFigures {
  owners: number;
  /** Owners queued for the engine per modelled second, unpaced. */
  ownersPerSecond: number;
  /** The highest heap in use while the fan-out ran, either run. */
  peakMemoryMb: number;
  invocations: number;
  longestInvocationMs: number;
  timeoutMs: number;
  /** On the AWS path: the fan-out's share at full size, plus the engine's and notifier's on dynalite. */
  dynamoCallsPerOwner: number;
  dynamoCallsPerOwnerByOperation: Record<string, number>;
  sqsCalls: number;
  smsPerSecond: number;
  etaHoursAtSmsQuota: number;
  paced: { invocations: number; longestInvocationMs: number; sqsCalls: number };
  /** Same run, unpaced, the engine queue's SendMessageBatch calls one after another (before issue 14). */
  baseline: { owners: number; ownersPerSecond: number; sendConcurrency: number };
}

/**
 * Heap growth from the first tenth of the owners to the last, after full collections, that still counts as
 * flat: the modelled services' own tables are allocated before the first tenth, so what grows with owners
 * past this is the fan-out's (at the 1.5 GB the issue measured, about 1.5 KB an owner, it would be
 * hundreds of MB).
 */
const FLAT_HEAP_GROWTH_MB = 16;

/** The SMS quota the paced run holds to: the catalog's `delivery.sendingRate.sms`. */
export const SMS_PER_SECOND = 20;
/** Lambda gives a function CPU in proportion to its memory: one whole vCPU at 1,769 MB. */
const ONE_VCPU_MB = 1769;
/** Assumed in-region latencies (not measured): the owner index's Query, the checkpoint's Get and Put, SQS. */
const LATENCIES: Latencies = { queryMs: 10, itemMs: 5, sendMs: 15 };
/** The stack's global queue: visible again six fan-out timeouts after a failed receive, dead-lettered after 5. */
const VISIBILITY_MS = FAN_OUT_TIMEOUT.toMilliseconds() * 6;
const MAX_RECEIVES = 5;
const MODEL = "SM-S931";
const EPOCH = Date.parse("2026-07-01T00:00:00Z");
const QUEUES = {
  engine: "https://sqs.us-east-1.amazonaws.com/123456789012/waymark-engine.fifo",
  global: "https://sqs.us-east-1.amazonaws.com/123456789012/waymark-global",
};

interface FanOutRun {
  owners: number;
  invocations: number;
  /** Continuations without a delay: the invocation's time ran low. */
  requeuedOnTime: number;
  /** Continuations with a delay: the pace said wait. */
  requeuedPaced: number;
  failedInvocations: number;
  timedOut: number;
  longestInvocationMs: number;
  /** From the recall's arrival on the global queue to the last invocation's end. */
  modelledMs: number;
  /** What the run took here. */
  realMs: number;
  peakHeapMb: number;
  /** The heap still in use after a full collection, each time another tenth of the owners was queued. */
  retainedHeapMb: number[];
  peakRssMb: number;
  dynamoCalls: Map<string, number>;
  engineQueueCalls: number;
  globalQueueCalls: number;
  queued: number;
  distinctOwners: number;
  /** When the last owner has been messaged, the notifier sending SMS_PER_SECOND as owners reach it. */
  etaMs: number;
}

/** A full collection on demand, to tell the heap a run keeps from the garbage it has not collected yet. */
const collectGarbage = (() => {
  v8.setFlagsFromString("--expose-gc");
  return runInNewContext("gc") as () => void;
})();

function sqsEvent(body: string, receives: number): SQSEvent {
  return {
    Records: [
      {
        messageId: `m-${receives}`,
        receiptHandle: "r",
        body,
        attributes: {
          ApproximateReceiveCount: String(receives),
          SentTimestamp: "0",
          SenderId: "bench",
          ApproximateFirstReceiveTimestamp: "0",
        },
        messageAttributes: {},
        md5OfBody: "",
        eventSource: "aws:sqs",
        eventSourceARN: "arn:aws:sqs:us-east-1:123456789012:waymark-global",
        awsRegion: "us-east-1",
      },
    ],
  };
}

/**
 * The recall's fan-out to `owners` owners of one model, on modelled AWS, as the stack deploys it;
 * `sendConcurrency` 1 sends the engine queue's batches one after another, as before issue 14.
 */
async function fanOutRun(owners: number, catalog: Catalog, sendConcurrency?: number): Promise<FanOutRun> {
  const time = new ModelledTime(ONE_VCPU_MB / FAN_OUT_MEMORY_MB);
  const timeoutMs = FAN_OUT_TIMEOUT.toMilliseconds();
  const table = time.offClock(() => new ModelledOwnerTable(MODEL, owners, LATENCIES));
  const global: { body: string; visibleAt: number; receives: number }[] = [];
  const seen = new Uint8Array(owners);
  let queued = 0;
  let distinctOwners = 0;
  let requeuedOnTime = 0;
  let requeuedPaced = 0;
  let peakHeap = 0;
  let peakRss = 0;
  const retainedHeap: number[] = [];
  const sample = () => {
    const { heapUsed, rss } = process.memoryUsage();
    peakHeap = Math.max(peakHeap, heapUsed);
    peakRss = Math.max(peakRss, rss);
  };
  // The notifier sends at the quota, each owner as soon as both the quota and their notice allow (the
  // engine's seconds per notice left out: it runs hundreds of notices at once, the quota 20 a second).
  let lastSmsAt = 0;
  const queues = new ModelledQueues(LATENCIES, (queueUrl, message) => {
    if (queueUrl === QUEUES.engine) {
      const n = Number(/"customerId":"owner-(\d+)"/.exec(message.body)?.[1]);
      if (seen[n] === 0) distinctOwners++;
      seen[n] = 1;
      lastSmsAt = Math.max(lastSmsAt, time.now()) + 1000 / SMS_PER_SECOND;
      // Once a page (500 owners): cheap enough, and often enough to see the heap's highs.
      if (++queued % 500 === 0) sample();
      if (queued % Math.ceil(owners / 10) === 0 || queued === owners) {
        collectGarbage();
        retainedHeap.push(process.memoryUsage().heapUsed);
      }
    } else if (queueUrl === QUEUES.global) {
      if (message.delaySeconds > 0) requeuedPaced++;
      else requeuedOnTime++;
      global.push({ body: message.body, visibleAt: time.now() + message.delaySeconds * 1000, receives: 0 });
    } else {
      throw new Error(`the fan-out sent to ${queueUrl}`);
    }
  });
  const credentials = { accessKeyId: "bench", secretAccessKey: "bench" };
  const dynamodb = new DynamoDBClient({
    region: "us-east-1",
    credentials,
    requestHandler: modelledHandler(time, table.answer),
  });
  const sqs = new SQSClient({
    region: "us-east-1",
    credentials,
    requestHandler: modelledHandler(time, queues.answer),
  });
  const ports = tablePorts(documentClient(dynamodb), "waymark");
  const handler = makeFanOutHandler(
    fanOutDependencies({
      catalog,
      clock: () => new Date(EPOCH + time.now()),
      table: ports,
      engineQueue: new SqsEngineQueue(sqs, QUEUES.engine, sendConcurrency),
      globalQueue: new SqsWorkQueue(sqs, QUEUES.global),
    }),
  );

  const recall = {
    recallId: "RC-BENCH",
    models: [MODEL],
    severity: "critical",
    hazard: "The battery can overheat while charging.",
    remedy: "replace",
    replacementSkus: ["SM-S936N"],
  };
  // The recall arrives on the global queue as ingest forwards a global event.
  const arrivedAt = time.now();
  global.push({
    body: JSON.stringify(
      eventMessage(envelope("ProductRecallIssued", recall, { time: "2026-07-01T00:00:00Z" })),
    ),
    visibleAt: arrivedAt,
    receives: 0,
  });
  const realStart = performance.now();
  let invocations = 0;
  let failedInvocations = 0;
  let timedOut = 0;
  let longest = 0;
  let lastEnd = arrivedAt;
  // One recall is one chain of jobs (each invocation leaves at most one continuation), so one invocation at
  // a time: the event source mapping's batch size 1 and no concurrency limit change nothing for it.
  while (global.length > 0) {
    if (global.length > 1)
      throw new Error(`${global.length} fan-out jobs of one recall on the queue at once`);
    const message = global.shift()!;
    time.idleUntil(message.visibleAt);
    message.receives++;
    invocations++;
    const started = time.now();
    const context = {
      functionName: "waymark-fan-out",
      awsRequestId: `bench-${invocations}`,
      getRemainingTimeInMillis: () => Math.max(0, timeoutMs - (time.now() - started)),
    } as unknown as Context;
    const result = await handler(sqsEvent(message.body, message.receives), context);
    lastEnd = time.now();
    const took = lastEnd - started;
    longest = Math.max(longest, took);
    if (took > timeoutMs) timedOut++;
    time.offClock(sample);
    if (result.batchItemFailures.length > 0) {
      failedInvocations++;
      if (message.receives < MAX_RECEIVES) global.push({ ...message, visibleAt: started + VISIBILITY_MS });
    }
  }
  const realMs = performance.now() - realStart;
  const dynamoCalls = new Map(table.calls);
  const mb = (bytes: number) => bytes / 1024 / 1024;
  dynamodb.destroy();
  sqs.destroy();
  return {
    owners,
    invocations,
    requeuedOnTime,
    requeuedPaced,
    failedInvocations,
    timedOut,
    longestInvocationMs: longest,
    modelledMs: lastEnd - arrivedAt,
    realMs,
    peakHeapMb: mb(peakHeap),
    retainedHeapMb: retainedHeap.map(mb),
    peakRssMb: mb(peakRss),
    dynamoCalls,
    engineQueueCalls: queues.calls.get(QUEUES.engine) ?? 0,
    globalQueueCalls: queues.calls.get(QUEUES.global) ?? 0,
    queued,
    distinctOwners,
    etaMs: lastSmsAt - arrivedAt,
  };
}

/** The DynamoDB item a request names, by the prefix of its keys (functions/config/table.ts, owner-index-keys.ts). */
function itemKind(input: Record<string, unknown>): string {
  const key = (input.Key ?? input.Item) as { pk?: string; sk?: string } | undefined;
  const values = input.ExpressionAttributeValues as Record<string, unknown> | undefined;
  const pk = String(key?.pk ?? values?.[":pk"] ?? "");
  const sk = String(key?.sk ?? "");
  if (pk.startsWith("CUSTOMER#")) {
    const kind = sk.split("#")[0] ?? "";
    return (
      { STATE: "customer", EMIT: "emit claim", NOTIFICATION: "notification", DELIVERY: "delivery" }[kind] ??
      kind
    );
  }
  const prefix = pk.split("#")[0] ?? "";
  return (
    {
      OWNER: "owner index",
      FANOUT: "fan-out checkpoint",
      RESERVATION: "reservation",
      STOCK: "store stock",
      RATE: "sending rate",
    }[prefix] ?? prefix.toLowerCase()
  );
}

const FAN_OUT_ITEMS = new Set(["owner index", "fan-out checkpoint"]);

interface PathRun {
  owners: number;
  /** DynamoDB calls per owner by operation and item, from the recall's arrival until everyone is messaged. */
  perOwner: { operation: string; item: string; calls: number }[];
  seconds: number;
}

/**
 * Each owner's path on the AWS side, counted: `owners` customers with a phone, a home near (half of them)
 * a store holding units of the replacement, and the affected model ordered; then the recall, through the
 * real ingest, fan-out, engine and notifier handlers on dynalite, until every owner has had their SMS.
 */
async function recallPath(owners: number): Promise<PathRun> {
  const dynamo = await startDynamo();
  const counts = new Map<string, number>();
  let counting = false;
  dynamo.client.middlewareStack.add(
    (next, context) => async (args) => {
      if (counting) {
        const key = `${(context.commandName ?? "").replace(/Command$/, "")}\u0000${itemKind(args.input as Record<string, unknown>)}`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      return next(args);
    },
    { step: "initialize", name: "benchCount" },
  );
  const p = new Pipeline(dynamo, "2026-06-01T00:00:00Z", safetyJourneysOnly);
  p.drainRounds = owners * 2 + 100;
  const at = { time: "2026-06-01T00:00:00Z" };
  await p.put(
    envelope(
      "StoreInventoryUpdated",
      {
        storeId: "s1",
        name: "Myeongdong",
        address: "Seoul",
        location: { lat: 37.56, lon: 126.98 },
        stock: [{ sku: "SM-S936N", quantity: Math.floor(owners / 2) }],
      },
      at,
    ),
  );
  for (let from = 0; from < owners; from += 50) {
    const ids = Array.from({ length: Math.min(50, owners - from) }, (_, i) => from + i);
    await p.put(
      ...ids.map((n) =>
        envelope(
          "CustomerProfileUpdated",
          {
            customerId: `o-${n}`,
            phone: "+821012345678",
            timeZone: "Asia/Seoul",
            home: { lat: 37.5 + (n % 10) / 100, lon: 127 },
          },
          at,
        ),
      ),
    );
    await p.put(
      ...ids.map((n) =>
        envelope(
          "OrderPlaced",
          {
            customerId: `o-${n}`,
            orderId: "o",
            items: [{ sku: "SM-S931N", name: "Galaxy", model: MODEL, quantity: 1, unitPrice: 1 }],
            currency: "KRW",
          },
          at,
        ),
      ),
    );
  }
  const before = p.sms().length;
  counting = true;
  const started = performance.now();
  await p.put(
    envelope(
      "ProductRecallIssued",
      {
        recallId: "RC-PATH",
        models: [MODEL],
        severity: "critical",
        hazard: "The battery can overheat while charging.",
        remedy: "replace",
        replacementSkus: ["SM-S936N"],
      },
      { time: "2026-06-02T00:00:00Z" },
    ),
  );
  const seconds = (performance.now() - started) / 1000;
  counting = false;
  const sent = p.sms().length - before;
  await dynamo.stop();
  if (sent !== owners) throw new Error(`the recall messaged ${sent} of ${owners} owners`);
  const perOwner = [...counts]
    .map(([key, calls]) => {
      const [operation, item] = key.split("\u0000") as [string, string];
      return { operation, item, calls: calls / owners };
    })
    .sort((a, b) => a.item.localeCompare(b.item) || a.operation.localeCompare(b.operation));
  return { owners, perOwner, seconds };
}

/** The reference catalog, its delivery sending at most `sms` messages a second. */
function catalogPaced(sms: number | undefined): Catalog {
  return defineCatalog({
    events: referenceEvents,
    journeys: referenceJourneys,
    templates: referenceTemplates,
    calculators: referenceCalculators,
    delivery: { ...referenceDelivery, ...(sms !== undefined ? { sendingRate: { sms } } : {}) },
  });
}

export async function benchRecall(options: {
  owners: number;
  pathOwners: number;
  /** Owners of the same-run baseline (sends one after another); its rate per owner does not depend on it. */
  baselineOwners: number;
}): Promise<{ figures: RecallFigures; report: string }> {
  const unpaced = await fanOutRun(options.owners, catalogPaced(undefined));
  const paced = await fanOutRun(options.owners, catalogPaced(SMS_PER_SECOND));
  const baseline = await fanOutRun(options.baselineOwners, catalogPaced(undefined), 1);
  for (const run of [unpaced, paced, baseline]) {
    if (run.distinctOwners !== run.owners || run.queued !== run.owners)
      throw new Error(
        `fan-out queued ${run.queued} messages for ${run.distinctOwners} of ${run.owners} owners`,
      );
    if (run.timedOut > 0 || run.failedInvocations > 0)
      throw new Error(`fan-out: ${run.timedOut} invocation(s) timed out, ${run.failedInvocations} failed`);
  }
  const path = await recallPath(options.pathOwners);

  // Per owner on the AWS path: the fan-out's share at full size, the rest (engine, notifier) from dynalite.
  const byOperation: Record<string, number> = {};
  for (const [operation, calls] of unpaced.dynamoCalls)
    byOperation[operation] = (byOperation[operation] ?? 0) + calls / unpaced.owners;
  for (const row of path.perOwner)
    if (!FAN_OUT_ITEMS.has(row.item))
      byOperation[row.operation] = (byOperation[row.operation] ?? 0) + row.calls;
  const perOwner = Object.values(byOperation).reduce((sum, n) => sum + n, 0);
  const timeoutMs = FAN_OUT_TIMEOUT.toMilliseconds();
  const figures: RecallFigures = {
    owners: options.owners,
    ownersPerSecond: unpaced.owners / (unpaced.modelledMs / 1000),
    peakMemoryMb: Math.max(unpaced.peakHeapMb, paced.peakHeapMb),
    invocations: unpaced.invocations,
    longestInvocationMs: unpaced.longestInvocationMs,
    timeoutMs,
    dynamoCallsPerOwner: perOwner,
    dynamoCallsPerOwnerByOperation: byOperation,
    sqsCalls: unpaced.engineQueueCalls + unpaced.globalQueueCalls,
    smsPerSecond: SMS_PER_SECOND,
    etaHoursAtSmsQuota: paced.etaMs / 3_600_000,
    paced: {
      invocations: paced.invocations,
      longestInvocationMs: paced.longestInvocationMs,
      sqsCalls: paced.engineQueueCalls + paced.globalQueueCalls,
    },
    baseline: {
      owners: baseline.owners,
      ownersPerSecond: baseline.owners / (baseline.modelledMs / 1000),
      sendConcurrency: 1,
    },
  };
  return { figures, report: report(figures, unpaced, paced, baseline, path) };
}

const fmt = (n: number, digits = 0) =>
  n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });

function report(
  figures: RecallFigures,
  unpaced: FanOutRun,
  paced: FanOutRun,
  baseline: FanOutRun,
  path: PathRun,
): string {
  const seconds = (ms: number) => `${fmt(ms / 1000, 1)} s`;
  const lines = [
    `Product recall to ${fmt(figures.owners)} owners`,
    `  fan-out: the real handler, wiring and adapters; DynamoDB and SQS modelled in-process (Query ${LATENCIES.queryMs} ms, ` +
      `Get/Put ${LATENCIES.itemMs} ms, SendMessageBatch ${LATENCIES.sendMs} ms); Lambda as deployed: ${FAN_OUT_MEMORY_MB} MB ` +
      `(CPU time here × ${fmt(ONE_VCPU_MB / FAN_OUT_MEMORY_MB, 2)}), ${seconds(figures.timeoutMs)} timeout, one job at a time`,
  ];
  const growth = (r: FanOutRun) => (r.retainedHeapMb.at(-1) ?? 0) - (r.retainedHeapMb[0] ?? 0);
  const checks = [
    ["every owner queued once", true], // benchRecall throws otherwise
    // Unpaced, a job re-queues itself only if the owners outlast one invocation (at ~3,500 owners/s a million
    // is close to the 280 s it may use), so it is the paced run that always re-queues and resumes.
    [
      `the re-queue path taken (jobs re-queued and resumed at their checkpoint: ${fmt(unpaced.requeuedOnTime)} on ` +
        `time unpaced, ${fmt(paced.requeuedPaced)} paced)`,
      unpaced.requeuedOnTime + paced.requeuedPaced > 0,
    ],
    [
      "no invocation past the timeout",
      Math.max(unpaced.longestInvocationMs, paced.longestInvocationMs) <= figures.timeoutMs,
    ],
    [
      `heap flat as owners grow (≤ ${FLAT_HEAP_GROWTH_MB} MB kept from the first tenth to the last)`,
      Math.max(growth(unpaced), growth(paced)) <= FLAT_HEAP_GROWTH_MB,
    ],
  ] as const;
  lines.push(
    `  target: ${checks.map(([name, met]) => `${name} — ${met ? "met" : "NOT met"}`).join("; ")}`,
    `  figure: ${fmt(figures.ownersPerSecond)} owners/s unpaced, ${fmt(figures.invocations)} invocation(s), longest ` +
      `${seconds(figures.longestInvocationMs)}, heap peak ${fmt(figures.peakMemoryMb)} MB (grew ${fmt(growth(unpaced), 1)} MB ` +
      `unpaced, ${fmt(growth(paced), 1)} MB paced), everyone messaged in ${fmt(figures.etaHoursAtSmsQuota, 2)} h at ` +
      `${SMS_PER_SECOND} SMS/s`,
    `  baseline, same run: ${fmt(figures.baseline.ownersPerSecond)} owners/s unpaced with the engine queue's ` +
      `SendMessageBatch calls one after another (${fmt(figures.baseline.owners)} owners) — ` +
      `${fmt(figures.ownersPerSecond / figures.baseline.ownersPerSecond, 1)}× that with ${SQS_SEND_CONCURRENCY} in flight`,
  );
  const run = (name: string, r: FanOutRun) => {
    lines.push(
      `  ${name}: ${fmt(r.owners)} owners queued in ${seconds(r.modelledMs)} modelled (${seconds(r.realMs)} here) → ` +
        `${fmt(r.owners / (r.modelledMs / 1000))} owners/s`,
      `    ${fmt(r.invocations)} invocation(s): re-queued ${fmt(r.requeuedOnTime)} × on time, ${fmt(r.requeuedPaced)} × ` +
        `to wait for the pace; longest ${seconds(r.longestInvocationMs)} of the ${seconds(figures.timeoutMs)} timeout`,
      `    SQS: ${fmt(r.engineQueueCalls)} SendMessageBatch to the engine queue, ${fmt(r.globalQueueCalls)} to the ` +
        `global queue; every owner queued once (${fmt(r.distinctOwners)} distinct of ${fmt(r.queued)} messages)`,
      `    heap: peak ${fmt(r.peakHeapMb)} MB in use; kept after a full collection at each tenth of the owners: ` +
        `${r.retainedHeapMb.map((m) => fmt(m)).join(", ")} MB; RSS peak ${fmt(r.peakRssMb)} MB (the whole bench process)`,
      `    DynamoDB per owner: ${[...r.dynamoCalls]
        .map(([operation, calls]) => `${fmt(calls / r.owners, 4)} ${operation} (${fmt(calls)})`)
        .join(", ")}`,
    );
  };
  run("unpaced (no sending rate)", unpaced);
  run(`paced at ${SMS_PER_SECOND} SMS/s (delivery.sendingRate)`, paced);
  lines.push(
    `    everyone messaged ${fmt(figures.etaHoursAtSmsQuota, 2)} h after the recall at ${SMS_PER_SECOND} SMS/s ` +
      `(unpaced: ${fmt(unpaced.etaMs / 3_600_000, 2)} h; ${fmt(figures.owners)} owners at ${SMS_PER_SECOND}/s alone: ` +
      `${fmt(figures.owners / SMS_PER_SECOND / 3600, 2)} h)`,
  );
  run("baseline: unpaced, the engine queue's sends one after another", baseline);
  lines.push(
    `  each owner's path, ingest → fan-out → engine → notifier (real handlers on dynalite, ${fmt(path.owners)} owners, ` +
      `half near a store with stock; ${fmt(path.owners / path.seconds)} owners/s in one process)`,
  );
  for (const row of path.perOwner)
    lines.push(
      `    ${row.operation.padEnd(10)} ${row.item.padEnd(20)} ${fmt(row.calls, 3).padStart(7)} per owner`,
    );
  lines.push(
    `  DynamoDB calls per owner, fan-out at ${fmt(figures.owners)} + engine and notifier: ${fmt(figures.dynamoCallsPerOwner, 2)} ` +
      `(${Object.entries(figures.dynamoCallsPerOwnerByOperation)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([operation, calls]) => `${operation} ${fmt(calls, 2)}`)
        .join(", ")})`,
  );
  return lines.join("\n");
}
