/**
 * Pinpoint's conditions as Waymark conditions: an event's attribute and metric dimensions (on the entry
 * event, or on an event a split waits for), a segment's user attributes (read from `customer.attributes`),
 * and what a split's condition waits for — feedback on a message sent earlier, or a customer event.
 */
import {
  all,
  any,
  contains,
  eq,
  gt,
  gte,
  lt,
  lte,
  not,
  oneOf,
  ref,
} from "../../functions/core/journey/define-journey.ts";
import type { Condition } from "../../functions/core/journey/definition.ts";
import { describeCondition } from "../../infra/local/console/journey-graph.ts";
import type { EventUse, ImportContext } from "./import-context.ts";
import type { PathSegment } from "./json-path.ts";
import type { AttributeDimension, EventDimensions, MetricDimension, SimpleCondition } from "./model.ts";
import { utcPrefix } from "./times.ts";

/** A condition that never holds: what an unmapped condition is taken as (its path stays, nobody takes it). */
export const NEVER: Condition = eq(false, true);

export function combine(op: "ALL" | "ANY", conditions: readonly Condition[]): Condition {
  if (conditions.length === 1) return conditions[0]!;
  return op === "ANY" ? any(...conditions) : all(...conditions);
}

const COMPARISONS: Record<MetricDimension["ComparisonOperator"], typeof gt> = {
  GREATER_THAN: gt,
  LESS_THAN: lt,
  GREATER_THAN_OR_EQUAL: gte,
  LESS_THAN_OR_EQUAL: lte,
  EQUAL: eq,
};

/**
 * Attribute and metric dimensions as conditions on `${base}.<name>`. Each dimension gets its report item;
 * one that cannot be read is left out of the conditions (`where` says of what) and reported not mapped.
 */
export function dimensionConditions(
  ctx: ImportContext,
  dimensions: Pick<EventDimensions, "Attributes" | "Metrics">,
  options: {
    base: string;
    path: PathSegment[];
    where: string;
    event?: EventUse;
    /** The key the attributes are under in the input. @default Attributes */
    attributesKey?: string;
    /** Why even an exact translation is an approximation here (attributes Waymark reads elsewhere). */
    approximation?: string;
  },
): Condition[] {
  const conditions: Condition[] = [];
  for (const [name, dimension] of Object.entries(dimensions.Attributes ?? {})) {
    const path = ctx.at(...options.path, options.attributesKey ?? "Attributes", name);
    const pinpoint = `attribute ${name} ${dimension.AttributeType ?? "INCLUSIVE"} ${dimension.Values.join(", ")}`;
    const problem = options.event?.fieldProblem(name) ?? fieldProblem(name);
    const mapped =
      problem === undefined ? attributeCondition(ref(`${options.base}.${name}`), dimension) : undefined;
    if (!mapped || "problem" in mapped) {
      ctx.item({
        path,
        pinpoint,
        status: "not mapped",
        waymark: "—",
        note: `${problem ?? mapped?.problem}: left out of ${options.where}`,
      });
      continue;
    }
    options.event?.addField({ name, type: "string", sample: dimension.Values[0] ?? name });
    conditions.push(mapped.condition);
    const note = [options.approximation, mapped.approximation].filter((n) => n !== undefined).join("; ");
    ctx.item({
      path,
      pinpoint,
      status: note ? "approximated" : "mapped",
      waymark: `${options.where}: ${describeCondition(mapped.condition)}`,
      ...(note ? { note } : {}),
    });
  }
  for (const [name, dimension] of Object.entries(dimensions.Metrics ?? {})) {
    const path = ctx.at(...options.path, "Metrics", name);
    const pinpoint = `metric ${name} ${dimension.ComparisonOperator} ${dimension.Value}`;
    const problem = options.event?.fieldProblem(name) ?? fieldProblem(name);
    if (problem) {
      ctx.item({
        path,
        pinpoint,
        status: "not mapped",
        waymark: "—",
        note: `${problem}: left out of ${options.where}`,
      });
      continue;
    }
    options.event?.addField({ name, type: "number", sample: dimension.Value });
    const condition = COMPARISONS[dimension.ComparisonOperator](
      ref(`${options.base}.${name}`),
      dimension.Value,
    );
    conditions.push(condition);
    ctx.item({
      path,
      pinpoint,
      status: "mapped",
      waymark: `${options.where}: ${describeCondition(condition)}`,
    });
  }
  return conditions;
}

function fieldProblem(name: string): string | undefined {
  return /^[A-Za-z_$][A-Za-z0-9_$-]{0,63}$/.test(name)
    ? undefined
    : `${JSON.stringify(name)} cannot be read as a field (letters, digits, _ and -)`;
}

const TEXT_TIMES =
  "compared as ISO-8601 text in UTC: exact when the values are UTC times (…Z), as Waymark cannot parse dates in a condition";

function attributeCondition(
  field: ReturnType<typeof ref>,
  dimension: AttributeDimension,
): { condition: Condition; approximation?: string } | { problem: string } {
  const values = dimension.Values;
  if (values.length === 0) return { problem: "no values: it would match nothing" };
  const type = dimension.AttributeType ?? "INCLUSIVE";
  switch (type) {
    case "INCLUSIVE":
      return { condition: values.length === 1 ? eq(field, values[0]!) : oneOf(field, [...values]) };
    case "EXCLUSIVE":
      return { condition: not(values.length === 1 ? eq(field, values[0]!) : oneOf(field, [...values])) };
    case "CONTAINS":
      return {
        condition: combine(
          "ANY",
          values.map((v) => contains(field, v)),
        ),
      };
  }
  const times = values.map((v) => (Number.isNaN(Date.parse(v)) ? undefined : v));
  if (times.some((t) => t === undefined))
    return { problem: `${type} needs ISO-8601 date-times, got ${values.join(", ")}` };
  switch (type) {
    case "BEFORE":
      return { condition: lt(field, utcPrefix(values[0]!)), approximation: TEXT_TIMES };
    case "AFTER":
      return { condition: gt(field, `${utcPrefix(values[0]!)}Z`), approximation: TEXT_TIMES };
    case "BETWEEN":
      if (values.length !== 2) return { problem: `BETWEEN needs two values, got ${values.length}` };
      return {
        condition: all(gte(field, utcPrefix(values[0]!)), lte(field, `${utcPrefix(values[1]!)}Z`)),
        approximation: `${TEXT_TIMES}; both ends included`,
      };
    case "ON": {
      const day = utcPrefix(values[0]!).slice(0, 10);
      const next = new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
      return {
        condition: all(gte(field, day), lt(field, next)),
        approximation: `the UTC day ${day}, ${TEXT_TIMES}`,
      };
    }
  }
}

/** Pinpoint's engagement event types (EventCondition on a MessageActivity) and the feedback Waymark hears. */
const ENGAGEMENT: Record<string, { event: string; approximation?: string }> = {
  EMAIL_OPEN: { event: "MessageOpened" },
  EMAIL_CLICKED: { event: "MessageClicked" },
  EMAIL_DELIVERED: { event: "MessageDelivered" },
  EMAIL_HARDBOUNCE: { event: "MessageBounced", approximation: "MessageBounced is any bounce, hard or soft" },
  EMAIL_SOFTBOUNCE: { event: "MessageBounced", approximation: "MessageBounced is any bounce, hard or soft" },
  EMAIL_COMPLAINT: { event: "MessageComplained" },
  EMAIL_REJECTED: { event: "MessageFailed" },
  SMS_DELIVERED: { event: "MessageDelivered" },
  SMS_FAILURE: { event: "MessageFailed" },
};
const NOT_HEARD: Record<string, string> = {
  EMAIL_SEND: "a journey cannot wait for a message being sent (NotificationSent is what Waymark emits)",
  SMS_SEND: "a journey cannot wait for a message being sent (NotificationSent is what Waymark emits)",
  EMAIL_UNSUBSCRIBE: "an unsubscribe closes the channel in Waymark; journeys do not branch on it",
  SMS_OPTOUT: "an opt-out closes the channel in Waymark; journeys do not branch on it",
};

/** What a split's condition needs to be decided. */
export type Classified =
  | {
      kind: "wait";
      /** The events that answer, with the Pinpoint names they stand for. */
      events: string[];
      /** What the wait correlates on: the message's notification id var, or the customer. */
      correlate: { eventField: string; varName: string };
      /** Conditions on the answering event, saved in `vars.<saveAs>`; built once the var is named. */
      filter?: (saved: string) => Condition | undefined;
      approximation?: string;
    }
  | { kind: "static"; condition: Condition }
  | { kind: "never" };

/**
 * A SimpleCondition, classified and reported. `messageVars` names the var each message activity keeps its
 * notification id in; `where` says which split, for the report.
 */
export function classify(
  ctx: ImportContext,
  condition: SimpleCondition | undefined,
  path: PathSegment[],
  messageVars: ReadonlyMap<string, { varName: string; type: string }>,
): Classified {
  const at = ctx.at(...path);
  if (!condition || Object.keys(condition).length === 0) {
    ctx.item({
      path: at,
      pinpoint: "condition",
      status: "draft",
      waymark: "a condition that never holds",
      note: "no condition yet: nobody takes this path until one is written",
    });
    return { kind: "never" };
  }
  const parts = (["EventCondition", "SegmentCondition", "SegmentDimensions"] as const).filter(
    (part) => condition[part] !== undefined,
  );
  for (const extra of parts.slice(1))
    ctx.item({
      path: ctx.at(...path, extra),
      pinpoint: extra,
      status: "not mapped",
      waymark: "—",
      note: `a condition is decided on one of EventCondition, SegmentCondition and SegmentDimensions; ${parts[0]} was used`,
    });
  if (condition.EventCondition)
    return eventCondition(ctx, condition.EventCondition, [...path, "EventCondition"], messageVars);
  if (condition.SegmentCondition) {
    ctx.item({
      path: ctx.at(...path, "SegmentCondition"),
      pinpoint: `segment ${condition.SegmentCondition.SegmentId}`,
      status: "not mapped",
      waymark: "a condition that never holds",
      note: "Waymark has no segments: membership is not evaluated, and the condition counts as not met (write it on customer.attributes)",
    });
    return { kind: "never" };
  }
  return segmentDimensions(ctx, condition.SegmentDimensions!, [...path, "SegmentDimensions"]);
}

function eventCondition(
  ctx: ImportContext,
  condition: NonNullable<SimpleCondition["EventCondition"]>,
  path: PathSegment[],
  messageVars: ReadonlyMap<string, { varName: string; type: string }>,
): Classified {
  const types = condition.Dimensions?.EventType;
  const at = ctx.at(...path);
  if (!types || types.Values.length === 0 || types.DimensionType === "EXCLUSIVE") {
    ctx.item({
      path: at,
      pinpoint: "event condition",
      status: types?.DimensionType === "EXCLUSIVE" ? "not mapped" : "draft",
      waymark: "a condition that never holds",
      note:
        types?.DimensionType === "EXCLUSIVE"
          ? "an EXCLUSIVE event type (any event but these) cannot be waited for"
          : "no event type yet",
    });
    return { kind: "never" };
  }
  const message = condition.MessageActivity;
  if (message === undefined) return customerEventCondition(ctx, condition.Dimensions!, types.Values, path);
  const sent = messageVars.get(message);
  if (!sent) {
    ctx.item({
      path: at,
      pinpoint: `${types.Values.join(" or ")} of ${message}`,
      status: "not mapped",
      waymark: "a condition that never holds",
      note: `no path from the start activity sends ${message}: there is no message to hear of`,
    });
    return { kind: "never" };
  }
  if (sent.type === "PUSH" || sent.type === "CUSTOM") {
    ctx.item({
      path: at,
      pinpoint: `${types.Values.join(" or ")} of ${message}`,
      status: "not mapped",
      waymark: "a condition that never holds",
      note: `${message} is a ${sent.type} activity, which Waymark does not send: no feedback can come from it`,
    });
    return { kind: "never" };
  }
  const events: string[] = [];
  const approximations: string[] = [];
  for (const value of types.Values) {
    const known = ENGAGEMENT[value];
    if (known) {
      if (!events.includes(known.event)) events.push(known.event);
      if (known.approximation) approximations.push(known.approximation);
    } else
      ctx.item({
        path: ctx.at(...path, "Dimensions", "EventType"),
        pinpoint: `engagement ${value} of ${message}`,
        status: "not mapped",
        waymark: "—",
        note:
          NOT_HEARD[value] ??
          `${value} is not an engagement event Waymark hears of (${Object.keys(ENGAGEMENT).join(", ")})`,
      });
  }
  if (condition.Dimensions?.Attributes || condition.Dimensions?.Metrics)
    ctx.item({
      path: ctx.at(...path, "Dimensions"),
      pinpoint: "attributes or metrics of a message event",
      status: "not mapped",
      waymark: "—",
      note: "feedback on a message carries no custom attributes or metrics",
    });
  if (events.length === 0) return { kind: "never" };
  ctx.item({
    path: at,
    pinpoint: `${types.Values.join(" or ")} of ${message}`,
    status: "approximated",
    waymark: `${events.join(" or ")} of the message ${message} sent (correlated on vars.${sent.varName})`,
    note: [
      "Waymark listens from the split on: feedback that came before the split is reached is not seen",
      ...approximations,
    ].join("; "),
  });
  return {
    kind: "wait",
    events,
    correlate: { eventField: "notificationId", varName: sent.varName },
  };
}

function customerEventCondition(
  ctx: ImportContext,
  dimensions: EventDimensions,
  eventTypes: readonly string[],
  path: PathSegment[],
): Classified {
  const uses = eventTypes.map((type) => ctx.customerEvent(type));
  // The attributes are read from whichever of the events answers: each must have them.
  const answering: EventUse = {
    detailType: uses.map((u) => u.detailType).join(" or "),
    origin: uses.map((u) => u.origin).join("; "),
    fieldProblem: (name) => uses.map((u) => u.fieldProblem(name)).find((p) => p !== undefined),
    addField: (field) => {
      for (const use of uses) use.addField(field);
    },
  };
  ctx.needsCustomerIdVar = true;
  ctx.item({
    path: ctx.at(...path, "Dimensions", "EventType"),
    pinpoint: `event ${eventTypes.join(" or ")}`,
    status: "approximated",
    waymark: `waitForEvent ${uses.map((u) => u.detailType).join(" or ")} (${uses.map((u) => u.origin).join("; ")})`,
    note: "Waymark listens from the split on: an event that came before the split is reached is not seen",
  });
  const hasFilter =
    Object.keys(dimensions.Attributes ?? {}).length + Object.keys(dimensions.Metrics ?? {}).length > 0;
  return {
    kind: "wait",
    events: uses.map((u) => u.detailType),
    correlate: { eventField: "customerId", varName: "customerId" },
    ...(hasFilter
      ? {
          filter: (saved: string) => {
            const conditions = dimensionConditions(ctx, dimensions, {
              base: `vars.${saved}`,
              path: [...path, "Dimensions"],
              where: `the ${answering.detailType} that answers`,
              event: answering,
            });
            return conditions.length > 0 ? combine("ALL", conditions) : undefined;
          },
          approximation:
            "an answering event that does not match its attributes or metrics ends the wait on the no path (Pinpoint would keep looking)",
        }
      : {}),
  };
}

function segmentDimensions(
  ctx: ImportContext,
  dimensions: NonNullable<SimpleCondition["SegmentDimensions"]>,
  path: PathSegment[],
): Classified {
  const unmapped = (["Behavior", "Demographic", "Location", "Metrics"] as const).filter(
    (key) => dimensions[key] !== undefined,
  );
  for (const key of unmapped)
    ctx.item({
      path: ctx.at(...path, key),
      pinpoint: `segment dimension ${key}`,
      status: "not mapped",
      waymark: "—",
      note: `Waymark does not know an endpoint's ${key.toLowerCase()}: the whole condition counts as not met`,
    });
  const approximation =
    "read from customer.attributes: your events' context hooks must keep it there (setAttribute), as Pinpoint kept endpoint and user attributes";
  const conditions = [
    ...dimensionConditions(
      ctx,
      { Attributes: dimensions.Attributes ?? {} },
      { base: "customer.attributes", path, where: "the split", approximation },
    ),
    ...dimensionConditions(
      ctx,
      { Attributes: dimensions.UserAttributes ?? {} },
      {
        base: "customer.attributes",
        path,
        where: "the split",
        approximation,
        attributesKey: "UserAttributes",
      },
    ),
  ];
  if (unmapped.length > 0 || conditions.length === 0) return { kind: "never" };
  return { kind: "static", condition: combine("ALL", conditions) };
}
