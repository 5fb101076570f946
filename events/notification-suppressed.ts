import * as z from "zod";
import { defineEvent } from "../functions/core/catalog/define-event.ts";
import { suppressionReasonSchema } from "../functions/core/notification.ts";
import { customerEventBase } from "./customer-event-base.ts";
import {
  identifier,
  isoDateTime,
  journeyId,
  journeyInstanceId,
  notificationChannel,
  notificationPriority,
  templateId,
} from "./fields.ts";

/** Why a message was not sent (docs/architecture.md, guardrails). */
export const suppressionReason = suppressionReasonSchema.describe(
  "no-consent: marketing without channel consent; opted-out: the customer opted out of the channel; " +
    "frequency-cap: a frequency rule was reached (dropped, not postponed); duplicate: already sent; " +
    "no-contact: no usable channel; undeliverable: the channel is closed after a hard bounce, a complaint " +
    "or repeated soft bounces; holdout: the instance is in its journey's holdout (measured, not messaged); " +
    "global-control: the customer is in the catalog's global control group (no marketing)",
);
export type SuppressionReason = z.infer<typeof suppressionReason>;

export const notificationSuppressed = defineEvent({
  detailType: "NotificationSuppressed",
  scope: "customer",
  direction: "emitted",
  description: "Waymark decided not to send a message, and why.",
  detail: customerEventBase.extend({
    notificationId: identifier.describe("Deterministic id of the message that was not sent"),
    journeyId,
    instanceId: journeyInstanceId,
    template: templateId,
    priority: notificationPriority.describe("safety, service or marketing"),
    channel: notificationChannel
      .optional()
      .describe("The channel that was considered; absent when no channel was usable"),
    at: isoDateTime.describe("When the decision was made"),
    reason: suppressionReason,
    why: z
      .array(z.string().min(1).max(500))
      .min(1)
      .max(50)
      .describe("The ordered, human-readable reasons that led to the decision"),
  }),
  samples: [
    {
      customerId: "cust-us-0042",
      notificationId: "ntf-post-purchase-US-1000457-review",
      journeyId: "post-purchase",
      instanceId: "post-purchase#US-1000457",
      template: "post-purchase.review-request",
      priority: "marketing",
      at: "2025-03-19T14:00:00Z",
      reason: "frequency-cap",
      why: ["marketing message", "already 1 marketing message today (2025-03-19, America/New_York)"],
    },
    {
      customerId: "cust-kr-0001",
      eventId: "ntf-data-usage-cust-kr-0001-2025-03-alert-suppressed",
      occurredAt: "2025-03-24T06:00:01+09:00",
      notificationId: "ntf-data-usage-cust-kr-0001-2025-03-alert",
      journeyId: "data-usage",
      instanceId: "data-usage#2025-03-01",
      template: "data-usage.alert",
      priority: "service",
      channel: "sms",
      at: "2025-03-23T21:00:01Z",
      reason: "opted-out",
      why: [
        "used 84% of 5 GB with 8 days left",
        "customer opted out of sms on 2025-03-18",
        "no email address",
      ],
    },
  ],
});

export type NotificationSuppressedDetail = z.infer<typeof notificationSuppressed.detail>;
