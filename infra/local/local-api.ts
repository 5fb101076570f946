/**
 * What the local runtime's HTTP layer needs from the runtime, and the shapes both speak. The HTTP API
 * depends on this interface, not on the runtime module, so the two never import each other.
 */
import type { Catalog } from "../../functions/core/catalog/catalog.ts";
import type { CustomerState } from "../../functions/core/customer-state.ts";
import type { JourneyMeasurements } from "../../functions/core/measurement/report.ts";
import type { NotificationRecord } from "../../functions/core/notification.ts";
import type { LocalLog, PendingTimer } from "./local-state-store.ts";

/** A PutEvents entry as the AWS JSON 1.1 protocol carries it. */
export interface PutEventsEntry {
  Source?: string;
  DetailType?: string;
  Detail?: string;
  EventBusName?: string;
  Time?: number | string;
  Resources?: string[];
}

export type PutEventsResultEntry = { EventId: string } | { ErrorCode: string; ErrorMessage: string };

/** What `POST /feedback` asks: news of one sent message, as a provider would report it. */
export interface FeedbackRequest {
  notificationId: string;
  type: "delivered" | "bounced" | "complained" | "opened" | "clicked" | "failed";
  /** Required for `bounced`. */
  bounceType?: "hard" | "soft";
  /** For `clicked`: the link followed. */
  link?: string;
  /** For `bounced` and `failed`: the provider's status. */
  reason?: string;
}

/** Feedback about a message the outbox never sent. */
export class UnknownNotificationError extends Error {
  override name = "UnknownNotificationError";
}

/** Moving the clock back would orphan pending timers. */
export class ClockConflictError extends Error {
  override name = "ClockConflictError";
}

/** A message set aside after repeated failure, as a dead-letter queue keeps it. */
export interface DeadLetter {
  id: string;
  /** The queue it failed on: ingest, engine, outbound or global. */
  queue: string;
  /** The message as it was queued (JSON text). */
  body: string;
  /** Its FIFO message group (the engine queue's are per customer). */
  groupId?: string;
  receives: number;
  /** Virtual time it was set aside. */
  at: string;
}

export interface LocalApi {
  readonly deadLetters: readonly DeadLetter[];
  /** Puts set-aside messages back on their queues (all of them, or those with `ids`); returns how many. */
  replayDeadLetters(ids?: readonly string[]): Promise<number>;
  readonly clock: { now(): Date };
  /** The catalog the runtime runs. */
  readonly catalog: Catalog;
  readonly state: {
    list<T>(log: LocalLog): Promise<T[]>;
    append(log: Exclude<LocalLog, "TIMER">, value: unknown): Promise<void>;
    timers(): Promise<PendingTimer[]>;
  };
  /** Every customer Waymark keeps state for. */
  customerIds(): Promise<string[]>;
  /**
   * Calls `listener` whenever the runtime has done something worth a fresh look: the pipeline went quiet
   * after work, the clock moved, or everything was reset. Returns the way to stop listening.
   */
  watch(listener: () => void): () => void;
  readonly customers: {
    load(customerId: string): Promise<{ state: CustomerState; version: number } | undefined>;
  };
  readonly notifications: {
    listForCustomer(customerId: string): Promise<Array<NotificationRecord & { delivery: string }>>;
  };
  putEvents(
    entries: readonly PutEventsEntry[],
  ): Promise<{ FailedEntryCount: number; Entries: PutEventsResultEntry[] }>;
  /** Resolves when every queue is empty and nothing is running. */
  settle(): Promise<void>;
  advance(duration: string): Promise<Date>;
  set(instant: Date): Promise<Date>;
  pendingTimers(): Promise<number>;
  reset(): Promise<void>;
  /** RFC 8058 one-click unsubscribe (GET shows a page, POST unsubscribes). */
  unsubscribe(
    method: string,
    token: string | undefined,
  ): Promise<{ statusCode: number; headers: Record<string, string>; body: string }>;
  feedback(request: FeedbackRequest): Promise<{ eventId: string }>;
  /** One journey's measurements (funnel, goals, NPS, experiments); undefined for a journey not in the catalog. */
  journeyMeasurements(journeyId: string): Promise<JourneyMeasurements | undefined>;
}
