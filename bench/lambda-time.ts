/**
 * Lambda time (issue 14, target 6): what the engine function is billed per input. Lambda bills the wall time
 * of the invocation, and an engine input mostly waits on the network (the customer item's read and commit,
 * emit claims, the outbound queue, timers, events), so this runs the real engine handler, adapters and SDK
 * clients over full FIFO batches with each AWS call taking a fixed simulated latency, and measures the
 * handler's wall time: one message group after another (concurrency 1, as before) and the groups at once,
 * on the same inputs in the same run.
 *
 * DynamoDB is dynalite on a worker thread, so that its CPU is not counted as the function's; each call is
 * padded to the simulated latency. SQS, EventBridge and Scheduler are answered in-process, as the services
 * answer, after the latency. Everything on the function's side (parsing, the engine, marshalling, signing,
 * the SQS MD5 checks) runs for real on this machine's core.
 *
 * `node bench/lambda-time.ts [--quick]` runs this section alone (with POWERTOOLS_LOG_LEVEL=SILENT).
 */
import { createHash } from "node:crypto";
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import { CreateTableCommand, DynamoDBClient, waitUntilTableExists } from "@aws-sdk/client-dynamodb";
import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { SchedulerClient } from "@aws-sdk/client-scheduler";
import { SQSClient } from "@aws-sdk/client-sqs";
import type { HttpRequest, HttpResponse } from "@smithy/types";
import type { SQSEvent, SQSRecord } from "aws-lambda";
import { WAYMARK_SOURCE } from "../events/catalog.ts";
import { EventPublisher } from "../events/publisher.ts";
import { EventBridgeEventEmitter } from "../functions/adapters/eventbridge-event-emitter.ts";
import { EventBridgeSchedulerTimers } from "../functions/adapters/eventbridge-scheduler-timers.ts";
import { SqsNotificationQueue } from "../functions/adapters/sqs-notification-queue.ts";
import { createTableInput } from "../functions/config/create-table-input.ts";
import type { CustomerState } from "../functions/core/customer-state.ts";
import { advance } from "../functions/core/engine.ts";
import { messageGroupIdFor } from "../functions/core/ids.ts";
import { makeEngineHandler, toEngineInput } from "../functions/handlers/engine-handler.ts";
import { type EngineMessage, timerMessage } from "../functions/messages/queue-messages.ts";
import { documentClient, engineDependencies, tablePorts } from "../functions/wiring/pipeline.ts";
import { referenceCatalog } from "../journeys/registry.ts";
import { envelope, phone } from "../test/support/events.ts";

/** Simulated time of one call, request to response, per service: in-region, as a Lambda function sees it. */
export const SIMULATED_LATENCY_MS = { dynamodb: 8, sqs: 15, eventbridge: 15, scheduler: 15 } as const;
type Service = keyof typeof SIMULATED_LATENCY_MS;

/**
 * How the batches are made: 10 records each, from `groups` customers with 10 / `groups` consecutive inputs
 * each (SQS FIFO hands over as many messages of one group together as it can).
 */
export const BATCH_SHAPES = [
  { name: "10 customers × 1 input", groups: 10 },
  { name: "5 customers × 2 inputs", groups: 5 },
  { name: "1 customer × 10 inputs", groups: 1 },
] as const;
/** The shape the headline figures come from: several groups, several inputs each. */
const HEADLINE_SHAPE = "5 customers × 2 inputs";

/** Each customer's ten inputs: two orders through post-purchase, with their timers and a survey answer. */
const PATH_LENGTH = 10;
/** The clock of every input: 10:00 in New York, so that no send waits for the end of quiet hours. */
const NOW = new Date("2026-03-01T15:00:00Z");

export interface ShapeFigures {
  name: string;
  batches: number;
  inputs: number;
  billedMsPerInputSequential: number;
  billedMsPerInputConcurrent: number;
}

export interface LambdaTimeFigures {
  latencyMs: typeof SIMULATED_LATENCY_MS;
  /** What each simulated call took in fact (the padding's timer fires a little late), per service. */
  measuredMsPerCall: Record<Service, number>;
  callsPerInput: Record<Service, number>;
  /** The function's own CPU per input on this machine's core (the engine's thread, both runs together). */
  cpuMsPerInput: number;
  shapes: ShapeFigures[];
  /** The headline: HEADLINE_SHAPE. */
  billedMsPerInputSequential: number;
  billedMsPerInputConcurrent: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Per service: how many calls, and the wall time they took, padding included. */
class ServiceTimes {
  readonly calls = { dynamodb: 0, sqs: 0, eventbridge: 0, scheduler: 0 };
  readonly ms = { dynamodb: 0, sqs: 0, eventbridge: 0, scheduler: 0 };

  record(service: Service, started: number): void {
    this.calls[service]++;
    this.ms[service] += performance.now() - started;
  }
}

/** dynalite on its own thread: the function's thread then does only what it would do in Lambda. */
async function dynaliteOnWorker(): Promise<{ endpoint: string; stop: () => Promise<number> }> {
  const worker = new Worker(
    `const { parentPort, workerData } = require("node:worker_threads");
     const server = require(workerData)({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
     server.listen(0, "127.0.0.1", () => parentPort.postMessage(server.address().port));`,
    { eval: true, workerData: createRequire(import.meta.url).resolve("dynalite") },
  );
  const port = await new Promise<number>((resolve, reject) => {
    worker.once("message", resolve);
    worker.once("error", reject);
  });
  return { endpoint: `http://127.0.0.1:${port}`, stop: () => worker.terminate() };
}

/**
 * DynamoDB's latency: innermost in the middleware stack, around the HTTP exchange alone, so that the SDK's
 * own work (marshalling, signing, parsing) is still the function's and only the round trip is padded.
 */
function dynamoClient(endpoint: string, meter: ServiceTimes): DynamoDBClient {
  const client = new DynamoDBClient({
    endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "bench", secretAccessKey: "bench" },
  });
  client.middlewareStack.add(
    (next) => async (args) => {
      const started = performance.now();
      const result = await next(args);
      const left = SIMULATED_LATENCY_MS.dynamodb - (performance.now() - started);
      if (left > 0) await sleep(left);
      meter.record("dynamodb", started);
      return result;
    },
    { step: "deserialize", priority: "low", name: "simulatedLatency" },
  );
  return client;
}

/** A service answered in-process, as it answers over HTTP, after its latency. */
function simulatedService(
  service: Exclude<Service, "dynamodb">,
  meter: ServiceTimes,
  answer: (request: HttpRequest, body: Record<string, unknown>) => unknown,
) {
  return {
    handle: async (request: HttpRequest): Promise<{ response: HttpResponse }> => {
      const started = performance.now();
      const text =
        typeof request.body === "string"
          ? request.body
          : new TextDecoder().decode(request.body as Uint8Array);
      const body = (text ? JSON.parse(text) : {}) as Record<string, unknown>;
      await sleep(SIMULATED_LATENCY_MS[service]);
      const payload = new TextEncoder().encode(JSON.stringify(answer(request, body)));
      meter.record(service, started);
      return {
        response: { statusCode: 200, headers: { "content-type": "application/json" }, body: payload },
      };
    },
    updateHttpClientConfig: () => {},
    httpHandlerConfigs: () => ({}),
  };
}

const credentials = { accessKeyId: "bench", secretAccessKey: "bench" };

function sqsClient(meter: ServiceTimes): SQSClient {
  return new SQSClient({
    region: "us-east-1",
    credentials,
    requestHandler: simulatedService("sqs", meter, (_, body) => ({
      // The SDK checks each message's MD5, as it does against SQS.
      Successful: (body.Entries as { Id: string; MessageBody: string }[]).map((entry) => ({
        Id: entry.Id,
        MessageId: entry.Id,
        MD5OfMessageBody: createHash("md5").update(entry.MessageBody).digest("hex"),
      })),
      Failed: [],
    })),
  });
}

function eventBridgeClient(meter: ServiceTimes): EventBridgeClient {
  return new EventBridgeClient({
    region: "us-east-1",
    credentials,
    requestHandler: simulatedService("eventbridge", meter, (_, body) => ({
      FailedEntryCount: 0,
      Entries: (body.Entries as unknown[]).map((_entry, i) => ({ EventId: `event-${i}` })),
    })),
  });
}

function schedulerClient(meter: ServiceTimes): SchedulerClient {
  return new SchedulerClient({
    region: "us-east-1",
    credentials,
    requestHandler: simulatedService("scheduler", meter, (request) =>
      request.method === "DELETE"
        ? {}
        : { ScheduleArn: `arn:aws:scheduler:us-east-1:123456789012:schedule${request.path}` },
    ),
  });
}

/**
 * One customer's ten engine-queue messages, in order. The timers' ids come from a dry run of the pure engine
 * on the same clock and catalog, so the handler meets each timer as Scheduler would deliver it. Undefined
 * for a customer the journey holds out (no tips, no survey): every customer measured costs the same.
 */
function customerPath(customerId: string): EngineMessage[] | undefined {
  let state: CustomerState | undefined;
  const pending = new Map<string, { customerId: string; timerId: string; dueAt: string }>();
  let surveyId: unknown;
  const messages: EngineMessage[] = [];
  const take = (message: EngineMessage) => {
    const transition = advance(
      state,
      toEngineInput(JSON.stringify(message), referenceCatalog),
      NOW,
      referenceCatalog,
    );
    state = transition.state;
    for (const effect of transition.effects) {
      if (effect.type === "schedule") pending.set(effect.timerId, effect);
      if (effect.type === "cancel") pending.delete(effect.timerId);
      if (effect.type === "notify" && effect.record.vars.surveyId) surveyId ??= effect.record.vars.surveyId;
    }
    messages.push(message);
  };
  const event = (detailType: Parameters<typeof envelope>[0], detail: Record<string, unknown>, time: string) =>
    take({
      kind: "event",
      envelope: envelope(
        detailType,
        { customerId, ...detail },
        { time, id: `${customerId}-${messages.length}` },
      ),
    } as EngineMessage);
  /** The timer due first, as Scheduler fires it. */
  const timer = (): boolean => {
    const [first] = [...pending.values()].sort((a, b) => a.dueAt.localeCompare(b.dueAt));
    if (!first) return false;
    pending.delete(first.timerId);
    take(timerMessage(first));
    return true;
  };
  const order = (orderId: string, placed: string, delivered: string) => {
    event("OrderPlaced", { orderId, items: [phone], currency: "USD" }, placed);
    event("OrderDelivered", { orderId }, delivered);
  };
  event(
    "CustomerProfileUpdated",
    { name: "Jane", locale: "en-US", timeZone: "America/New_York", phone: "+12125550123" },
    "2026-02-27T12:00:00Z",
  );
  order("o-1", "2026-02-27T13:00:00Z", "2026-02-28T15:00:00Z");
  if (!timer()) return undefined; // tips for o-1
  order("o-2", "2026-03-01T14:00:00Z", "2026-03-01T14:30:00Z");
  if (!timer() || !timer()) return undefined; // tips for o-2, the survey for o-1
  event("SurveyResponded", { surveyId, score: 3 }, "2026-03-01T14:50:00Z");
  if (!timer()) return undefined; // the survey for o-2
  return messages.length === PATH_LENGTH ? messages : undefined;
}

function sqsRecord(message: EngineMessage, customerId: string, id: string): SQSRecord {
  return {
    messageId: id,
    receiptHandle: id,
    body: JSON.stringify(message),
    attributes: {
      MessageGroupId: messageGroupIdFor(customerId),
      ApproximateReceiveCount: "1",
      SentTimestamp: "0",
      SenderId: "bench",
      ApproximateFirstReceiveTimestamp: "0",
    },
    messageAttributes: {},
    md5OfBody: "",
    eventSource: "aws:sqs",
    eventSourceARN: "arn:aws:sqs:us-east-1:123456789012:waymark-engine.fifo",
    awsRegion: "us-east-1",
  };
}

/** The batches of one shape over `customers`' paths: each customer's inputs in order, across batches. */
function batchesOf(groups: number, customers: { id: string; path: EngineMessage[] }[]): SQSEvent[] {
  const perGroup = PATH_LENGTH / groups;
  const batches: SQSEvent[] = [];
  for (let block = 0; block + groups <= customers.length; block += groups) {
    for (let step = 0; step < PATH_LENGTH; step += perGroup) {
      batches.push({
        Records: customers
          .slice(block, block + groups)
          .flatMap((customer) =>
            customer.path
              .slice(step, step + perGroup)
              .map((message, i) => sqsRecord(message, customer.id, `${customer.id}-${step + i}`)),
          ),
      });
    }
  }
  return batches;
}

/** The engine as deployed (engineLambda's wiring), on its own table, with the given concurrency. */
type EngineHandler = Awaited<ReturnType<typeof engine>>;

async function engine(
  clients: {
    dynamodb: DynamoDBClient;
    sqs: SQSClient;
    eventBridge: EventBridgeClient;
    scheduler: SchedulerClient;
  },
  tableName: string,
  concurrency: number | undefined,
) {
  await clients.dynamodb.send(new CreateTableCommand(createTableInput(tableName)));
  await waitUntilTableExists(
    { client: clients.dynamodb, maxWaitTime: 30, minDelay: 0.02, maxDelay: 0.1 },
    { TableName: tableName },
  );
  return makeEngineHandler(
    engineDependencies({
      catalog: referenceCatalog,
      clock: () => NOW,
      table: tablePorts(documentClient(clients.dynamodb), tableName),
      timers: new EventBridgeSchedulerTimers(clients.scheduler, {
        groupName: "waymark-timers",
        targetArn: "arn:aws:sqs:us-east-1:123456789012:waymark-engine.fifo",
        roleArn: "arn:aws:iam::123456789012:role/waymark-scheduler",
        deadLetterQueueArn: "arn:aws:sqs:us-east-1:123456789012:waymark-timers-dlq",
      }),
      outbound: new SqsNotificationQueue(
        clients.sqs,
        "https://sqs.us-east-1.amazonaws.com/123456789012/waymark-outbound",
      ),
      events: new EventBridgeEventEmitter(
        new EventPublisher(clients.eventBridge, {
          busName: "waymark",
          source: WAYMARK_SOURCE,
          catalog: referenceCatalog,
        }),
      ),
    }),
    concurrency === undefined ? {} : { concurrency },
  );
}

/**
 * `blocks`: how many times each shape's customers are taken (10 × blocks batches of the first shape). Each
 * batch runs sequentially, then concurrently on the same inputs (each way on its own table), so that both
 * figures see the same machine at the same moment. Lambda bills each invocation rounded up to the ms.
 */
export async function benchLambdaTime(blocks: number): Promise<LambdaTimeFigures> {
  const dynalite = await dynaliteOnWorker();
  const meter = new ServiceTimes();
  const clients = {
    dynamodb: dynamoClient(dynalite.endpoint, meter),
    sqs: sqsClient(meter),
    eventBridge: eventBridgeClient(meter),
    scheduler: schedulerClient(meter),
  };
  const customers: { id: string; path: EngineMessage[] }[] = [];
  for (let n = 0; customers.length < 10 * blocks + 10; n++) {
    const path = customerPath(`lt-${n}`);
    if (path) customers.push({ id: `lt-${n}`, path });
  }
  // Warm-up (the JIT, the clients' first connections), on customers the figures do not use.
  const warmUp = batchesOf(10, customers.slice(10 * blocks));
  for (const concurrency of [1, undefined]) {
    const handler = await engine(clients, `lt-warm-up-${concurrency ?? "all"}`, concurrency);
    for (const batch of warmUp) await handler(batch);
  }

  // Each way of each shape on a table of its own, created before the calls are counted.
  const handlers = new Map<number, { sequential: EngineHandler; concurrent: EngineHandler }>();
  for (const shape of BATCH_SHAPES)
    handlers.set(shape.groups, {
      sequential: await engine(clients, `lt-${shape.groups}-sequential`, 1),
      concurrent: await engine(clients, `lt-${shape.groups}-concurrent`, undefined),
    });
  const shapes: ShapeFigures[] = [];
  const callsBefore = { ...meter.calls };
  const msBefore = { ...meter.ms };
  const cpuBefore = process.threadCpuUsage();
  let inputs = 0;
  for (const shape of BATCH_SHAPES) {
    const batches = batchesOf(shape.groups, customers.slice(0, shape.groups * blocks));
    const { sequential, concurrent } = handlers.get(shape.groups)!;
    const billed = { sequential: 0, concurrent: 0 };
    for (const batch of batches) {
      for (const [way, handler] of [
        ["sequential", sequential],
        ["concurrent", concurrent],
      ] as const) {
        const started = performance.now();
        const result = await handler(batch);
        billed[way] += Math.ceil(performance.now() - started);
        if (result.batchItemFailures.length > 0)
          throw new Error(
            `${shape.name}, ${way}: inputs failed: ${JSON.stringify(result.batchItemFailures)}`,
          );
      }
    }
    const shapeInputs = batches.reduce((sum, batch) => sum + batch.Records.length, 0);
    inputs += 2 * shapeInputs;
    shapes.push({
      name: shape.name,
      batches: batches.length,
      inputs: shapeInputs,
      billedMsPerInputSequential: billed.sequential / shapeInputs,
      billedMsPerInputConcurrent: billed.concurrent / shapeInputs,
    });
  }
  const cpu = process.threadCpuUsage(cpuBefore);
  for (const client of Object.values(clients)) client.destroy();
  await dynalite.stop();

  const services = Object.keys(SIMULATED_LATENCY_MS) as Service[];
  const calls = (service: Service) => meter.calls[service] - callsBefore[service];
  const headline = shapes.find((shape) => shape.name === HEADLINE_SHAPE)!;
  return {
    latencyMs: SIMULATED_LATENCY_MS,
    measuredMsPerCall: Object.fromEntries(
      services.map((s) => [s, calls(s) === 0 ? 0 : (meter.ms[s] - msBefore[s]) / calls(s)]),
    ) as Record<Service, number>,
    callsPerInput: Object.fromEntries(services.map((s) => [s, calls(s) / inputs])) as Record<Service, number>,
    cpuMsPerInput: (cpu.user + cpu.system) / 1000 / inputs,
    shapes,
    billedMsPerInputSequential: headline.billedMsPerInputSequential,
    billedMsPerInputConcurrent: headline.billedMsPerInputConcurrent,
  };
}

const fmt = (n: number, digits = 1) =>
  n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });

/**
 * `npm run bench`'s section: runs the bench, prints its lines, and returns the figures bench/results.json
 * keeps under `lambda`.
 */
export async function lambdaTimeSection(
  quick: boolean,
): Promise<{ billedMsPerInputSequential: number; billedMsPerInputConcurrent: number }> {
  const figures = await benchLambdaTime(quick ? 1 : 4);
  const services = Object.keys(SIMULATED_LATENCY_MS) as Service[];
  const names = { dynamodb: "DynamoDB", sqs: "SQS", eventbridge: "EventBridge", scheduler: "Scheduler" };
  console.log("\nLambda time: the engine handler over full FIFO batches, AWS latencies injected");
  console.log(
    `  per call: ${services.map((s) => `${names[s]} ${figures.latencyMs[s]} ms (${fmt(figures.measuredMsPerCall[s])} measured)`).join(", ")}`,
  );
  console.log(
    `  per input: ${services.map((s) => `${fmt(figures.callsPerInput[s], 2)} ${names[s]}`).join(", ")} calls; ` +
      `${fmt(figures.cpuMsPerInput, 2)} ms CPU on this machine's core`,
  );
  console.log(
    "  batch of 10 (post-purchase mix)      billed ms per input: sequential  concurrent  (batches)",
  );
  for (const shape of figures.shapes) {
    console.log(
      `  ${shape.name.padEnd(36)}${fmt(shape.billedMsPerInputSequential).padStart(26)}${fmt(shape.billedMsPerInputConcurrent).padStart(12)}  (${shape.batches})`,
    );
  }
  console.log(
    `  billed ms per input, ${HEADLINE_SHAPE}: ${fmt(figures.billedMsPerInputSequential)} one group after another → ` +
      `${fmt(figures.billedMsPerInputConcurrent)} groups at once (${fmt(figures.billedMsPerInputSequential / figures.billedMsPerInputConcurrent)}×)`,
  );
  return {
    billedMsPerInputSequential: figures.billedMsPerInputSequential,
    billedMsPerInputConcurrent: figures.billedMsPerInputConcurrent,
  };
}

if (import.meta.main) await lambdaTimeSection(process.argv.includes("--quick"));
