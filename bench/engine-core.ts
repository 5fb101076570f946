import type { CustomerState } from "../functions/core/customer-state.ts";
import { advance, type EngineInput } from "../functions/core/engine.ts";
import { referenceCatalog } from "../journeys/registry.ts";
import { customerEvent, phone } from "../test/support/events.ts";

/**
 * Transitions per second of the pure engine on one core: whole post-purchase journeys
 * (profile, order, delivery, two timers, a survey answer) for many customers.
 */
export function benchEngineCore(customers: number): {
  transitions: number;
  seconds: number;
  perSecond: number;
} {
  let transitions = 0;
  const started = performance.now();
  for (let i = 0; i < customers; i++) {
    const customerId = `bench-${i}`;
    let state: CustomerState | undefined;
    const step = (input: EngineInput, now: string) => {
      const t = advance(state, input, new Date(now), referenceCatalog);
      state = t.state;
      transitions++;
      return t;
    };
    const ev = (
      type: Parameters<typeof customerEvent>[0],
      detail: Record<string, unknown>,
      time: string,
    ): EngineInput => ({
      kind: "event",
      event: customerEvent(type, { customerId, ...detail }, { time }),
    });
    step(
      ev(
        "CustomerProfileUpdated",
        { name: "Jane", timeZone: "America/New_York", phone: "+12125550123" },
        "2026-03-01T00:00:00Z",
      ),
      "2026-03-01T00:00:00Z",
    );
    step(
      ev("OrderPlaced", { orderId: "o", items: [phone], currency: "USD" }, "2026-03-01T01:00:00Z"),
      "2026-03-01T01:00:00Z",
    );
    const delivered = step(
      ev("OrderDelivered", { orderId: "o" }, "2026-03-02T15:00:00Z"),
      "2026-03-02T15:00:00Z",
    );
    const timerOf = (effects: typeof delivered.effects) => {
      const s = effects.find((e) => e.type === "schedule");
      if (s?.type !== "schedule") throw new Error("expected a timer");
      return { kind: "timer" as const, customerId, timerId: s.timerId, dueAt: s.dueAt };
    };
    const tips = step(timerOf(delivered.effects), "2026-03-04T15:00:00Z");
    const survey = step(timerOf(tips.effects), "2026-03-16T14:00:00Z");
    const surveyId = survey.effects.flatMap((e) => (e.type === "notify" ? [e.record.vars.surveyId] : []))[0];
    step(ev("SurveyResponded", { surveyId, score: 4 }, "2026-03-16T15:00:00Z"), "2026-03-16T15:00:00Z");
  }
  const seconds = (performance.now() - started) / 1000;
  return { transitions, seconds, perSecond: transitions / seconds };
}
