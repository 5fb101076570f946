import type { Catalog } from "../catalog/catalog.ts";
import { addTimelineEntry } from "../customer-context.ts";
import { type CustomerState, type JourneyInstance, LIMITS, pushBounded } from "../customer-state.ts";
import type { Effect } from "../effects.ts";
import { stableId } from "../ids.ts";
import type { JourneyDefinition, JourneyNode } from "../journey/definition.ts";
import type { FactGroup, FactItem } from "../measurement/lifecycle-facts.ts";
import { JourneyVersionMissingError } from "./errors.ts";
import type { JourneyEvent } from "./input.ts";

/**
 * The working copy of one transition: state so far and the effects collected.
 *
 * Its members are plain (not `#private`) because the engine's modules — the interpreter, delivery,
 * emitted events, the scope — work on the same copy; they are internal to the engine all the same:
 * the facade (`../engine.ts`) does not export this class, and nothing outside `engine/` may use it.
 */
export class TransitionRun {
  state: CustomerState;
  readonly effects: Effect[] = [];
  /** Journeys not entered because the state budget would not hold them, with the reason. */
  readonly refusals: string[] = [];
  readonly now: Date;
  readonly catalog: Catalog;
  /** The event being handled, if the input is one: what refs see as `event`. */
  event: JourneyEvent | undefined;
  /** The journey whose entry is being evaluated (its `order` names the order refs see). */
  entering: Readonly<JourneyDefinition> | undefined;
  /** Lifecycle facts of this transition, one group per instance, in the order they happened. */
  readonly factGroups = new Map<string, FactGroup>();

  constructor(state: CustomerState, now: Date, catalog: Catalog) {
    this.state = state;
    this.now = now;
    this.catalog = catalog;
  }

  park(instance: JourneyInstance, node: string, due: Date, status: "waiting-timer" | "waiting-event"): void {
    const steps = instance.steps + 1;
    const timer = { id: `${instance.id}#${steps}`, dueAt: due.toISOString() };
    const state =
      status === "waiting-timer"
        ? ({ status, node, timer } as const)
        : ({ status, node, timer, since: this.now.toISOString() } as const);
    this.replace({ ...instance, steps, state });
    this.effects.push({
      type: "schedule",
      customerId: this.state.customerId,
      timerId: timer.id,
      dueAt: timer.dueAt,
    });
  }

  /** Records a lifecycle fact of `instance` (its variants as they are now). */
  fact(instance: JourneyInstance, item: FactItem): void {
    let group = this.factGroups.get(instance.id);
    if (!group) {
      group = {
        journeyId: instance.journeyId,
        journeyVersion: instance.journeyVersion,
        instanceId: instance.id,
        key: instance.key,
        startedAt: instance.startedAt,
        steps: instance.steps,
        items: [],
      };
      this.factGroups.set(instance.id, group);
    }
    if (instance.variants) group.variants = { ...instance.variants };
    group.items.push(item);
  }

  complete(instance: JourneyInstance, outcome: string): void {
    this.fact(this.state.instances.find((i) => i.id === instance.id) ?? instance, ["completed", outcome]);
    this.cancelTimer(instance);
    this.state = {
      ...this.state,
      instances: this.state.instances.filter((i) => i.id !== instance.id),
      completedInstances: pushBounded(this.state.completedInstances, instance.id, LIMITS.completedInstances),
    };
    this.effects.push({
      type: "emit",
      detailType: "JourneyCompleted",
      detail: {
        customerId: this.state.customerId,
        eventId: stableId(this.state.customerId, instance.id, "completed"),
        journeyId: instance.journeyId,
        instanceId: instance.id,
        journeyVersion: instance.journeyVersion,
        outcome,
        at: this.now.toISOString(),
      },
    });
    this.timeline(
      this.now.toISOString(),
      "journey",
      `${instance.journeyId} for ${instance.key} ended: ${outcome}`,
    );
  }

  cancelTimer(instance: JourneyInstance): void {
    const current = this.state.instances.find((i) => i.id === instance.id);
    const timerId = current?.state.timer.id;
    const already = this.effects.some((e) => e.type === "cancel" && e.timerId === timerId);
    if (timerId && !already)
      this.effects.push({ type: "cancel", customerId: this.state.customerId, timerId });
  }

  replace(instance: JourneyInstance): void {
    this.state = {
      ...this.state,
      instances: this.state.instances.map((i) => (i.id === instance.id ? instance : i)),
    };
  }

  journey(instance: JourneyInstance): Readonly<JourneyDefinition> {
    const journey = this.catalog.version(instance.journeyId, instance.journeyVersion);
    if (!journey) {
      throw new JourneyVersionMissingError(
        `${instance.journeyId}@${instance.journeyVersion} is not deployed but instance ${instance.id} is on it`,
      );
    }
    return journey;
  }

  node(instance: JourneyInstance, id: string): JourneyNode {
    const node = this.journey(instance).nodes[id];
    if (!node)
      throw new JourneyVersionMissingError(
        `${instance.journeyId}@${instance.journeyVersion} has no node ${id}`,
      );
    return node;
  }

  timeline(at: string, kind: "event" | "message" | "journey", summary: string): void {
    this.state = { ...this.state, timeline: addTimelineEntry(this.state.timeline, { at, kind, summary }) };
  }
}
