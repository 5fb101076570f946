import * as z from "zod";

/**
 * Everything Waymark keeps about one customer, stored as one DynamoDB item and committed with
 * one conditional write per input. Lists are bounded so the item stays small.
 */

export const LIMITS = {
  /** Closed billing periods kept for the data-usage recommendation (docs/architecture.md, what Waymark knows: at least six), plus the open one. */
  usagePeriods: 7,
  /** Days on which the customer was seen far from home, kept for "frequent traveller". */
  awayDaysWindow: 60,
  completedInstances: 32,
  timeline: 12,
  orders: 24,
  sendHistoryDays: 8,
} as const;

export const channelSchema = z.enum(["sms", "email"]);
export type Channel = z.infer<typeof channelSchema>;

export const prioritySchema = z.enum(["safety", "service", "marketing"]);
export type Priority = z.infer<typeof prioritySchema>;

const jsonValue: z.ZodType<unknown> = z.unknown();

export const profileSchema = z.object({
  name: z.string().optional(),
  locale: z.string().optional(),
  timeZone: z.string().optional(),
  phone: z.string().optional(),
  email: z.string().optional(),
  preferredChannel: channelSchema.optional(),
  home: z.object({ lat: z.number(), lon: z.number(), address: z.string().optional() }).optional(),
});
export type Profile = z.infer<typeof profileSchema>;

export const consentSchema = z.object({
  marketingSms: z.boolean().optional(),
  marketingEmail: z.boolean().optional(),
  nightTimeMarketing: z.boolean().optional(),
});
export type Consent = z.infer<typeof consentSchema>;

export const orderItemSchema = z.object({
  sku: z.string(),
  name: z.string(),
  model: z.string().optional(),
  category: z.string().optional(),
  quantity: z.number(),
});

export const orderSchema = z.object({
  placedAt: z.string().optional(),
  items: z.array(orderItemSchema),
  /** Lines of a long order past its byte budget (state-budget.ts): owned, but not remembered. */
  itemsNotKept: z.number().int().optional(),
  /** The models of the lines not kept: the customer owns them, and a recall of one must reach them. */
  moreModels: z.array(z.string()).optional(),
  deliveredAt: z.string().optional(),
  returnedAt: z.string().optional(),
});
export type Order = z.infer<typeof orderSchema>;

/** Every model the order holds: its kept lines' and those of the lines past its budget. */
export function orderModels(order: Order): string[] {
  const models = order.items.flatMap((item) => (item.model ? [item.model] : []));
  return order.moreModels ? [...new Set([...models, ...order.moreModels])] : models;
}

export const timerSchema = z.object({ id: z.string(), dueAt: z.string() });
export type Timer = z.infer<typeof timerSchema>;

/** Where an instance is parked between inputs. */
export const instanceStateSchema = z.discriminatedUnion("status", [
  z.object({ status: z.literal("waiting-timer"), node: z.string(), timer: timerSchema }),
  z.object({
    status: z.literal("waiting-event"),
    node: z.string(),
    since: z.string(),
    timer: timerSchema,
  }),
]);
export type InstanceState = z.infer<typeof instanceStateSchema>;

export const journeyInstanceSchema = z.object({
  id: z.string(),
  journeyId: z.string(),
  journeyVersion: z.number().int(),
  key: z.string(),
  startedAt: z.string(),
  steps: z.number().int(),
  vars: z.record(z.string(), jsonValue),
  state: instanceStateSchema,
  /** Experiment assignments (`{"<experiment>": "<variant>"}`): the holdout, splits, the global control. */
  variants: z.record(z.string(), z.string()).optional(),
});
export type JourneyInstance = z.infer<typeof journeyInstanceSchema>;

/** A message decision kept for frequency rules and the timeline. */
export const sendSummarySchema = z.object({
  at: z.string(),
  notificationId: z.string(),
  template: z.string(),
  priority: prioritySchema,
  channel: channelSchema,
  /** The template's and the send's tags, for frequency rules scoped to a tag. */
  tags: z.array(z.string()).optional(),
});
export type SendSummary = z.infer<typeof sendSummarySchema>;

export const timelineEntrySchema = z.object({
  at: z.string(),
  kind: z.enum(["event", "message", "journey"]),
  summary: z.string(),
});
export type TimelineEntry = z.infer<typeof timelineEntrySchema>;

export const usagePeriodSchema = z.object({
  start: z.string(),
  end: z.string(),
  usedMb: z.number(),
  limitMb: z.number(),
  overagePricePerGb: z.number(),
  currency: z.string(),
  /** The event time of the update these figures come from: a later update of the period wins. */
  at: z.string(),
});
export type UsagePeriod = z.infer<typeof usagePeriodSchema>;

export const channelClosureSchema = z.object({
  at: z.string(),
  reason: z.enum(["hard-bounce", "complaint", "soft-bounces"]),
  /** The contact point that failed: a new one reopens the channel. */
  address: z.string().optional(),
});
export type ChannelClosure = z.infer<typeof channelClosureSchema>;

export const journeyEntriesSchema = z.object({
  /** Instances ever started. */
  count: z.number().int(),
  /** When the last one started. */
  lastAt: z.string(),
  /** Digests of the keys entered, for journeys that admit a key once (the default). */
  keys: z.array(z.string()).optional(),
});
export type JourneyEntries = z.infer<typeof journeyEntriesSchema>;

export const goalWatchSchema = z.object({
  journeyId: z.string(),
  journeyVersion: z.number().int(),
  instanceId: z.string(),
  key: z.string(),
  startedAt: z.string(),
  until: z.string(),
  variants: z.record(z.string(), z.string()).optional(),
});
export type GoalWatch = z.infer<typeof goalWatchSchema>;

export const fallbackSchema = z.object({
  notificationId: z.string(),
  /** The message as the journey asked for it, to be decided again on the next channel. */
  message: jsonValue,
  tried: z.array(channelSchema),
  until: z.string(),
});
export type Fallback = z.infer<typeof fallbackSchema>;

export const customerStateSchema = z.object({
  customerId: z.string(),
  profile: profileSchema,
  consent: consentSchema,
  /** When each profile/consent field was last set (event time), so stale patches lose. */
  fieldTimes: z.record(z.string(), z.string()),
  optOuts: z.object({ sms: z.string().optional(), email: z.string().optional() }),
  /**
   * Channels closed because messages cannot reach the customer there: a hard bounce, a complaint, or soft
   * bounces past the policy's limit. Like an opt-out, a closure is final until the contact point changes.
   */
  channelClosures: z
    .object({ sms: channelClosureSchema.optional(), email: channelClosureSchema.optional() })
    .optional(),
  /** Soft bounces in a row per channel since the last delivery. */
  softBounces: z.object({ sms: z.number().int().optional(), email: z.number().int().optional() }).optional(),
  /** Per journey, what its entry rules need to be exact for the life of the customer (journey-entry.ts). */
  entries: z.record(z.string(), journeyEntriesSchema).optional(),
  /**
   * Journeys with a conversion goal wait here for it, from entry until the goal's `within` runs out — beyond
   * the instance's own end, since a customer may convert after the last message.
   */
  goalWatches: z.array(goalWatchSchema).optional(),
  /** Messages that asked to fall back to another channel if they fail, until they are delivered or expire. */
  fallbacks: z.array(fallbackSchema).optional(),
  orders: z.record(z.string(), orderSchema),
  lastLocation: z.object({ lat: z.number(), lon: z.number(), at: z.string() }).optional(),
  /** Local dates (YYYY-MM-DD) on which a location ≥ 100 km from home was observed, last 60 days. */
  awayDays: z.array(z.string()).optional(),
  usage: z.array(usagePeriodSchema).optional(),
  /** Facts the catalog's own events keep (their `context` hooks), read by journeys as `customer.attributes`. */
  attributes: z.record(z.string(), jsonValue).optional(),
  instances: z.array(journeyInstanceSchema),
  /** Messages held back by quiet hours, re-decided when their timer fires. */
  deferred: z.array(z.object({ timer: timerSchema, message: jsonValue })),
  sends: z.array(sendSummarySchema),
  timeline: z.array(timelineEntrySchema),
  /** Inputs handled recently (engine/input-memory.ts says how long, and why). */
  processedInputs: z.array(z.string()),
  /** Inputs that came back, pinned with what they owe for as long as a dead-letter redrive can return them. */
  redelivered: z
    .array(z.object({ inputId: z.string(), until: z.string(), effects: z.array(jsonValue) }))
    .optional(),
  completedInstances: z.array(z.string()),
  /**
   * The effects of the last committed input. SQS FIFO redelivers a message only before the
   * next one of its group, so a crash between commit and effects is repaired by replaying
   * these (every effect is idempotent) when the same input comes back.
   */
  lastTransition: z.object({ inputId: z.string(), effects: z.array(jsonValue) }).optional(),
  updatedAt: z.string(),
});
export type CustomerState = z.infer<typeof customerStateSchema>;

export function emptyCustomerState(customerId: string, now: Date): CustomerState {
  return {
    customerId,
    profile: {},
    consent: {},
    fieldTimes: {},
    optOuts: {},
    orders: {},
    instances: [],
    deferred: [],
    sends: [],
    timeline: [],
    processedInputs: [],
    completedInstances: [],
    updatedAt: now.toISOString(),
  };
}

/** Appends to a bounded list, dropping the oldest entries. */
export function pushBounded<T>(list: readonly T[], item: T, limit: number): T[] {
  const next = [...list, item];
  return next.length > limit ? next.slice(next.length - limit) : next;
}
