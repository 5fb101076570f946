import type { z } from "zod";
import { defineEvent } from "../functions/core/catalog/define-event.ts";
import { customerEventBase } from "./customer-event-base.ts";
import {
  identifier,
  isoDateTime,
  journeyId,
  journeyInstanceId,
  locale,
  notificationChannel,
  notificationPriority,
  positiveInteger,
  templateId,
} from "./fields.ts";

export const notificationSent = defineEvent({
  detailType: "NotificationSent",
  scope: "customer",
  direction: "emitted",
  description: "Waymark handed a message to Amazon SNS for delivery to the customer.",
  detail: customerEventBase.extend({
    notificationId: identifier.describe(
      "Deterministic id of the send claim: the same message for the same customer always has the same id, " +
        "so consumers can deduplicate",
    ),
    journeyId,
    instanceId: journeyInstanceId,
    template: templateId,
    channel: notificationChannel.describe("Channel the message went out on"),
    priority: notificationPriority.describe(
      "safety, service or marketing; decides consent, quiet hours and caps",
    ),
    locale: locale.describe("Locale of the rendered template, e.g. ko-KR or en-US"),
    at: isoDateTime.describe("When the message was handed to SNS"),
    smsSegments: positiveInteger
      .optional()
      .describe("Billed SMS segments (GSM-7 160/153, UCS-2 70/67 characters); SMS only"),
    messageId: identifier.optional().describe("The SNS MessageId returned by Publish"),
  }),
  samples: [
    {
      customerId: "cust-us-0042",
      notificationId: "ntf-post-purchase-US-1000457-tips",
      journeyId: "post-purchase",
      instanceId: "post-purchase#US-1000457",
      template: "post-purchase.tips",
      channel: "email",
      priority: "service",
      locale: "en-US",
      at: "2025-03-07T15:00:00Z",
    },
    {
      customerId: "cust-kr-0001",
      eventId: "ntf-product-recall-RC-2025-0008-cust-kr-0001-notice",
      occurredAt: "2025-03-10T09:00:02+09:00",
      notificationId: "ntf-product-recall-RC-2025-0008-cust-kr-0001-notice",
      journeyId: "product-recall",
      instanceId: "product-recall#RC-2025-0008",
      template: "product-recall.notice",
      channel: "sms",
      priority: "safety",
      locale: "ko-KR",
      at: "2025-03-10T00:00:02Z",
      smsSegments: 2,
      messageId: "5d9c1e0a-7b2f-5c3e-9a41-2f6d8e0b7c11",
    },
  ],
});

export type NotificationSentDetail = z.infer<typeof notificationSent.detail>;
