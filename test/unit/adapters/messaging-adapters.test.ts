import "aws-sdk-client-mock-vitest/extend";
import {
  ConflictException,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  ResourceNotFoundException,
  SchedulerClient,
} from "@aws-sdk/client-scheduler";
import { PublishCommand, SNSClient, ThrottledException } from "@aws-sdk/client-sns";
import { SendMessageBatchCommand, SQSClient } from "@aws-sdk/client-sqs";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import {
  atExpression,
  EventBridgeSchedulerTimers,
  scheduleName,
} from "../../../functions/adapters/eventbridge-scheduler-timers.ts";
import { SnsMessageSender } from "../../../functions/adapters/sns-message-sender.ts";
import { SqsEngineQueue } from "../../../functions/adapters/sqs-engine-queue.ts";
import { SqsNotificationQueue } from "../../../functions/adapters/sqs-notification-queue.ts";
import { SqsRejectedEventSink } from "../../../functions/adapters/sqs-rejected-event-sink.ts";
import type { NotificationRecord } from "../../../functions/core/notification.ts";

const sqs = mockClient(SQSClient);
const scheduler = mockClient(SchedulerClient);
const sns = mockClient(SNSClient);
afterEach(() => {
  sqs.reset();
  scheduler.reset();
  sns.reset();
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

describe("SnsMessageSender", () => {
  const sender = new SnsMessageSender(new SNSClient({}), {
    emailTopicArn: "arn:aws:sns:ap-northeast-2:123456789012:waymark-email",
    smsSenderId: "WAYMARK",
  });

  it("publishes SMS to the phone number as Transactional, or Promotional for marketing", async () => {
    sns.on(PublishCommand).resolves({ MessageId: "sms-1" });
    expect(
      await sender.sendSms({
        to: "+821012345678",
        body: "안녕하세요",
        marketing: false,
        notificationId: "n-1",
      }),
    ).toEqual({
      messageId: "sms-1",
    });
    await sender.sendSms({ to: "+821012345678", body: "(광고) …", marketing: true, notificationId: "n-2" });
    expect(sns).toHaveReceivedNthCommandWith(PublishCommand, 1, {
      PhoneNumber: "+821012345678",
      Message: "안녕하세요",
      MessageAttributes: {
        "AWS.SNS.SMS.SMSType": { DataType: "String", StringValue: "Transactional" },
        "AWS.SNS.SMS.SenderID": { DataType: "String", StringValue: "WAYMARK" },
      },
    });
    expect(sns).toHaveReceivedNthCommandWith(PublishCommand, 2, {
      MessageAttributes: expect.objectContaining({
        "AWS.SNS.SMS.SMSType": { DataType: "String", StringValue: "Promotional" },
      }),
    });
  });

  it("publishes email as a JSON document to the email topic (subjects may be Korean)", async () => {
    sns.on(PublishCommand).resolves({ MessageId: "email-1" });
    await sender.sendEmail({
      to: "jiwoo@example.com",
      subject: "사용 2주째, 어떠세요?",
      body: "본문",
      notificationId: "n-3",
      customerId: "c-1",
      template: "post-purchase.nps-survey",
      locale: "ko-KR",
      marketing: false,
    });
    expect(sns).toHaveReceivedCommandWith(PublishCommand, {
      TopicArn: "arn:aws:sns:ap-northeast-2:123456789012:waymark-email",
      Message: JSON.stringify({
        to: "jiwoo@example.com",
        subject: "사용 2주째, 어떠세요?",
        body: "본문",
        notificationId: "n-3",
        template: "post-purchase.nps-survey",
        locale: "ko-KR",
      }),
      MessageAttributes: {
        notificationId: { DataType: "String", StringValue: "n-3" },
        customerId: { DataType: "String", StringValue: "c-1" },
        template: { DataType: "String", StringValue: "post-purchase.nps-survey" },
        category: { DataType: "String", StringValue: "transactional" },
      },
    });
  });

  it("lets SNS throttling surface so the claim is released and SQS retries", async () => {
    sns.on(PublishCommand).rejects(new ThrottledException({ message: "Rate exceeded", $metadata: {} }));
    await expect(
      sender.sendSms({ to: "+12125550123", body: "x", marketing: false, notificationId: "n" }),
    ).rejects.toBeInstanceOf(ThrottledException);
  });

  it("refuses a publish that returned no message id", async () => {
    sns.on(PublishCommand).resolves({});
    await expect(
      sender.sendSms({ to: "+12125550123", body: "x", marketing: false, notificationId: "n-9" }),
    ).rejects.toThrow("n-9");
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
