import { assertNever, type Effect } from "../core/effects.ts";
import { expandFacts, type LifecycleFact } from "../core/measurement/lifecycle-facts.ts";
import type { NotificationRecord } from "../core/notification.ts";
import type { EmittedEvent, EventEmitter } from "../ports/event-emitter.ts";
import type { FactSink } from "../ports/fact-sink.ts";
import type { NotificationQueue } from "../ports/notification-queue.ts";
import type { OwnerIndex, OwnershipChange } from "../ports/owner-index.ts";
import type { TimerScheduler } from "../ports/timer-scheduler.ts";

export interface EffectPorts {
  timers: TimerScheduler;
  notifications: NotificationQueue;
  events: EventEmitter;
  owners: OwnerIndex;
  /** Where lifecycle facts go (Firehose in AWS, the local store locally); absent: they are not kept. */
  facts?: FactSink;
}

/**
 * Runs a committed transition's effects. Each is idempotent (deterministic timer names,
 * notification ids and event ids), so running them again after a crash is safe.
 */
export async function executeEffects(effects: readonly Effect[], ports: EffectPorts): Promise<void> {
  const records: NotificationRecord[] = [];
  const events: EmittedEvent[] = [];
  const timerCalls: Promise<void>[] = [];
  const ownership: OwnershipChange[] = [];
  const facts: LifecycleFact[] = [];
  for (const effect of effects) {
    switch (effect.type) {
      case "notify":
        records.push(effect.record);
        break;
      case "emit":
        events.push({ detailType: effect.detailType, detail: effect.detail });
        break;
      case "schedule":
        timerCalls.push(ports.timers.schedule(effect));
        break;
      case "cancel":
        timerCalls.push(ports.timers.cancel(effect));
        break;
      case "ownership":
        ownership.push(...effect.changes);
        break;
      case "facts":
        facts.push(...expandFacts(effect));
        break;
      default:
        assertNever(effect, "effect");
    }
  }
  await Promise.all([
    ...timerCalls,
    records.length > 0 ? ports.notifications.enqueue(records) : undefined,
    events.length > 0 ? ports.events.emit(events) : undefined,
    ownership.length > 0 ? ports.owners.apply(ownership) : undefined,
    facts.length > 0 && ports.facts ? ports.facts.put(facts) : undefined,
  ]);
}
