import { randomUUID } from "node:crypto";
import { scheduleName } from "../../functions/adapters/eventbridge-scheduler-timers.ts";
import { messageGroupIdFor } from "../../functions/core/ids.ts";
import type { NotificationRecord } from "../../functions/core/notification.ts";
import { timerMessage } from "../../functions/messages/queue-messages.ts";
import type { EngineQueue, EngineQueueMessage } from "../../functions/ports/engine-queue.ts";
import type { EmailMessage, MessageSender, SmsMessage } from "../../functions/ports/message-sender.ts";
import type { NotificationQueue } from "../../functions/ports/notification-queue.ts";
import type { ClaimResult, NotificationStore } from "../../functions/ports/notification-store.ts";
import type { RejectedEvent, RejectedEventSink } from "../../functions/ports/rejected-event-sink.ts";
import type { TimerRequest, TimerScheduler } from "../../functions/ports/timer-scheduler.ts";
import type { WorkQueue } from "../../functions/ports/work-queue.ts";
import type { LocalStateStore } from "./local-state-store.ts";

/**
 * The adapters the local runtime swaps in where AWS has no local protocol here: SQS queues
 * become in-process FIFO lists, Scheduler becomes timers on the virtual clock, SNS becomes the
 * outbox. Everything else (handlers, use cases, DynamoDB adapters, EventBridge client) is real.
 */

export interface QueuedMessage {
  body: string;
  groupId?: string;
  /** How many times a handler already failed this message (SQS's ApproximateReceiveCount - 1). */
  receives?: number;
}

/** An SQS queue in memory: messages wait in arrival order (one list, so each FIFO group keeps its order). */
export class LocalQueue {
  readonly messages: QueuedMessage[] = [];
  readonly #onMessage: () => void;

  constructor(onMessage: () => void) {
    this.#onMessage = onMessage;
  }

  push(message: QueuedMessage): void {
    this.messages.push(message);
    this.#onMessage();
  }

  take(max: number): QueuedMessage[] {
    return this.messages.splice(0, max);
  }
}

/** The engine's FIFO queue as the ingest handler sees it. */
export class LocalEngineQueue implements EngineQueue {
  readonly #queue: LocalQueue;

  constructor(queue: LocalQueue) {
    this.#queue = queue;
  }

  async enqueue(messages: readonly EngineQueueMessage[]): Promise<{ failed: number[] }> {
    for (const message of messages)
      this.#queue.push({ body: JSON.stringify(message.body), groupId: message.groupId });
    return { failed: [] };
  }
}

/** A standard queue (global events, fan-out continuations). */
export class LocalWorkQueue implements WorkQueue {
  readonly #queue: LocalQueue;

  constructor(queue: LocalQueue) {
    this.#queue = queue;
  }

  async send(bodies: readonly unknown[]): Promise<void> {
    for (const body of bodies) this.#queue.push({ body: JSON.stringify(body) });
  }
}

/** The outbound queue as the engine sees it. */
export class LocalNotificationQueue implements NotificationQueue {
  readonly #queue: LocalQueue;

  constructor(queue: LocalQueue) {
    this.#queue = queue;
  }

  async enqueue(records: readonly NotificationRecord[]): Promise<void> {
    for (const record of records) this.#queue.push({ body: JSON.stringify(record) });
  }
}

/** EventBridge Scheduler one-time schedules, on the virtual clock and kept in the local table. */
export class LocalTimers implements TimerScheduler {
  readonly #store: LocalStateStore;

  constructor(store: LocalStateStore) {
    this.#store = store;
  }

  async schedule(timer: TimerRequest): Promise<void> {
    const message = timerMessage(timer);
    await this.#store.putTimer({
      name: scheduleName(timer.customerId, timer.timerId),
      dueAt: new Date(timer.dueAt).toISOString(),
      body: JSON.stringify(message),
      groupId: messageGroupIdFor(timer.customerId),
    });
  }

  async cancel(timer: Omit<TimerRequest, "dueAt">): Promise<void> {
    await this.#store.deleteTimer(scheduleName(timer.customerId, timer.timerId));
  }
}

export class LocalRejectedSink implements RejectedEventSink {
  readonly #store: LocalStateStore;
  readonly #onReject: (event: RejectedEvent) => void;

  constructor(store: LocalStateStore, onReject: (event: RejectedEvent) => void) {
    this.#store = store;
    this.#onReject = onReject;
  }

  async reject(events: readonly RejectedEvent[]): Promise<void> {
    for (const event of events) {
      await this.#store.append("REJECTED", event);
      this.#onReject(event);
    }
  }
}

/** A message as it left the notifier: the email's final body (unsubscribe footer included) and headers. */
export interface DeliveredMessage {
  messageId: string;
  subject?: string;
  body: string;
  headers?: Record<string, string>;
}

/**
 * SMS and email, locally: nothing leaves the machine. What would have been handed to the provider is kept
 * by notification id, so the outbox shows each message as the customer would receive it.
 */
export class OutboxSender implements MessageSender {
  readonly delivered = new Map<string, DeliveredMessage>();

  async sendSms(message: SmsMessage): Promise<{ messageId: string }> {
    return this.#keep(message.notificationId, { body: message.body });
  }

  async sendEmail(message: EmailMessage): Promise<{ messageId: string }> {
    return this.#keep(message.notificationId, {
      subject: message.subject,
      body: message.body,
      ...(message.headers ? { headers: message.headers } : {}),
    });
  }

  #keep(notificationId: string, message: Omit<DeliveredMessage, "messageId">): { messageId: string } {
    const messageId = `local-${randomUUID()}`;
    this.delivered.set(notificationId, { messageId, ...message });
    return { messageId };
  }
}

/**
 * Wraps the real notification store to keep the outbox: every decision the notifier settles
 * (sent, deferred, suppressed) is appended once, in order, with the fields docs/local-runtime.md lists.
 */
export class OutboxRecordingStore implements NotificationStore {
  readonly #inner: NotificationStore;
  readonly #store: LocalStateStore;
  readonly #onDecision: (record: NotificationRecord) => void;
  readonly #delivered: ReadonlyMap<string, DeliveredMessage>;

  constructor(
    inner: NotificationStore,
    store: LocalStateStore,
    onDecision: (record: NotificationRecord) => void,
    delivered: ReadonlyMap<string, DeliveredMessage> = new Map(),
  ) {
    this.#inner = inner;
    this.#store = store;
    this.#onDecision = onDecision;
    this.#delivered = delivered;
  }

  claim(record: NotificationRecord, now: Date): Promise<ClaimResult> {
    return this.#inner.claim(record, now);
  }

  async markSent(record: NotificationRecord, messageId: string, now: Date): Promise<void> {
    await this.#inner.markSent(record, messageId, now);
    await this.#keep(record);
  }

  async markSuppressed(record: NotificationRecord, now: Date): Promise<void> {
    await this.#inner.markSuppressed(record, now);
    await this.#keep(record);
  }

  markUncertain(record: NotificationRecord, now: Date, cause: string): Promise<void> {
    return this.#inner.markUncertain(record, now, cause);
  }

  release(record: NotificationRecord): Promise<void> {
    return this.#inner.release(record);
  }

  async record(record: NotificationRecord): Promise<"recorded" | "duplicate"> {
    const outcome = await this.#inner.record(record);
    if (outcome === "recorded") await this.#keep(record);
    return outcome;
  }

  async #keep(record: NotificationRecord): Promise<void> {
    const delivered = record.status === "sent" ? this.#delivered.get(record.id) : undefined;
    await this.#store.append("OUTBOX", outboxEntry(record, delivered));
    this.#onDecision(record);
  }
}

/** One decision as `GET /outbox` lists it: the fields docs/local-runtime.md lists. */
export type OutboxEntry = Pick<
  NotificationRecord,
  | "id"
  | "customerId"
  | "channel"
  | "to"
  | "subject"
  | "body"
  | "template"
  | "locale"
  | "priority"
  | "journeyId"
  | "vars"
  | "why"
  | "status"
  | "reason"
  | "deferredUntil"
  | "smsSegments"
  | "at"
  | "instanceId"
> & {
  /** What the provider was given for a sent message: the email's footer and RFC 8058 headers included. */
  delivered?: Omit<DeliveredMessage, "messageId">;
};

/** The outbox's view of a decision, in docs/local-runtime.md's order, without absent fields. */
export function outboxEntry(record: NotificationRecord, delivered?: DeliveredMessage): OutboxEntry {
  const entry: OutboxEntry = {
    id: record.id,
    customerId: record.customerId,
    channel: record.channel,
    to: record.to,
    subject: record.subject,
    body: record.body,
    template: record.template,
    locale: record.locale,
    priority: record.priority,
    journeyId: record.journeyId,
    vars: record.vars,
    why: record.why,
    status: record.status,
    reason: record.reason,
    deferredUntil: record.deferredUntil,
    smsSegments: record.smsSegments,
    at: record.at,
    instanceId: record.instanceId,
    // Only when the provider got something other than the decision (a marketing email's footer and headers).
    delivered:
      delivered && (delivered.body !== record.body || delivered.headers !== undefined)
        ? {
            ...(delivered.subject !== undefined ? { subject: delivered.subject } : {}),
            body: delivered.body,
            ...(delivered.headers ? { headers: delivered.headers } : {}),
          }
        : undefined,
  };
  for (const key of Object.keys(entry) as (keyof OutboxEntry)[])
    if (entry[key] === undefined) delete entry[key];
  return entry;
}
