/**
 * `GET /timers`: the next pending timers, each with what it will do — move a journey instance on from the node
 * it waits at, or decide a message held back by quiet hours — read from the customer it belongs to.
 */
import type { CustomerState } from "../../../functions/core/customer-state.ts";
import type { PendingTimer } from "../local-state-store.ts";

export interface TimerView {
  dueAt: string;
  customerId: string;
  timerId: string;
  kind: "journey" | "deferred-message" | "stale";
  journeyId?: string;
  journeyVersion?: number;
  node?: string;
  template?: string;
}

export interface TimersSource {
  readonly state: { timers(): Promise<PendingTimer[]> };
  readonly customers: { load(customerId: string): Promise<{ state: CustomerState } | undefined> };
}

export async function timersView(
  source: TimersSource,
  limit: number,
): Promise<{ total: number; timers: TimerView[] }> {
  const pending = await source.state.timers();
  const timers: TimerView[] = [];
  for (const timer of pending.slice(0, limit)) {
    const { customerId, timerId } = JSON.parse(timer.body) as { customerId: string; timerId: string };
    const state = (await source.customers.load(customerId))?.state;
    const instance = state?.instances.find((i) => i.state.timer.id === timerId);
    const deferred = state?.deferred.find((d) => d.timer.id === timerId);
    const base = { dueAt: timer.dueAt, customerId, timerId };
    if (instance) {
      timers.push({
        ...base,
        kind: "journey",
        journeyId: instance.journeyId,
        journeyVersion: instance.journeyVersion,
        node: instance.state.node,
      });
    } else if (deferred) {
      const message = deferred.message as { template?: unknown; journeyId?: unknown };
      timers.push({
        ...base,
        kind: "deferred-message",
        ...(typeof message.journeyId === "string" ? { journeyId: message.journeyId } : {}),
        ...(typeof message.template === "string" ? { template: message.template } : {}),
      });
    } else {
      // Its instance moved on or ended: the engine will ignore it when it fires.
      timers.push({ ...base, kind: "stale" });
    }
  }
  return { total: pending.length, timers };
}
