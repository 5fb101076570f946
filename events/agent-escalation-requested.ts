import * as z from "zod";
import { defineEvent } from "../functions/core/catalog/define-event.ts";
import { customerEventBase } from "./customer-event-base.ts";
import {
  displayName,
  expected,
  freeText,
  identifier,
  isoDateTime,
  journeyId,
  journeyInstanceId,
  locale,
  notificationChannel,
  npsScore,
  positiveInteger,
  timeZone,
} from "./fields.ts";

/**
 * Escalations are read by people and land in contact-centre tools and their logs, so contact points travel
 * masked (`+82-10-****-5678`, `k***@example.com`); a value without a mask character is refused.
 */
const maskedContact = z
  .string()
  .min(1)
  .max(256)
  .regex(/\*/, expected("must be masked, e.g. +82-10-****-5678"));

const timelineEntry = z.object({
  at: isoDateTime.describe("When it happened"),
  kind: z
    .enum(["event", "message", "journey"])
    .describe(
      "event: something the customer did or that happened to them; message: something Waymark sent; " +
        "journey: a journey step (started, escalated, ended)",
    ),
  summary: z.string().min(1).max(500).describe("One line for the agent, free of raw contact details"),
});

const escalationContext = z.object({
  profile: z
    .object({
      name: displayName.optional().describe("How to address the customer"),
      locale: locale.optional().describe("The customer's language, e.g. ko-KR"),
      timeZone: timeZone
        .optional()
        .describe("The customer's IANA time zone, so the agent calls at a decent hour"),
      preferredChannel: notificationChannel.optional(),
      maskedPhone: maskedContact.optional().describe("Masked phone number, e.g. +82-10-****-5678"),
      maskedEmail: maskedContact.optional().describe("Masked email address, e.g. k***@example.com"),
    })
    .describe("Profile summary"),
  order: z
    .object({
      orderId: identifier,
      items: z
        .array(
          z.object({
            sku: identifier,
            name: displayName,
            model: identifier.optional(),
            quantity: positiveInteger,
          }),
        )
        .min(1)
        .max(100),
      deliveredAt: isoDateTime.optional(),
    })
    .optional()
    .describe("The order in question, when the escalation is about one"),
  survey: z
    .object({
      surveyId: identifier,
      score: npsScore,
      comment: freeText.optional().describe("The customer's own words"),
    })
    .optional()
    .describe("The survey answer that triggered the escalation, if any"),
  recall: z
    .object({
      recallId: identifier,
      model: identifier.optional().describe("The affected model the customer owns"),
    })
    .optional()
    .describe("The recall in question, when the escalation is about one"),
  timeline: z
    .array(timelineEntry)
    .max(100)
    .describe(
      "The customer's recent events and messages, oldest first, so they never have to repeat themselves",
    ),
});

export const agentEscalationRequested = defineEvent({
  detailType: "AgentEscalationRequested",
  scope: "customer",
  direction: "emitted",
  description:
    "A human agent should call the customer. The context carries what the agent needs: a profile summary, " +
    "the order or recall in question and the recent timeline.",
  detail: customerEventBase.extend({
    journeyId,
    instanceId: journeyInstanceId,
    reason: z.string().min(1).max(500).describe("Why a person should call, e.g. detractor NPS score 4"),
    context: escalationContext,
  }),
  samples: [
    {
      customerId: "cust-us-0042",
      journeyId: "post-purchase",
      instanceId: "post-purchase#US-1000457",
      reason: "detractor NPS score 3",
      context: { profile: {}, timeline: [] },
    },
    {
      customerId: "cust-kr-0001",
      eventId: "esc-post-purchase-KR-20250301-000124",
      occurredAt: "2025-03-17T20:11:02+09:00",
      journeyId: "post-purchase",
      instanceId: "post-purchase#KR-20250301-000124",
      reason: "detractor NPS score 4",
      context: {
        profile: {
          name: "김민지",
          locale: "ko-KR",
          timeZone: "Asia/Seoul",
          preferredChannel: "sms",
          maskedPhone: "+82-10-****-5678",
          maskedEmail: "m***@example.com",
        },
        order: {
          orderId: "KR-20250301-000124",
          items: [
            { sku: "NX2-256-BLK", name: "Nova X2 256GB 블랙", model: "NX2-256", quantity: 1 },
            { sku: "VP-20K-WHT", name: "Volt 20000mAh 보조배터리", model: "VP-20000", quantity: 2 },
          ],
          deliveredAt: "2025-03-03T14:00:00+09:00",
        },
        survey: { surveyId: "srv-KR-20250301-000124", score: 4, comment: "배터리가 하루를 못 버텨요." },
        timeline: [
          {
            at: "2025-03-01T10:12:45+09:00",
            kind: "event",
            summary: "Order KR-20250301-000124 placed (2 items)",
          },
          { at: "2025-03-03T14:00:00+09:00", kind: "event", summary: "Order KR-20250301-000124 delivered" },
          { at: "2025-03-05T10:00:00+09:00", kind: "message", summary: "SMS post-purchase.tips sent" },
          { at: "2025-03-17T10:00:00+09:00", kind: "message", summary: "SMS post-purchase.nps-survey sent" },
          { at: "2025-03-17T20:11:00+09:00", kind: "event", summary: "Survey answered: score 4" },
        ],
      },
    },
    {
      customerId: "cust-us-0042",
      journeyId: "product-recall",
      instanceId: "product-recall#RC-2025-0008",
      reason: "critical recall unresolved after 2 reminders",
      context: {
        profile: {
          name: "Emily Carter",
          locale: "en-US",
          timeZone: "America/New_York",
          maskedEmail: "e***@example.com",
        },
        recall: { recallId: "RC-2025-0008", model: "VP-20000" },
        timeline: [
          { at: "2025-03-09T20:00:00-05:00", kind: "message", summary: "Email product-recall.notice sent" },
          { at: "2025-03-16T20:00:00-04:00", kind: "message", summary: "Email product-recall.reminder sent" },
          { at: "2025-03-23T20:00:00-04:00", kind: "message", summary: "Email product-recall.reminder sent" },
        ],
      },
    },
  ],
});

export type AgentEscalationRequestedDetail = z.infer<typeof agentEscalationRequested.detail>;
export type AgentEscalationContext = z.infer<typeof escalationContext>;
