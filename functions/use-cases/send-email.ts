import { stableId } from "../core/ids.ts";
import { MESSAGE_FEEDBACK } from "../core/message-feedback.ts";
import type { EmailDocument } from "../messages/email-document.ts";
import type { DeliveryClaims } from "../ports/delivery-claims.ts";
import { EmailRejectedError, type EmailTransport } from "../ports/email-transport.ts";
import type { EventEmitter } from "../ports/event-emitter.ts";
import { isAmbiguousPublishError, SendInProgressError } from "./deliver-notification.ts";
import { retryRecording } from "./retry.ts";

export interface EmailSenderDependencies {
  claims: DeliveryClaims;
  transport: EmailTransport;
  /** What the providers report (source `waymark.feedback`), claimed: a permanent refusal as MessageFailed. */
  feedback: EventEmitter;
  clock: () => Date;
}

export type EmailOutcome = "sent" | "failed" | "uncertain" | "duplicate";

/** The event contract's limits (`identifier`, `shortText`): a longer value is left out or cut, never refused. */
const ID_LIMIT = 128;
const REASON_LIMIT = 500;

/**
 * One email from the email topic to the provider, once: claim the notification's delivery, send, settle the
 * claim. A redelivered message finds the claim and sends nothing. Like the notifier's sends:
 * - a definite "not sent" (throttling, any other 4xx the provider may accept later) releases the claim and
 *   throws: the SDK has retried already, SQS redelivers after the visibility timeout;
 * - an unknown outcome (a timeout, a 5xx) ends the claim `uncertain` for marketing and service email (at most
 *   once) and releases it for safety email (at least once); a worker that died holding the claim is treated
 *   the same way once its lease runs out;
 * - a permanent refusal is recorded: the claim ends `failed` with the reason and a MessageFailed goes to the
 *   engine (which sends a fallback when the message asked for one). The message is then done.
 */
export async function sendEmail(
  document: EmailDocument,
  deps: EmailSenderDependencies,
): Promise<EmailOutcome> {
  const claim = await deps.claims.claim(document, deps.clock());
  if (claim.outcome === "busy")
    throw new SendInProgressError(`email ${document.notificationId} is being sent by another worker`);
  if (claim.outcome === "done") {
    // The worker that recorded the refusal may have died before announcing it; the emit is claimed.
    if (claim.delivery === "failed") await announceFailure(document, claim.reason, deps);
    return "duplicate";
  }
  if (claim.takenOver && document.priority !== "safety") {
    await deps.claims.markUncertain(
      document,
      "an earlier attempt stopped after claiming the email; the provider may have it",
      deps.clock(),
    );
    return "uncertain";
  }

  let messageId: string;
  try {
    ({ messageId } = await deps.transport.send(document));
  } catch (error) {
    if (error instanceof EmailRejectedError) {
      const reason = error.reason.slice(0, REASON_LIMIT);
      await retryRecording(() => deps.claims.markFailed(document, reason, deps.clock()));
      await announceFailure(document, reason, deps);
      return "failed";
    }
    if (isAmbiguousPublishError(error) && document.priority !== "safety") {
      const cause = error instanceof Error ? `${error.name}: send outcome unknown` : "send outcome unknown";
      await deps.claims.markUncertain(document, cause, deps.clock());
      return "uncertain";
    }
    await deps.claims.release(document);
    throw error;
  }
  // The provider has the email: keep trying to say so, rather than let a retry send it again.
  await retryRecording(() => deps.claims.markSent(document, messageId, deps.clock()));
  return "sent";
}

/** The engine learns that the email will never arrive: MessageFailed, one per notification. */
async function announceFailure(
  document: EmailDocument,
  reason: string | undefined,
  deps: EmailSenderDependencies,
): Promise<void> {
  const short = (id: string) => (id.length <= ID_LIMIT ? id : undefined);
  const journeyId = short(document.journeyId);
  const instanceId = short(document.instanceId);
  await deps.feedback.emit([
    {
      detailType: MESSAGE_FEEDBACK.failed,
      detail: {
        customerId: document.customerId,
        notificationId: document.notificationId,
        channel: "email",
        ...(journeyId ? { journeyId } : {}),
        ...(instanceId ? { instanceId } : {}),
        permanent: true,
        ...(reason ? { reason: reason.slice(0, REASON_LIMIT) } : {}),
        // Deterministic: the emit claim, ingest and the engine each recognise it when it comes again.
        eventId: stableId(MESSAGE_FEEDBACK.failed, document.notificationId, "send-email"),
        occurredAt: deps.clock().toISOString(),
      },
    },
  ]);
}
