import "aws-sdk-client-mock-vitest/extend";
import {
  InternalServerException,
  PinpointSMSVoiceV2Client,
  SendTextMessageCommand,
  ConflictException as SmsConflictException,
  ThrottlingException,
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
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import {
  atExpression,
  EventBridgeSchedulerTimers,
  scheduleName,
} from "../../../functions/adapters/eventbridge-scheduler-timers.ts";
import { SmsVoiceSender } from "../../../functions/adapters/sms-voice-sender.ts";
import { SnsEmailSender } from "../../../functions/adapters/sns-email-sender.ts";
import { SqsEngineQueue } from "../../../functions/adapters/sqs-engine-queue.ts";
import { SqsNotificationQueue } from "../../../functions/adapters/sqs-notification-queue.ts";
import { SqsRejectedEventSink } from "../../../functions/adapters/sqs-rejected-event-sink.ts";
import type { NotificationRecord } from "../../../functions/core/notification.ts";
import {
  correlationContext,
  correlationFromContext,
  correlationFromTags,
  correlationTags,
} from "../../../functions/messages/delivery-correlation.ts";
import { RecipientOptedOutError } from "../../../functions/ports/message-sender.ts";
import { isAmbiguousPublishError } from "../../../functions/use-cases/deliver-notification.ts";

const sqs = mockClient(SQSClient);
const scheduler = mockClient(SchedulerClient);
const sns = mockClient(SNSClient);
const smsVoice = mockClient(PinpointSMSVoiceV2Client);
afterEach(() => {
  sqs.reset();
  scheduler.reset();
  sns.reset();
  smsVoice.reset();
});

const timers = new EventBridgeSchedulerTimers(new SchedulerClient({}), {
  groupName: "waymark-timers",
  targetArn: "arn:aws:sqs:ap-northeast-2:123456789012:waymark-engine.fifo",
  roleArn: "arn:aws:iam::123456789012:role/scheduler",
  deadLetterQueueArn: "arn:aws:sqs:ap-northeast-2:123456789012:waymark-timers-dlq",
});

describe("EventBridgeSchedulerTimers", () => {
  it("creates a self-deleting one-time schedule that sends the timer to the customer's FIFO group", async () => {
    scheduler.on(CreateScheduleCommand).resolves({ ScheduleArn: "arn" });
    await timers.schedule({
      customerId: "c-1",
      timerId: "post-purchase#o-1#1",
      dueAt: "2026-03-07T01:00:00.000Z",
    });
    expect(scheduler).toHaveReceivedCommandWith(CreateScheduleCommand, {
      Name: scheduleName("c-1", "post-purchase#o-1#1"),
      GroupName: "waymark-timers",
      ScheduleExpression: "at(2026-03-07T01:00:00)",
      ScheduleExpressionTimezone: "UTC",
      FlexibleTimeWindow: { Mode: "OFF" },
      ActionAfterCompletion: "DELETE",
      Target: {
        Arn: "arn:aws:sqs:ap-northeast-2:123456789012:waymark-engine.fifo",
        RoleArn: "arn:aws:iam::123456789012:role/scheduler",
        Input: JSON.stringify({
          kind: "timer",
          customerId: "c-1",
          timerId: "post-purchase#o-1#1",
          dueAt: "2026-03-07T01:00:00.000Z",
        }),
        SqsParameters: { MessageGroupId: "c-1" },
        DeadLetterConfig: { Arn: "arn:aws:sqs:ap-northeast-2:123456789012:waymark-timers-dlq" },
        RetryPolicy: { MaximumEventAgeInSeconds: 86_400, MaximumRetryAttempts: 185 },
      },
    });
  });

  it("schedule names are deterministic, short and valid for Scheduler", () => {
    const name = scheduleName("customer-with-a-long-id-".repeat(5), "post-purchase#order#12");
    expect(name).toBe(scheduleName("customer-with-a-long-id-".repeat(5), "post-purchase#order#12"));
    expect(name).toMatch(/^[0-9a-zA-Z-_.]{1,64}$/);
    expect(atExpression("2026-11-01T05:30:12.345Z")).toBe("at(2026-11-01T05:30:12)");
  });

  it("treats an existing schedule (a retried effect) as done, but surfaces other errors", async () => {
    scheduler
      .on(CreateScheduleCommand)
      .rejectsOnce(new ConflictException({ message: "exists", Message: "exists", $metadata: {} }))
      .rejectsOnce(new Error("AccessDenied"));
    await expect(
      timers.schedule({ customerId: "c", timerId: "t", dueAt: "2026-01-01T00:00:00Z" }),
    ).resolves.toBeUndefined();
    await expect(
      timers.schedule({ customerId: "c", timerId: "t", dueAt: "2026-01-01T00:00:00Z" }),
    ).rejects.toThrow("AccessDenied");
  });

  it("cancels by deleting the schedule; one already fired is fine", async () => {
    scheduler
      .on(DeleteScheduleCommand)
      .rejects(new ResourceNotFoundException({ message: "gone", Message: "gone", $metadata: {} }));
    await expect(timers.cancel({ customerId: "c-1", timerId: "t-1" })).resolves.toBeUndefined();
    expect(scheduler).toHaveReceivedCommandWith(DeleteScheduleCommand, {
      Name: scheduleName("c-1", "t-1"),
      GroupName: "waymark-timers",
    });
  });
});

describe("SQS adapters", () => {
  it("the engine queue sends FIFO batches of 10 with the group and dedupe ids, and reports failed entries", async () => {
    sqs
      .on(SendMessageBatchCommand)
      .resolvesOnce({ Successful: [], Failed: [] })
      .resolvesOnce({ Successful: [], Failed: [{ Id: "11", Code: "InternalError", SenderFault: false }] });
    const queue = new SqsEngineQueue(new SQSClient({}), "https://sqs/engine.fifo");
    const messages = Array.from({ length: 12 }, (_, i) => ({
      groupId: `c-${i % 3}`,
      deduplicationId: `d-${i}`,
      body: { i },
    }));
    expect(await queue.enqueue(messages)).toEqual({ failed: [11] });
    expect(sqs).toHaveReceivedCommandTimes(SendMessageBatchCommand, 2);
    expect(sqs).toHaveReceivedNthCommandWith(SendMessageBatchCommand, 2, {
      QueueUrl: "https://sqs/engine.fifo",
      Entries: [
        { Id: "10", MessageBody: '{"i":10}', MessageGroupId: "c-1", MessageDeduplicationId: "d-10" },
        { Id: "11", MessageBody: '{"i":11}', MessageGroupId: "c-2", MessageDeduplicationId: "d-11" },
      ],
    });
  });

  it("the notification queue fails loudly when SQS refuses an entry (the engine input is retried)", async () => {
    sqs
      .on(SendMessageBatchCommand)
      .resolves({ Failed: [{ Id: "0", Code: "KMS.ThrottlingException", SenderFault: false }] });
    const queue = new SqsNotificationQueue(new SQSClient({}), "https://sqs/outbound");
    await expect(queue.enqueue([{ id: "n-1" } as NotificationRecord])).rejects.toThrow("n-1");
  });

  it("the rejected sink keeps the original event with its reason as an attribute", async () => {
    sqs
      .on(SendMessageBatchCommand)
      .resolves({ Successful: [{ Id: "0", MessageId: "m", MD5OfMessageBody: "" }] });
    const sink = new SqsRejectedEventSink(new SQSClient({}), "https://sqs/rejected");
    const rejected = {
      receivedAt: "2026-01-01T00:00:00Z",
      reason: "detail.customerId: required",
      issues: [],
      event: { a: 1 },
    };
    await sink.reject([rejected]);
    expect(sqs).toHaveReceivedCommandWith(SendMessageBatchCommand, {
      QueueUrl: "https://sqs/rejected",
      Entries: [
        {
          Id: "0",
          MessageBody: JSON.stringify(rejected),
          MessageAttributes: { reason: { DataType: "String", StringValue: "detail.customerId: required" } },
        },
      ],
    });
  });
});

const origin = {
  notificationId: "Zq1pG0mJk3t9xV2bN8cR4w",
  customerId: "cust-kr-0001",
  journeyId: "post-purchase",
  instanceId: "post-purchase#o-1001",
};
const b64 = (value: string) => Buffer.from(value, "utf8").toString("base64url");

describe("SmsVoiceSender (AWS End User Messaging SMS)", () => {
  const sender = new SmsVoiceSender(new PinpointSMSVoiceV2Client({}), {
    configurationSetName: "waymark-sms",
    originationIdentity: "arn:aws:sms-voice:ap-northeast-2:123456789012:pool/pool-1234567890abcdef",
  });

  it("sends TRANSACTIONAL, or PROMOTIONAL for marketing, with the configuration set and the correlation as context", async () => {
    smsVoice.on(SendTextMessageCommand).resolves({ MessageId: "sms-1" });
    expect(
      await sender.sendSms({ ...origin, to: "+821012345678", body: "안녕하세요", marketing: false }),
    ).toEqual({ messageId: "sms-1" });
    await sender.sendSms({ ...origin, to: "+821012345678", body: "(광고) …", marketing: true });
    const context = {
      "waymark-notification": "Zq1pG0mJk3t9xV2bN8cR4w",
      "waymark-customer": b64("cust-kr-0001"),
      "waymark-journey": b64("post-purchase"),
      "waymark-instance": b64("post-purchase#o-1001"),
    };
    expect(smsVoice.commandCalls(SendTextMessageCommand).map((call) => call.args[0].input)).toEqual([
      {
        DestinationPhoneNumber: "+821012345678",
        MessageBody: "안녕하세요",
        MessageType: "TRANSACTIONAL",
        ConfigurationSetName: "waymark-sms",
        OriginationIdentity: "arn:aws:sms-voice:ap-northeast-2:123456789012:pool/pool-1234567890abcdef",
        Context: context,
      },
      {
        DestinationPhoneNumber: "+821012345678",
        MessageBody: "(광고) …",
        MessageType: "PROMOTIONAL",
        ConfigurationSetName: "waymark-sms",
        OriginationIdentity: "arn:aws:sms-voice:ap-northeast-2:123456789012:pool/pool-1234567890abcdef",
        Context: context,
      },
    ]);
  });

  it("leaves the origination identity to the service when none is configured", async () => {
    smsVoice.on(SendTextMessageCommand).resolves({ MessageId: "sms-2" });
    const accountLevel = new SmsVoiceSender(new PinpointSMSVoiceV2Client({}), {
      configurationSetName: "waymark-sms",
    });
    await accountLevel.sendSms({ ...origin, to: "+12125550123", body: "x", marketing: false });
    expect(smsVoice.commandCalls(SendTextMessageCommand)[0]!.args[0].input).not.toHaveProperty(
      "OriginationIdentity",
    );
  });

  it("turns the opt-out answer into RecipientOptedOutError, and leaves other conflicts alone", async () => {
    smsVoice
      .on(SendTextMessageCommand)
      .rejectsOnce(
        new SmsConflictException({
          message: "Conflict",
          Reason: "DESTINATION_PHONE_NUMBER_OPTED_OUT",
          $metadata: { httpStatusCode: 409 },
        }),
      )
      .rejectsOnce(
        new SmsConflictException({
          message: "Conflict",
          Reason: "RESOURCE_NOT_ACTIVE",
          $metadata: { httpStatusCode: 409 },
        }),
      );
    const message = { ...origin, to: "+12125550123", body: "x", marketing: false };
    await expect(sender.sendSms(message)).rejects.toBeInstanceOf(RecipientOptedOutError);
    const other = await sender.sendSms(message).catch((error: unknown) => error);
    expect(other).toBeInstanceOf(SmsConflictException);
    expect(other).not.toBeInstanceOf(RecipientOptedOutError);
  });

  it("lets throttling surface as a definite 'not sent' (retried), and a 5xx as an unknown outcome", async () => {
    smsVoice
      .on(SendTextMessageCommand)
      .rejectsOnce(new ThrottlingException({ message: "Rate exceeded", $metadata: { httpStatusCode: 429 } }))
      .rejectsOnce(new InternalServerException({ message: "oops", $metadata: { httpStatusCode: 500 } }));
    const message = { ...origin, to: "+12125550123", body: "x", marketing: false };
    const throttled = await sender.sendSms(message).catch((error: unknown) => error);
    expect(throttled).toBeInstanceOf(ThrottlingException);
    expect(isAmbiguousPublishError(throttled)).toBe(false);
    const failed = await sender.sendSms(message).catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(InternalServerException);
    expect(isAmbiguousPublishError(failed)).toBe(true);
  });

  it("refuses a send that returned no message id", async () => {
    smsVoice.on(SendTextMessageCommand).resolves({});
    await expect(
      sender.sendSms({ ...origin, notificationId: "n-9", to: "+12125550123", body: "x", marketing: false }),
    ).rejects.toThrow("n-9");
  });
});

describe("SnsEmailSender", () => {
  const sender = new SnsEmailSender(new SNSClient({}), {
    emailTopicArn: "arn:aws:sns:ap-northeast-2:123456789012:waymark-email",
  });

  it("publishes the email document to the email topic (subjects may be Korean)", async () => {
    sns.on(PublishCommand).resolves({ MessageId: "email-1" });
    await sender.sendEmail({
      ...origin,
      notificationId: "n-3",
      customerId: "c-1",
      to: "jiwoo@example.com",
      subject: "사용 2주째, 어떠세요?",
      body: "본문",
      template: "post-purchase.nps-survey",
      locale: "ko-KR",
      priority: "service",
      marketing: false,
    });
    expect(sns).toHaveReceivedCommandWith(PublishCommand, {
      TopicArn: "arn:aws:sns:ap-northeast-2:123456789012:waymark-email",
      Message: JSON.stringify({
        notificationId: "n-3",
        customerId: "c-1",
        journeyId: "post-purchase",
        instanceId: "post-purchase#o-1001",
        template: "post-purchase.nps-survey",
        locale: "ko-KR",
        priority: "service",
        marketing: false,
        to: "jiwoo@example.com",
        subject: "사용 2주째, 어떠세요?",
        body: "본문",
      }),
      MessageAttributes: {
        notificationId: { DataType: "String", StringValue: "n-3" },
        customerId: { DataType: "String", StringValue: "c-1" },
        template: { DataType: "String", StringValue: "post-purchase.nps-survey" },
        category: { DataType: "String", StringValue: "transactional" },
      },
    });
  });

  it("refuses, before publishing, a document the email sender would refuse", async () => {
    sns.on(PublishCommand).resolves({ MessageId: "email-2" });
    const message = {
      ...origin,
      to: "jiwoo@example.com",
      subject: "s",
      body: "b",
      template: "t",
      locale: "en-US",
      priority: "marketing" as const,
      marketing: true,
    };
    await expect(
      sender.sendEmail({ ...message, headers: { "List-Unsubscribe": "<http://plain.example/u>" } }),
    ).rejects.toThrow(/List-Unsubscribe/);
    await expect(sender.sendEmail({ ...message, headers: { Bcc: "all@example.com" } })).rejects.toThrow();
    expect(sns).not.toHaveReceivedCommand(PublishCommand);
  });
});

describe("delivery correlation (issue 10: what the providers hand back)", () => {
  it("round-trips through SES tags and SMS context, every value within the providers' alphabets", () => {
    const tags = correlationTags(origin);
    for (const tag of tags) {
      expect(tag.Name).toMatch(/^[A-Za-z0-9_-]{1,256}$/);
      expect(tag.Value).toMatch(/^[A-Za-z0-9_-]{1,256}$/);
    }
    const asSesHandsThemBack = Object.fromEntries(tags.map((tag) => [tag.Name, [tag.Value]]));
    expect(
      correlationFromTags({ ...asSesHandsThemBack, "ses:configuration-set": ["waymark-email"] }),
    ).toEqual(origin);
    const context = correlationContext(origin);
    expect(Object.keys(context)).toHaveLength(4);
    expect(correlationFromContext(context)).toEqual(origin);
  });

  it("splits a long multi-byte customer id over two SES tags and keeps it whole in SMS context", () => {
    const customerId = "고객".repeat(64); // 128 characters, 384 UTF-8 bytes, 512 base64url characters
    const tags = correlationTags({ notificationId: "n-1", customerId });
    expect(tags.map((tag) => tag.Name)).toEqual([
      "waymark-notification",
      "waymark-customer",
      "waymark-customer-1",
    ]);
    expect(tags.every((tag) => tag.Value.length <= 256)).toBe(true);
    expect(correlationFromTags(Object.fromEntries(tags.map((t) => [t.Name, [t.Value]])))).toEqual({
      notificationId: "n-1",
      customerId,
    });
    const context = correlationContext({ notificationId: "n-1", customerId });
    expect(Object.values(context).every((value) => value.length <= 800)).toBe(true);
    expect(correlationFromContext(context)?.customerId).toBe(customerId);
  });

  it("finds nothing in a message that is not Waymark's, or whose correlation was tampered with", () => {
    expect(correlationFromTags({ "ses:configuration-set": ["waymark-email"] })).toBeUndefined();
    expect(correlationFromContext({ account: "bar" })).toBeUndefined();
    const context = correlationContext(origin);
    expect(correlationFromContext({ ...context, "waymark-customer": "not base64url!" })).toBeUndefined();
    expect(correlationFromContext({ ...context, "waymark-notification": "a#b" })).toBeUndefined();
    expect(
      correlationFromTags({ "waymark-notification": ["n"], "waymark-customer": ["YQ", "Yg"] }),
    ).toBeUndefined();
    // A journey id longer than the event contract allows is left out rather than sent truncated.
    expect(correlationContext({ ...origin, journeyId: "j".repeat(129) })).not.toHaveProperty(
      "waymark-journey",
    );
    expect(() => correlationTags({ ...origin, notificationId: "has space" })).toThrow(RangeError);
  });
});

describe("SQS batches (issue 9: sizes AWS will refuse)", () => {
  it("split by 256 KiB as well as by ten, and an entry too large for any message fails alone", async () => {
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
    const queue = new SqsEngineQueue(new SQSClient({}), "https://sqs/engine.fifo");
    const message = (i: number, kib: number) => ({
      groupId: `c-${i}`,
      deduplicationId: `d-${i}`,
      body: { kind: "event", pad: "x".repeat(kib * 1024) },
    });
    const messages = [
      ...Array.from({ length: 5 }, (_, i) => message(i, 100)),
      message(5, 300), // over the limit for one message
      ...Array.from({ length: 12 }, (_, i) => message(6 + i, 1)),
    ];
    const { failed } = await queue.enqueue(messages);
    expect(failed).toEqual([5]);
    const calls = sqs.commandCalls(SendMessageBatchCommand).map((call) => call.args[0].input.Entries!);
    for (const entries of calls) {
      expect(entries.length).toBeLessThanOrEqual(10);
      const bytes = entries.reduce((sum, e) => sum + Buffer.byteLength(e.MessageBody!, "utf8"), 0);
      expect(bytes).toBeLessThanOrEqual(256 * 1024);
    }
    // Every message but the oversize one was sent, in order, exactly once.
    expect(calls.flat().map((e) => e.Id)).toEqual(
      messages.map((_, i) => String(i)).filter((id) => id !== "5"),
    );
  });
});
