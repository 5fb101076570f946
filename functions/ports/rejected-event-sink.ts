import type { ValidationIssue } from "../../events/parse.ts";

export interface RejectedEvent {
  receivedAt: string;
  /** One line a human can read: "detail.customerId: required". */
  reason: string;
  issues: ValidationIssue[];
  /** The input exactly as received, so an operator can fix and replay it. */
  event: unknown;
}

/** Where invalid input goes: kept, visible and replayable, never silently dropped. */
export interface RejectedEventSink {
  reject(events: readonly RejectedEvent[]): Promise<void>;
}
