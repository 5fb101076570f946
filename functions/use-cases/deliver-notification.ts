import type { NotificationRecord } from "../core/notification.ts";
import type { EventEmitter } from "../ports/event-emitter.ts";
import type { MessageSender } from "../ports/message-sender.ts";
import type { NotificationStore } from "../ports/notification-store.ts";

export interface NotifierDependencies {
  store: NotificationStore;
  sender: MessageSender;
  events: EventEmitter;
  clock: () => Date;
}

/** Another worker is publishing this very message right now; SQS will redeliver later. */
export class SendInProgressError extends Error {
  override name = "SendInProgressError";
}

export type DeliveryOutcome = "sent" | "duplicate" | "recorded";

/**
 * Exactly-once delivery of one decision: claim its deterministic id, publish, mark it sent.
 * A redelivered message finds the claim and publishes nothing. The one window left is a crash
 * between SNS accepting the message and the claim being marked sent: after the claim's lease
 * runs out the message is published again — for a customer a rare duplicate beats a lost
 * safety notice, and SNS offers no idempotency key for SMS to close it.
 */
export async function deliverNotification(
  record: NotificationRecord,
  deps: NotifierDependencies,
): Promise<DeliveryOutcome> {
  if (record.status !== "sent") {
    const outcome = await deps.store.record(record);
    if (outcome === "duplicate") return "duplicate";
    if (record.status === "suppressed") {
      await deps.events.emit([
        {
          detailType: "NotificationSuppressed",
          detail: {
            ...identity(record),
            ...(record.channel ? { channel: record.channel } : {}),
            reason: record.reason,
            why: record.why,
            at: record.at,
          },
        },
      ]);
    }
    return "recorded";
  }

  const claim = await deps.store.claim(record, deps.clock());
  if (claim.outcome === "done") return "duplicate";
  if (claim.outcome === "busy")
    throw new SendInProgressError(`notification ${record.id} is being sent by another worker`);

  let messageId: string;
  try {
    ({ messageId } = await publish(record, deps.sender));
  } catch (error) {
    await deps.store.release(record);
    throw error;
  }
  await deps.store.markSent(record, messageId, deps.clock());
  await deps.events.emit([
    {
      detailType: "NotificationSent",
      detail: {
        ...identity(record),
        channel: record.channel,
        locale: record.locale,
        at: record.at,
        ...(record.smsSegments !== undefined ? { smsSegments: record.smsSegments } : {}),
        messageId,
      },
    },
  ]);
  return "sent";
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

function publish(record: NotificationRecord, sender: MessageSender): Promise<{ messageId: string }> {
  if (!record.to || !record.body || !record.channel) {
    throw new TypeError(`notification ${record.id} has status sent but no channel, recipient or body`);
  }
  if (record.channel === "sms") {
    return sender.sendSms({
      to: record.to,
      body: record.body,
      marketing: record.marketing === true,
      notificationId: record.id,
    });
  }
  return sender.sendEmail({
    to: record.to,
    subject: record.subject ?? "",
    body: record.body,
    notificationId: record.id,
    customerId: record.customerId,
    template: record.template,
    locale: record.locale,
    marketing: record.marketing === true,
  });
}
