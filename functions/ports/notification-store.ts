import type { NotificationRecord } from "../core/notification.ts";

export type ClaimResult =
  /**
   * This worker owns the send now. `takenOver`: the claim came from a worker whose lease ran out; it died
   * after claiming, perhaps after SNS took the message.
   */
  | { outcome: "claimed"; takenOver: boolean }
  /**
   * Already decided: `sent` (with the provider's message id), `suppressed`, `uncertain`. What the decision
   * owes (its NotificationSent or NotificationSuppressed) may still be owed if the worker died after it.
   */
  | { outcome: "done"; delivery: string; messageId?: string; record: NotificationRecord }
  /** Another worker holds a live claim: try again later. */
  | { outcome: "busy" };

/**
 * The notification records and the send claims behind exactly-once delivery: a record is
 * claimed under its deterministic id before the message is published.
 */
export interface NotificationStore {
  claim(record: NotificationRecord, now: Date): Promise<ClaimResult>;
  markSent(record: NotificationRecord, messageId: string, now: Date): Promise<void>;
  /** Turns a claim into a suppressed record when the channel turned out to be opted out. */
  markSuppressed(record: NotificationRecord, now: Date): Promise<void>;
  /**
   * Ends a claim whose publish may or may not have reached the provider (a timeout, a 5xx): the message
   * is not sent again (at most once), and the record says why.
   */
  markUncertain(record: NotificationRecord, now: Date, cause: string): Promise<void>;
  /** Gives a claim back after a failed publish so a retry can take it. */
  release(record: NotificationRecord): Promise<void>;
  /** Keeps a deferred or suppressed decision (idempotent). */
  record(record: NotificationRecord): Promise<"recorded" | "duplicate">;
}
