import { stableId } from "../core/ids.ts";
import type { NotificationRecord } from "../core/notification.ts";
import type { EventEmitter } from "../ports/event-emitter.ts";
import { type MessageSender, RecipientOptedOutError } from "../ports/message-sender.ts";
import type { ClaimResult, NotificationStore } from "../ports/notification-store.ts";
import type { SendingRateLimiter } from "../ports/sending-rate.ts";
import { retryRecording } from "./retry.ts";
import type { UnsubscribeLinks } from "./unsubscribe-links.ts";

export interface NotifierDependencies {
  store: NotificationStore;
  sender: MessageSender;
  /** Waymark's own events (source `waymark`): NotificationSent, NotificationSuppressed. */
  events: EventEmitter;
  /**
   * What the notifier learns about a customer goes back in as an ordinary inbound event
   * (source `waymark.notifier`), so the engine's per-customer order and context rules apply.
   */
  feedback: EventEmitter;
  /** Signed RFC 8058 links for marketing email; without them marketing email is not sent. */
  unsubscribe?: UnsubscribeLinks;
  clock: () => Date;
  /** The catalog's sending rate per channel, shared by every notifier; absent: no pacing. */
  rate?: SendingRateLimiter;
  /** Waits for a reserved slot (a timer in Lambda; tests pass their own). @default setTimeout */
  sleep?: (ms: number) => Promise<void>;
}

/** A marketing email with no way to unsubscribe would be unlawful: refuse it loudly. */
export class MissingUnsubscribeLinkError extends Error {
  override name = "MissingUnsubscribeLinkError";
}

/** The channel's sending rate has no slot free soon: the message goes back to the queue, claim released. */
export class SendRateLimitedError extends Error {
  override name = "SendRateLimitedError";
}

/** Another worker is publishing this very message right now; SQS will redeliver later. */
export class SendInProgressError extends Error {
  override name = "SendInProgressError";
}

export type DeliveryOutcome = "sent" | "duplicate" | "recorded" | "uncertain";

/** Transport failures after the request may have left: the provider may or may not have the message. */
const AMBIGUOUS_NAMES = new Set([
  "TimeoutError",
  "RequestTimeout",
  "RequestTimeoutException",
  "NetworkingError",
]);
const AMBIGUOUS_CODES = new Set(["ECONNRESET", "ETIMEDOUT", "EPIPE", "ECONNABORTED", "EAI_AGAIN"]);

/**
 * A publish error that does not say whether the provider accepted the message: a timeout or a reset
 * connection, or a 5xx answer. A 4xx (throttling included) and an error raised before any request
 * are a definite "not sent", and the send is retried.
 */
export function isAmbiguousPublishError(error: unknown): boolean {
  const failure = error as { name?: string; code?: string; $metadata?: { httpStatusCode?: number } } | null;
  const status = failure?.$metadata?.httpStatusCode;
  if (status !== undefined) return status >= 500;
  return AMBIGUOUS_NAMES.has(failure?.name ?? "") || AMBIGUOUS_CODES.has(failure?.code ?? "");
}

/**
 * Exactly-once delivery of one decision: claim its deterministic id, publish, mark it sent.
 * A redelivered message finds the claim and publishes nothing. Once the provider (End User Messaging SMS, or
 * SNS for the email topic) has accepted a message, marking it sent is retried, never the publish. When a
 * publish fails without saying whether the provider took it (a timeout, a 5xx), the rule is per priority:
 * marketing and service messages are sent at most once (the claim ends as `uncertain`, recorded and counted,
 * nothing is re-sent); safety messages at least once (the claim is released and SQS retries: a rare duplicate
 * beats a lost safety notice). A worker that dies holding the claim (before or after the provider took the
 * message: nobody can tell) is treated the same way once its lease runs out: a marketing or service message
 * ends `uncertain`, a safety message is published again. Neither SendTextMessage nor SNS Publish to a
 * standard topic takes an idempotency key that could close this window for both.
 */
export async function deliverNotification(
  record: NotificationRecord,
  deps: NotifierDependencies,
): Promise<DeliveryOutcome> {
  if (record.status !== "sent") {
    const outcome = await deps.store.record(record);
    // Emitted even for a duplicate: the first worker may have recorded the decision and died before its
    // event went out. The emit is claimed, so it goes out once.
    if (record.status === "suppressed") await emitSuppressed(record, record.channel, deps);
    return outcome === "duplicate" ? "duplicate" : "recorded";
  }

  const claim = await deps.store.claim(record, deps.clock());
  if (claim.outcome === "done") {
    await emitOwed(record, claim, deps);
    return "duplicate";
  }
  if (claim.outcome === "busy")
    throw new SendInProgressError(`notification ${record.id} is being sent by another worker`);
  if (claim.takenOver && record.priority !== "safety") {
    // The worker that claimed this send died holding the claim, perhaps after the provider took it: a
    // marketing or service message is sent at most once, so it is not published again.
    await deps.store.markUncertain(
      record,
      deps.clock(),
      "an earlier attempt stopped after claiming the send; the provider may have the message",
    );
    return "uncertain";
  }

  await awaitSlot(record, deps);
  let messageId: string;
  try {
    ({ messageId } = await publish(record, deps));
  } catch (error) {
    if (error instanceof RecipientOptedOutError && record.channel) {
      await suppressOptedOut(record, record.channel, deps);
      return "recorded";
    }
    if (isAmbiguousPublishError(error) && record.priority !== "safety") {
      const cause =
        error instanceof Error ? `${error.name}: publish outcome unknown` : "publish outcome unknown";
      await deps.store.markUncertain(record, deps.clock(), cause);
      return "uncertain";
    }
    await deps.store.release(record);
    throw error;
  }
  await retryRecording(() => deps.store.markSent(record, messageId, deps.clock()));
  await emitSent(record, messageId, deps);
  return "sent";
}

/**
 * Holds the message until the channel's rate has a slot for it. No slot soon: the claim is given back and the
 * message returns to its queue (SQS redelivers it after its visibility timeout).
 */
async function awaitSlot(record: NotificationRecord, deps: NotifierDependencies): Promise<void> {
  if (!deps.rate || !record.channel) return;
  let slot: Date | undefined;
  try {
    slot = await deps.rate.reserve(record.channel, deps.clock());
  } catch (error) {
    await deps.store.release(record);
    throw error;
  }
  if (!slot) {
    await deps.store.release(record);
    throw new SendRateLimitedError(`${record.channel} is at its sending rate; ${record.id} will be retried`);
  }
  const wait = slot.getTime() - deps.clock().getTime();
  if (wait > 0) await (deps.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))))(wait);
}

/**
 * A redelivered message whose decision is already made still owes what the decision announces, if the
 * worker that made it died before announcing it; the claimed emits make this a no-op otherwise.
 */
async function emitOwed(
  record: NotificationRecord,
  done: Extract<ClaimResult, { outcome: "done" }>,
  deps: NotifierDependencies,
) {
  if (done.delivery === "sent" && done.messageId) await emitSent(record, done.messageId, deps);
  if (done.delivery === "suppressed" && done.record.reason === "opted-out" && done.record.channel)
    await announceOptOut(done.record, done.record.channel, deps);
}

async function emitSent(record: NotificationRecord, messageId: string, deps: NotifierDependencies) {
  await deps.events.emit([
    {
      detailType: "NotificationSent",
      detail: {
        ...identity(record),
        // Deterministic: the emit claim and any consumer recognise a re-emitted NotificationSent.
        eventId: stableId("NotificationSent", record.id),
        channel: record.channel,
        locale: record.locale,
        at: record.at,
        ...(record.smsSegments !== undefined ? { smsSegments: record.smsSegments } : {}),
        messageId,
      },
    },
  ]);
}

async function emitSuppressed(
  record: NotificationRecord,
  channel: NotificationRecord["channel"],
  deps: NotifierDependencies,
) {
  await deps.events.emit([
    {
      detailType: "NotificationSuppressed",
      detail: {
        ...identity(record),
        eventId: stableId("NotificationSuppressed", record.id),
        ...(channel ? { channel } : {}),
        reason: record.reason,
        why: record.why,
        at: record.at,
      },
    },
  ]);
}

/** The fields every notification event shares: which message, for whom, from which journey. */
function identity(record: NotificationRecord) {
  return {
    customerId: record.customerId,
    notificationId: record.id,
    journeyId: record.journeyId,
    instanceId: record.instanceId,
    template: record.template,
    priority: record.priority,
  };
}

/** The channel bounced as opted out: keep the record as suppressed and tell the engine. */
async function suppressOptedOut(
  record: NotificationRecord,
  channel: "sms" | "email",
  deps: NotifierDependencies,
) {
  const suppressed: NotificationRecord = {
    ...record,
    status: "suppressed",
    reason: "opted-out",
    why: [...record.why, `${channel}: the carrier reports the recipient opted out; the channel is closed`],
  };
  await deps.store.markSuppressed(suppressed, deps.clock());
  await announceOptOut(suppressed, channel, deps);
}

/** The opt-out goes back in as input (closing the channel), and out as a NotificationSuppressed. */
async function announceOptOut(
  suppressed: NotificationRecord,
  channel: "sms" | "email",
  deps: NotifierDependencies,
) {
  await deps.feedback.emit([
    {
      detailType: "NotificationOptOut",
      detail: {
        customerId: suppressed.customerId,
        channel,
        // One per refused message: a customer who opts out again after re-subscribing is a new input.
        eventId: stableId("NotificationOptOut", suppressed.id),
        occurredAt: deps.clock().toISOString(),
      },
    },
  ]);
  await emitSuppressed(suppressed, channel, deps);
}

async function publish(
  record: NotificationRecord,
  deps: NotifierDependencies,
): Promise<{ messageId: string }> {
  const sender = deps.sender;
  if (!record.to || !record.body || !record.channel) {
    throw new TypeError(`notification ${record.id} has status sent but no channel, recipient or body`);
  }
  const origin = {
    notificationId: record.id,
    customerId: record.customerId,
    journeyId: record.journeyId,
    instanceId: record.instanceId,
  };
  if (record.channel === "sms") {
    return sender.sendSms({
      ...origin,
      to: record.to,
      body: record.body,
      marketing: record.marketing === true,
    });
  }
  let body = record.body;
  let headers: Record<string, string> | undefined;
  if (record.marketing) {
    if (!deps.unsubscribe)
      throw new MissingUnsubscribeLinkError(`marketing email ${record.id} needs an unsubscribe link`);
    const now = deps.clock();
    headers = await deps.unsubscribe.headers(record.customerId, now);
    body = `${body}\n\n${unsubscribeFooter(record.locale)}: ${await deps.unsubscribe.url(record.customerId, "email", now)}`;
  }
  return sender.sendEmail({
    ...origin,
    to: record.to,
    subject: record.subject ?? "",
    body,
    ...(headers ? { headers } : {}),
    template: record.template,
    locale: record.locale,
    priority: record.priority,
    marketing: record.marketing === true,
  });
}

function unsubscribeFooter(locale: string): string {
  return locale === "ko-KR" ? "수신거부" : "Unsubscribe";
}
