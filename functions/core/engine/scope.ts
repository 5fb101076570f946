import type { JourneyInstance } from "../customer-state.ts";
import { stableId } from "../ids.ts";
import { evaluate, type Scope } from "../journey/values.ts";
import type { JourneyEvent } from "./input.ts";
import type { TransitionRun } from "./transition-run.ts";

/**
 * What refs of `instance` (or, without one, of the journey being entered) evaluate against: the event,
 * the instance's vars, the customer, and the order the journey is about.
 */
export function scopeFor(run: TransitionRun, instance: JourneyInstance | undefined): Scope {
  const event = run.event ? eventPayload(run.event) : undefined;
  const base: Scope = {
    event,
    vars: instance?.vars ?? {},
    instance: instance
      ? {
          id: instance.id,
          key: instance.key,
          startedAt: instance.startedAt,
          shortId: stableId(instance.id).slice(0, 10),
        }
      : undefined,
    customer: {
      profile: run.state.profile,
      consent: run.state.consent,
      usage: run.state.usage ?? [],
      optOuts: run.state.optOuts,
      sends: run.state.sends,
      attributes: run.state.attributes ?? {},
    },
  };
  const journey = instance ? run.journey(instance) : run.entering;
  const orderId = journey?.order === undefined ? undefined : evaluate(journey.order, base);
  const order =
    typeof orderId === "string" && Object.hasOwn(run.state.orders, orderId)
      ? run.state.orders[orderId]
      : undefined;
  return {
    ...base,
    order: order ? { ...order, orderId, productNames: order.items.map((item) => item.name) } : undefined,
  };
}

export function eventPayload(event: JourneyEvent): Record<string, unknown> {
  return {
    ...event.detail,
    eventId: event.eventId,
    occurredAt: event.occurredAt,
    detailType: event.detailType,
  };
}
