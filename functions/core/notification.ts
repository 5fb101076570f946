import * as z from "zod";
import { channelSchema, prioritySchema } from "./customer-state.ts";

export const suppressionReasonSchema = z.enum([
  "no-consent",
  "opted-out",
  "frequency-cap",
  "duplicate",
  "no-contact",
  "undeliverable",
  "holdout",
  "global-control",
]);
export type SuppressionReason = z.infer<typeof suppressionReasonSchema>;

/**
 * One notification decision: what the engine decided for one message on one channel, and
 * why. The engine puts it on the outbound queue; the notifier claims it, delivers it when its
 * status is `sent`, and keeps it as the record behind every "why did I get this?" answer.
 */
export const notificationRecordSchema = z.object({
  id: z.string(),
  customerId: z.string(),
  journeyId: z.string(),
  instanceId: z.string(),
  template: z.string(),
  locale: z.string(),
  priority: prioritySchema,
  channel: channelSchema.optional(),
  to: z.string().optional(),
  subject: z.string().optional(),
  body: z.string().optional(),
  vars: z.record(z.string(), z.unknown()),
  why: z.array(z.string()),
  status: z.enum(["sent", "deferred", "suppressed"]),
  reason: suppressionReasonSchema.optional(),
  deferredUntil: z.string().optional(),
  smsSegments: z.number().int().optional(),
  /** Marks a marketing message for the carrier (SNS Promotional SMS type). */
  marketing: z.boolean().optional(),
  at: z.string(),
});
export type NotificationRecord = z.infer<typeof notificationRecordSchema>;
