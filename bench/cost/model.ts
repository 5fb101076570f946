import type { OperationCount } from "../../test/support/call-meter.ts";
import {
  cpuSlowdown,
  DELIVERY_PRICES_USD,
  LATENCY_MS,
  PLATFORM_LOG_BYTES_PER_INVOCATION,
  PRICES_USD,
  XRAY_SAMPLED_SHARE,
} from "./prices.ts";

/** What a counted run saw (bench/cost/counted-run.ts): every request, every invocation, every log byte. */
export interface RunCounts {
  /** Events producers put on the bus (the inputs from outside). */
  busEvents: number;
  /** Their sizes as EventBridge meters them. */
  busEventBytes: number[];
  /** Records the engine handled: bus events routed to it and timers that fired. */
  engineInputs: number;
  /** Lifecycle step facts (a Step Functions workflow would take one state transition for each). */
  stepFacts: number;
  operations: Record<string, OperationCount>;
  invocations: { fn: string; records: number; cpuMs: number; requests: Record<string, number> }[];
  /** Bytes each function wrote to its log (JSON lines and EMF metrics). */
  logBytes: Record<string, number>;
  readUnits: number;
  writeUnits: number;
}

/** How the stack deploys the functions (read from the synthesized template). */
export interface Deployment {
  memoryMb: Record<string, number>;
  tracing: boolean;
  archiveRetentionDays: number;
}

export interface CostLine {
  item: string;
  /** The requests, units or bytes priced, for the whole run. */
  quantity: number;
  unit: string;
  usd: number;
}

export interface CostReport {
  lines: CostLine[];
  /** Delivery charges, per message sent: listed apart. */
  delivery: CostLine[];
  totalUsd: number;
  perMillionBusEventsUsd: number;
  perMillionEngineInputsUsd: number;
  /** Lambda billed milliseconds per engine input (engine invocations only). */
  engineBilledMsPerInput: number;
}

/** A report's totals from its lines: the whole run, per 1M bus events and per 1M engine inputs. */
function report(
  run: RunCounts,
  lines: CostLine[],
  delivery: CostLine[],
  engineBilledMsPerInput: number,
): CostReport {
  const totalUsd = lines.reduce((s, l) => s + l.usd, 0);
  return {
    lines,
    delivery,
    totalUsd,
    perMillionBusEventsUsd: (totalUsd / run.busEvents) * 1e6,
    perMillionEngineInputsUsd: (totalUsd / run.engineInputs) * 1e6,
    engineBilledMsPerInput,
  };
}

const chunks = (bytes: number[], size: number) =>
  bytes.reduce((n, b) => n + Math.max(1, Math.ceil(b / size)), 0);
const GB = 1024 ** 3;

/**
 * Prices a counted run, line by line. Every counted operation must have a line: an AWS request the model
 * cannot price is an error, so a new call in the code cannot go uncosted.
 */
export function priceRun(run: RunCounts, deployment: Deployment): CostReport {
  const op = (name: string): OperationCount =>
    run.operations[name] ?? { requests: 0, entries: 0, entryBytes: [], requestBytes: [] };
  const priced = new Set<string>();
  const use = (name: string) => {
    priced.add(name);
    return op(name);
  };
  const byFn = (fn: string) => run.invocations.filter((i) => i.fn === fn);
  const lines: CostLine[] = [];
  const line = (item: string, quantity: number, unit: string, usdEach: number) =>
    lines.push({ item, quantity, unit, usd: quantity * usdEach });

  const emitted = use("EventBridge.PutEvents");
  const busChunks = chunks(run.busEventBytes, 64 * 1024);
  line("EventBridge: events from producers", busChunks, "64 KB events", PRICES_USD.eventBridgeEvent);
  line(
    "EventBridge: events Waymark emits",
    chunks(emitted.entryBytes, 64 * 1024),
    "64 KB events",
    PRICES_USD.eventBridgeEvent,
  );
  const archivedBytes = [...run.busEventBytes, ...emitted.entryBytes].reduce((s, b) => s + b, 0);
  line(
    `EventBridge archive (${deployment.archiveRetentionDays} days)`,
    archivedBytes / GB,
    "GB",
    PRICES_USD.eventBridgeArchivedGb +
      (PRICES_USD.eventBridgeArchiveStoredGbMonth * deployment.archiveRetentionDays) / 30,
  );

  // SQS: the bus's rule sends each event to the ingest queue; Lambda's poller receives and deletes a batch.
  const ingest = byFn("ingest");
  line(
    "SQS ingest queue: sends by the bus rule, receives, deletes",
    run.busEvents + 2 * ingest.length,
    "requests",
    PRICES_USD.sqsStandardRequest,
  );
  const engineSends = use("SQS.SendMessageBatch.fifo");
  const fired = use("Scheduler.Invocation");
  const engine = byFn("engine");
  line(
    "SQS engine queue (FIFO): batches from ingest, timers, receives, deletes",
    chunks(engineSends.requestBytes, 64 * 1024) + fired.requests + 2 * engine.length,
    "requests",
    PRICES_USD.sqsFifoRequest,
  );
  const outboundSends = use("SQS.SendMessageBatch");
  const notifier = byFn("notifier");
  line(
    "SQS outbound queue: batches from the engine, receives, deletes",
    chunks(outboundSends.requestBytes, 64 * 1024) + 2 * notifier.length,
    "requests",
    PRICES_USD.sqsStandardRequest,
  );
  line("EventBridge Scheduler: timers fired", fired.requests, "invocations", PRICES_USD.schedulerInvocation);
  use("Scheduler.CreateSchedule");
  use("Scheduler.DeleteSchedule");
  const published = use("SNS.Publish");
  line(
    "SNS: email topic publishes",
    chunks(published.requestBytes, 64 * 1024),
    "requests",
    PRICES_USD.snsPublish,
  );
  const facts = use("Firehose.PutRecordBatch");
  line(
    "Firehose: lifecycle facts (records rounded up to 5 KB)",
    facts.entryBytes.reduce((n, b) => n + Math.ceil(b / 5120) * 5120, 0) / GB,
    "GB",
    PRICES_USD.firehoseIngestedGb,
  );

  line("Lambda requests", run.invocations.length, "invocations", PRICES_USD.lambdaRequest);
  let gbSeconds = 0;
  let engineBilledMs = 0;
  for (const invocation of run.invocations) {
    const memory = deployment.memoryMb[invocation.fn];
    if (memory === undefined) throw new Error(`no deployed memory size for function ${invocation.fn}`);
    const waiting = Object.entries(invocation.requests).reduce((ms, [name, n]) => {
      const latency = LATENCY_MS[name];
      if (latency === undefined) throw new Error(`no latency for ${name}`);
      return ms + n * latency;
    }, 0);
    const billedMs = Math.ceil(invocation.cpuMs * cpuSlowdown(memory) + waiting);
    if (invocation.fn === "engine") engineBilledMs += billedMs;
    gbSeconds += (billedMs / 1000) * (memory / 1024);
  }
  line(
    "Lambda compute (arm64, billed ms at the deployed memory)",
    gbSeconds,
    "GB-s",
    PRICES_USD.lambdaArmGbSecond,
  );

  for (const name of Object.keys(run.operations)) if (name.startsWith("DynamoDB.")) use(name);
  line("DynamoDB reads (on demand)", run.readUnits, "read units", PRICES_USD.dynamoReadUnit);
  line("DynamoDB writes (on demand)", run.writeUnits, "write units", PRICES_USD.dynamoWriteUnit);

  const logBytes =
    Object.values(run.logBytes).reduce((s, b) => s + b, 0) +
    run.invocations.length * PLATFORM_LOG_BYTES_PER_INVOCATION;
  line(
    "CloudWatch Logs: JSON lines, EMF metrics, START/END/REPORT",
    logBytes / GB,
    "GB",
    PRICES_USD.cloudWatchLogsIngestedGb,
  );
  if (deployment.tracing)
    line(
      "X-Ray: traces recorded (default sampling)",
      run.invocations.length * XRAY_SAMPLED_SHARE,
      "traces",
      PRICES_USD.xrayTrace,
    );

  const sms = use("EndUserMessagingSMS.SendTextMessage");
  const delivery: CostLine[] = [
    {
      item: "SMS (End User Messaging, US)",
      quantity: sms.requests,
      unit: "messages",
      usd: sms.requests * DELIVERY_PRICES_USD.smsUs,
    },
    {
      item: "Email (SES)",
      quantity: published.requests,
      unit: "emails",
      usd: published.requests * DELIVERY_PRICES_USD.sesEmail,
    },
  ];

  const unpriced = Object.keys(run.operations).filter((name) => !priced.has(name));
  if (unpriced.length > 0) throw new Error(`the cost model has no line for ${unpriced.join(", ")}`);
  return report(run, lines, delivery, engineBilledMs / run.engineInputs);
}

/**
 * The bare floor for the same work: each bus event and each timer invokes one function directly (no
 * queues, no batching) that reads and writes one item of at most 1 KB; a message is one SNS publish; no
 * logs but the platform's, no tracing, no archive, no facts.
 */
export function priceFloor(run: RunCounts): CostReport {
  const timers = run.operations["Scheduler.Invocation"]?.requests ?? 0;
  const messages =
    (run.operations["EndUserMessagingSMS.SendTextMessage"]?.requests ?? 0) +
    (run.operations["SNS.Publish"]?.requests ?? 0);
  const invocations = run.busEvents + timers;
  const memoryMb = 128;
  const billedMs = LATENCY_MS["DynamoDB.GetItem"]! + LATENCY_MS["DynamoDB.PutItem"]! + 1;
  const lines: CostLine[] = [
    {
      item: "EventBridge: events from producers",
      quantity: run.busEvents,
      unit: "events",
      usd: run.busEvents * PRICES_USD.eventBridgeEvent,
    },
    {
      item: "EventBridge Scheduler: timers fired",
      quantity: timers,
      unit: "invocations",
      usd: timers * PRICES_USD.schedulerInvocation,
    },
    {
      item: "Lambda requests",
      quantity: invocations,
      unit: "invocations",
      usd: invocations * PRICES_USD.lambdaRequest,
    },
    {
      item: `Lambda compute (${memoryMb} MB, ${billedMs} ms each)`,
      quantity: invocations * (billedMs / 1000) * (memoryMb / 1024),
      unit: "GB-s",
      usd: invocations * (billedMs / 1000) * (memoryMb / 1024) * PRICES_USD.lambdaArmGbSecond,
    },
    {
      item: "DynamoDB: one read and one 1 KB write per input",
      quantity: invocations,
      unit: "inputs",
      usd: invocations * (PRICES_USD.dynamoReadUnit + PRICES_USD.dynamoWriteUnit),
    },
    {
      item: "SNS: one publish per message",
      quantity: messages,
      unit: "requests",
      usd: messages * PRICES_USD.snsPublish,
    },
    {
      item: "CloudWatch Logs: START/END/REPORT only",
      quantity: (invocations * PLATFORM_LOG_BYTES_PER_INVOCATION) / GB,
      unit: "GB",
      usd: ((invocations * PLATFORM_LOG_BYTES_PER_INVOCATION) / GB) * PRICES_USD.cloudWatchLogsIngestedGb,
    },
  ];
  return report(run, lines, [], billedMs);
}

/**
 * The same journeys as Step Functions Standard workflows: one execution per journey run, a state transition
 * per step taken and per wake-up (an event or a timer), the customer's state read and written once per
 * input through the SDK integrations, and the bare floor's bus events and publishes.
 */
export function priceStepFunctions(run: RunCounts): CostReport {
  const floor = priceFloor(run);
  const transitions = run.stepFacts + run.engineInputs;
  const keep = floor.lines.filter((l) => !l.item.startsWith("Lambda") && !l.item.startsWith("CloudWatch"));
  const lines: CostLine[] = [
    ...keep,
    {
      item: "Step Functions Standard: state transitions",
      quantity: transitions,
      unit: "transitions",
      usd: transitions * PRICES_USD.stepFunctionsTransition,
    },
  ];
  return report(run, lines, [], 0);
}
