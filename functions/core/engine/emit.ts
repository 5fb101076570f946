import type { JourneyInstance, Order } from "../customer-state.ts";
import { resolveTimeZone } from "../guardrails/time-zone.ts";
import { stableId } from "../ids.ts";
import type { JourneyNode, Value } from "../journey/definition.ts";
import { evaluate, evaluateAll, interpolate, type Scope } from "../journey/values.ts";
import { maskEmail, maskPhone } from "../mask.ts";
import { EmittedEventError } from "./errors.ts";
import { scopeFor } from "./scope.ts";
import type { TransitionRun } from "./transition-run.ts";

export function emit(
  run: TransitionRun,
  instance: JourneyInstance,
  node: Extract<JourneyNode, { type: "emit" }>,
): void {
  const scope = scopeFor(run, instance);
  const reason = node.reason === undefined ? undefined : interpolate(node.reason, scope);
  const fields = evaluateAll(node.detail ?? {}, scope);
  const detail: Record<string, unknown> = {
    ...fields,
    customerId: run.state.customerId,
    // Instance ids repeat across customers (one recall, many owners): the customer makes the id the fact's own.
    eventId: stableId(run.state.customerId, instance.id, node.detailType, String(instance.steps)),
    journeyId: instance.journeyId,
    instanceId: instance.id,
    ...(reason !== undefined ? { reason } : {}),
  };
  if (node.detailType === "AgentEscalationRequested") detail.context = escalationContext(run, node, scope);
  // Checked here, before the transition is committed: an emit that its schema refuses must fail the input
  // (retried, then dead-lettered with the reason) rather than be lost after the commit.
  const checked = run.catalog.event(node.detailType)?.detail.safeParse(detail);
  if (!checked?.success) {
    const issue = checked?.error.issues[0];
    throw new EmittedEventError(
      `${instance.id}: the ${node.detailType} it emits does not match its schema` +
        (issue ? ` at detail.${issue.path.join(".")}: ${issue.message}` : ": the catalog has no such event"),
    );
  }
  run.effects.push({ type: "emit", detailType: node.detailType, detail });
  run.timeline(
    run.now.toISOString(),
    "journey",
    node.detailType === "AgentEscalationRequested"
      ? `agent escalation requested: ${reason ?? ""}`
      : `${node.detailType} emitted${reason ? `: ${reason}` : ""}`,
  );
}

/** What an agent needs so the customer never repeats themselves: who, which order, what happened lately. */
function escalationContext(
  run: TransitionRun,
  node: Extract<JourneyNode, { type: "emit" }>,
  scope: Scope,
): Record<string, unknown> {
  const { profile } = run.state;
  const context: Record<string, unknown> = {
    profile: {
      ...(profile.name ? { name: profile.name } : {}),
      ...(profile.locale ? { locale: profile.locale } : {}),
      timeZone: resolveTimeZone(profile).zone,
      ...(profile.preferredChannel ? { preferredChannel: profile.preferredChannel } : {}),
      ...(profile.phone ? { maskedPhone: maskPhone(profile.phone) } : {}),
      ...(profile.email ? { maskedEmail: maskEmail(profile.email) } : {}),
    },
    timeline: run.state.timeline,
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

/** A value, or an object of values (one level), with undefined fields left out; undefined when nothing is. */
function evaluateEntry(value: Value | Record<string, Value>, scope: Scope): unknown {
  if (isValue(value)) return evaluate(value, scope);
  const fields = evaluateAll(value, scope);
  return Object.keys(fields).length > 0 ? fields : undefined;
}

function isValue(value: Value | Record<string, Value>): value is Value {
  return value === null || typeof value !== "object" || Array.isArray(value) || "$ref" in value;
}
