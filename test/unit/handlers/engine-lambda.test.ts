/**
 * The engine Lambda as deployed (functions/handlers/engine.ts): its clients at module scope answered by
 * aws-sdk-client-mock, the customer item kept in a map. What is checked is the wiring of lifecycle facts: the
 * Firehose stream named by WAYMARK_FACTS_STREAM gets them, only once the transition is committed, and a
 * retried input puts the very same facts again.
 */
import "aws-sdk-client-mock-vitest/extend";
import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import {
  FirehoseClient,
  PutRecordBatchCommand,
  type PutRecordBatchCommandInput,
} from "@aws-sdk/client-firehose";
import { CreateScheduleCommand, SchedulerClient } from "@aws-sdk/client-scheduler";
import { SendMessageBatchCommand, SQSClient } from "@aws-sdk/client-sqs";
import {
  BatchWriteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  type GetCommandInput,
  PutCommand,
  type PutCommandInput,
} from "@aws-sdk/lib-dynamodb";
import type { Context, SQSEvent } from "aws-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { EnvName } from "../../../functions/config/env-names.ts";
import { JourneyMetric, OperationalMetric } from "../../../functions/config/metric-names.ts";
import type { LifecycleFact } from "../../../functions/core/measurement/lifecycle-facts.ts";
import { eventMessage } from "../../../functions/messages/queue-messages.ts";
import { postPurchaseOnly } from "../../support/catalogs.ts";
import { captureEmf, emfValues } from "../../support/emf.ts";
import { envelope } from "../../support/events.ts";

// The test config turns metrics off; the last tests here read them. The sinks decide at construction, so the
// handler module is imported once the switch is off.
vi.stubEnv("POWERTOOLS_METRICS_DISABLED", "false");
const { engineLambda } = await import("../../../functions/handlers/engine.ts");

const dynamo = mockClient(DynamoDBDocumentClient);
const firehose = mockClient(FirehoseClient);
const eventBridge = mockClient(EventBridgeClient);
const scheduler = mockClient(SchedulerClient);
const sqs = mockClient(SQSClient);

/** The order the calls reached AWS in, across clients: `put CUSTOMER#c-1|STATE`, `firehose`… */
let calls: string[];
/** Items by `pk|sk`: enough of a table for the customer item and the emit claims. */
let items: Map<string, Record<string, unknown>>;

const SETTINGS = {
  [EnvName.tableName]: "waymark",
  [EnvName.busName]: "waymark",
  [EnvName.outboundQueueUrl]: "https://sqs.ap-northeast-2.amazonaws.com/123456789012/outbound",
  [EnvName.engineQueueArn]: "arn:aws:sqs:ap-northeast-2:123456789012:engine.fifo",
  [EnvName.scheduleGroupName]: "waymark-timers",
  [EnvName.schedulerRoleArn]: "arn:aws:iam::123456789012:role/scheduler",
  [EnvName.timerDeadLetterQueueArn]: "arn:aws:sqs:ap-northeast-2:123456789012:timers-dlq",
};

beforeEach(() => {
  calls = [];
  items = new Map();
  for (const [name, value] of Object.entries(SETTINGS)) vi.stubEnv(name, value);
  vi.stubEnv(EnvName.factsStreamName, "waymark-facts");
  const key = (k: Record<string, unknown>) => `${String(k.pk)}|${String(k.sk)}`;
  dynamo.onAnyCommand().resolves({});
  dynamo.on(GetCommand).callsFake((input: GetCommandInput) => ({ Item: items.get(key(input.Key!)) }));
  dynamo.on(PutCommand).callsFake((input: PutCommandInput) => {
    calls.push(`put ${String(input.Item!.pk)}|${String(input.Item!.sk)}`);
    items.set(key(input.Item!), input.Item!);
    return {};
  });
  dynamo.on(BatchWriteCommand).resolves({});
  firehose.on(PutRecordBatchCommand).callsFake(() => {
    calls.push("firehose");
    return { FailedPutCount: 0 };
  });
  eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: "e" }] });
  scheduler.on(CreateScheduleCommand).resolves({ ScheduleArn: "arn:aws:scheduler:::schedule/x" });
  sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
});

afterEach(() => {
  for (const name of [...Object.keys(SETTINGS), EnvName.factsStreamName]) vi.stubEnv(name, undefined);
  for (const client of [dynamo, firehose, eventBridge, scheduler, sqs]) client.reset();
});

const context = { functionName: "engine", awsRequestId: "req" } as unknown as Context;

/** One engine-queue message: the order delivered, which enters post-purchase. */
function delivered(customerId = "c-1"): SQSEvent {
  const body = JSON.stringify(
    eventMessage(
      envelope(
        "OrderDelivered",
        { customerId, orderId: "o-1" },
        { id: "evt-1", time: "2026-03-02T15:00:00Z" },
      ),
    ),
  );
  return {
    Records: [
      {
        messageId: "m-1",
        receiptHandle: "r",
        body,
        attributes: {
          ApproximateReceiveCount: "1",
          SentTimestamp: "0",
          SenderId: "test",
          ApproximateFirstReceiveTimestamp: "0",
          MessageGroupId: customerId,
        },
        messageAttributes: {},
        md5OfBody: "",
        eventSource: "aws:sqs",
        eventSourceARN: SETTINGS[EnvName.engineQueueArn],
        awsRegion: "ap-northeast-2",
      },
    ],
  };
}

/** Every fact in every PutRecordBatch call so far. */
function factsSent(): LifecycleFact[] {
  return firehose
    .commandCalls(PutRecordBatchCommand)
    .flatMap((call) => call.args[0].input.Records ?? [])
    .flatMap((record) => Buffer.from(record.Data!).toString("utf8").split("\n").filter(Boolean))
    .map((line) => JSON.parse(line) as LifecycleFact);
}

describe("engine Lambda: lifecycle facts to Firehose", () => {
  it("puts the transition's facts on the stream WAYMARK_FACTS_STREAM names, after the commit", async () => {
    const result = await engineLambda(postPurchaseOnly)(delivered(), context);
    expect(result.batchItemFailures).toEqual([]);
    expect(firehose).toHaveReceivedCommandWith(PutRecordBatchCommand, {
      DeliveryStreamName: "waymark-facts",
    });
    const facts = factsSent();
    expect(facts.map((f) => f.type)).toEqual(
      expect.arrayContaining(["JourneyStarted", "ExperimentAssigned", "JourneyStepReached"]),
    );
    for (const fact of facts) {
      expect(fact).toMatchObject({ customerId: "c-1", journeyId: "post-purchase", instanceKey: "o-1" });
    }
    // The customer item is written first; the facts go only once it is.
    expect(calls.indexOf("put CUSTOMER#c-1|STATE")).toBeGreaterThanOrEqual(0);
    expect(calls.indexOf("firehose")).toBeGreaterThan(calls.indexOf("put CUSTOMER#c-1|STATE"));
  });

  it("puts no fact when the commit fails: the input is retried instead", async () => {
    dynamo.on(PutCommand).rejects(new Error("ProvisionedThroughputExceededException"));
    const result = await engineLambda(postPurchaseOnly)(delivered(), context);
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: "m-1" }]);
    expect(firehose).not.toHaveReceivedCommand(PutRecordBatchCommand);
  });

  it("fails the input when Firehose keeps refusing, and the retry puts the same facts again", async () => {
    firehose.on(PutRecordBatchCommand).callsFake((input: PutRecordBatchCommandInput) => ({
      FailedPutCount: input.Records!.length,
      RequestResponses: input.Records!.map(() => ({ ErrorCode: "ServiceUnavailableException" })),
    }));
    const lambda = engineLambda(postPurchaseOnly);
    const first = await lambda(delivered(), context);
    expect(first.batchItemFailures).toEqual([{ itemIdentifier: "m-1" }]);
    // The sink tried three times, each time with every fact.
    const refused = factsSent();
    expect(firehose).toHaveReceivedCommandTimes(PutRecordBatchCommand, 3);
    expect(calls).toContain("put CUSTOMER#c-1|STATE");

    firehose.reset();
    firehose.on(PutRecordBatchCommand).resolves({ FailedPutCount: 0 });
    // The redelivery finds the committed transition and replays its effects: the same facts, the same ids, so
    // that the queries' DISTINCT counts them once.
    const second = await lambda(delivered(), context);
    expect(second.batchItemFailures).toEqual([]);
    const replayed = factsSent();
    expect(replayed.length).toBe(refused.length / 3);
    expect(replayed).toEqual(refused.slice(0, replayed.length));
  });

  it("keeps no facts when no stream is named", async () => {
    vi.stubEnv(EnvName.factsStreamName, "");
    const result = await engineLambda(postPurchaseOnly)(delivered(), context);
    expect(result.batchItemFailures).toEqual([]);
    expect(firehose).not.toHaveReceivedCommand(PutRecordBatchCommand);
    expect(calls).toContain("put CUSTOMER#c-1|STATE");
  });
});

describe("engine Lambda: operators' metrics", () => {
  it("counts entered and steps reached per journey from the committed facts, and not again on a redelivery", async () => {
    const lambda = engineLambda(postPurchaseOnly);
    const first = await captureEmf(() => lambda(delivered(), context));
    const steps = factsSent().filter((f) => f.type === "JourneyStepReached").length;
    expect(steps).toBeGreaterThan(0);
    const [entered, ...moreEntered] = emfValues(first, JourneyMetric.entered);
    expect(moreEntered).toEqual([]);
    expect(entered).toMatchObject({ value: 1, dimensions: [["service", "journey"]] });
    expect(entered!.record).toMatchObject({ journey: "post-purchase", [JourneyMetric.stepReached]: steps });
    expect(emfValues(first, JourneyMetric.completed)).toEqual([]);
    // Bounded dimensions: the customer id is in no metric record.
    expect(JSON.stringify(first)).not.toContain("c-1");

    const again = await captureEmf(() => lambda(delivered(), context));
    expect(emfValues(again, JourneyMetric.entered)).toEqual([]);
    expect(emfValues(again, JourneyMetric.stepReached)).toEqual([]);
  });

  it("counts an input that failed, for the engine-errors alarm", async () => {
    dynamo.on(PutCommand).rejects(new Error("ProvisionedThroughputExceededException"));
    const records = await captureEmf(() => engineLambda(postPurchaseOnly)(delivered(), context));
    expect(emfValues(records, OperationalMetric.engineInputFailed)).toEqual([
      expect.objectContaining({ value: 1, dimensions: [["service"]] }),
    ]);
    expect(emfValues(records, JourneyMetric.entered)).toEqual([]);
  });
});
