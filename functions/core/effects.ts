import type { OwnershipChange } from "../ports/owner-index.ts";
import type { FactsEffect } from "./measurement/lifecycle-facts.ts";
import type { NotificationRecord } from "./notification.ts";

/** What a transition asks the outside world to do. Every effect is safe to execute twice. */
export type Effect =
  | { type: "notify"; record: NotificationRecord }
  | { type: "schedule"; customerId: string; timerId: string; dueAt: string }
  | { type: "cancel"; customerId: string; timerId: string }
  | { type: "emit"; detailType: string; detail: Record<string, unknown> }
  /** Keeps the owner index (who owns which model) in step with orders and returns. */
  | { type: "ownership"; changes: OwnershipChange[] }
  /** Lifecycle facts for measurement: to the fact sink, not the bus (measurement/lifecycle-facts.ts). */
  | FactsEffect;

export function assertNever(value: never, what = "value"): never {
  throw new Error(`unexpected ${what}: ${JSON.stringify(value)}`);
}
