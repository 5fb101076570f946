import { AsyncLocalStorage } from "node:async_hooks";
import {
  CreateTableCommand,
  DynamoDBClient,
  InternalServerError,
  ProvisionedThroughputExceededException,
} from "@aws-sdk/client-dynamodb";
import { EventBridgeClient, PutEventsCommand, type PutEventsResultEntry } from "@aws-sdk/client-eventbridge";
import { FirehoseClient, PutRecordBatchCommand } from "@aws-sdk/client-firehose";
import {
  PinpointSMSVoiceV2Client,
  SendTextMessageCommand,
  ConflictException as SmsConflictException,
} from "@aws-sdk/client-pinpoint-sms-voice-v2";
import {
  ConflictException,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  ResourceNotFoundException,
  SchedulerClient,
} from "@aws-sdk/client-scheduler";
import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { SendMessageBatchCommand, SQSClient } from "@aws-sdk/client-sqs";
import type { Context, SQSBatchResponse, SQSEvent } from "aws-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { EventPublisher } from "../../../events/publisher.ts";
import { NOTIFIER_SOURCE } from "../../../events/routing.ts";
import { EventBridgeEventEmitter } from "../../../functions/adapters/eventbridge-event-emitter.ts";
import { EventBridgeSchedulerTimers } from "../../../functions/adapters/eventbridge-scheduler-timers.ts";
import { FirehoseFactSink } from "../../../functions/adapters/firehose-fact-sink.ts";
import { HmacTokenSigner } from "../../../functions/adapters/hmac-token-signer.ts";
import { SmsVoiceSender } from "../../../functions/adapters/sms-voice-sender.ts";
import { SnsEmailSender } from "../../../functions/adapters/sns-email-sender.ts";
import { SqsEngineQueue } from "../../../functions/adapters/sqs-engine-queue.ts";
import { SqsNotificationQueue } from "../../../functions/adapters/sqs-notification-queue.ts";
import { SqsRejectedEventSink } from "../../../functions/adapters/sqs-rejected-event-sink.ts";
import { SqsWorkQueue } from "../../../functions/adapters/sqs-work-queue.ts";
import { createTableInput } from "../../../functions/config/create-table-input.ts";
import type { Catalog } from "../../../functions/core/catalog/catalog.ts";
import type { Effect } from "../../../functions/core/effects.ts";
import type { NotificationRecord } from "../../../functions/core/notification.ts";
import { makeEngineHandler } from "../../../functions/handlers/engine-handler.ts";
import { makeFanOutHandler } from "../../../functions/handlers/fan-out-handler.ts";
import { makeIngestHandler } from "../../../functions/handlers/ingest-handler.ts";
import { makeNotifierHandler } from "../../../functions/handlers/notifier-handler.ts";
import type { MessageSender } from "../../../functions/ports/message-sender.ts";
import type { RejectedEvent } from "../../../functions/ports/rejected-event-sink.ts";
import type { TimerScheduler } from "../../../functions/ports/timer-scheduler.ts";
import { UnsubscribeLinks } from "../../../functions/use-cases/unsubscribe-links.ts";
import {
  documentClient,
  engineDependencies,
  fanOutDependencies,
  ingestDependencies,
  messageSender,
  notifierDependencies,
  type TablePorts,
  tablePorts,
} from "../../../functions/wiring/pipeline.ts";
import { AMBIGUOUS_FAULTS, type FaultInjector, type FaultKind, type Rng, WorkerCrash } from "./fault-plan.ts";
import { type SimMessage, SimQueue } from "./sim-queue.ts";

type FunctionName = "ingest" | "engine" | "notifier" | "fan-out";

/** One Lambda invocation: a crash kills it, and nothing it does afterwards reaches a service. */
interface Invocation {
  fn: FunctionName;
  crashed: boolean;
  onCrash: () => void;
}

const ACCOUNT = "123456789012";
const queueUrl = (name: string) => `https://sqs.ap-northeast-2.amazonaws.com/${ACCOUNT}/waymark-${name}`;
const QUEUE_URLS = {
  ingest: queueUrl("ingest"),
  engine: queueUrl("engine.fifo"),
  outbound: queueUrl("outbound"),
  global: queueUrl("global"),
  rejected: queueUrl("rejected"),
} as const;
const EMAIL_TOPIC = `arn:aws:sns:ap-northeast-2:${ACCOUNT}:waymark-email`;
/** The stack's: function timeout 30 s, visibility six times that; the fan-out's own. */
const VISIBILITY_MS = 180_000;

/** How the real services answer a failed call, per fault. */
function serviceError(service: string, kind: "unavailable" | "throttle"): Error {
  const $metadata = { httpStatusCode: kind === "throttle" ? 400 : 503 };
  const message = `injected ${kind} (${service})`;
  if (service === "dynamodb") {
    return kind === "throttle"
      ? new ProvisionedThroughputExceededException({ message, $metadata })
      : new InternalServerError({ message, $metadata: { httpStatusCode: 500 } });
  }
  return Object.assign(new Error(message), {
    name: kind === "throttle" ? "ThrottlingException" : "ServiceUnavailable",
    $metadata,
    $fault: kind === "throttle" ? "client" : "server",
  });
}

function timeoutError(service: string): Error {
  return Object.assign(new Error(`injected socket timeout after the ${service} request was sent`), {
    name: "TimeoutError",
  });
}

/** The single-table item a DynamoDB request names, by the prefix of its keys (see functions/config/table.ts). */
function itemKind(input: Record<string, unknown>): string {
  const batch = input.RequestItems as Record<
    string,
    { PutRequest?: { Item: object }; DeleteRequest?: { Key: object } }[]
  >;
  const first = batch ? Object.values(batch)[0]?.[0] : undefined;
  const key = (input.Key ?? input.Item ?? first?.PutRequest?.Item ?? first?.DeleteRequest?.Key) as
    | { pk?: string; sk?: string }
    | undefined;
  const values = input.ExpressionAttributeValues as Record<string, unknown> | undefined;
  const pk = String(key?.pk ?? values?.[":pk"] ?? "");
  const sk = String(key?.sk ?? values?.[":prefix"] ?? "");
  if (pk.startsWith("CUSTOMER#")) return sk === "STATE" ? "customer" : (sk.split("#")[0] ?? "").toLowerCase();
  return (pk.split("#")[0] ?? "").toLowerCase() || "table";
}

export interface WorldOptions {
  catalog: Catalog;
  injector: FaultInjector;
  rng: Rng;
  redeliver: boolean;
  concurrentWorkers: number;
  /** Wraps a port before the pipeline gets it: how the suite proves that it sees a broken pipeline. */
  wrapTimers?: (timers: TimerScheduler) => TimerScheduler;
  wrapSender?: (sender: MessageSender) => MessageSender;
}

/** What the services saw, as the invariants need it. */
export class WorldLog {
  /** Every committed transition of a customer item: what it owes. Key: `<customerId>|<inputId>`. */
  readonly owed = new Map<string, { customerId: string; effects: Effect[] }>();
  readonly schedulesCreated = new Set<string>();
  readonly scheduleDeletes = new Set<string>();
  readonly outbound = new Map<string, NotificationRecord>();
  readonly publishes = new Map<string, number>();
  readonly emits = new Map<string, number>();
  /**
   * Each publish (`send|<notificationId>`) and each put of an event (`emit|<detailType>|<eventId>`): which worker
   * made it, and whether its outcome reached that worker (a timeout or a death right after it: it did not).
   */
  readonly deliveries = new Map<string, { by: object | undefined; ambiguous: boolean }[]>();
  /** Which workers recorded a delivery as done (the send marked sent, the emit marked emitted). */
  readonly marks = new Map<string, Set<object>>();
  readonly ownerWrites = new Set<string>();
  /** Lifecycle facts Firehose took, by factId. */
  readonly facts = new Set<string>();
  readonly forwarded = new Set<string>();
  readonly ingested = new Set<string>();
  readonly rejected: RejectedEvent[] = [];
  readonly customers = new Set<string>();
  ioCalls = 0;
  receives = 0;
  extraDeliveries = 0;
  concurrentBatches = 0;
  crashes = 0;
  redriven = 0;
}

/**
 * Waymark's pipeline in one process, on a virtual clock, under a fault plan: the real handlers, use cases and
 * adapters; DynamoDB on dynalite (a fault-injecting middleware on its client); SQS, EventBridge Scheduler, End User
 * Messaging SMS, SNS and EventBridge answered by aws-sdk-client-mock, whose answers the plan may turn into errors, timeouts, partial
 * batches or the death of the calling worker. Queues behave as the stack configures them: receive counts,
 * visibility timeouts, dead-letter queues, FIFO groups, at-least-once extra deliveries, concurrent workers.
 */
export class FaultWorld {
  now: number;
  readonly log = new WorldLog();
  readonly optedOutPhones = new Set<string>();
  readonly published: { notificationId?: string; to: string; message: string }[] = [];
  readonly table: TablePorts;
  readonly queues: Record<"ingest" | "engine" | "outbound" | "global", SimQueue>;
  readonly #options: WorldOptions;
  readonly #invocations = new AsyncLocalStorage<Invocation>();
  /** The notification a provider call belongs to, whichever channel's. */
  readonly #sending = new AsyncLocalStorage<string>();
  readonly #timers = new Map<string, { dueAt: number; input: string; groupId: string }>();
  readonly #handlers: Record<FunctionName, (event: SQSEvent) => Promise<SQSBatchResponse>>;
  readonly #dynamo: DynamoDBClient;
  #envelopes = 0;

  static async create(endpoint: string, start: string, options: WorldOptions): Promise<FaultWorld> {
    const client = new DynamoDBClient({
      endpoint,
      region: "ap-northeast-2",
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
      maxAttempts: 1,
    });
    const tableName = `waymark-faults-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
    await client.send(new CreateTableCommand(createTableInput(tableName)));
    return new FaultWorld(client, tableName, start, options);
  }

  private constructor(dynamo: DynamoDBClient, tableName: string, start: string, options: WorldOptions) {
    this.#options = options;
    this.#dynamo = dynamo;
    this.now = Date.parse(start);
    const queue = (name: string, fifo: boolean, maxReceiveCount: number, batchSize = 10) =>
      new SimQueue({ name, fifo, maxReceiveCount, visibilityTimeoutMs: VISIBILITY_MS, batchSize });
    this.queues = {
      ingest: queue("ingest", false, 5),
      engine: queue("engine", true, 5),
      outbound: queue("outbound", false, 10),
      global: queue("global", false, 5, 1),
    };
    this.#injectIntoDynamo(dynamo);
    const clock = () => new Date(this.now);
    const { catalog } = options;
    const sqs = this.#sqs();
    const eventBridge = this.#eventBridge();
    const emitter = (source: string) =>
      new EventBridgeEventEmitter(new EventPublisher(eventBridge, { busName: "waymark", source, catalog }));
    this.table = tablePorts(documentClient(dynamo), tableName, clock);
    const engineQueue = new SqsEngineQueue(sqs, QUEUE_URLS.engine);
    const globalQueue = new SqsWorkQueue(sqs, QUEUE_URLS.global);
    const timers = new EventBridgeSchedulerTimers(this.#scheduler(), {
      groupName: "waymark-timers",
      targetArn: `arn:aws:sqs:ap-northeast-2:${ACCOUNT}:waymark-engine.fifo`,
      roleArn: `arn:aws:iam::${ACCOUNT}:role/waymark-scheduler`,
      deadLetterQueueArn: `arn:aws:sqs:ap-northeast-2:${ACCOUNT}:waymark-timers-dlq`,
    });
    const senders = messageSender({
      sms: new SmsVoiceSender(this.#smsVoice(), { configurationSetName: "waymark-sms" }),
      email: new SnsEmailSender(this.#sns(), { emailTopicArn: EMAIL_TOPIC }),
    });
    const sender = options.wrapSender ? options.wrapSender(senders) : senders;
    const context = {
      functionName: "waymark-faults",
      awsRequestId: "faults",
      getRemainingTimeInMillis: () => 900_000,
    } as unknown as Context;
    const ingest = makeIngestHandler(
      ingestDependencies({
        catalog,
        clock,
        engineQueue,
        globalQueue,
        rejected: new SqsRejectedEventSink(sqs, QUEUE_URLS.rejected),
      }),
    );
    const engine = makeEngineHandler(
      engineDependencies({
        catalog,
        clock,
        table: this.table,
        timers: options.wrapTimers ? options.wrapTimers(timers) : timers,
        outbound: new SqsNotificationQueue(sqs, QUEUE_URLS.outbound),
        events: emitter("waymark"),
        facts: new FirehoseFactSink(this.#firehose(), "waymark-facts"),
      }),
    );
    const notifier = makeNotifierHandler(
      notifierDependencies({
        clock,
        store: this.table.notificationStore,
        sender: {
          sendSms: (m) => this.#sending.run(m.notificationId, () => sender.sendSms(m)),
          sendEmail: (m) => this.#sending.run(m.notificationId, () => sender.sendEmail(m)),
        },
        events: emitter("waymark"),
        feedback: emitter(NOTIFIER_SOURCE),
        emitClaims: this.table.emitClaims,
        unsubscribe: new UnsubscribeLinks(new HmacTokenSigner(Buffer.alloc(32, 7)), "https://u.example/u"),
      }),
    );
    const fanOut = makeFanOutHandler(
      fanOutDependencies({ catalog, clock, table: this.table, engineQueue, globalQueue }),
    );
    this.#handlers = {
      ingest: (event) => ingest(event),
      engine: (event) => engine(event, context),
      notifier: (event) => notifier(event, context),
      "fan-out": (event) => fanOut(event, context),
    };
  }

  close(): void {
    this.#dynamo.destroy();
  }

  get calm(): boolean {
    return this.#options.injector.calm;
  }

  /**
   * Every call to a service goes through here: the plan decides whether it fails, and how. A dead worker's calls
   * fail before they reach anything. `apply` does what the service does; it is told about a partial failure.
   */
  async #io<T>(
    service: string,
    operation: string,
    target: string,
    request: unknown,
    apply: (fault: FaultKind | undefined) => Promise<T> | T,
  ): Promise<T> {
    const invocation = this.#invocations.getStore();
    if (invocation?.crashed) throw new WorkerCrash(`${invocation.fn} is dead`);
    this.log.ioCalls++;
    const batch =
      operation === "SendMessageBatch" ||
      operation === "PutEvents" ||
      operation === "BatchWriteItem" ||
      operation === "PutRecordBatch";
    const fault = invocation
      ? this.#options.injector.decide(
          `${invocation.fn}:${service}.${operation}[${target}]`,
          batch,
          JSON.stringify(request),
        )
      : undefined;
    const die = () => {
      invocation!.crashed = true;
      this.log.crashes++;
      invocation!.onCrash();
      return new WorkerCrash(`${invocation!.fn} died at ${service}.${operation}`);
    };
    switch (fault) {
      case undefined:
      case "partial":
        return apply(fault);
      case "crash-before":
        throw die();
      case "crash-after":
        await apply(fault);
        throw die();
      case "unavailable":
      case "throttle":
        throw serviceError(service, fault);
      case "timeout":
        await apply(fault);
        throw timeoutError(service);
    }
  }

  #injectIntoDynamo(client: DynamoDBClient): void {
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const operation = (context.commandName ?? "").replace(/Command$/, "");
        const input = args.input as Record<string, unknown>;
        return this.#io("dynamodb", operation, itemKind(input), input, async (fault) => {
          if (fault === "partial" && operation === "BatchWriteItem")
            return (await this.#partialBatchWrite(next as never, args)) as Awaited<ReturnType<typeof next>>;
          const output = await next(args);
          this.#applied(operation, input);
          return output;
        });
      },
      // Before the document client marshalls: the middleware reads items as the adapters wrote them.
      { step: "initialize", priority: "high", name: "waymarkFaultInjection" },
    );
  }

  /** BatchWriteItem doing only the first half of its requests, and handing the rest back as unprocessed. */
  async #partialBatchWrite(next: (args: never) => Promise<unknown>, args: { input: object }) {
    const input = args.input as { RequestItems: Record<string, object[]> };
    const [tableName, requests] = Object.entries(input.RequestItems)[0]!;
    const done = requests.slice(0, Math.ceil(requests.length / 2));
    const rest = requests.slice(done.length);
    const output = (await next({
      ...args,
      input: { ...input, RequestItems: { [tableName]: done } },
    } as never)) as {
      output: Record<string, unknown>;
    };
    this.#applied("BatchWriteItem", { RequestItems: { [tableName]: done } });
    return {
      ...output,
      output: { ...output.output, UnprocessedItems: rest.length > 0 ? { [tableName]: rest } : {} },
    };
  }

  #delivered(key: string, fault: FaultKind | undefined): void {
    const list = this.log.deliveries.get(key) ?? [];
    list.push({
      by: this.#invocations.getStore(),
      ambiguous: fault !== undefined && AMBIGUOUS_FAULTS.has(fault),
    });
    this.log.deliveries.set(key, list);
  }

  /** What a write that reached DynamoDB tells the invariants. */
  #applied(operation: string, input: Record<string, unknown>): void {
    if (operation === "UpdateItem") {
      const key = input.Key as { pk: string; sk: string };
      const values = (input.ExpressionAttributeValues ?? {}) as Record<string, unknown>;
      const mark =
        values[":sent"] === "sent" && key.sk.startsWith("NOTIFICATION#")
          ? `send|${key.sk.slice("NOTIFICATION#".length)}`
          : values[":emitted"] === "emitted"
            ? `emit|${(key.pk === "EMIT" ? key.sk : key.sk.slice("EMIT#".length)).replace("#", "|")}`
            : undefined;
      const by = this.#invocations.getStore();
      if (mark !== undefined && by !== undefined)
        this.log.marks.set(mark, (this.log.marks.get(mark) ?? new Set()).add(by));
    }
    if (operation === "PutItem") {
      const item = input.Item as {
        sk?: string;
        customerId?: string;
        state?: { lastTransition?: { inputId: string; effects: Effect[] } };
      };
      if (item.sk === "STATE" && item.customerId !== undefined) {
        this.log.customers.add(item.customerId);
        const last = item.state?.lastTransition;
        if (last)
          this.log.owed.set(`${item.customerId}|${last.inputId}`, {
            customerId: item.customerId,
            effects: last.effects,
          });
      }
    }
    if (operation === "BatchWriteItem") {
      for (const requests of Object.values(
        input.RequestItems as Record<
          string,
          {
            PutRequest?: { Item: { pk: string; sk: string } };
            DeleteRequest?: { Key: { pk: string; sk: string } };
          }[]
        >,
      )) {
        for (const request of requests) {
          if (request.PutRequest)
            this.log.ownerWrites.add(`put|${request.PutRequest.Item.pk}|${request.PutRequest.Item.sk}`);
          if (request.DeleteRequest)
            this.log.ownerWrites.add(
              `delete|${request.DeleteRequest.Key.pk}|${request.DeleteRequest.Key.sk}`,
            );
        }
      }
    }
  }

  #copies(): number {
    if (!this.#options.redeliver || this.calm) return 0;
    return this.#options.rng.int(0, 4);
  }

  #sqs(): SQSClient {
    const client = new SQSClient({ region: "ap-northeast-2" });
    mockClient(client)
      .on(SendMessageBatchCommand)
      .callsFake((input: SendMessageBatchCommand["input"]) => {
        const name = Object.entries(QUEUE_URLS).find(([, url]) => url === input.QueueUrl)?.[0] ?? "unknown";
        return this.#io("sqs", "SendMessageBatch", name, input, (fault) => {
          const entries = input.Entries ?? [];
          const failing =
            fault === "partial" ? new Set(entries.filter((_, i) => i % 2 === 0).map((e) => e.Id)) : new Set();
          for (const entry of entries) {
            if (failing.has(entry.Id)) continue;
            const body = entry.MessageBody!;
            if (name === "rejected") {
              this.log.rejected.push(JSON.parse(body) as RejectedEvent);
              continue;
            }
            const queue = this.queues[name as keyof FaultWorld["queues"]];
            queue.send(body, this.now, this.#copies(), entry.MessageGroupId, entry.MessageDeduplicationId);
            const parsed = JSON.parse(body) as { kind?: string; envelope?: { id?: string }; id?: string };
            if (name === "outbound")
              this.log.outbound.set((parsed as NotificationRecord).id, parsed as NotificationRecord);
            if (parsed.kind === "event" && parsed.envelope?.id) this.log.forwarded.add(parsed.envelope.id);
          }
          return {
            Successful: entries
              .filter((e) => !failing.has(e.Id))
              .map((e) => ({ Id: e.Id, MessageId: `${e.Id}`, MD5OfMessageBody: "" })),
            Failed: entries
              .filter((e) => failing.has(e.Id))
              .map((e) => ({ Id: e.Id, Code: "InternalError", SenderFault: false, Message: "injected" })),
          };
        });
      });
    return client;
  }

  #scheduler(): SchedulerClient {
    const client = new SchedulerClient({ region: "ap-northeast-2" });
    mockClient(client)
      .on(CreateScheduleCommand)
      .callsFake((input: CreateScheduleCommand["input"]) =>
        this.#io("scheduler", "CreateSchedule", "timers", input, () => {
          const name = input.Name!;
          const dueAt = Date.parse(`${/^at\((.*)\)$/.exec(input.ScheduleExpression!)![1]}Z`);
          this.log.schedulesCreated.add(`${name}|${new Date(dueAt).toISOString()}`);
          if (this.#timers.has(name))
            throw new ConflictException({
              message: `${name} exists`,
              Message: `${name} exists`,
              $metadata: {},
            });
          this.#timers.set(name, {
            dueAt,
            input: input.Target!.Input!,
            groupId: input.Target!.SqsParameters!.MessageGroupId!,
          });
          return { ScheduleArn: `arn:aws:scheduler:::schedule/${input.GroupName}/${name}` };
        }),
      )
      .on(DeleteScheduleCommand)
      .callsFake((input: DeleteScheduleCommand["input"]) =>
        this.#io("scheduler", "DeleteSchedule", "timers", input, () => {
          this.log.scheduleDeletes.add(input.Name!);
          if (!this.#timers.delete(input.Name!))
            throw new ResourceNotFoundException({
              message: "no such schedule",
              Message: "no such schedule",
              $metadata: {},
            });
          return {};
        }),
      );
    return client;
  }

  #smsVoice(): PinpointSMSVoiceV2Client {
    const client = new PinpointSMSVoiceV2Client({ region: "ap-northeast-2" });
    mockClient(client)
      .on(SendTextMessageCommand)
      .callsFake((input: SendTextMessageCommand["input"]) => {
        const notificationId = this.#sending.getStore();
        return this.#io("sms-voice", "SendTextMessage", "sms", input, (fault) => {
          if (this.optedOutPhones.has(input.DestinationPhoneNumber!)) {
            throw new SmsConflictException({
              message: "The destination phone number is opted out",
              Reason: "DESTINATION_PHONE_NUMBER_OPTED_OUT",
              $metadata: { httpStatusCode: 409 },
            });
          }
          return {
            MessageId: this.#published(
              notificationId,
              input.DestinationPhoneNumber!,
              input.MessageBody!,
              fault,
            ),
          };
        });
      });
    return client;
  }

  #sns(): SNSClient {
    const client = new SNSClient({ region: "ap-northeast-2" });
    mockClient(client)
      .on(PublishCommand)
      .callsFake((input: PublishCommand["input"]) => {
        const notificationId = this.#sending.getStore();
        return this.#io("sns", "Publish", "email", input, (fault) => ({
          MessageId: this.#published(notificationId, EMAIL_TOPIC, input.Message!, fault),
        }));
      });
    return client;
  }

  #firehose(): FirehoseClient {
    const client = new FirehoseClient({ region: "ap-northeast-2" });
    mockClient(client)
      .on(PutRecordBatchCommand)
      .callsFake((input: PutRecordBatchCommand["input"]) =>
        this.#io("firehose", "PutRecordBatch", "facts", input, (fault) => {
          const records = input.Records ?? [];
          const responses = records.map((record, index) => {
            if (fault === "partial" && index % 2 === 0)
              return { ErrorCode: "ServiceUnavailableException", ErrorMessage: "injected" };
            for (const line of Buffer.from(record.Data!).toString("utf8").split("\n").filter(Boolean))
              this.log.facts.add((JSON.parse(line) as { factId: string }).factId);
            return { RecordId: `r-${index}` };
          });
          return {
            FailedPutCount: responses.filter((r) => "ErrorCode" in r).length,
            Encrypted: true,
            RequestResponses: responses,
          };
        }),
      );
    return client;
  }

  /** A message a provider took: counted per notification for the invariants. */
  #published(notificationId: string | undefined, to: string, message: string, fault: FaultKind | undefined) {
    if (notificationId !== undefined) {
      this.log.publishes.set(notificationId, (this.log.publishes.get(notificationId) ?? 0) + 1);
      this.#delivered(`send|${notificationId}`, fault);
    }
    this.published.push({ ...(notificationId !== undefined ? { notificationId } : {}), to, message });
    return `msg-${this.published.length}`;
  }

  #eventBridge(): EventBridgeClient {
    const client = new EventBridgeClient({ region: "ap-northeast-2" });
    mockClient(client)
      .on(PutEventsCommand)
      .callsFake((input: PutEventsCommand["input"]) =>
        this.#io("eventbridge", "PutEvents", String(input.Entries?.[0]?.Source), input, (fault) => {
          const results: PutEventsResultEntry[] = [];
          for (const [index, entry] of (input.Entries ?? []).entries()) {
            if (fault === "partial" && index % 2 === 0) {
              results.push({ ErrorCode: "ThrottlingException", ErrorMessage: "injected" });
              continue;
            }
            const detail = JSON.parse(entry.Detail!) as Record<string, unknown>;
            const key = `${entry.DetailType}|${String(detail.eventId)}`;
            this.log.emits.set(key, (this.log.emits.get(key) ?? 0) + 1);
            this.#delivered(`emit|${key}`, fault);
            // The notifier's feedback is input: the bus's rule puts it on the ingest queue.
            if (entry.Source === NOTIFIER_SOURCE)
              this.put({ "detail-type": entry.DetailType, source: entry.Source, detail });
            results.push({ EventId: `evt-${index}` });
          }
          const failed = results.filter((r) => r.ErrorCode !== undefined).length;
          return { FailedEntryCount: failed, Entries: results };
        }),
      );
    return client;
  }

  /** What the bus's rule would put on the ingest queue: an envelope around a producer's event. */
  put(event: {
    "detail-type": unknown;
    source: unknown;
    detail: unknown;
    id?: string;
    time?: string;
  }): string {
    const id = event.id ?? `bus-${++this.#envelopes}`;
    const envelope = {
      version: "0",
      id,
      "detail-type": event["detail-type"],
      source: event.source,
      account: ACCOUNT,
      time: event.time ?? new Date(this.now).toISOString(),
      region: "ap-northeast-2",
      resources: [],
      detail: event.detail,
    };
    this.queues.ingest.send(JSON.stringify(envelope), this.now, this.#copies());
    return id;
  }

  /** A producer's raw body on the ingest queue, whatever it is (the suite's hostile inputs). */
  putRaw(body: string): void {
    this.queues.ingest.send(body, this.now, this.#copies());
  }

  /** Runs every queue until nothing is left to do now; failed messages come back after their visibility timeout. */
  async settle(): Promise<void> {
    const order = ["ingest", "global", "engine", "outbound"] as const;
    for (let round = 0; round < 20_000; round++) {
      this.#fireDueTimers();
      let worked = false;
      for (const name of order) {
        const batch = this.queues[name].receive(this.now, this.#options.rng);
        if (batch.length === 0) continue;
        await this.#deliver(name, batch);
        worked = true;
      }
      if (worked) continue;
      const wakes = order
        .map((name) => this.queues[name].nextVisibleAt(this.now))
        .filter((t) => t !== undefined);
      if (wakes.length === 0) return;
      this.now = Math.max(this.now, Math.min(...wakes));
    }
    throw new Error("the pipeline did not settle in 20,000 rounds");
  }

  /** Moves the clock to `time`, firing each due timer and letting everything it causes run. */
  async advanceTo(time: number): Promise<void> {
    await this.settle();
    for (;;) {
      const due = [...this.#timers.values()].map((t) => t.dueAt).filter((t) => t <= time);
      if (due.length === 0) break;
      this.now = Math.max(this.now, Math.min(...due));
      await this.settle();
    }
    this.now = Math.max(this.now, time);
    await this.settle();
  }

  /** Timers whose time has come go to the engine queue, as EventBridge Scheduler delivers them (at least once). */
  #fireDueTimers(): void {
    for (const [name, timer] of [...this.#timers.entries()].sort((a, b) => a[1].dueAt - b[1].dueAt)) {
      if (timer.dueAt > this.now) continue;
      this.#timers.delete(name);
      this.queues.engine.send(timer.input, this.now, this.#copies(), timer.groupId);
    }
  }

  get pendingTimers(): number {
    return this.#timers.size;
  }

  async #deliver(name: keyof FaultWorld["queues"], batch: SimMessage[]): Promise<void> {
    const queue = this.queues[name];
    for (const message of batch) message.receiveCount++;
    this.log.receives += batch.length;
    const concurrent = !this.calm && this.#options.rng.chance(this.#options.concurrentWorkers);
    if (concurrent) this.log.concurrentBatches++;
    const fn: FunctionName =
      name === "ingest"
        ? "ingest"
        : name === "engine"
          ? "engine"
          : name === "outbound"
            ? "notifier"
            : "fan-out";
    const outcomes = await Promise.all(
      Array.from({ length: concurrent ? 2 : 1 }, () => this.#invoke(fn, batch)),
    );
    for (const message of batch) {
      if (outcomes.some((done) => done.has(message.id))) {
        if (name === "ingest") this.log.ingested.add(envelopeId(message.body));
        if (queue.delete(message, this.now, this.#options.rng) === "redelivered") this.log.extraDeliveries++;
      } else {
        queue.fail(message, this.now);
      }
    }
  }

  /** One Lambda invocation; the ids of the messages it finished (none when it died). */
  async #invoke(fn: FunctionName, batch: SimMessage[]): Promise<Set<string>> {
    let crashed!: () => void;
    const death = new Promise<"crashed">((resolve) => {
      crashed = () => resolve("crashed");
    });
    const invocation: Invocation = { fn, crashed: false, onCrash: crashed };
    const run = this.#invocations.run(invocation, () => this.#handlers[fn](sqsEvent(batch)));
    // A dead worker's remaining calls all fail without reaching a service; its promise is left to finish alone.
    const result = await Promise.race([run.catch(() => undefined), death]);
    run.catch(() => undefined);
    if (result === "crashed" || result === undefined || invocation.crashed) return new Set();
    const failed = new Set(result.batchItemFailures.map((f) => f.itemIdentifier));
    return new Set(batch.filter((m) => !failed.has(m.id)).map((m) => m.id));
  }

  /** The operator's move after an incident: every dead-letter queue redriven to its source. */
  redriveAll(): number {
    let moved = 0;
    for (const queue of Object.values(this.queues)) moved += queue.redrive(this.now);
    this.log.redriven += moved;
    return moved;
  }

  get deadLetters(): { queue: string; body: string }[] {
    return Object.values(this.queues).flatMap((q) =>
      q.deadLetters.map((m) => ({ queue: q.options.name, body: m.body })),
    );
  }

  get deadLettered(): number {
    return Object.values(this.queues).reduce((sum, q) => sum + q.deadLettered, 0);
  }
}

function envelopeId(body: string): string {
  try {
    return String((JSON.parse(body) as { id?: unknown }).id);
  } catch {
    return body;
  }
}

function sqsEvent(batch: SimMessage[]): SQSEvent {
  return {
    Records: batch.map((message) => ({
      messageId: message.id,
      receiptHandle: `${message.id}-${message.receiveCount}`,
      body: message.body,
      attributes: {
        ApproximateReceiveCount: String(message.receiveCount),
        SentTimestamp: "0",
        SenderId: "faults",
        ApproximateFirstReceiveTimestamp: "0",
        ...(message.groupId !== undefined ? { MessageGroupId: message.groupId } : {}),
      },
      messageAttributes: {},
      md5OfBody: "",
      eventSource: "aws:sqs",
      eventSourceARN: `arn:aws:sqs:ap-northeast-2:${ACCOUNT}:faults`,
      awsRegion: "ap-northeast-2",
    })),
  };
}
