/**
 * A deterministic dry run of one journey: scripted events and the timers they set, played in time order
 * through the pure engine on a virtual clock. No AWS, no network, no database, no wall clock and no
 * random ids, so the same input gives the same timeline on every machine — journey authors can diff it
 * in review and assert on it in CI.
 */

import type { Catalog, CatalogEvent } from "../functions/core/catalog/catalog.ts";
import type { AudienceList, GlobalReach } from "../functions/core/catalog/define-event.ts";
import type { CustomerState } from "../functions/core/customer-state.ts";
import type { Effect } from "../functions/core/effects.ts";
import { advance, type EngineInput, type Transition } from "../functions/core/engine.ts";
import { resolveTimeZone } from "../functions/core/guardrails/time-zone.ts";
import { awaitedEvents, type JourneyDefinition } from "../functions/core/journey/definition.ts";
import { maskContact } from "../functions/core/mask.ts";
import { GLOBAL_CONTROL, holdoutExperiment } from "../functions/core/measurement/experiments.ts";
import type { NotificationRecord } from "../functions/core/notification.ts";
import { formatLocal } from "../functions/core/time/local-time.ts";
import { redact, redactDeep } from "./redact.ts";

/** An event of the script, validated, at the virtual time it reaches Waymark. */
export interface ScriptedEvent {
  /** Where it came from, for messages: `line 3`. */
  input: string;
  /** Envelope time, ISO-8601 UTC: when the event arrives on the virtual clock. */
  time: string;
  event: CatalogEvent;
}

export interface SimulationOptions {
  /** The journey the run is about (it names the summary); absent: every journey of the catalog. */
  journey?: Readonly<JourneyDefinition>;
  /** A catalog holding only `journey` (all its versions), so no other journey takes part. */
  catalog: Catalog;
  events: readonly ScriptedEvent[];
  /** Virtual start time (ISO-8601 UTC); no event may come before it. */
  start: string;
  /** Timers due after this time are left pending (ISO-8601 UTC). */
  until: string;
  /**
   * The customer ids on an audience list (AudienceEntryRequested), so each one gets the notice the fan-out
   * would give them; absent: audience entries are noted as not fanned out, like recalls.
   */
  audience?: (list: AudienceList) => readonly string[];
}

/** What happened, one entry per thing, in the order it happened. Also the `--json` output. */
export type TimelineEntry =
  | EventEntry
  | StartedEntry
  | TimerEntry
  | MessageEntry
  | EscalationEntry
  | EmittedEntry
  | CompletedEntry
  | AssignedEntry
  | GoalEntry;

interface EntryBase {
  /** Virtual time, ISO-8601 UTC. */
  at: string;
}

export interface EventEntry extends EntryBase {
  kind: "event";
  /** Absent for events about the world rather than one customer. */
  customerId?: string;
  input: string;
  detailType: string;
  eventId: string;
  /** What the event says, in a few words: `kr-100`, `3/10 on survey abc`. */
  summary: string;
  /** Why the event changed nothing: `duplicate` (its eventId was already processed) or a note. */
  ignored?: string;
}

export interface StartedEntry extends EntryBase {
  kind: "started";
  customerId: string;
  instanceId: string;
  journeyVersion: number;
  /** Experiment assignments at entry: the journey's holdout, the catalog's global control. */
  variants?: Record<string, string>;
}

/** A `split` node put the instance in a variant. */
export interface AssignedEntry extends EntryBase {
  kind: "assigned";
  customerId: string;
  instanceId: string;
  experiment: string;
  variant: string;
}

/** The customer reached the journey's conversion goal. */
export interface GoalEntry extends EntryBase {
  kind: "goal";
  customerId: string;
  instanceId: string;
  goal: string;
  variants?: Record<string, string>;
}

export interface TimerEntry extends EntryBase {
  kind: "timer";
  customerId: string;
  timerId: string;
  dueAt: string;
  /** What the timer was set for: the node an instance waits at, or the deferred message. */
  purpose: string;
}

export interface MessageEntry extends EntryBase {
  kind: "message";
  customerId: string;
  /** The decision's time in the customer's zone, e.g. `2026-03-06 10:00 Asia/Seoul`. */
  localTime: string;
  notificationId: string;
  instanceId: string;
  template: string;
  priority: NotificationRecord["priority"];
  status: NotificationRecord["status"];
  channel?: NotificationRecord["channel"];
  /** Masked: a simulation's output ends up in CI logs and pull requests. */
  to?: string;
  subject?: string;
  body?: string;
  smsSegments?: number;
  reason?: NotificationRecord["reason"];
  deferredUntil?: string;
  why: string[];
  vars: Record<string, unknown>;
}

export interface EscalationEntry extends EntryBase {
  kind: "escalation";
  customerId: string;
  instanceId: string;
  reason: string;
}

export interface EmittedEntry extends EntryBase {
  kind: "emitted";
  customerId: string;
  detailType: string;
  detail: Record<string, unknown>;
}

export interface CompletedEntry extends EntryBase {
  kind: "completed";
  customerId: string;
  instanceId: string;
  outcome: string;
}

export interface PendingTimer {
  customerId: string;
  timerId: string;
  dueAt: string;
  purpose: string;
}

export interface SimulationSummary {
  journeyId: string;
  start: string;
  /** Virtual time of the last thing that happened. */
  end: string;
  until: string;
  customers: number;
  events: { total: number; duplicates: number; notConsumed: number };
  messages: { sent: number; deferred: number; suppressed: number };
  escalations: number;
  /** Completed instances by outcome, in the order the outcomes first occurred. */
  completed: Record<string, number>;
  /** Instances still open when the simulation stopped. */
  running: number;
  timersFired: number;
  /** Timers due after `until`, earliest first. */
  pendingTimers: PendingTimer[];
}

export interface SimulationResult {
  entries: TimelineEntry[];
  summary: SimulationSummary;
}

/** The engine threw: a journey or template problem, reported with the input that triggered it. */
export class SimulationError extends Error {
  override readonly name = "SimulationError";
}

/**
 * A journey that reschedules itself for ever would otherwise spin until `until`; no real journey fires
 * anywhere near this many timers.
 */
export const MAX_TIMER_FIRINGS = 100_000;

interface ScheduledTimer extends PendingTimer {
  /** Scheduling order: timers due at the same instant fire in the order they were set. */
  seq: number;
}

export function simulate(options: SimulationOptions): SimulationResult {
  return new Simulation(options).run();
}

class Simulation {
  readonly #options: SimulationOptions;
  readonly #entries: TimelineEntry[] = [];
  readonly #states = new Map<string, CustomerState>();
  /** Keyed by customer and timer id: timer ids are only unique within one customer. */
  readonly #timers = new Map<string, ScheduledTimer>();
  #seq = 0;
  #clock: number;
  #timersFired = 0;
  #duplicates = 0;
  #notConsumed = 0;

  constructor(options: SimulationOptions) {
    this.#options = options;
    this.#clock = Date.parse(options.start);
  }

  run(): SimulationResult {
    // Array.prototype.sort is stable: events at the same instant keep their order in the file.
    const events = [...this.#options.events].sort((a, b) => Date.parse(a.time) - Date.parse(b.time));
    for (const scripted of events) {
      const at = Date.parse(scripted.time);
      this.#fireTimersThrough(at);
      this.#clock = Math.max(this.#clock, at);
      this.#onEvent(scripted);
    }
    this.#fireTimersThrough(Date.parse(this.#options.until));
    return { entries: this.#entries, summary: this.#summary(events.length) };
  }

  /** Fires every timer due at or before `limit`, earliest first, each at its due time. */
  #fireTimersThrough(limit: number): void {
    for (;;) {
      const next = this.#nextTimer(limit);
      if (!next) return;
      if (++this.#timersFired > MAX_TIMER_FIRINGS) {
        throw new SimulationError(
          `more than ${MAX_TIMER_FIRINGS} timers fired before ${this.#options.until}: the journey seems to ` +
            "reschedule itself without end; pass an earlier --until to see how it starts",
        );
      }
      this.#timers.delete(timerKey(next.customerId, next.timerId));
      // A timer set in the past (never by the reference journeys) fires at once, as EventBridge
      // Scheduler would: the clock never goes backwards.
      this.#clock = Math.max(this.#clock, Date.parse(next.dueAt));
      const at = iso(this.#clock);
      this.#entries.push({
        at,
        kind: "timer",
        customerId: next.customerId,
        timerId: next.timerId,
        dueAt: next.dueAt,
        purpose: next.purpose,
      });
      const input: EngineInput = {
        kind: "timer",
        customerId: next.customerId,
        timerId: next.timerId,
        dueAt: next.dueAt,
      };
      this.#advance(next.customerId, input, `timer ${next.timerId} of ${next.customerId} at ${at}`);
    }
  }

  #nextTimer(limit: number): ScheduledTimer | undefined {
    let best: ScheduledTimer | undefined;
    for (const timer of this.#timers.values()) {
      const due = Date.parse(timer.dueAt);
      if (due > limit) continue;
      if (!best) best = timer;
      else {
        const bestDue = Date.parse(best.dueAt);
        if (due < bestDue || (due === bestDue && timer.seq < best.seq)) best = timer;
      }
    }
    return best;
  }

  #onEvent(scripted: ScriptedEvent): void {
    const { event } = scripted;
    const described = {
      input: scripted.input,
      detailType: event.detailType,
      eventId: event.eventId,
      summary: redact(this.#options.catalog.describe(event.detailType, event.detail)),
    };
    const at = iso(this.#clock);
    const reach = this.#options.catalog.event(event.detailType)?.reach;
    if (reach?.kind === "audience" && this.#options.audience) {
      this.#onAudience(scripted, reach, described, at);
      return;
    }
    if (!this.#options.catalog.isCustomerEvent(event)) {
      // World events (recalls, restrictions, stock) are fanned out by their own functions, not by the
      // per-customer engine this simulator drives.
      this.#notConsumed++;
      const listening = this.#journeys().filter((journey) => journeyListensTo(journey, event.detailType));
      const ignored =
        listening.length > 0
          ? `${listening.map((j) => j.id).join(", ")} fan${listening.length === 1 ? "s" : ""} this out to ` +
            "customers, which the simulator does not do; play it on the local runtime (npm start)"
          : `not consumed by ${this.#label()}`;
      this.#entries.push({ at, kind: "event", ...described, ignored });
      return;
    }
    const customerId = event.detail.customerId;
    const entry: EventEntry = { at, kind: "event", customerId, ...described };
    const position = this.#entries.push(entry) - 1;
    const outcome = this.#advance(
      customerId,
      { kind: "event", event },
      `${scripted.input} (${event.detailType} for ${customerId})`,
    );
    if (outcome !== "applied") {
      // A redelivery changes nothing in Waymark, so it changes nothing here either.
      this.#duplicates++;
      this.#entries[position] = {
        ...entry,
        ignored: `duplicate: eventId ${event.eventId} was already processed`,
      };
    }
  }

  /** Each customer on the list gets the notice the audience fan-out would queue for them, in list order. */
  #onAudience(
    scripted: ScriptedEvent,
    reach: Extract<GlobalReach<Record<string, unknown>>, { kind: "audience" }>,
    described: Omit<EventEntry, "at" | "kind">,
    at: string,
  ): void {
    const { event } = scripted;
    const list = reach.list(event.detail);
    let customers: readonly string[];
    try {
      customers = this.#options.audience!(list);
    } catch (error) {
      throw new SimulationError(`${scripted.input}: ${(error as Error).message}`, { cause: error });
    }
    this.#entries.push({ at, kind: "event", ...described });
    const noticeId = reach.noticeId(event.detail);
    for (const customerId of new Set(customers)) {
      this.#advance(
        customerId,
        {
          kind: "notice",
          customerId,
          detailType: event.detailType,
          noticeId,
          detail: { ...event.detail, customerId, eligible: true },
          occurredAt: event.occurredAt,
        },
        `${scripted.input} (${event.detailType} ${noticeId} for ${customerId})`,
      );
    }
  }

  /** One engine step; records what it did. Returns the transition's outcome. */
  #advance(customerId: string, input: EngineInput, context: string): Transition["outcome"] {
    const before = this.#states.get(customerId);
    let transition: Transition;
    try {
      transition = advance(before, input, new Date(this.#clock), this.#options.catalog);
    } catch (error) {
      throw new SimulationError(`${context}: ${(error as Error).message}`, { cause: error });
    }
    // Replay and duplicate both mean "this input was already handled": executing its (idempotent)
    // effects again would change nothing, so neither the state nor the timeline moves.
    if (transition.outcome !== "applied") return transition.outcome;
    const after = transition.state;
    this.#states.set(customerId, after);
    for (const effect of transition.effects) this.#apply(customerId, after, effect);
    return transition.outcome;
  }

  #apply(customerId: string, state: CustomerState, effect: Effect): void {
    const at = iso(this.#clock);
    switch (effect.type) {
      case "notify":
        this.#entries.push(messageEntry(effect.record, state, at));
        return;
      case "schedule":
        this.#timers.set(timerKey(customerId, effect.timerId), {
          customerId,
          timerId: effect.timerId,
          dueAt: effect.dueAt,
          purpose: timerPurpose(state, effect.timerId),
          seq: this.#seq++,
        });
        return;
      case "cancel":
        this.#timers.delete(timerKey(customerId, effect.timerId));
        return;
      case "emit": {
        // The engine has checked the detail against its schema (as Lambda would publish it).
        this.#entries.push(emittedEntry(customerId, effect.detailType, effect.detail, at));
        return;
      }
      case "facts":
        // A split's assignment (a holdout's and the global control's show on the start).
        for (const group of effect.groups) {
          for (const item of group.items) {
            if (item[0] !== "assigned") continue;
            if (item[1] === holdoutExperiment(group.journeyId) || item[1] === GLOBAL_CONTROL) continue;
            this.#entries.push({
              at,
              kind: "assigned",
              customerId,
              instanceId: group.instanceId,
              experiment: item[1],
              variant: item[2],
            });
          }
        }
        return;
      case "ownership":
        return;
    }
  }

  #journeys(): readonly Readonly<JourneyDefinition>[] {
    return this.#options.journey ? [this.#options.journey] : this.#options.catalog.latest();
  }

  /** What the run is about: the journey, or every journey of the catalog. */
  #label(): string {
    return (
      this.#options.journey?.id ??
      this.#options.catalog
        .latest()
        .map((j) => j.id)
        .join(", ")
    );
  }

  #summary(eventCount: number): SimulationSummary {
    const messages = { sent: 0, deferred: 0, suppressed: 0 };
    const completed: Record<string, number> = {};
    let escalations = 0;
    for (const entry of this.#entries) {
      if (entry.kind === "message") messages[entry.status]++;
      else if (entry.kind === "escalation") escalations++;
      else if (entry.kind === "completed") completed[entry.outcome] = (completed[entry.outcome] ?? 0) + 1;
    }
    const pendingTimers = [...this.#timers.values()]
      .sort((a, b) => Date.parse(a.dueAt) - Date.parse(b.dueAt) || a.seq - b.seq)
      .map(({ customerId, timerId, dueAt, purpose }) => ({ customerId, timerId, dueAt, purpose }));
    let running = 0;
    for (const state of this.#states.values()) running += state.instances.length;
    const last = this.#entries.at(-1);
    return {
      journeyId: this.#label(),
      start: this.#options.start,
      end: last?.at ?? this.#options.start,
      until: this.#options.until,
      customers: new Set(this.#entries.flatMap((e) => (e.customerId ? [e.customerId] : []))).size,
      events: { total: eventCount, duplicates: this.#duplicates, notConsumed: this.#notConsumed },
      messages,
      escalations,
      completed,
      running,
      timersFired: this.#timersFired,
      pendingTimers,
    };
  }
}

function messageEntry(record: NotificationRecord, state: CustomerState, at: string): MessageEntry {
  return {
    at,
    kind: "message",
    customerId: record.customerId,
    localTime: formatLocal(new Date(at), resolveTimeZone(state.profile).zone),
    notificationId: record.id,
    instanceId: record.instanceId,
    template: record.template,
    priority: record.priority,
    status: record.status,
    ...(record.channel ? { channel: record.channel } : {}),
    ...(record.to ? { to: maskContact(record.to) } : {}),
    ...(record.subject !== undefined ? { subject: redact(record.subject) } : {}),
    ...(record.body !== undefined ? { body: redact(record.body) } : {}),
    ...(record.smsSegments !== undefined ? { smsSegments: record.smsSegments } : {}),
    ...(record.reason ? { reason: record.reason } : {}),
    ...(record.deferredUntil ? { deferredUntil: record.deferredUntil } : {}),
    why: record.why.map(redact),
    vars: redactDeep(record.vars) as Record<string, unknown>,
  };
}

function emittedEntry(
  customerId: string,
  detailType: string,
  detail: Record<string, unknown>,
  at: string,
): TimelineEntry {
  const instanceId = typeof detail.instanceId === "string" ? detail.instanceId : "";
  if (detailType === "JourneyCompleted") {
    return { at, kind: "completed", customerId, instanceId, outcome: String(detail.outcome) };
  }
  const variants = detail.variants as Record<string, string> | undefined;
  if (detailType === "JourneyStarted") {
    return {
      at,
      kind: "started",
      customerId,
      instanceId,
      journeyVersion: Number(detail.journeyVersion),
      ...(variants ? { variants } : {}),
    };
  }
  if (detailType === "JourneyGoalReached") {
    return {
      at,
      kind: "goal",
      customerId,
      instanceId,
      goal: String(detail.goal),
      ...(variants ? { variants } : {}),
    };
  }
  if (detailType === "AgentEscalationRequested") {
    return { at, kind: "escalation", customerId, instanceId, reason: redact(String(detail.reason)) };
  }
  return {
    at,
    kind: "emitted",
    customerId,
    detailType,
    detail: redactDeep(detail) as Record<string, unknown>,
  };
}

/** What a timer was set for, read from the state that set it. */
function timerPurpose(state: CustomerState, timerId: string): string {
  const instance = state.instances.find((i) => i.state.timer.id === timerId);
  if (instance) {
    const waiting = instance.state.status === "waiting-event" ? "timeout of " : "";
    return `${waiting}${instance.state.node}`;
  }
  const deferred = state.deferred.find((d) => d.timer.id === timerId);
  const template = (deferred?.message as { template?: unknown } | undefined)?.template;
  return typeof template === "string" ? `deferred ${template}` : "timer";
}

function journeyListensTo(journey: Readonly<JourneyDefinition>, detailType: string): boolean {
  return (
    journey.entry.event === detailType ||
    journey.exitOn.some((exit) => exit.event === detailType) ||
    Object.values(journey.nodes).some(
      (node) => node.type === "waitForEvent" && awaitedEvents(node).includes(detailType),
    )
  );
}

function timerKey(customerId: string, timerId: string): string {
  return `${customerId}\u0000${timerId}`;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
