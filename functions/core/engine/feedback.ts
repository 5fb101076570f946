import type { CustomerEvent } from "../catalog/catalog.ts";
import type { Channel, ChannelClosure, Fallback } from "../customer-state.ts";
import { stableId } from "../ids.ts";
import { isFeedbackDetailType, MESSAGE_FEEDBACK } from "../message-feedback.ts";
import { deliver, type PendingMessage } from "./delivery.ts";
import type { TransitionRun } from "./transition-run.ts";

interface FeedbackDetail {
  notificationId: string;
  channel: Channel;
  bounceType?: "hard" | "soft";
  permanent?: boolean;
  reason?: string;
}

/**
 * What the customer's state learns from news of a message (docs/delivery-policy.md, feedback): a delivery
 * clears the channel's soft bounces and its pending fallback; a hard bounce or a complaint closes the channel
 * (like an opt-out, until the contact point changes), soft bounces close it past the policy's limit; a
 * message that failed for good and asked for a fallback is sent once more on the next allowed channel.
 * Journeys see the event afterwards like any other (waitForEvent on MessageOpened…).
 */
export function applyFeedback(run: TransitionRun, event: CustomerEvent): void {
  const now = run.now.getTime();
  if (run.state.fallbacks?.some((f) => Date.parse(f.until) <= now)) {
    run.state = { ...run.state, fallbacks: run.state.fallbacks.filter((f) => Date.parse(f.until) > now) };
  }
  if (!isFeedbackDetailType(event.detailType)) return;
  const detail = event.detail as unknown as FeedbackDetail;
  const { channel } = detail;
  switch (event.detailType) {
    case MESSAGE_FEEDBACK.delivered:
      setSoftBounces(run, channel, 0);
      takeFallback(run, detail.notificationId);
      return;
    case MESSAGE_FEEDBACK.complained:
      close(run, channel, "complaint", event.occurredAt);
      // The customer said this message was unwanted: it is not sent again elsewhere.
      takeFallback(run, detail.notificationId);
      return;
    case MESSAGE_FEEDBACK.bounced: {
      if (detail.bounceType === "hard") {
        close(run, channel, "hard-bounce", event.occurredAt);
        fallBack(run, detail.notificationId, `a hard bounce${detail.reason ? ` (${detail.reason})` : ""}`);
        return;
      }
      const soft = (run.state.softBounces?.[channel] ?? 0) + 1;
      setSoftBounces(run, channel, soft);
      if (soft >= run.catalog.delivery.softBounceLimit) {
        close(run, channel, "soft-bounces", event.occurredAt);
        fallBack(run, detail.notificationId, `${soft} soft bounces in a row`);
      }
      return;
    }
    case MESSAGE_FEEDBACK.failed:
      if (detail.permanent !== false)
        fallBack(run, detail.notificationId, detail.reason ?? "it failed for good");
      return;
    case MESSAGE_FEEDBACK.opened:
    case MESSAGE_FEEDBACK.clicked:
      return;
  }
}

function setSoftBounces(run: TransitionRun, channel: Channel, count: number): void {
  if ((run.state.softBounces?.[channel] ?? 0) === count) return;
  run.state = { ...run.state, softBounces: { ...run.state.softBounces, [channel]: count } };
}

/** Closes a channel for the contact point on file now: a new phone number or address reopens it. */
function close(run: TransitionRun, channel: Channel, reason: ChannelClosure["reason"], at: string): void {
  if (run.state.channelClosures?.[channel]) return;
  const address = channel === "sms" ? run.state.profile.phone : run.state.profile.email;
  const closure: ChannelClosure = { at, reason, ...(address ? { address } : {}) };
  run.state = { ...run.state, channelClosures: { ...run.state.channelClosures, [channel]: closure } };
  run.timeline(at, "message", `${channel} closed: ${reason.replace("-", " ")}; no message goes there again`);
}

function takeFallback(run: TransitionRun, notificationId: string): Fallback | undefined {
  const entry = run.state.fallbacks?.find((f) => f.notificationId === notificationId);
  if (entry) run.state = { ...run.state, fallbacks: run.state.fallbacks!.filter((f) => f !== entry) };
  return entry;
}

/** The message once more, on the next channel the policy allows; its own id, so it goes at most once. */
function fallBack(run: TransitionRun, notificationId: string, cause: string): void {
  const entry = takeFallback(run, notificationId);
  if (!entry) return;
  const message = entry.message as PendingMessage;
  deliver(run, {
    ...message,
    request: { ...message.request, notificationId: stableId(message.request.notificationId, "fallback") },
    why: [
      ...message.why,
      `fallback: ${notificationId} failed on ${entry.tried.join(", ")} (${cause}); sent once more on the next allowed channel`,
    ],
    fallback: false,
  });
}
