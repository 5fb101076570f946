/**
 * The feedback function on DynamoDB (dynalite), EventBridge mocked (issue 10): its handler as SQS invokes it,
 * with the real emit claims and publisher.
 */
import { randomUUID } from "node:crypto";
import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import type { Context, SQSEvent } from "aws-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { EventPublisher } from "../../events/publisher.ts";
import { DynamoDbEmitClaims } from "../../functions/adapters/dynamodb-emit-claims.ts";
import { EventBridgeEventEmitter } from "../../functions/adapters/eventbridge-event-emitter.ts";
import { FEEDBACK_SOURCE } from "../../functions/core/message-feedback.ts";
import { makeFeedbackHandler } from "../../functions/handlers/feedback-handler.ts";
import { correlationContext } from "../../functions/messages/delivery-correlation.ts";
import { feedbackDependencies } from "../../functions/wiring/pipeline.ts";
import { type LocalDynamo, startDynamo } from "../support/dynalite.ts";

let dynamo: LocalDynamo;
beforeAll(async () => {
  dynamo = await startDynamo();
});
afterAll(async () => {
  await dynamo.stop();
});

const eventBridgeClient = new EventBridgeClient({ region: "ap-northeast-2" });
const eventBridge = mockClient(eventBridgeClient);
afterEach(() => eventBridge.reset());

const context = { functionName: "feedback", awsRequestId: "r" } as unknown as Context;

function feedbackFunction() {
  const put: { source: string; detailType: string; detail: Record<string, unknown> }[] = [];
  const handler = makeFeedbackHandler(
    feedbackDependencies({
      clock: () => new Date("2026-05-02T01:00:00Z"),
      events: new EventBridgeEventEmitter(
        new EventPublisher(eventBridgeClient, {
          busName: "waymark",
          source: FEEDBACK_SOURCE,
          maxAttempts: 1,
        }),
      ),
      emitClaims: new DynamoDbEmitClaims(dynamo.documentClient, dynamo.tableName),
    }),
  );
  const accept = (input: PutEventsCommand["input"]) => {
    for (const entry of input.Entries ?? [])
      put.push({ source: entry.Source!, detailType: entry.DetailType!, detail: JSON.parse(entry.Detail!) });
    return { FailedEntryCount: 0, Entries: (input.Entries ?? []).map(() => ({ EventId: randomUUID() })) };
  };
  return { handler, put, accept };
}

const delivery = (...bodies: string[]): SQSEvent => ({
  Records: bodies.map((body, i) => ({ messageId: `m-${i}`, body }) as SQSEvent["Records"][number]),
});

let counter = 0;
/** An End User Messaging SMS event about a message the notifier sent. */
function smsEvent(eventType: string, context: Record<string, string> = correlated()) {
  return JSON.stringify({
    eventType,
    eventVersion: "1.0",
    eventTimestamp: 1777683600000,
    isFinal: true,
    messageId: `sms-${++counter}`,
    messageStatus: eventType.slice("TEXT_".length),
    context,
  });
}
function correlated() {
  return correlationContext({
    notificationId: `fb-n-${counter}`,
    customerId: `fb-c-${counter}`,
    journeyId: "product-recall",
    instanceId: "product-recall#RC-1",
  });
}

describe("the feedback function (issue 10: provider feedback comes back as events)", () => {
  it("puts each report on the bus once as a waymark.feedback event, however often the queue delivers it", async () => {
    const { handler, put, accept } = feedbackFunction();
    eventBridge.on(PutEventsCommand).callsFake(accept);
    const body = smsEvent("TEXT_INVALID");
    expect(await handler(delivery(body, body), context)).toEqual({ batchItemFailures: [] });
    expect(await handler(delivery(body), context)).toEqual({ batchItemFailures: [] });
    expect(put).toEqual([
      {
        source: "waymark.feedback",
        detailType: "MessageBounced",
        detail: expect.objectContaining({
          channel: "sms",
          bounceType: "hard",
          reason: "INVALID",
          journeyId: "product-recall",
          instanceId: "product-recall#RC-1",
          occurredAt: "2026-05-02T01:00:00.000Z",
        }),
      },
    ]);
  });

  it("retries a report the bus did not take, and puts it when the bus is back", async () => {
    const { handler, put, accept } = feedbackFunction();
    eventBridge
      .on(PutEventsCommand)
      .resolvesOnce({ FailedEntryCount: 1, Entries: [{ ErrorCode: "InternalFailure", ErrorMessage: "x" }] })
      .callsFake(accept);
    const body = smsEvent("TEXT_DELIVERED");
    expect(await handler(delivery(body), context)).toEqual({
      batchItemFailures: [{ itemIdentifier: "m-0" }],
    });
    expect(put).toEqual([]);
    expect(await handler(delivery(body), context)).toEqual({ batchItemFailures: [] });
    expect(put.map((event) => event.detailType)).toEqual(["MessageDelivered"]);
  });

  it("drops, without retrying, reports that are not Waymark's, not acted on, or unreadable", async () => {
    const { handler, put, accept } = feedbackFunction();
    eventBridge.on(PutEventsCommand).callsFake(accept);
    const result = await handler(
      delivery(smsEvent("TEXT_DELIVERED", { account: "bar" }), smsEvent("TEXT_QUEUED"), "{}", "not json"),
      context,
    );
    expect(result).toEqual({ batchItemFailures: [] });
    expect(put).toEqual([]);
    expect(eventBridge.commandCalls(PutEventsCommand)).toHaveLength(0);
  });
});
