import * as z from "zod";
import { channelSchema, prioritySchema } from "../customer-state.ts";
import { journeyDeliverySchema } from "../guardrails/delivery-policy.ts";
import { isDuration } from "../time/duration.ts";

/**
 * A journey definition is data: serialisable, versioned, checked by these schemas. Code builds
 * it (see define-journey.ts); the engine interprets it; instances are pinned to the version
 * they started on.
 */

/** A path into the evaluation scope: event.*, vars.*, instance.*, customer.*, order.* (see docs/journeys.md) */
export const valueRefSchema = z.object({
  $ref: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
});
export type ValueRef = z.infer<typeof valueRefSchema>;

const literalSchema = z.union([z.string(), z.number(), z.boolean(), z.null()]);
export const valueSchema = z.union([valueRefSchema, literalSchema, z.array(literalSchema)]);
export type Value = z.infer<typeof valueSchema>;

/** `contains`: the left side is a string that contains the right side (a string) — Pinpoint's CONTAINS. */
const comparison = z.enum(["eq", "ne", "lt", "lte", "gt", "gte", "in", "contains"]);

export type Condition =
  | { op: z.infer<typeof comparison>; left: Value; right: Value }
  | { op: "exists"; value: ValueRef }
  | { op: "all" | "any"; conditions: Condition[] }
  | { op: "not"; condition: Condition };

export const conditionSchema: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    z.object({ op: comparison, left: valueSchema, right: valueSchema }),
    z.object({ op: z.literal("exists"), value: valueRefSchema }),
    z.object({ op: z.enum(["all", "any"]), conditions: z.array(conditionSchema).min(1) }),
    z.object({ op: z.literal("not"), condition: conditionSchema }),
  ]),
);

const duration = z.string().refine(isDuration, "expected an ISO-8601 duration like P7D or PT2H");
/** An instant with its zone: the same moment wherever the catalog is built. */
const instant = z.iso.datetime({
  offset: true,
  error: "expected an ISO-8601 date-time with a zone, like 2026-03-01T09:00:00Z",
});
const nodeId = z.string().regex(/^[a-z][a-z0-9-]*$/, "node ids are kebab-case");
const timeOfDay = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "expected HH:MM");

export const nodeSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("wait"), duration, next: nodeId }),
  /** Waits until an absolute instant (Pinpoint's WaitUntil); an instant already past carries on at once. */
  z.object({ type: z.literal("waitUntil"), at: instant, next: nodeId }),
  z.object({
    type: z.literal("waitUntilLocalTime"),
    /** The instant whose local calendar date is day 0. */
    from: valueSchema,
    days: z.number().int().min(0),
    at: timeOfDay,
    next: nodeId,
  }),
  z.object({
    type: z.literal("waitForEvent"),
    /** The event that answers, or a list of them: the first of any that arrives answers. */
    event: z.union([z.string(), z.array(z.string()).min(1)]),
    /** The event answers this instance when event[eventField] equals vars[varName]. */
    correlate: z.object({
      eventField: z.string(),
      varName: z.string(),
      /** When no instance matches: answer the one that started waiting most recently. */
      fallback: z.enum(["most-recent", "none"]),
    }),
    /** How long to wait from when the node is reached, or the instant the wait ends (past: at once). */
    timeout: z.union([duration, instant], {
      error: "expected an ISO-8601 duration like P7D, or a date-time with a zone like 2026-03-01T09:00:00Z",
    }),
    saveAs: z.string().optional(),
    onEvent: nodeId,
    onTimeout: nodeId,
  }),
  z.object({
    type: z.literal("branch"),
    cases: z.array(z.object({ when: conditionSchema, next: nodeId })).min(1),
    otherwise: nodeId,
  }),
  z.object({
    type: z.literal("assign"),
    vars: z.record(z.string(), valueSchema),
    next: nodeId,
  }),
  z.object({
    type: z.literal("send"),
    template: z.string(),
    priority: prioritySchema,
    severity: z.enum(["critical", "high", "medium"]).optional(),
    channelOrder: z.array(channelSchema).optional(),
    vars: z.record(z.string(), valueSchema),
    /** Why the journey sends this, with {vars.x}-style placeholders filled at send time. */
    why: z.array(z.string()),
    /** More reasons, computed earlier in the journey (e.g. by a calculator), appended after `why`. */
    whyFrom: valueRefSchema.optional(),
    /** Tags beside the template's: frequency rules may be scoped to a tag. */
    tags: z.array(z.string().min(1)).optional(),
    /** Not held back by frequency rules (a receipt, a password reset); still counted toward them. */
    ignoreCaps: z.boolean().optional(),
    /**
     * When the message fails for good on its channel (a hard bounce, a failed SMS), send it once more on the
     * next channel the policy allows; both attempts are recorded.
     */
    fallback: z.boolean().optional(),
    /** Keeps the notification id in this var: a later `waitForEvent` on MessageOpened etc. correlates on it. */
    saveAs: z.string().optional(),
    next: nodeId,
  }),
  z.object({
    type: z.literal("emit"),
    /** An event of the catalog's emitted set; its detail gets customerId, eventId, journeyId and instanceId. */
    detailType: z.string().min(1),
    /** Why, with {vars.x}-style placeholders; the detail's `reason` for AgentEscalationRequested. */
    reason: z.string().optional(),
    /** More detail fields, built from values when the event is emitted. */
    detail: z.record(z.string(), valueSchema).optional(),
    /**
     * AgentEscalationRequested only: entries added to `detail.context` beside the profile summary, the
     * instance's order and the timeline Waymark adds itself (e.g. `survey: ref("vars.survey")`).
     */
    context: z.record(z.string(), z.union([valueSchema, z.record(z.string(), valueSchema)])).optional(),
    next: nodeId,
  }),
  z.object({
    type: z.literal("compute"),
    /** A named pure function registered with the journey catalog; its result is stored in vars. */
    calculator: z.string(),
    saveAs: z.string(),
    next: nodeId,
  }),
  z.object({
    type: z.literal("split"),
    /** The experiment's id: assignment hashes the customer, the journey and this, so it is stable. */
    experiment: z.string().regex(/^[a-z][a-z0-9-]*$/, "experiment ids are kebab-case"),
    /** 2 to 8 variants; shares in proportion to `weight`. Name the baseline `control` to measure lift against it. */
    variants: z
      .array(
        z.object({
          name: z.string().regex(/^[a-z][a-z0-9-]*$/, "variant names are kebab-case"),
          weight: z.number().positive(),
          next: nodeId,
        }),
      )
      .min(2)
      .max(8),
  }),
  z.object({ type: z.literal("exit"), outcome: z.string() }),
]);
export type JourneyNode = z.infer<typeof nodeSchema>;

/** The events a `waitForEvent` node waits for: one, or any of several. */
export function awaitedEvents(node: Extract<JourneyNode, { type: "waitForEvent" }>): readonly string[] {
  return typeof node.event === "string" ? [node.event] : node.event;
}

export const journeyDefinitionSchema = z.object({
  id: z.string().regex(/^[a-z][a-z0-9-]*$/),
  version: z.number().int().min(1),
  description: z.string(),
  entry: z.object({
    event: z.string(),
    /** One instance per key: a second entry event with the same key joins nothing new. */
    key: valueSchema,
    when: conditionSchema.optional(),
    capture: z.record(z.string(), valueSchema),
    /**
     * Who may enter again (Pinpoint's EndpointReentryCap and EndpointReentryInterval), exact for the life of
     * the customer. @default a key enters once; any number of keys, at any interval
     */
    reentry: z
      .object({
        /** "once": a key never enters again (the default); "again": a key may enter again once its instance ended. */
        perKey: z.enum(["once", "again"]).default("once"),
        /** At least this long after the customer's last entry into this journey (any key). */
        interval: duration.optional(),
        /** At most this many entries for the life of the customer (any key). */
        maxEntries: z.number().int().min(1).optional(),
      })
      .optional(),
  }),
  exitOn: z.array(z.object({ event: z.string(), when: conditionSchema, outcome: z.string() })),
  /**
   * The order an instance is about: exposed to refs as `order` (its items, `productNames`, delivery and
   * return times) and given to agents in escalations. Absent: the journey is about no order.
   */
  order: valueSchema.optional(),
  /**
   * The conversion the journey is for: an inbound customer event within `within` of entry (and `when` holds,
   * e.g. correlated to the instance key). Counted apart from exits; `exits: true` ends the instance when it
   * is reached. A held-out customer's conversions count too: that is what a holdout measures.
   */
  goal: z
    .object({
      event: z.string(),
      when: conditionSchema.optional(),
      within: duration,
      exits: z.boolean().optional(),
    })
    .optional(),
  /** A share of entrants (percent) who run the journey with every message suppressed (`holdout`), to measure lift. */
  holdout: z.object({ percent: z.number().gt(0).max(90) }).optional(),
  /** A survey answer this journey waits for: its `scoreField` (0–10) is recorded for NPS when it answers. */
  nps: z.object({ event: z.string(), scoreField: z.string() }).optional(),
  /** What this journey changes of the catalog's delivery policy, for its own messages. */
  delivery: journeyDeliverySchema.optional(),
  start: nodeId,
  nodes: z.record(nodeId, nodeSchema),
});
export type JourneyDefinition = z.infer<typeof journeyDefinitionSchema>;
