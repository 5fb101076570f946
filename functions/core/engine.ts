import type { OwnershipChange } from "../ports/owner-index.ts";
import type { Catalog, CustomerEvent } from "./catalog/catalog.ts";
import { addTimelineEntry, applyEventToContext } from "./customer-context.ts";
import {
  type CustomerState,
  emptyCustomerState,
  type JourneyInstance,
  LIMITS,
  type Order,
  pushBounded,
  type SendSummary,
} from "./customer-state.ts";
import { assertNever, type Effect } from "./effects.ts";
import { markAdvertisement } from "./guardrails/ad-marking.ts";
import { decide, type MessageRequest } from "./guardrails/policy.ts";
import { countSmsSegments } from "./guardrails/sms-segments.ts";
import { resolveTimeZone } from "./guardrails/time-zone.ts";
import { stableId } from "./ids.ts";
import type { JourneyDefinition, JourneyNode, Value, ValueRef } from "./journey/definition.ts";
import { type MessageTemplate, renderTemplate } from "./journey/template.ts";
import { evaluate, interpolate, type Scope, test } from "./journey/values.ts";
import { maskEmail, maskPhone } from "./mask.ts";
import type { NotificationRecord } from "./notification.ts";
import { addDuration } from "./time/duration.ts";
import { localTimeOnDay } from "./time/local-time.ts";

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

export interface Transition {
  state: CustomerState;
  effects: Effect[];
  /**
   * applied: state changed, persist it and run the effects; replay: the last input came back
   * (crash after commit), run its effects again without writing; duplicate: already done.
   */
  outcome: "applied" | "replay" | "duplicate";
}

/** A journey referenced by a live instance is no longer deployed. */
export class JourneyVersionMissingError extends Error {
  override name = "JourneyVersionMissingError";
}

/** A journey that loops without ever waiting would spin forever inside one input. */
export class JourneyLoopError extends Error {
  override name = "JourneyLoopError";
}

const MAX_STEPS_PER_INPUT = 64;

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

/**
 * The journey engine: a pure function of (customer state, input, now) that returns the new
 * state and the effects to run. Nothing here touches AWS.
 */
export function advance(
  current: CustomerState | undefined,
  input: EngineInput,
  now: Date,
  catalog: Catalog,
): Transition {
  const id = inputDigest(input);
  const base = current ?? emptyCustomerState(inputCustomerId(input), now);
  if (base.lastTransition?.inputId === id) {
    const effects = (base.lastTransition.effects as Effect[]).map((e) => expandEffect(e, catalog));
    return { state: base, effects, outcome: "replay" };
  }
  if (base.processedInputs.includes(id)) return { state: base, effects: [], outcome: "duplicate" };

  const run = new TransitionRun(base, now, catalog);
  switch (input.kind) {
    case "event":
      run.onEvent(input.event);
      break;
    case "timer":
      run.onTimer(input.timerId);
      break;
    case "notice":
      run.onNotice(input);
      break;
    default:
      assertNever(input, "engine input");
  }
  const state: CustomerState = {
    ...run.state,
    processedInputs: pushBounded(run.state.processedInputs, id, LIMITS.processedInputs),
    lastTransition: { inputId: id, effects: run.effects.map(compactEffect) },
    updatedAt: now.toISOString(),
  };
  return { state, effects: run.effects, outcome: "applied" };
}

/** The working copy of one transition: state so far and the effects collected. */
class TransitionRun {
  state: CustomerState;
  readonly effects: Effect[] = [];
  readonly #now: Date;
  readonly #catalog: Catalog;
  #event: JourneyEvent | undefined;
  /** The journey whose entry is being evaluated (its `order` names the order refs see). */
  #entering: Readonly<JourneyDefinition> | undefined;

  constructor(state: CustomerState, now: Date, catalog: Catalog) {
    this.state = state;
    this.#now = now;
    this.#catalog = catalog;
  }

  onEvent(event: CustomerEvent): void {
    const before = this.state;
    this.state = applyEventToContext(this.state, event, this.#catalog);
    this.#indexOwnership(before);
    this.#timeline(event.occurredAt, "event", this.#catalog.describe(event.detailType, event.detail));
    this.#journeyEvent(event);
  }

  onNotice(notice: NoticeInput): void {
    this.#timeline(notice.occurredAt, "event", this.#catalog.describe(notice.detailType, notice.detail));
    this.#journeyEvent({
      detailType: notice.detailType,
      detail: notice.detail,
      eventId: notice.noticeId,
      occurredAt: notice.occurredAt,
    });
  }

  /** Whatever event changed who owns which model (an order, a return), the owner index follows. */
  #indexOwnership(before: CustomerState): void {
    if (before.orders === this.state.orders) return;
    const was = ownedModels(before);
    const now = ownedModels(this.state);
    const changes: OwnershipChange[] = [];
    for (const [key, owned] of now) if (!was.has(key)) changes.push({ ...owned, owned: true });
    for (const [key, owned] of was) if (!now.has(key)) changes.push({ ...owned, owned: false });
    if (changes.length > 0) this.effects.push({ type: "ownership", changes });
  }

  #journeyEvent(event: JourneyEvent): void {
    this.#event = event;
    this.#exitOnEvent(event);
    this.#resumeWaitingInstances(event);
    this.#startJourneys(event);
  }

  onTimer(timerId: string): void {
    const instance = this.state.instances.find((i) => i.state.timer.id === timerId);
    if (instance) {
      const node = this.#node(instance, instance.state.node);
      if (instance.state.status === "waiting-timer") {
        if (node.type !== "wait" && node.type !== "waitUntilLocalTime") return;
        this.#runFrom(instance, node.next);
      } else {
        if (node.type !== "waitForEvent") return;
        this.#runFrom(instance, node.onTimeout);
      }
      return;
    }
    const deferred = this.state.deferred.find((d) => d.timer.id === timerId);
    if (deferred) {
      this.state = { ...this.state, deferred: this.state.deferred.filter((d) => d !== deferred) };
      this.#deliver(deferred.message as PendingMessage);
    }
    // Otherwise the timer is stale (its instance ended or moved on): nothing to do.
  }

  #exitOnEvent(event: JourneyEvent): void {
    for (const instance of [...this.state.instances]) {
      const journey = this.#journey(instance);
      const exit = journey.exitOn.find(
        (e) => e.event === event.detailType && test(e.when, this.#scope(instance)),
      );
      if (exit) this.#complete(instance, exit.outcome);
    }
  }

  #resumeWaitingInstances(event: JourneyEvent): void {
    const waiting = this.state.instances.filter((instance) => {
      if (instance.state.status !== "waiting-event") return false;
      const node = this.#node(instance, instance.state.node);
      return node.type === "waitForEvent" && node.event === event.detailType;
    });
    if (waiting.length === 0) return;
    const detail = event.detail;
    const exact = waiting.find((instance) => {
      const node = this.#node(instance, instance.state.node) as Extract<
        JourneyNode,
        { type: "waitForEvent" }
      >;
      return detail[node.correlate.eventField] === instance.vars[node.correlate.varName];
    });
    const fallback = waiting
      .filter((instance) => {
        const node = this.#node(instance, instance.state.node) as Extract<
          JourneyNode,
          { type: "waitForEvent" }
        >;
        return node.correlate.fallback === "most-recent";
      })
      .sort((a, b) =>
        (b.state.status === "waiting-event" ? b.state.since : "").localeCompare(
          a.state.status === "waiting-event" ? a.state.since : "",
        ),
      )[0];
    const target = exact ?? fallback;
    if (!target) return;
    const node = this.#node(target, target.state.node) as Extract<JourneyNode, { type: "waitForEvent" }>;
    this.#cancelTimer(target);
    const answered: JourneyInstance = {
      ...target,
      vars: node.saveAs ? { ...target.vars, [node.saveAs]: eventPayload(event) } : target.vars,
    };
    this.#replace(answered);
    this.#runFrom(answered, node.onEvent);
  }

  #startJourneys(event: JourneyEvent): void {
    for (const journey of this.#catalog.latest()) {
      if (journey.entry.event !== event.detailType) continue;
      this.#entering = journey;
      const scope = this.#scope(undefined);
      const key = evaluate(journey.entry.key, scope);
      if (typeof key !== "string" || key === "") continue;
      const id = `${journey.id}#${key}`;
      if (this.state.instances.some((i) => i.id === id) || this.state.completedInstances.includes(id))
        continue;
      if (journey.entry.when && !test(journey.entry.when, scope)) continue;
      const vars: Record<string, unknown> = {};
      for (const [name, value] of Object.entries(journey.entry.capture)) vars[name] = evaluate(value, scope);
      const instance: JourneyInstance = {
        id,
        journeyId: journey.id,
        journeyVersion: journey.version,
        key,
        startedAt: event.occurredAt,
        steps: 0,
        vars,
        // Placeholder until #runFrom parks it at its first wait.
        state: { status: "waiting-timer", node: journey.start, timer: { id: "", dueAt: "" } },
      };
      this.state = { ...this.state, instances: [...this.state.instances, instance] };
      this.#timeline(this.#now.toISOString(), "journey", `${journey.id} started for ${key}`);
      this.#runFrom(instance, journey.start);
    }
  }

  /** Executes nodes from `nodeId` until the instance parks at a wait or exits. */
  #runFrom(start: JourneyInstance, nodeId: string): void {
    let instance = start;
    let current = nodeId;
    for (let step = 0; step < MAX_STEPS_PER_INPUT; step++) {
      const node = this.#node(instance, current);
      switch (node.type) {
        case "wait": {
          this.#park(instance, current, addDuration(this.#now, node.duration), "waiting-timer");
          return;
        }
        case "waitUntilLocalTime": {
          const from = evaluate(node.from, this.#scope(instance));
          const zone = resolveTimeZone(this.state.profile).zone;
          const due = localTimeOnDay(new Date(String(from)), zone, node.days, node.at);
          if (due.getTime() <= this.#now.getTime()) {
            current = node.next; // already due (the event came late): carry on now
            continue;
          }
          this.#park(instance, current, due, "waiting-timer");
          return;
        }
        case "waitForEvent": {
          this.#park(instance, current, addDuration(this.#now, node.timeout), "waiting-event");
          return;
        }
        case "branch": {
          const scope = this.#scope(instance);
          current = node.cases.find((c) => test(c.when, scope))?.next ?? node.otherwise;
          continue;
        }
        case "assign": {
          const scope = this.#scope(instance);
          const vars = { ...instance.vars };
          for (const [name, value] of Object.entries(node.vars)) vars[name] = evaluate(value, scope);
          instance = { ...instance, vars };
          this.#replace(instance);
          current = node.next;
          continue;
        }
        case "compute": {
          const calculator = this.#catalog.calculator(node.calculator);
          if (!calculator)
            throw new JourneyVersionMissingError(`calculator "${node.calculator}" is not deployed`);
          instance = {
            ...instance,
            vars: { ...instance.vars, [node.saveAs]: calculator(this.#scope(instance)) },
          };
          this.#replace(instance);
          current = node.next;
          continue;
        }
        case "send": {
          this.#send(instance, current, node);
          current = node.next;
          continue;
        }
        case "emit": {
          this.#emit(instance, node);
          current = node.next;
          continue;
        }
        case "exit": {
          this.#complete(instance, node.outcome);
          return;
        }
        default:
          assertNever(node, "journey node");
      }
    }
    throw new JourneyLoopError(`${instance.id}: more than ${MAX_STEPS_PER_INPUT} steps without a wait`);
  }

  #park(instance: JourneyInstance, node: string, due: Date, status: "waiting-timer" | "waiting-event"): void {
    const steps = instance.steps + 1;
    const timer = { id: `${instance.id}#${steps}`, dueAt: due.toISOString() };
    const state =
      status === "waiting-timer"
        ? ({ status, node, timer } as const)
        : ({ status, node, timer, since: this.#now.toISOString() } as const);
    this.#replace({ ...instance, steps, state });
    this.effects.push({
      type: "schedule",
      customerId: this.state.customerId,
      timerId: timer.id,
      dueAt: timer.dueAt,
    });
  }

  #send(instance: JourneyInstance, nodeId: string, node: Extract<JourneyNode, { type: "send" }>): void {
    const scope = this.#scope(instance);
    const vars: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(node.vars)) {
      const resolved = evaluate(value, scope);
      if (resolved !== undefined) vars[name] = resolved;
    }
    const request: MessageRequest = {
      notificationId: stableId(this.state.customerId, instance.id, nodeId, String(instance.steps)),
      priority: node.priority,
      ...(node.severity ? { severity: node.severity } : {}),
      ...(node.channelOrder ? { channelOrder: node.channelOrder } : {}),
    };
    this.#deliver({
      request,
      template: node.template,
      journeyId: instance.journeyId,
      instanceId: instance.id,
      vars,
      why: [...node.why.map((line) => interpolate(line, scope)), ...whyLines(node.whyFrom, scope)],
    });
  }

  /** Runs a message through the guardrail policy and records what was decided. */
  #deliver(message: PendingMessage): void {
    const template = this.#catalog.template(message.template);
    if (!template) throw new JourneyVersionMissingError(`template "${message.template}" is not deployed`);
    const decision = decide(message.request, this.state, this.#now);
    const at = this.#now.toISOString();
    // The catalog picks the locale (the customer's, its language, or the fallback); every template has it.
    const locale = this.#catalog.pickLocale(this.state.profile.locale);
    const base = {
      customerId: this.state.customerId,
      journeyId: message.journeyId,
      instanceId: message.instanceId,
      template: message.template,
      priority: message.request.priority,
      vars: message.vars,
      why: [...message.why, ...decision.why],
      at,
    };
    switch (decision.outcome) {
      case "suppress": {
        const record: NotificationRecord = {
          ...base,
          id: message.request.notificationId,
          locale,
          status: "suppressed",
          reason: decision.reason,
        };
        this.effects.push({ type: "notify", record });
        this.#timeline(at, "message", `${message.template} suppressed (${decision.reason})`);
        return;
      }
      case "defer": {
        const channel = decision.channels[0]!;
        const rendered = { locale };
        const timer = { id: `defer#${message.request.notificationId}`, dueAt: decision.until.toISOString() };
        this.effects.push({
          type: "notify",
          record: {
            ...base,
            id: `${message.request.notificationId}~deferred`,
            locale: rendered.locale,
            channel,
            status: "deferred",
            deferredUntil: timer.dueAt,
          },
        });
        this.effects.push({
          type: "schedule",
          customerId: this.state.customerId,
          timerId: timer.id,
          dueAt: timer.dueAt,
        });
        this.state = { ...this.state, deferred: [...this.state.deferred, { timer, message }] };
        this.#timeline(at, "message", `${message.template} deferred to ${timer.dueAt}`);
        return;
      }
      case "send": {
        for (const channel of decision.channels) {
          const id =
            decision.channels.length > 1
              ? `${message.request.notificationId}-${channel}`
              : message.request.notificationId;
          const recordLocale = locale;
          const record: NotificationRecord = {
            ...base,
            id,
            locale: recordLocale,
            channel,
            to: channel === "sms" ? this.state.profile.phone! : this.state.profile.email!,
            status: "sent",
            ...(message.request.priority === "marketing" ? { marketing: true } : {}),
            ...renderContent(
              this.#catalog,
              template,
              recordLocale,
              channel,
              message.request.priority,
              message.vars,
            ),
          };
          this.effects.push({ type: "notify", record });
          this.#recordSend({
            at,
            notificationId: message.request.notificationId,
            template: message.template,
            priority: message.request.priority,
            channel,
          });
          this.#timeline(at, "message", `${message.template} sent by ${channel}`);
        }
        return;
      }
      default:
        assertNever(decision, "decision");
    }
  }

  #recordSend(summary: SendSummary): void {
    const horizon = this.#now.getTime() - LIMITS.sendHistoryDays * 86_400_000;
    const sends = [...this.state.sends.filter((s) => new Date(s.at).getTime() > horizon), summary];
    this.state = { ...this.state, sends };
  }

  #emit(instance: JourneyInstance, node: Extract<JourneyNode, { type: "emit" }>): void {
    const scope = this.#scope(instance);
    const reason = node.reason === undefined ? undefined : interpolate(node.reason, scope);
    const fields: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(node.detail ?? {})) {
      const resolved = evaluate(value, scope);
      if (resolved !== undefined) fields[name] = resolved;
    }
    const detail: Record<string, unknown> = {
      ...fields,
      customerId: this.state.customerId,
      eventId: stableId(instance.id, node.detailType, String(instance.steps)),
      journeyId: instance.journeyId,
      instanceId: instance.id,
      ...(reason !== undefined ? { reason } : {}),
    };
    if (node.detailType === "AgentEscalationRequested") detail.context = this.#escalationContext(node, scope);
    this.effects.push({ type: "emit", detailType: node.detailType, detail });
    this.#timeline(
      this.#now.toISOString(),
      "journey",
      node.detailType === "AgentEscalationRequested"
        ? `agent escalation requested: ${reason ?? ""}`
        : `${node.detailType} emitted${reason ? `: ${reason}` : ""}`,
    );
  }

  /** What an agent needs so the customer never repeats themselves: who, which order, what happened lately. */
  #escalationContext(node: Extract<JourneyNode, { type: "emit" }>, scope: Scope): Record<string, unknown> {
    const { profile } = this.state;
    const context: Record<string, unknown> = {
      profile: {
        ...(profile.name ? { name: profile.name } : {}),
        ...(profile.locale ? { locale: profile.locale } : {}),
        timeZone: resolveTimeZone(profile).zone,
        ...(profile.preferredChannel ? { preferredChannel: profile.preferredChannel } : {}),
        ...(profile.phone ? { maskedPhone: maskPhone(profile.phone) } : {}),
        ...(profile.email ? { maskedEmail: maskEmail(profile.email) } : {}),
      },
      timeline: this.state.timeline,
    };
    const order = scope.order as (Order & { orderId: string }) | undefined;
    if (order && order.items.length > 0) {
      context.order = {
        orderId: order.orderId,
        items: order.items.map(({ sku, name, model, quantity }) => ({
          sku,
          name,
          quantity,
          ...(model ? { model } : {}),
        })),
        ...(order.deliveredAt ? { deliveredAt: order.deliveredAt } : {}),
      };
    }
    for (const [name, value] of Object.entries(node.context ?? {})) {
      const resolved = evaluateEntry(value, scope);
      if (resolved !== undefined) context[name] = resolved;
    }
    return context;
  }

  #complete(instance: JourneyInstance, outcome: string): void {
    this.#cancelTimer(instance);
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
        eventId: stableId(instance.id, "completed"),
        journeyId: instance.journeyId,
        instanceId: instance.id,
        journeyVersion: instance.journeyVersion,
        outcome,
        at: this.#now.toISOString(),
      },
    });
    this.#timeline(
      this.#now.toISOString(),
      "journey",
      `${instance.journeyId} for ${instance.key} ended: ${outcome}`,
    );
  }

  #cancelTimer(instance: JourneyInstance): void {
    const current = this.state.instances.find((i) => i.id === instance.id);
    const timerId = current?.state.timer.id;
    const already = this.effects.some((e) => e.type === "cancel" && e.timerId === timerId);
    if (timerId && !already)
      this.effects.push({ type: "cancel", customerId: this.state.customerId, timerId });
  }

  #replace(instance: JourneyInstance): void {
    this.state = {
      ...this.state,
      instances: this.state.instances.map((i) => (i.id === instance.id ? instance : i)),
    };
  }

  #journey(instance: JourneyInstance): Readonly<JourneyDefinition> {
    const journey = this.#catalog.version(instance.journeyId, instance.journeyVersion);
    if (!journey) {
      throw new JourneyVersionMissingError(
        `${instance.journeyId}@${instance.journeyVersion} is not deployed but instance ${instance.id} is on it`,
      );
    }
    return journey;
  }

  #node(instance: JourneyInstance, id: string): JourneyNode {
    const node = this.#journey(instance).nodes[id];
    if (!node)
      throw new JourneyVersionMissingError(
        `${instance.journeyId}@${instance.journeyVersion} has no node ${id}`,
      );
    return node;
  }

  #scope(instance: JourneyInstance | undefined): Scope {
    const event = this.#event ? eventPayload(this.#event) : undefined;
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
        profile: this.state.profile,
        consent: this.state.consent,
        usage: this.state.usage ?? [],
        optOuts: this.state.optOuts,
        sends: this.state.sends,
        attributes: this.state.attributes ?? {},
      },
    };
    const journey = instance ? this.#journey(instance) : this.#entering;
    const orderId = journey?.order === undefined ? undefined : evaluate(journey.order, base);
    const order =
      typeof orderId === "string" && Object.hasOwn(this.state.orders, orderId)
        ? this.state.orders[orderId]
        : undefined;
    return {
      ...base,
      order: order ? { ...order, orderId, productNames: order.items.map((item) => item.name) } : undefined,
    };
  }

  #timeline(at: string, kind: "event" | "message" | "journey", summary: string): void {
    this.state = { ...this.state, timeline: addTimelineEntry(this.state.timeline, { at, kind, summary }) };
  }
}

/** Subject, body and segment count of a message: a pure function of template, locale, channel and vars. */
function renderContent(
  catalog: Catalog,
  template: MessageTemplate,
  locale: string,
  channel: "sms" | "email",
  priority: NotificationRecord["priority"],
  vars: Record<string, unknown>,
): Pick<NotificationRecord, "subject" | "body" | "smsSegments"> {
  const rendered = renderTemplate(template, locale, channel, vars, {
    fallback: catalog.locales.fallback,
    linkBaseUrl: catalog.linkBaseUrl,
  });
  const body = markAdvertisement(rendered.body, rendered.locale, channel, priority);
  return {
    ...(rendered.subject ? { subject: rendered.subject } : {}),
    body,
    ...(channel === "sms" ? { smsSegments: countSmsSegments(body).segments } : {}),
  };
}

/** The replay copy of an effect drops what rendering gives back, to keep the customer item small. */
function compactEffect(effect: Effect): Effect {
  if (effect.type !== "notify" || effect.record.status !== "sent") return effect;
  const { subject: _subject, body: _body, smsSegments: _segments, ...record } = effect.record;
  return { type: "notify", record };
}

function expandEffect(effect: Effect, catalog: Catalog): Effect {
  if (effect.type !== "notify" || effect.record.status !== "sent" || effect.record.body !== undefined)
    return effect;
  const { record } = effect;
  const template = catalog.template(record.template);
  if (!template || !record.channel)
    throw new JourneyVersionMissingError(`template "${record.template}" is not deployed`);
  return {
    type: "notify",
    record: {
      ...record,
      ...renderContent(catalog, template, record.locale, record.channel, record.priority, record.vars),
    },
  };
}

/** A message waiting for quiet hours to end, kept in the customer item until its timer fires. */
interface PendingMessage {
  request: MessageRequest;
  template: string;
  journeyId: string;
  instanceId: string;
  vars: Record<string, unknown>;
  why: string[];
}

function whyLines(ref: ValueRef | undefined, scope: Scope): string[] {
  if (!ref) return [];
  const lines = evaluate(ref, scope);
  return Array.isArray(lines) ? lines.filter((line): line is string => typeof line === "string") : [];
}

/** A value, or an object of values (one level), with undefined fields left out; undefined when nothing is. */
function evaluateEntry(value: Value | Record<string, Value>, scope: Scope): unknown {
  if (isValue(value)) return evaluate(value, scope);
  const fields: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(value)) {
    const resolved = evaluate(field, scope);
    if (resolved !== undefined) fields[name] = resolved;
  }
  return Object.keys(fields).length > 0 ? fields : undefined;
}

function isValue(value: Value | Record<string, Value>): value is Value {
  return value === null || typeof value !== "object" || Array.isArray(value) || "$ref" in value;
}

/** (order, model) pairs the customer owns: ordered, not returned. */
function ownedModels(
  state: CustomerState,
): Map<string, { customerId: string; orderId: string; model: string }> {
  const owned = new Map<string, { customerId: string; orderId: string; model: string }>();
  for (const [orderId, order] of Object.entries(state.orders)) {
    if (order.returnedAt) continue;
    for (const item of order.items) {
      if (item.model)
        owned.set(`${orderId}\u0000${item.model}`, {
          customerId: state.customerId,
          orderId,
          model: item.model,
        });
    }
  }
  return owned;
}

function eventPayload(event: JourneyEvent): Record<string, unknown> {
  return {
    ...event.detail,
    eventId: event.eventId,
    occurredAt: event.occurredAt,
    detailType: event.detailType,
  };
}
