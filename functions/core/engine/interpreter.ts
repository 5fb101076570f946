import type { CustomerEvent } from "../catalog/catalog.ts";
import { applyEventToContext } from "../customer-context.ts";
import type { JourneyInstance } from "../customer-state.ts";
import { assertNever } from "../effects.ts";
import { resolveTimeZone } from "../guardrails/time-zone.ts";
import { stableId } from "../ids.ts";
import { awaitedEvents, type JourneyDefinition, type JourneyNode } from "../journey/definition.ts";
import { evaluate, test } from "../journey/values.ts";
import {
  assignmentUnit,
  GLOBAL_CONTROL,
  globalControlVariant,
  holdoutExperiment,
  pickVariant,
} from "../measurement/experiments.ts";
import { refuseInstance } from "../state-budget.ts";
import { addDuration, isDuration } from "../time/duration.ts";
import { localTimeOnDay } from "../time/local-time.ts";
import { deliver, type PendingMessage, send } from "./delivery.ts";
import { emit } from "./emit.ts";
import { JourneyLoopError, JourneyVersionMissingError } from "./errors.ts";
import { applyFeedback } from "./feedback.ts";
import { reachGoals, watchGoal } from "./goals.ts";
import type { JourneyEvent, NoticeInput } from "./input.ts";
import { entryRefusal, instanceIdFor, rememberEntry } from "./journey-entry.ts";
import { indexOwnership } from "./ownership.ts";
import { eventPayload, scopeFor } from "./scope.ts";
import type { TransitionRun } from "./transition-run.ts";

const MAX_STEPS_PER_INPUT = 64;

export function onEvent(run: TransitionRun, event: CustomerEvent): void {
  const before = run.state;
  run.state = applyEventToContext(run.state, event, run.catalog);
  indexOwnership(run, before);
  run.timeline(event.occurredAt, "event", run.catalog.describe(event.detailType, event.detail));
  applyFeedback(run, event);
  journeyEvent(run, event);
}

export function onNotice(run: TransitionRun, notice: NoticeInput): void {
  run.timeline(notice.occurredAt, "event", run.catalog.describe(notice.detailType, notice.detail));
  journeyEvent(run, {
    detailType: notice.detailType,
    detail: notice.detail,
    eventId: notice.noticeId,
    occurredAt: notice.occurredAt,
  });
}

function journeyEvent(run: TransitionRun, event: JourneyEvent): void {
  run.event = event;
  reachGoals(run, event);
  exitOnEvent(run, event);
  resumeWaitingInstances(run, event);
  startJourneys(run, event);
}

export function onTimer(run: TransitionRun, timerId: string): void {
  const instance = run.state.instances.find((i) => i.state.timer.id === timerId);
  if (instance) {
    const node = run.node(instance, instance.state.node);
    if (instance.state.status === "waiting-timer") {
      if (node.type !== "wait" && node.type !== "waitUntil" && node.type !== "waitUntilLocalTime") return;
      runFrom(run, instance, node.next);
    } else {
      if (node.type !== "waitForEvent") return;
      runFrom(run, instance, node.onTimeout);
    }
    return;
  }
  const deferred = run.state.deferred.find((d) => d.timer.id === timerId);
  if (deferred) {
    run.state = { ...run.state, deferred: run.state.deferred.filter((d) => d !== deferred) };
    deliver(run, deferred.message as PendingMessage);
  }
  // Otherwise the timer is stale (its instance ended or moved on): nothing to do.
}

function exitOnEvent(run: TransitionRun, event: JourneyEvent): void {
  for (const instance of [...run.state.instances]) {
    const journey = run.journey(instance);
    const exit = journey.exitOn.find(
      (e) => e.event === event.detailType && test(e.when, scopeFor(run, instance)),
    );
    if (exit) run.complete(instance, exit.outcome);
  }
}

function resumeWaitingInstances(run: TransitionRun, event: JourneyEvent): void {
  const waiting = run.state.instances.filter((instance) => {
    if (instance.state.status !== "waiting-event") return false;
    const node = run.node(instance, instance.state.node);
    return node.type === "waitForEvent" && awaitedEvents(node).includes(event.detailType);
  });
  if (waiting.length === 0) return;
  const detail = event.detail;
  const exact = waiting.find((instance) => {
    const node = run.node(instance, instance.state.node) as Extract<JourneyNode, { type: "waitForEvent" }>;
    return detail[node.correlate.eventField] === instance.vars[node.correlate.varName];
  });
  const fallback = waiting
    .filter((instance) => {
      const node = run.node(instance, instance.state.node) as Extract<JourneyNode, { type: "waitForEvent" }>;
      return node.correlate.fallback === "most-recent";
    })
    .sort((a, b) =>
      (b.state.status === "waiting-event" ? b.state.since : "").localeCompare(
        a.state.status === "waiting-event" ? a.state.since : "",
      ),
    )[0];
  const target = exact ?? fallback;
  if (!target) return;
  const node = run.node(target, target.state.node) as Extract<JourneyNode, { type: "waitForEvent" }>;
  recordNps(run, target, event);
  run.cancelTimer(target);
  const answered: JourneyInstance = {
    ...target,
    vars: node.saveAs ? { ...target.vars, [node.saveAs]: eventPayload(event) } : target.vars,
  };
  run.replace(answered);
  runFrom(run, answered, node.onEvent);
}

/** A survey answer to a journey that measures NPS: its score, when it is one (an integer from 0 to 10). */
function recordNps(run: TransitionRun, instance: JourneyInstance, event: JourneyEvent): void {
  const nps = run.journey(instance).nps;
  if (!nps || nps.event !== event.detailType) return;
  const score = event.detail[nps.scoreField];
  if (typeof score === "number" && Number.isInteger(score) && score >= 0 && score <= 10)
    run.fact(instance, ["nps", score]);
}

/**
 * The instance's experiment assignments at entry: the journey's holdout, and the catalog's global control.
 * Deterministic (a hash of customer, journey and experiment), so the same on every replay and re-entry.
 */
function assignAtEntry(run: TransitionRun, journey: Readonly<JourneyDefinition>): Record<string, string> {
  const variants: Record<string, string> = {};
  const customerId = run.state.customerId;
  if (journey.holdout) {
    const experiment = holdoutExperiment(journey.id);
    variants[experiment] =
      assignmentUnit(customerId, journey.id, experiment) < journey.holdout.percent / 100
        ? "holdout"
        : "treatment";
  }
  const control = run.catalog.measurement.globalControlPercent;
  if (control) variants[GLOBAL_CONTROL] = globalControlVariant(customerId, control);
  return variants;
}

function startJourneys(run: TransitionRun, event: JourneyEvent): void {
  for (const journey of run.catalog.latest()) {
    if (journey.entry.event !== event.detailType) continue;
    run.entering = journey;
    const scope = scopeFor(run, undefined);
    const key = evaluate(journey.entry.key, scope);
    if (typeof key !== "string" || key === "") continue;
    if (run.state.instances.some((i) => i.journeyId === journey.id && i.key === key)) continue;
    if (journey.entry.when && !test(journey.entry.when, scope)) continue;
    const notAgain = entryRefusal(run.state, journey, key, run.now);
    if (notAgain) {
      run.timeline(run.now.toISOString(), "journey", `${journey.id} not started for ${key}: ${notAgain}`);
      continue;
    }
    const vars: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(journey.entry.capture)) vars[name] = evaluate(value, scope);
    const variants = assignAtEntry(run, journey);
    const id = instanceIdFor(run.state, journey, key);
    const instance: JourneyInstance = {
      id,
      journeyId: journey.id,
      journeyVersion: journey.version,
      key,
      startedAt: event.occurredAt,
      steps: 0,
      vars,
      // Placeholder until runFrom parks it at its first wait.
      state: { status: "waiting-timer", node: journey.start, timer: { id: "", dueAt: "" } },
      ...(Object.keys(variants).length > 0 ? { variants } : {}),
    };
    const refused = refuseInstance(run.state, instance);
    if (refused) {
      run.refusals.push(`${journey.id}: ${refused}`);
      run.timeline(run.now.toISOString(), "journey", `${journey.id} not started for ${key}: ${refused}`);
      continue;
    }
    run.state = {
      ...rememberEntry(run.state, journey, key, run.now),
      instances: [...run.state.instances, instance],
    };
    run.timeline(run.now.toISOString(), "journey", `${journey.id} started for ${key}`);
    run.fact(instance, ["started"]);
    for (const [experiment, variant] of Object.entries(variants))
      run.fact(instance, ["assigned", experiment, variant]);
    run.effects.push({
      type: "emit",
      detailType: "JourneyStarted",
      detail: {
        customerId: run.state.customerId,
        eventId: stableId(run.state.customerId, id, "started", event.eventId),
        journeyId: journey.id,
        journeyVersion: journey.version,
        instanceId: id,
        ...(Object.keys(variants).length > 0 ? { variants } : {}),
        at: run.now.toISOString(),
      },
    });
    watchGoal(run, journey, instance);
    runFrom(run, instance, journey.start);
  }
}

/** Executes nodes from `nodeId` until the instance parks at a wait or exits. */
function runFrom(run: TransitionRun, start: JourneyInstance, nodeId: string): void {
  let instance = start;
  let current = nodeId;
  for (let step = 0; step < MAX_STEPS_PER_INPUT; step++) {
    const node = run.node(instance, current);
    // The compiler proves every node type has a handler; a node of any other type (one no schema checked)
    // fails loudly with what it is, rather than calling whatever `handlers` inherits (`toString`).
    if (!Object.hasOwn(handlers, node.type)) assertNever(node as never, "journey node");
    run.fact(instance, ["step", current, node.type]);
    const after = runNode(run, instance, node.type, node, current);
    if (after === "parked" || after === "exited") return;
    instance = after.instance;
    current = after.next;
  }
  throw new JourneyLoopError(`${instance.id}: more than ${MAX_STEPS_PER_INPUT} steps without a wait`);
}

/** After a node: carry on at `next` with the instance as the node left it, or stop (it parked or exited). */
type Step = { next: string; instance: JourneyInstance } | "parked" | "exited";

type NodeOf<K extends JourneyNode["type"]> = Extract<JourneyNode, { type: K }>;

/**
 * One handler per node type. The mapped type has a key for every member of `JourneyNode["type"]`, each
 * taking the node of that type: a node type added to the definition without a handler here, or a handler
 * for a type that does not exist, does not compile.
 */
type NodeHandlers = {
  readonly [K in JourneyNode["type"]]: (
    run: TransitionRun,
    instance: JourneyInstance,
    node: NodeOf<K>,
    nodeId: string,
  ) => Step;
};

const handlers: NodeHandlers = {
  wait: (run, instance, node, nodeId) => {
    run.park(instance, nodeId, addDuration(run.now, node.duration), "waiting-timer");
    return "parked";
  },
  waitUntil: (run, instance, node, nodeId) => {
    const due = new Date(node.at);
    if (due.getTime() <= run.now.getTime()) return { next: node.next, instance }; // already past: carry on
    run.park(instance, nodeId, due, "waiting-timer");
    return "parked";
  },
  waitUntilLocalTime: (run, instance, node, nodeId) => {
    const from = evaluate(node.from, scopeFor(run, instance));
    const zone = resolveTimeZone(run.state.profile).zone;
    const due = localTimeOnDay(new Date(String(from)), zone, node.days, node.at);
    if (due.getTime() <= run.now.getTime()) {
      return { next: node.next, instance }; // already due (the event came late): carry on now
    }
    run.park(instance, nodeId, due, "waiting-timer");
    return "parked";
  },
  waitForEvent: (run, instance, node, nodeId) => {
    const due = isDuration(node.timeout) ? addDuration(run.now, node.timeout) : new Date(node.timeout);
    // A deadline already past leaves no time for an answer: the wait times out at once.
    if (due.getTime() <= run.now.getTime()) return { next: node.onTimeout, instance };
    run.park(instance, nodeId, due, "waiting-event");
    return "parked";
  },
  branch: (run, instance, node) => {
    const scope = scopeFor(run, instance);
    return { next: node.cases.find((c) => test(c.when, scope))?.next ?? node.otherwise, instance };
  },
  assign: (run, instance, node) => {
    const scope = scopeFor(run, instance);
    const vars = { ...instance.vars };
    for (const [name, value] of Object.entries(node.vars)) vars[name] = evaluate(value, scope);
    const assigned = { ...instance, vars };
    run.replace(assigned);
    return { next: node.next, instance: assigned };
  },
  compute: (run, instance, node) => {
    const calculator = run.catalog.calculator(node.calculator);
    if (!calculator) throw new JourneyVersionMissingError(`calculator "${node.calculator}" is not deployed`);
    const computed = {
      ...instance,
      vars: { ...instance.vars, [node.saveAs]: calculator(scopeFor(run, instance)) },
    };
    run.replace(computed);
    return { next: node.next, instance: computed };
  },
  send: (run, instance, node, nodeId) => {
    const notificationId = send(run, instance, nodeId, node);
    if (!node.saveAs) return { next: node.next, instance };
    // The id a later waitForEvent correlates feedback on (MessageOpened, MessageBounced…).
    const saved = { ...instance, vars: { ...instance.vars, [node.saveAs]: notificationId } };
    run.replace(saved);
    return { next: node.next, instance: saved };
  },
  emit: (run, instance, node) => {
    emit(run, instance, node);
    return { next: node.next, instance };
  },
  split: (run, instance, node) => {
    const unit = assignmentUnit(run.state.customerId, instance.journeyId, node.experiment);
    const name = pickVariant(unit, node.variants);
    const assigned = { ...instance, variants: { ...instance.variants, [node.experiment]: name } };
    run.replace(assigned);
    run.fact(assigned, ["assigned", node.experiment, name]);
    return { next: node.variants.find((v) => v.name === name)!.next, instance: assigned };
  },
  exit: (run, instance, node) => {
    run.complete(instance, node.outcome);
    return "exited";
  },
};

/**
 * Calls the handler of `type` with its node. Generic in the type so that `handlers[type]` takes
 * `NodeOf<K>`: indexing the map with the union would want a node of every type at once.
 */
function runNode<K extends JourneyNode["type"]>(
  run: TransitionRun,
  instance: JourneyInstance,
  type: K,
  node: NodeOf<K>,
  nodeId: string,
): Step {
  return handlers[type](run, instance, node, nodeId);
}
