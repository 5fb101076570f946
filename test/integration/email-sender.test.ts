/**
 * The email sender on DynamoDB (dynalite), SES and EventBridge mocked (issue 10): its handler as SQS invokes it,
 * with the real claims, emit claims, publisher and SES adapter.
 */
import { randomUUID } from "node:crypto";
import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import {
  InternalServiceErrorException,
  MessageRejected,
  SESv2Client,
  SendEmailCommand,
  TooManyRequestsException,
} from "@aws-sdk/client-sesv2";
import { GetCommand } from "@aws-sdk/lib-dynamodb";
import type { Context, SQSEvent } from "aws-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { EventPublisher } from "../../events/publisher.ts";
import { DynamoDbDeliveryClaims } from "../../functions/adapters/dynamodb-delivery-claims.ts";
import { DynamoDbEmitClaims } from "../../functions/adapters/dynamodb-emit-claims.ts";
import { CLAIM_LEASE_MS } from "../../functions/adapters/dynamodb-leased-claim.ts";
import { EventBridgeEventEmitter } from "../../functions/adapters/eventbridge-event-emitter.ts";
import { SesEmailTransport } from "../../functions/adapters/ses-email-transport.ts";
import { table } from "../../functions/config/table.ts";
import { FEEDBACK_SOURCE } from "../../functions/core/message-feedback.ts";
import { makeEmailSenderHandler } from "../../functions/handlers/email-sender-handler.ts";
import type { EmailDocument } from "../../functions/messages/email-document.ts";
import { emailSenderDependencies } from "../../functions/wiring/pipeline.ts";
import { type LocalDynamo, startDynamo } from "../support/dynalite.ts";

let dynamo: LocalDynamo;
beforeAll(async () => {
  dynamo = await startDynamo();
});
afterAll(async () => {
  await dynamo.stop();
});

const sesClient = new SESv2Client({ region: "ap-northeast-2", maxAttempts: 1 });
const ses = mockClient(sesClient);
const eventBridgeClient = new EventBridgeClient({ region: "ap-northeast-2" });
const eventBridge = mockClient(eventBridgeClient);
afterEach(() => {
  ses.reset();
  eventBridge.reset();
});

const context = { functionName: "email-sender", awsRequestId: "r" } as unknown as Context;

/** The email sender as its Lambda entry wires it, on a clock the test moves. */
function emailSender(clock: () => Date = () => new Date("2026-05-02T01:00:00Z")) {
  const put: { source: string; detailType: string; detail: Record<string, unknown> }[] = [];
  eventBridge.on(PutEventsCommand).callsFake((input: PutEventsCommand["input"]) => {
    for (const entry of input.Entries ?? [])
      put.push({ source: entry.Source!, detailType: entry.DetailType!, detail: JSON.parse(entry.Detail!) });
    return { FailedEntryCount: 0, Entries: (input.Entries ?? []).map(() => ({ EventId: randomUUID() })) };
  });
  const handler = makeEmailSenderHandler(
    emailSenderDependencies({
      clock,
      claims: new DynamoDbDeliveryClaims(dynamo.documentClient, dynamo.tableName, "email"),
      transport: new SesEmailTransport(sesClient, {
        fromAddress: "no-reply@mail.example.com",
        configurationSetName: "waymark-email",
      }),
      feedback: new EventBridgeEventEmitter(
        new EventPublisher(eventBridgeClient, { busName: "waymark", source: FEEDBACK_SOURCE }),
      ),
      emitClaims: new DynamoDbEmitClaims(dynamo.documentClient, dynamo.tableName),
    }),
  );
  return { handler, put };
}

let counter = 0;
function email(priority: EmailDocument["priority"] = "service"): EmailDocument {
  counter++;
  return {
    notificationId: `email-n-${counter}`,
    customerId: `email-c-${counter}`,
    journeyId: "post-purchase",
    instanceId: `post-purchase#o-${counter}`,
    template: "post-purchase.nps-survey",
    locale: "en-US",
    priority,
    marketing: priority === "marketing",
    to: "sam@example.com",
    subject: "Two weeks in: how is it going?",
    body: "Hi Sam,\n\nHow likely are you to recommend us? https://go.example.com/s/1",
  };
}

/** One SQS delivery of a body (raw message delivery: the body is the document itself). */
const delivery = (...bodies: string[]): SQSEvent => ({
  Records: bodies.map((body, i) => ({ messageId: `m-${i}`, body }) as SQSEvent["Records"][number]),
});

async function claimOf(document: EmailDocument): Promise<Record<string, unknown> | undefined> {
  const { Item } = await dynamo.documentClient.send(
    new GetCommand({
      TableName: dynamo.tableName,
      Key: table.keys.delivery("email", document.customerId, document.notificationId),
      ConsistentRead: true,
    }),
  );
  return Item;
}

describe("the email sender (issue 10: email that is really delivered)", () => {
  it("sends a redelivered message once, and records what SES said", async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: "ses-1" });
    const { handler, put } = emailSender();
    const document = email();
    const body = JSON.stringify(document);
    // The same message twice in one batch, and again later: SQS is at-least-once.
    expect(await handler(delivery(body, body), context)).toEqual({ batchItemFailures: [] });
    expect(await handler(delivery(body), context)).toEqual({ batchItemFailures: [] });
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(1);
    expect(await claimOf(document)).toMatchObject({ delivery: "sent", messageId: "ses-1" });
    expect(put).toEqual([]);
  });

  it("records a permanent refusal, tells the engine once with MessageFailed, and is done", async () => {
    ses
      .on(SendEmailCommand)
      .rejects(
        new MessageRejected({ message: "Email address is not verified: sam@example.com", $metadata: {} }),
      );
    const { handler, put } = emailSender();
    const document = email("marketing");
    const body = JSON.stringify(document);
    expect(await handler(delivery(body), context)).toEqual({ batchItemFailures: [] });
    expect(await handler(delivery(body), context)).toEqual({ batchItemFailures: [] });
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(1);
    expect(await claimOf(document)).toMatchObject({
      delivery: "failed",
      reason: "MessageRejected: Email address is not verified: s***@example.com",
    });
    expect(put).toEqual([
      {
        source: "waymark.feedback",
        detailType: "MessageFailed",
        detail: {
          customerId: document.customerId,
          notificationId: document.notificationId,
          channel: "email",
          journeyId: "post-purchase",
          instanceId: document.instanceId,
          permanent: true,
          reason: "MessageRejected: Email address is not verified: s***@example.com",
          eventId: expect.any(String),
          occurredAt: "2026-05-02T01:00:00.000Z",
        },
      },
    ]);
  });

  it("gives the claim back when throttled, so SQS's redelivery sends it", async () => {
    ses
      .on(SendEmailCommand)
      .rejectsOnce(new TooManyRequestsException({ message: "Maximum sending rate exceeded.", $metadata: {} }))
      .resolves({ MessageId: "ses-2" });
    const { handler } = emailSender();
    const document = email();
    const body = JSON.stringify(document);
    expect(await handler(delivery(body), context)).toEqual({
      batchItemFailures: [{ itemIdentifier: "m-0" }],
    });
    expect(await claimOf(document)).toBeUndefined();
    expect(await handler(delivery(body), context)).toEqual({ batchItemFailures: [] });
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(2);
    expect(await claimOf(document)).toMatchObject({ delivery: "sent", messageId: "ses-2" });
  });

  it("sends a service email at most once when SES's answer is lost, a safety email at least once", async () => {
    const lost = () =>
      new InternalServiceErrorException({ message: "internal", $metadata: { httpStatusCode: 500 } });
    ses.on(SendEmailCommand).rejectsOnce(lost()).rejectsOnce(lost()).resolves({ MessageId: "ses-3" });
    const { handler } = emailSender();
    const service = email("service");
    expect(await handler(delivery(JSON.stringify(service)), context)).toEqual({ batchItemFailures: [] });
    expect(await claimOf(service)).toMatchObject({ delivery: "uncertain" });
    await handler(delivery(JSON.stringify(service)), context);
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(1);

    const safety = email("safety");
    expect(await handler(delivery(JSON.stringify(safety)), context)).toEqual({
      batchItemFailures: [{ itemIdentifier: "m-0" }],
    });
    expect(await claimOf(safety)).toBeUndefined();
    expect(await handler(delivery(JSON.stringify(safety)), context)).toEqual({ batchItemFailures: [] });
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(3);
    expect(await claimOf(safety)).toMatchObject({ delivery: "sent", messageId: "ses-3" });
  });

  it("does not send again after a worker died holding the claim of a marketing email", async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: "ses-4" });
    const document = email("marketing");
    const claims = new DynamoDbDeliveryClaims(dynamo.documentClient, dynamo.tableName, "email");
    const diedAt = new Date("2026-05-02T01:00:00Z");
    expect(await claims.claim(document, diedAt)).toEqual({ outcome: "claimed", takenOver: false });
    const later = new Date(diedAt.getTime() + CLAIM_LEASE_MS + 1000);
    const { handler } = emailSender(() => later);
    expect(await handler(delivery(JSON.stringify(document)), context)).toEqual({ batchItemFailures: [] });
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(0);
    expect(await claimOf(document)).toMatchObject({ delivery: "uncertain" });
  });

  it("retries, then dead-letters, a body that is not an email document", async () => {
    const { handler } = emailSender();
    const { to: _, ...noAddress } = email();
    expect(await handler(delivery(JSON.stringify(noAddress), "not json"), context)).toEqual({
      batchItemFailures: [{ itemIdentifier: "m-0" }, { itemIdentifier: "m-1" }],
    });
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(0);
  });
});
