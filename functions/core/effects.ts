import type { NotificationRecord } from "./notification.ts";

/** What a transition asks the outside world to do. Every effect is safe to execute twice. */
export type Effect =
  | { type: "notify"; record: NotificationRecord }
  | { type: "schedule"; customerId: string; timerId: string; dueAt: string }
  | { type: "cancel"; customerId: string; timerId: string }
  | { type: "emit"; detailType: string; detail: Record<string, unknown> };

export function assertNever(value: never, what = "value"): never {
  throw new Error(`unexpected ${what}: ${JSON.stringify(value)}`);
}
