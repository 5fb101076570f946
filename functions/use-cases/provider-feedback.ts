/**
 * What the providers report about a message, as Waymark's feedback events (docs/delivery-policy.md, feedback):
 * SES event-publishing records and AWS End User Messaging SMS events, each as its configuration set publishes it
 * to the feedback topic, are parsed as hostile input (zod, every field read bounded; unknown types ignored)
 * and mapped to MessageDelivered, MessageBounced, MessageComplained, MessageOpened, MessageClicked or
 * MessageFailed. The notification, customer, journey and instance come back in the SES tags or the SMS
 * context the senders wrote (functions/messages/delivery-correlation.ts); a record without them is not
 * Waymark's.
 *
 * Each event's `eventId` is derived from the provider, its message id, the event type and its time, so a
 * record delivered again becomes the same event, which the claimed emit, ingest and the engine all recognise.
 */
import * as z from "zod";
import { stableId } from "../core/ids.ts";
import { type FeedbackDetailType, MESSAGE_FEEDBACK } from "../core/message-feedback.ts";
import {
  correlationFromContext,
  correlationFromTags,
  type DeliveryCorrelation,
} from "../messages/delivery-correlation.ts";
import type { EmittedEvent } from "../ports/event-emitter.ts";

/** SQS's limit: a body larger than this did not come from a provider through the queue. */
export const FEEDBACK_BODY_MAX_BYTES = 256 * 1024;

export type ProviderFeedback =
  /** The record maps to this event (a feedback event, with `customerId` and a deterministic `eventId`). */
  | { kind: "event"; provider: Provider; event: EmittedEvent }
  /** A provider record of a type Waymark does not act on (SES Send, SMS TEXT_QUEUED…). */
  | { kind: "ignored"; provider: Provider; type: string }
  /** A provider record about a message Waymark did not send: no correlation in its tags or context. */
  | { kind: "not-ours"; provider: Provider; type: string }
  /** Not a record either provider writes, or one whose fields are out of bounds. */
  | { kind: "unreadable"; problems: string[] };

export type Provider = "ses" | "sms";

const REASON_LIMIT = 500;
const ID_LIMIT = 128;
const timestamp = z.iso.datetime({ offset: true });
const text = (max: number) => z.string().max(max);

// --- SES event publishing (Amazon SES, "Contents of event data that Amazon SES publishes to Amazon SNS") ---

const sesMail = z.object({
  messageId: z.string().min(1).max(256),
  timestamp,
  // Up to 50 of the sender's tags, and SES's own (ses:configuration-set, ses:from-domain…): one value each.
  tags: z
    .record(text(256), z.array(text(256)).max(10))
    .refine((tags) => Object.keys(tags).length <= 64, "too many tags")
    .optional(),
});

const sesRecord = z.discriminatedUnion("eventType", [
  z.object({ eventType: z.literal("Delivery"), mail: sesMail, delivery: z.object({ timestamp }) }),
  z.object({
    eventType: z.literal("Bounce"),
    mail: sesMail,
    bounce: z.object({
      bounceType: z.enum(["Permanent", "Transient", "Undetermined"]),
      bounceSubType: text(100),
      timestamp,
    }),
  }),
  z.object({
    eventType: z.literal("Complaint"),
    mail: sesMail,
    complaint: z.object({ timestamp, complaintFeedbackType: text(100).nullish() }),
  }),
  z.object({ eventType: z.literal("Open"), mail: sesMail, open: z.object({ timestamp }) }),
  z.object({
    eventType: z.literal("Click"),
    mail: sesMail,
    click: z.object({ timestamp, link: text(8192) }),
  }),
  z.object({
    eventType: z.literal("Reject"),
    mail: sesMail,
    reject: z.object({ reason: text(1000).nullish() }),
  }),
  z.object({
    eventType: z.literal("Rendering Failure"),
    mail: sesMail,
    failure: z.object({ errorMessage: text(2000).nullish(), templateName: text(256).nullish() }),
  }),
]);
type SesRecord = z.infer<typeof sesRecord>;

/** SES event types that say nothing the engine acts on: the email was sent, is delayed, or a subscription changed. */
const SES_IGNORED = new Set(["Send", "DeliveryDelay", "Subscription"]);
/** The SES event types mapped to a feedback event (a new type SES adds is ignored until it is mapped). */
const SES_MAPPED = new Set([
  "Delivery",
  "Bounce",
  "Complaint",
  "Open",
  "Click",
  "Reject",
  "Rendering Failure",
]);

// --- AWS End User Messaging SMS events ("Messaging events": the SMS example log) ---

const smsRecord = z.object({
  eventType: z.string().regex(/^TEXT_[A-Z_]{1,40}$/),
  eventTimestamp: z.number().int().nonnegative().max(8_640_000_000_000_000),
  isFinal: z.boolean().optional(),
  messageId: z.string().min(1).max(256),
  messageStatus: text(64).optional(),
  context: z
    .record(text(100), text(800))
    .refine((context) => Object.keys(context).length <= 5, "at most 5 context entries")
    .optional(),
});
type SmsRecord = z.infer<typeof smsRecord>;

type SmsOutcome =
  | { detailType: typeof MESSAGE_FEEDBACK.delivered }
  | { detailType: typeof MESSAGE_FEEDBACK.bounced; bounceType: "hard" | "soft" }
  | { detailType: typeof MESSAGE_FEEDBACK.failed };

/** Each SMS event type the engine acts on; every other type (QUEUED, PENDING, UNKNOWN, SENT…) is ignored. */
const SMS_OUTCOMES: Readonly<Record<string, SmsOutcome>> = {
  TEXT_DELIVERED: { detailType: MESSAGE_FEEDBACK.delivered },
  TEXT_SUCCESSFUL: { detailType: MESSAGE_FEEDBACK.delivered },
  TEXT_INVALID: { detailType: MESSAGE_FEEDBACK.bounced, bounceType: "hard" },
  TEXT_UNREACHABLE: { detailType: MESSAGE_FEEDBACK.bounced, bounceType: "soft" },
  TEXT_CARRIER_UNREACHABLE: { detailType: MESSAGE_FEEDBACK.bounced, bounceType: "soft" },
  TEXT_TTL_EXPIRED: { detailType: MESSAGE_FEEDBACK.bounced, bounceType: "soft" },
  TEXT_BLOCKED: { detailType: MESSAGE_FEEDBACK.failed },
  TEXT_CARRIER_BLOCKED: { detailType: MESSAGE_FEEDBACK.failed },
  TEXT_SPAM: { detailType: MESSAGE_FEEDBACK.failed },
  TEXT_INVALID_MESSAGE: { detailType: MESSAGE_FEEDBACK.failed },
  TEXT_PROTECT_BLOCKED: { detailType: MESSAGE_FEEDBACK.failed },
};

/** The SMS event types the configuration set sends to the feedback topic: exactly those mapped above. */
export const SMS_FEEDBACK_EVENT_TYPES: readonly string[] = Object.keys(SMS_OUTCOMES);

/** The SES event types the configuration set sends to the feedback topic (its `MatchingEventTypes` spelling). */
export const SES_FEEDBACK_EVENT_TYPES = [
  "delivery",
  "bounce",
  "complaint",
  "open",
  "click",
  "reject",
  "renderingFailure",
] as const;

/** The feedback event a queue body from the feedback topic stands for, or why there is none. */
export function providerFeedback(body: string): ProviderFeedback {
  if (Buffer.byteLength(body, "utf8") > FEEDBACK_BODY_MAX_BYTES)
    return { kind: "unreadable", problems: [`body: more than ${FEEDBACK_BODY_MAX_BYTES} bytes`] };
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { kind: "unreadable", problems: ["body: not JSON"] };
  }
  const record = json as { eventType?: unknown; mail?: unknown } | null;
  if (typeof record !== "object" || record === null || typeof record.eventType !== "string")
    return { kind: "unreadable", problems: ["body: not a provider event (no eventType)"] };
  if (record.mail !== undefined) return fromSes(record.eventType, json);
  if (record.eventType.startsWith("TEXT_")) return fromSms(json);
  return {
    kind: "unreadable",
    problems: [`eventType: ${JSON.stringify(record.eventType.slice(0, 64))} is neither SES's nor SMS's`],
  };
}

function fromSes(eventType: string, json: unknown): ProviderFeedback {
  if (SES_IGNORED.has(eventType)) return { kind: "ignored", provider: "ses", type: eventType };
  const parsed = sesRecord.safeParse(json);
  if (!parsed.success) {
    return SES_MAPPED.has(eventType)
      ? { kind: "unreadable", problems: problems(parsed.error) }
      : { kind: "ignored", provider: "ses", type: eventType.slice(0, 64) };
  }
  const record = parsed.data;
  const correlation = correlationFromTags(record.mail.tags ?? {});
  if (!correlation) return { kind: "not-ours", provider: "ses", type: record.eventType };
  const { detailType, occurredAt, fields } = sesOutcome(record);
  return {
    kind: "event",
    provider: "ses",
    event: feedbackEvent("ses", record.eventType, record.mail.messageId, occurredAt, correlation, "email", {
      detailType,
      fields,
    }),
  };
}

function sesOutcome(record: SesRecord): {
  detailType: FeedbackDetailType;
  occurredAt: string;
  fields: Record<string, unknown>;
} {
  switch (record.eventType) {
    case "Delivery":
      return { detailType: MESSAGE_FEEDBACK.delivered, occurredAt: record.delivery.timestamp, fields: {} };
    case "Bounce":
      return {
        detailType: MESSAGE_FEEDBACK.bounced,
        occurredAt: record.bounce.timestamp,
        fields: {
          // Permanent: the address does not exist. Transient and Undetermined: it may work another time.
          bounceType: record.bounce.bounceType === "Permanent" ? "hard" : "soft",
          reason: record.bounce.bounceSubType,
        },
      };
    case "Complaint":
      return {
        detailType: MESSAGE_FEEDBACK.complained,
        occurredAt: record.complaint.timestamp,
        fields: record.complaint.complaintFeedbackType
          ? { feedbackType: record.complaint.complaintFeedbackType }
          : {},
      };
    case "Open":
      return { detailType: MESSAGE_FEEDBACK.opened, occurredAt: record.open.timestamp, fields: {} };
    case "Click":
      return {
        detailType: MESSAGE_FEEDBACK.clicked,
        occurredAt: record.click.timestamp,
        fields: webLink(record.click.link) ? { link: record.click.link } : {},
      };
    case "Reject":
      return {
        detailType: MESSAGE_FEEDBACK.failed,
        occurredAt: record.mail.timestamp,
        fields: { permanent: true, reason: reason("Reject", record.reject.reason) },
      };
    case "Rendering Failure":
      return {
        detailType: MESSAGE_FEEDBACK.failed,
        occurredAt: record.mail.timestamp,
        fields: { permanent: true, reason: reason("Rendering Failure", record.failure.errorMessage) },
      };
  }
}

function fromSms(json: unknown): ProviderFeedback {
  const parsed = smsRecord.safeParse(json);
  if (!parsed.success) return { kind: "unreadable", problems: problems(parsed.error) };
  const record: SmsRecord = parsed.data;
  const outcome = SMS_OUTCOMES[record.eventType];
  // TEXT_SUCCESSFUL is the carrier accepting the message; it means delivered only when it is the last word.
  if (!outcome || (record.eventType === "TEXT_SUCCESSFUL" && record.isFinal !== true))
    return { kind: "ignored", provider: "sms", type: record.eventType };
  const correlation = correlationFromContext(record.context ?? {});
  if (!correlation) return { kind: "not-ours", provider: "sms", type: record.eventType };
  const status = record.messageStatus ?? record.eventType.slice("TEXT_".length);
  const fields =
    outcome.detailType === MESSAGE_FEEDBACK.bounced
      ? { bounceType: outcome.bounceType, reason: status }
      : outcome.detailType === MESSAGE_FEEDBACK.failed
        ? { permanent: true, reason: status }
        : {};
  const occurredAt = new Date(record.eventTimestamp).toISOString();
  return {
    kind: "event",
    provider: "sms",
    event: feedbackEvent("sms", record.eventType, record.messageId, occurredAt, correlation, "sms", {
      detailType: outcome.detailType,
      fields,
    }),
  };
}

function feedbackEvent(
  provider: Provider,
  type: string,
  providerMessageId: string,
  occurredAt: string,
  correlation: DeliveryCorrelation,
  channel: "sms" | "email",
  outcome: { detailType: FeedbackDetailType; fields: Record<string, unknown> },
): EmittedEvent {
  return {
    detailType: outcome.detailType,
    detail: {
      customerId: correlation.customerId,
      notificationId: correlation.notificationId,
      channel,
      ...(correlation.journeyId !== undefined ? { journeyId: correlation.journeyId } : {}),
      ...(correlation.instanceId !== undefined ? { instanceId: correlation.instanceId } : {}),
      ...(providerMessageId.length <= ID_LIMIT ? { providerMessageId } : {}),
      ...outcome.fields,
      eventId: stableId(provider, providerMessageId, type, occurredAt),
      occurredAt,
    },
  };
}

function reason(label: string, detail: string | null | undefined): string {
  return (detail ? `${label}: ${detail}` : label).slice(0, REASON_LIMIT);
}

/** The event contract's link: http(s), at most 2,048 characters; anything else is left out. */
function webLink(link: string): boolean {
  if (link.length > 2048) return false;
  try {
    return ["http:", "https:"].includes(new URL(link).protocol);
  } catch {
    return false;
  }
}

function problems(error: z.ZodError): string[] {
  return error.issues.slice(0, 10).map((issue) => `${issue.path.join(".") || "body"}: ${issue.message}`);
}
