import { randomUUID } from "node:crypto";
import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { FirehoseClient, PutRecordBatchCommand } from "@aws-sdk/client-firehose";
import {
  ConflictException,
  PinpointSMSVoiceV2Client,
  SendTextMessageCommand,
} from "@aws-sdk/client-pinpoint-sms-voice-v2";
import { CreateScheduleCommand, DeleteScheduleCommand, SchedulerClient } from "@aws-sdk/client-scheduler";
import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { SendMessageBatchCommand, SQSClient } from "@aws-sdk/client-sqs";
import type { Context, SQSEvent, SQSRecord } from "aws-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { EventPublisher } from "../../events/publisher.ts";
import { NOTIFIER_SOURCE } from "../../events/routing.ts";
import type { DynamoDbNotificationStore } from "../../functions/adapters/dynamodb-notification-store.ts";
import { EventBridgeEventEmitter } from "../../functions/adapters/eventbridge-event-emitter.ts";
import { EventBridgeSchedulerTimers } from "../../functions/adapters/eventbridge-scheduler-timers.ts";
import { FirehoseFactSink } from "../../functions/adapters/firehose-fact-sink.ts";
import { HmacTokenSigner } from "../../functions/adapters/hmac-token-signer.ts";
import { SmsVoiceSender } from "../../functions/adapters/sms-voice-sender.ts";
import { SnsEmailSender } from "../../functions/adapters/sns-email-sender.ts";
import { SqsEngineQueue } from "../../functions/adapters/sqs-engine-queue.ts";
import { SqsNotificationQueue } from "../../functions/adapters/sqs-notification-queue.ts";
import { SqsRejectedEventSink } from "../../functions/adapters/sqs-rejected-event-sink.ts";
import { SqsWorkQueue } from "../../functions/adapters/sqs-work-queue.ts";
import type { Catalog } from "../../functions/core/catalog/catalog.ts";
import { makeEngineHandler } from "../../functions/handlers/engine-handler.ts";
import { makeFanOutHandler } from "../../functions/handlers/fan-out-handler.ts";
import { makeIngestHandler } from "../../functions/handlers/ingest-handler.ts";
import { makeNotifierHandler } from "../../functions/handlers/notifier-handler.ts";
import { metrics } from "../../functions/handlers/observability.ts";
import { UnsubscribeLinks } from "../../functions/use-cases/unsubscribe-links.ts";
import {
  engineDependencies,
  fanOutDependencies,
  ingestDependencies,
  messageSender,
  notifierDependencies,
  type TablePorts,
  tablePorts,
} from "../../functions/wiring/pipeline.ts";
import type { CallMeter } from "./call-meter.ts";
import { postPurchaseOnly } from "./catalogs.ts";
import type { LocalDynamo } from "./dynalite.ts";

const QUEUES = {
  engine: "https://sqs.local/123456789012/waymark-engine.fifo",
  outbound: "https://sqs.local/123456789012/waymark-outbound",
  rejected: "https://sqs.local/123456789012/waymark-rejected",
  global: "https://sqs.local/123456789012/waymark-global",
};

interface QueuedMessage {
  body: string;
  groupId?: string;
}

export interface Published {
  kind: "sms" | "email";
  to: string;
  message: string;
  attributes: Record<string, string | undefined>;
  at: string;
}

/**
 * Waymark's whole pipeline in one process on a virtual clock: the real handlers, use cases
 * and adapters, DynamoDB on dynalite, and the SQS / Scheduler / SMS / SNS / EventBridge clients
 * answered by aws-sdk-client-mock so the test can see and drive every hop.
 */
export class Pipeline {
  now: Date;
  readonly published: Published[] = [];
  /** Numbers on the account's SMS opt-out list: SendTextMessage refuses them. */
  readonly optedOutPhones = new Set<string>();
  readonly emitted: { detailType: string; detail: Record<string, unknown> }[] = [];
  readonly rejected: { reason: string; event: unknown }[] = [];
  readonly timers = new Map<string, { dueAt: string; input: string; groupId: string }>();
  /** Events producers (or Waymark's feedback) put on the bus, waiting for the ingest rule. */
  readonly #bus: Record<string, unknown>[] = [];
  readonly unsubscribeLinks = new UnsubscribeLinks(
    new HmacTokenSigner(Buffer.alloc(32, 7)),
    "https://unsubscribe.example/u",
  );
  readonly #queues = new Map<string, QueuedMessage[]>([
    [QUEUES.engine, []],
    [QUEUES.outbound, []],
    [QUEUES.global, []],
  ]);
  readonly #ingest;
  readonly #engine;
  readonly #notifier;
  readonly #fanOut;
  readonly notifications: DynamoDbNotificationStore;
  readonly customers: TablePorts["customers"];
  /** Lifecycle facts the engine sent to Firehose, as JSON lines per record (when `facts` is on). */
  readonly factRecords: string[] = [];
  readonly #meter: CallMeter | undefined;

  /**
   * `catalog`: what the pipeline runs; the post-purchase journey alone unless a test builds its own.
   * `meter`: counts every AWS request and times each handler invocation (the bench's cost model).
   * `facts`: the engine sends lifecycle facts to Firehose, as deployed.
   */
  constructor(
    dynamo: LocalDynamo,
    start: string,
    catalog: Catalog = postPurchaseOnly,
    options: { meter?: CallMeter; facts?: boolean } = {},
  ) {
    this.now = new Date(start);
    this.#meter = options.meter;
    const meter = options.meter;
    options.meter?.meterDynamo(dynamo);
    const clock = () => new Date(this.now);
    const sqs = new SQSClient({ region: "ap-northeast-2" });
    const scheduler = new SchedulerClient({ region: "ap-northeast-2" });
    const sns = new SNSClient({ region: "ap-northeast-2" });
    const smsVoice = new PinpointSMSVoiceV2Client({ region: "ap-northeast-2" });
    const eventBridge = new EventBridgeClient({ region: "ap-northeast-2" });
    const firehose = new FirehoseClient({ region: "ap-northeast-2" });
    const bytes = (text: string | undefined) => Buffer.byteLength(text ?? "");

    mockClient(sqs)
      .on(SendMessageBatchCommand)
      .callsFake((input: SendMessageBatchCommand["input"]) => {
        meter?.count(
          "SQS",
          input.QueueUrl?.endsWith(".fifo") ? "SendMessageBatch.fifo" : "SendMessageBatch",
          (input.Entries ?? []).map((e) => bytes(e.MessageBody)),
        );
        for (const entry of input.Entries ?? []) {
          if (input.QueueUrl === QUEUES.rejected) {
            this.rejected.push(JSON.parse(entry.MessageBody!));
            continue;
          }
          this.#queues
            .get(input.QueueUrl!)!
            .push({ body: entry.MessageBody!, groupId: entry.MessageGroupId });
        }
        return {
          Successful: (input.Entries ?? []).map((e) => ({
            Id: e.Id,
            MessageId: randomUUID(),
            MD5OfMessageBody: "",
          })),
          Failed: [],
        };
      });
    mockClient(scheduler)
      .on(CreateScheduleCommand)
      .callsFake((input: CreateScheduleCommand["input"]) => {
        meter?.count("Scheduler", "CreateSchedule", [bytes(input.Target?.Input)]);
        const dueAt = `${/^at\((.*)\)$/.exec(input.ScheduleExpression!)![1]}Z`;
        this.timers.set(input.Name!, {
          dueAt: new Date(dueAt).toISOString(),
          input: input.Target!.Input!,
          groupId: input.Target!.SqsParameters!.MessageGroupId!,
        });
        return { ScheduleArn: `arn:aws:scheduler:::schedule/${input.GroupName}/${input.Name}` };
      })
      .on(DeleteScheduleCommand)
      .callsFake((input: DeleteScheduleCommand["input"]) => {
        meter?.count("Scheduler", "DeleteSchedule");
        this.timers.delete(input.Name!);
        return {};
      });
    mockClient(smsVoice)
      .on(SendTextMessageCommand)
      .callsFake((input: SendTextMessageCommand["input"]) => {
        meter?.count("EndUserMessagingSMS", "SendTextMessage", [bytes(input.MessageBody)]);
        if (this.optedOutPhones.has(input.DestinationPhoneNumber!)) {
          throw new ConflictException({
            message: "The destination phone number is opted out",
            Reason: "DESTINATION_PHONE_NUMBER_OPTED_OUT",
            $metadata: {},
          });
        }
        this.published.push({
          kind: "sms",
          to: input.DestinationPhoneNumber!,
          message: input.MessageBody!,
          attributes: {
            MessageType: input.MessageType,
            ConfigurationSetName: input.ConfigurationSetName,
            ...input.Context,
          },
          at: this.now.toISOString(),
        });
        return { MessageId: randomUUID() };
      });
    mockClient(sns)
      .on(PublishCommand)
      .callsFake((input: PublishCommand["input"]) => {
        meter?.count("SNS", "Publish", [bytes(input.Message)]);
        const attributes = Object.fromEntries(
          Object.entries(input.MessageAttributes ?? {}).map(([k, v]) => [k, v.StringValue]),
        );
        this.published.push({
          kind: "email",
          to: JSON.parse(input.Message!).to,
          message: input.Message!,
          attributes,
          at: this.now.toISOString(),
        });
        return { MessageId: randomUUID() };
      });
    mockClient(eventBridge)
      .on(PutEventsCommand)
      .callsFake((input: PutEventsCommand["input"]) => {
        // EventBridge meters an entry by its Source, DetailType, Detail and Resources.
        meter?.count(
          "EventBridge",
          "PutEvents",
          (input.Entries ?? []).map((e) => bytes(e.Source) + bytes(e.DetailType) + bytes(e.Detail)),
        );
        for (const entry of input.Entries ?? []) {
          if (entry.Source === "waymark") {
            this.emitted.push({ detailType: entry.DetailType!, detail: JSON.parse(entry.Detail!) });
          } else {
            this.#bus.push({
              version: "0",
              id: randomUUID(),
              "detail-type": entry.DetailType,
              source: entry.Source,
              account: "123456789012",
              time: this.now.toISOString(),
              region: "ap-northeast-2",
              resources: [],
              detail: JSON.parse(entry.Detail!),
            });
          }
        }
        return { FailedEntryCount: 0, Entries: (input.Entries ?? []).map(() => ({ EventId: randomUUID() })) };
      });

    mockClient(firehose)
      .on(PutRecordBatchCommand)
      .callsFake((input: PutRecordBatchCommand["input"]) => {
        const records = (input.Records ?? []).map((r) => Buffer.from(r.Data ?? new Uint8Array()).toString());
        meter?.count("Firehose", "PutRecordBatch", records.map(bytes));
        this.factRecords.push(...records);
        return { FailedPutCount: 0, RequestResponses: records.map(() => ({ RecordId: randomUUID() })) };
      });

    const emitter = new EventBridgeEventEmitter(
      new EventPublisher(eventBridge, { busName: "waymark", source: "waymark", catalog }),
    );
    this.producerEmitter = (source: string) =>
      new EventBridgeEventEmitter(new EventPublisher(eventBridge, { busName: "waymark", source, catalog }));
    const table = tablePorts(dynamo.documentClient, dynamo.tableName);
    this.customers = table.customers;
    this.notifications = table.notificationStore;
    const engineQueue = new SqsEngineQueue(sqs, QUEUES.engine);
    const globalQueue = new SqsWorkQueue(sqs, QUEUES.global);
    this.#ingest = makeIngestHandler(
      ingestDependencies({
        catalog,
        clock,
        engineQueue,
        globalQueue,
        rejected: new SqsRejectedEventSink(sqs, QUEUES.rejected),
      }),
    );
    this.#fanOut = makeFanOutHandler(fanOutDependencies({ catalog, clock, table, engineQueue, globalQueue }));
    this.#engine = makeEngineHandler(
      engineDependencies({
        catalog,
        clock,
        table,
        timers: new EventBridgeSchedulerTimers(scheduler, {
          groupName: "waymark-timers",
          targetArn: "arn:aws:sqs:ap-northeast-2:123456789012:waymark-engine.fifo",
          roleArn: "arn:aws:iam::123456789012:role/waymark-scheduler",
          deadLetterQueueArn: "arn:aws:sqs:ap-northeast-2:123456789012:waymark-timers-dlq",
        }),
        outbound: new SqsNotificationQueue(sqs, QUEUES.outbound),
        events: emitter,
        ...(options.facts ? { facts: new FirehoseFactSink(firehose, "waymark-facts") } : {}),
      }),
      // A meter takes CPU as wall time less DynamoDB's round trips, which holds only while the batch's
      // groups run one after another; the CPU per input is the same either way (bench/lambda-time.ts
      // measures what running the groups at once saves in billed time).
      options.meter ? { concurrency: 1 } : {},
    );
    this.#notifier = makeNotifierHandler(
      notifierDependencies({
        clock,
        store: this.notifications,
        sender: messageSender({
          sms: new SmsVoiceSender(smsVoice, { configurationSetName: "waymark-sms" }),
          email: new SnsEmailSender(sns, {
            emailTopicArn: "arn:aws:sns:ap-northeast-2:123456789012:waymark-email",
          }),
        }),
        events: emitter,
        feedback: this.producerEmitter(NOTIFIER_SOURCE),
        emitClaims: table.emitClaims,
        unsubscribe: this.unsubscribeLinks,
      }),
    );
  }

  /** An EventBridge publisher for a producer with this source, on the pipeline's bus. */
  readonly producerEmitter: (source: string) => EventBridgeEventEmitter;

  /** Events as the bus would deliver them to the ingest queue; then everything downstream runs. */
  async put(...events: Record<string, unknown>[]): Promise<void> {
    await this.#invoke("ingest", events.length, () =>
      this.#ingest(sqsEvent(events.map((e) => ({ body: JSON.stringify(e) })))),
    );
    await this.drain();
  }

  /**
   * How many rounds `drain` runs before it takes the pipeline for one that never settles: a round moves ten
   * messages of each queue, so a recall to many owners needs more than the default.
   */
  drainRounds = 100;

  /** Runs the global, engine and notifier queues until all are empty. */
  async drain(): Promise<void> {
    const rounds = this.drainRounds;
    for (let round = 0; round < rounds; round++) {
      const fromBus = this.#bus.splice(0, 10);
      if (fromBus.length > 0)
        await this.#invoke("ingest", fromBus.length, () =>
          this.#ingest(sqsEvent(fromBus.map((e) => ({ body: JSON.stringify(e) })))),
        );
      // One message per invocation, as the stack's event source mapping hands the fan-out its jobs.
      const global = this.#queues.get(QUEUES.global)!.splice(0, 1);
      if (global.length > 0) {
        const result = await this.#invoke("fan-out", global.length, () =>
          this.#fanOut(sqsEvent(global), context),
        );
        if (result.batchItemFailures.length > 0) throw new Error(`fan-out failed: ${JSON.stringify(result)}`);
      }
      const engine = this.#queues.get(QUEUES.engine)!.splice(0, 10);
      const outbound = this.#queues.get(QUEUES.outbound)!.splice(0, 10);
      if (fromBus.length === 0 && global.length === 0 && engine.length === 0 && outbound.length === 0) return;
      if (engine.length > 0) {
        const result = await this.#invoke("engine", engine.length, () =>
          this.#engine(sqsEvent(engine), context),
        );
        if (result.batchItemFailures.length > 0) throw new Error(`engine failed: ${JSON.stringify(result)}`);
      }
      if (outbound.length > 0) {
        const result = await this.#invoke("notifier", outbound.length, () =>
          this.#notifier(sqsEvent(outbound), context),
        );
        if (result.batchItemFailures.length > 0)
          throw new Error(`notifier failed: ${JSON.stringify(result)}`);
      }
    }
    throw new Error(`pipeline did not settle in ${rounds} rounds`);
  }

  #invoke<T>(fn: string, records: number, run: () => Promise<T>): Promise<T> {
    if (!this.#meter) return run();
    // As the functions' logMetrics middleware does: the invocation's EMF metrics are flushed at its end.
    return this.#meter.invoke(fn, records, async () => {
      try {
        return await run();
      } finally {
        metrics.publishStoredMetrics();
      }
    });
  }

  /** Moves the virtual clock, firing due timers in order, as EventBridge Scheduler would. */
  async advanceTo(time: string): Promise<void> {
    const target = new Date(time);
    for (;;) {
      const due = [...this.timers.entries()]
        .filter(([, t]) => new Date(t.dueAt) <= target)
        .sort((a, b) => a[1].dueAt.localeCompare(b[1].dueAt))[0];
      if (!due) break;
      const [name, timer] = due;
      this.timers.delete(name);
      // The schedule fires: one Scheduler invocation, which sends the timer's message to the engine queue.
      this.#meter?.count("Scheduler", "Invocation", [Buffer.byteLength(timer.input)]);
      if (new Date(timer.dueAt) > this.now) this.now = new Date(timer.dueAt);
      this.#queues.get(QUEUES.engine)!.push({ body: timer.input, groupId: timer.groupId });
      await this.drain();
    }
    if (target > this.now) this.now = target;
  }

  sms(to?: string): Published[] {
    return this.published.filter((p) => p.kind === "sms" && (to === undefined || p.to === to));
  }
}

const context = {
  functionName: "waymark-test",
  awsRequestId: "test",
  getRemainingTimeInMillis: () => 300_000,
} as unknown as Context;

function sqsEvent(messages: QueuedMessage[]): SQSEvent {
  return {
    Records: messages.map(
      (message, index): SQSRecord => ({
        messageId: `m-${index}-${randomUUID()}`,
        receiptHandle: "r",
        body: message.body,
        attributes: {
          ApproximateReceiveCount: "1",
          SentTimestamp: "0",
          SenderId: "test",
          ApproximateFirstReceiveTimestamp: "0",
          ...(message.groupId ? { MessageGroupId: message.groupId } : {}),
        },
        messageAttributes: {},
        md5OfBody: "",
        eventSource: "aws:sqs",
        eventSourceARN: "arn:aws:sqs:ap-northeast-2:123456789012:queue",
        awsRegion: "ap-northeast-2",
      }),
    ),
  };
}
