import type { CustomerEvent } from "../catalog/catalog.ts";
import { stableId } from "../ids.ts";

/** What the engine consumes, one at a time per customer. */
export type EngineInput =
  | { kind: "event"; event: CustomerEvent }
  | { kind: "timer"; customerId: string; timerId: string; dueAt: string }
  | NoticeInput;

/**
 * A global event (a recall, a travel restriction) fanned out to one affected customer, with what
 * the fan-out learned for them (e.g. the store that reserved their replacement).
 */
export interface NoticeInput {
  kind: "notice";
  customerId: string;
  /** A global event of the catalog whose reach is its models' owners. */
  detailType: string;
  noticeId: string;
  detail: Record<string, unknown>;
  occurredAt: string;
}

/** What journeys see of any input that is an event: its type, its detail, its identity and time. */
export interface JourneyEvent {
  detailType: string;
  detail: Record<string, unknown>;
  eventId: string;
  occurredAt: string;
}

export function inputId(input: EngineInput): string {
  switch (input.kind) {
    case "event":
      return `event:${input.event.eventId}`;
    case "timer":
      return `timer:${input.timerId}`;
    case "notice":
      return `notice:${input.detailType}:${input.noticeId}`;
  }
}

/** What the customer item remembers of an input: a short digest keeps the item small. */
export function inputDigest(input: EngineInput): string {
  return stableId(inputId(input)).slice(0, 12);
}

export function inputCustomerId(input: EngineInput): string {
  return input.kind === "event" ? input.event.detail.customerId : input.customerId;
}
