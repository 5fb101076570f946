import type { Catalog } from "../catalog/catalog.ts";
import { type Channel, type JourneyInstance, LIMITS, type SendSummary } from "../customer-state.ts";
import { assertNever } from "../effects.ts";
import { markAdvertisement, markSubject } from "../guardrails/ad-marking.ts";
import { sendMemoryDays } from "../guardrails/delivery-policy.ts";
import { type Decision, decide, type MessageRequest } from "../guardrails/policy.ts";
import { countSmsSegments } from "../guardrails/sms-segments.ts";
import { stableId } from "../ids.ts";
import type { JourneyNode, ValueRef } from "../journey/definition.ts";
import { safeVars } from "../journey/safe-vars.ts";
import { DEFAULT_MAX_SMS_SEGMENTS, type MessageTemplate, renderTemplate } from "../journey/template.ts";
import { evaluate, evaluateAll, interpolate, type Scope } from "../journey/values.ts";
import { GLOBAL_CONTROL, holdoutExperiment } from "../measurement/experiments.ts";
import { FALLBACK_WINDOW_MS } from "../message-feedback.ts";
import type { NotificationRecord } from "../notification.ts";
import { STATE_BUDGET } from "../state-budget.ts";
import { JourneyVersionMissingError } from "./errors.ts";
import { scopeFor } from "./scope.ts";
import type { TransitionRun } from "./transition-run.ts";

/** A message waiting for quiet hours to end, kept in the customer item until its timer fires. */
export interface PendingMessage {
  request: MessageRequest;
  template: string;
  journeyId: string;
  /** The version the instance runs (its delivery overrides apply); absent in messages kept before it was. */
  journeyVersion?: number;
  instanceId: string;
  vars: Record<string, unknown>;
  why: string[];
  /** Send once more on the next allowed channel if this one fails for good. */
  fallback?: boolean;
  /**
   * Kept out by an experiment: the instance is in its journey's holdout, or the customer in the global
   * control group (marketing only). Decided, recorded, never sent — that is what the experiment measures.
   */
  heldOut?: "holdout" | "global-control";
}

export function send(
  run: TransitionRun,
  instance: JourneyInstance,
  nodeId: string,
  node: Extract<JourneyNode, { type: "send" }>,
): string {
  const scope = scopeFor(run, instance);
  const { vars, withheld } = safeVars(evaluateAll(node.vars, scope));
  const tags = [...new Set([...(run.catalog.template(node.template)?.tags ?? []), ...(node.tags ?? [])])];
  const heldOut =
    instance.variants?.[holdoutExperiment(instance.journeyId)] === "holdout"
      ? ("holdout" as const)
      : node.priority === "marketing" && instance.variants?.[GLOBAL_CONTROL] === "control"
        ? ("global-control" as const)
        : undefined;
  const request: MessageRequest = {
    notificationId: stableId(run.state.customerId, instance.id, nodeId, String(instance.steps)),
    priority: node.priority,
    ...(node.severity ? { severity: node.severity } : {}),
    ...(node.channelOrder ? { channelOrder: node.channelOrder } : {}),
    ...(tags.length > 0 ? { tags } : {}),
    ...(node.ignoreCaps ? { ignoreCaps: true } : {}),
  };
  deliver(run, {
    request,
    template: node.template,
    journeyId: instance.journeyId,
    journeyVersion: instance.journeyVersion,
    instanceId: instance.id,
    vars,
    why: [...node.why.map((line) => interpolate(line, scope)), ...whyLines(node.whyFrom, scope), ...withheld],
    ...(node.fallback ? { fallback: true } : {}),
    ...(heldOut ? { heldOut } : {}),
  });
  return request.notificationId;
}

/** Runs a message through the guardrail policy and records what was decided. */
export function deliver(run: TransitionRun, message: PendingMessage): void {
  const template = run.catalog.template(message.template);
  if (!template) throw new JourneyVersionMissingError(`template "${message.template}" is not deployed`);
  const journey =
    message.journeyVersion !== undefined
      ? run.catalog.version(message.journeyId, message.journeyVersion)
      : run.catalog.latest().find((j) => j.id === message.journeyId);
  const decision: Decision = message.heldOut
    ? {
        outcome: "suppress",
        reason: message.heldOut,
        channels: [],
        timeZone: run.catalog.delivery.defaultTimeZone,
        why: [
          message.heldOut === "holdout"
            ? `this instance is in ${message.journeyId}'s holdout: decided and recorded, not sent, so its conversions measure the journey's lift`
            : "the customer is in the global control group: no marketing, so their conversions measure what marketing adds",
        ],
      }
    : decide(message.request, run.state, run.now, {
        policy: run.catalog.delivery,
        ...(journey?.delivery ? { journey: journey.delivery } : {}),
      });
  const at = run.now.toISOString();
  // The catalog picks the locale (the customer's, its language, or the fallback); every template has it.
  const locale = run.catalog.pickLocale(run.state.profile.locale);
  const base = {
    customerId: run.state.customerId,
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
      run.effects.push({ type: "notify", record });
      run.timeline(at, "message", `${message.template} suppressed (${decision.reason})`);
      return;
    }
    case "defer": {
      const channel = decision.channels[0]!;
      const timer = { id: `defer#${message.request.notificationId}`, dueAt: decision.until.toISOString() };
      run.effects.push({
        type: "notify",
        record: {
          ...base,
          id: `${message.request.notificationId}~deferred`,
          locale: locale,
          channel,
          status: "deferred",
          deferredUntil: timer.dueAt,
        },
      });
      run.effects.push({
        type: "schedule",
        customerId: run.state.customerId,
        timerId: timer.id,
        dueAt: timer.dueAt,
      });
      run.state = { ...run.state, deferred: [...run.state.deferred, { timer, message }] };
      run.timeline(at, "message", `${message.template} deferred to ${timer.dueAt}`);
      return;
    }
    case "send": {
      for (const channel of decision.channels) {
        const id =
          decision.channels.length > 1
            ? `${message.request.notificationId}-${channel}`
            : message.request.notificationId;
        const record: NotificationRecord = {
          ...base,
          id,
          locale: locale,
          channel,
          to: channel === "sms" ? run.state.profile.phone! : run.state.profile.email!,
          status: "sent",
          ...(message.request.priority === "marketing" ? { marketing: true } : {}),
          ...renderContent(run.catalog, template, locale, channel, message.request.priority, message.vars),
        };
        run.effects.push({ type: "notify", record });
        recordSend(run, {
          at,
          notificationId: message.request.notificationId,
          template: message.template,
          priority: message.request.priority,
          channel,
          ...(message.request.tags?.length ? { tags: [...message.request.tags] } : {}),
        });
        run.timeline(at, "message", `${message.template} sent by ${channel}`);
        if (message.fallback && decision.channels.length === 1) awaitFallback(run, id, channel, message);
      }
      return;
    }
    default:
      assertNever(decision, "decision");
  }
}

/**
 * A message that asked for a fallback is kept (with what it would take to send it again) until its delivery
 * is reported, it fails for good (engine/feedback.ts sends it once on the next channel), or a week passes.
 */
function awaitFallback(
  run: TransitionRun,
  notificationId: string,
  channel: Channel,
  message: PendingMessage,
): void {
  const tried = [...(message.request.exclude ?? []), channel];
  const entry = {
    notificationId,
    message: { ...message, request: { ...message.request, exclude: tried }, fallback: false },
    tried,
    until: new Date(run.now.getTime() + FALLBACK_WINDOW_MS).toISOString(),
  };
  run.state = {
    ...run.state,
    fallbacks: [
      ...(run.state.fallbacks ?? []).filter((f) => f.notificationId !== notificationId),
      entry,
    ].slice(-STATE_BUDGET.fallbacks),
  };
}

function recordSend(run: TransitionRun, summary: SendSummary): void {
  // The longest frequency-rule window decides how long sends are remembered (8 days at least, as always).
  const days = Math.max(LIMITS.sendHistoryDays, sendMemoryDays(run.catalog.delivery) + 1);
  const horizon = run.now.getTime() - days * 86_400_000;
  // Frequency caps read the last week; a customer sent more than the budget's count in a week keeps the newest.
  const sends = [...run.state.sends.filter((s) => new Date(s.at).getTime() > horizon), summary].slice(
    -STATE_BUDGET.sends,
  );
  run.state = { ...run.state, sends };
}

/** Subject, body and segment count of a message: a pure function of template, locale, channel and vars. */
export function renderContent(
  catalog: Catalog,
  template: MessageTemplate,
  locale: string,
  channel: "sms" | "email",
  priority: NotificationRecord["priority"],
  vars: Record<string, unknown>,
): Pick<NotificationRecord, "subject" | "body" | "smsSegments"> {
  const options = { fallback: catalog.locales.fallback, linkBaseUrl: catalog.linkBaseUrl };
  const rendered = renderTemplate(template, locale, channel, vars, options);
  const advertising = catalog.delivery.advertising;
  let body = markAdvertisement(rendered.body, locale, channel, priority, advertising);
  if (
    channel === "sms" &&
    countSmsSegments(body).segments > (template.maxSmsSegments ?? DEFAULT_MAX_SMS_SEGMENTS)
  ) {
    // Over the template's budget (long names, many products): its shorter variant, when it has one.
    const short = renderTemplate(template, locale, channel, vars, { ...options, short: true });
    body = markAdvertisement(short.body, locale, channel, priority, advertising);
  }
  return {
    ...(rendered.subject ? { subject: markSubject(rendered.subject, locale, priority) } : {}),
    body,
    ...(channel === "sms" ? { smsSegments: countSmsSegments(body).segments } : {}),
  };
}

function whyLines(ref: ValueRef | undefined, scope: Scope): string[] {
  if (!ref) return [];
  const lines = evaluate(ref, scope);
  return Array.isArray(lines) ? lines.filter((line): line is string => typeof line === "string") : [];
}
