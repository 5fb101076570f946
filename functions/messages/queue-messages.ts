/**
 * The messages Waymark's functions pass each other through its own queues, defined once: their schemas
 * (what a consumer accepts) and their constructors (what every producer writes). A change here is a change
 * of the internal contract, so producers and consumers change together.
 *
 * - engine queue (FIFO, grouped by customer): an `event` (a validated bus event in its envelope), a `timer`
 *   (from EventBridge Scheduler or the local timers), a `notice` (a global event fanned out to one owner);
 * - global queue: an `event` (a global bus event) or a `fan-out` job (a notice still being fanned out).
 */
import * as z from "zod";

/** What one message on Waymark's own queues may hold: SQS's 256 KiB, body and attributes together. */
export const QUEUE_MESSAGE_LIMIT_BYTES = 256 * 1024;

/**
 * The UTF-8 size of a message's body when it is over the queues' limit; undefined when it fits. Most
 * messages are a few KB: their UTF-16 length alone proves they fit (a unit is at most 3 UTF-8 bytes).
 */
export function oversizeMessageBytes(body: unknown): number | undefined {
  const json = JSON.stringify(body);
  if (json.length * 3 <= QUEUE_MESSAGE_LIMIT_BYTES) return undefined;
  const bytes = Buffer.byteLength(json, "utf8");
  return bytes > QUEUE_MESSAGE_LIMIT_BYTES ? bytes : undefined;
}

const envelopeMessage = z.object({ kind: z.literal("event"), envelope: z.unknown() });

export const timerMessageSchema = z.object({
  kind: z.literal("timer"),
  customerId: z.string().min(1),
  timerId: z.string().min(1),
  dueAt: z.string(),
});
export type TimerMessage = z.infer<typeof timerMessageSchema>;

export const noticeMessageSchema = z.object({
  kind: z.literal("notice"),
  customerId: z.string().min(1),
  detailType: z.string().min(1),
  noticeId: z.string().min(1),
  detail: z.record(z.string(), z.unknown()),
  occurredAt: z.string(),
});
export type NoticeMessage = z.infer<typeof noticeMessageSchema>;

export const engineMessageSchema = z.discriminatedUnion("kind", [
  envelopeMessage,
  timerMessageSchema,
  noticeMessageSchema,
]);
export type EngineMessage = z.infer<typeof engineMessageSchema>;

export const fanOutJobSchema = z.object({
  kind: z.literal("fan-out"),
  detailType: z.string().min(1),
  noticeId: z.string().min(1),
  models: z.array(z.string()),
  detail: z.record(z.string(), z.unknown()),
  occurredAt: z.string(),
});
export type FanOutJob = z.infer<typeof fanOutJobSchema>;

export const globalMessageSchema = z.discriminatedUnion("kind", [envelopeMessage, fanOutJobSchema]);
export type GlobalMessage = z.infer<typeof globalMessageSchema>;

/** A validated bus event, forwarded whole: the consumer parses it again with the same catalog. */
export function eventMessage(envelope: unknown): { kind: "event"; envelope: unknown } {
  return { kind: "event", envelope };
}

export function timerMessage(timer: { customerId: string; timerId: string; dueAt: string }): TimerMessage {
  return { kind: "timer", customerId: timer.customerId, timerId: timer.timerId, dueAt: timer.dueAt };
}

export function noticeMessage(job: FanOutJob, customerId: string): NoticeMessage {
  return {
    kind: "notice",
    customerId,
    detailType: job.detailType,
    noticeId: job.noticeId,
    detail: job.detail,
    occurredAt: job.occurredAt,
  };
}

export function fanOutJob(job: Omit<FanOutJob, "kind">): FanOutJob {
  return { kind: "fan-out", ...job };
}
