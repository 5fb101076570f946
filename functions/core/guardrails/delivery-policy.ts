import * as z from "zod";
import { channelSchema } from "../customer-state.ts";
import { isValidTimeZone } from "../time/local-time.ts";

/**
 * The rules every message goes through, set by the catalog (`defineCatalog({ delivery })`) and overridable
 * per journey and per country where it says so. Absent settings keep Waymark's defaults, which are the rules
 * it always had: quiet hours 21:00–08:00 customer-local, at most 1 marketing message a local day and 3 in 7
 * days, time zones from the profile, the phone number, the locale, else UTC. See docs/delivery-policy.md.
 */

const timeOfDay = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "expected HH:MM (00:00–23:59)");

/** A daily window of local time; `start` after `end` runs over midnight (21:00–08:00). */
export const quietHoursSchema = z
  .object({ start: timeOfDay, end: timeOfDay })
  .refine((q) => q.start !== q.end, "start and end must differ (use null for no quiet hours)");
export type QuietHours = z.infer<typeof quietHoursSchema>;

export const WEEKDAYS = [
  "MONDAY",
  "TUESDAY",
  "WEDNESDAY",
  "THURSDAY",
  "FRIDAY",
  "SATURDAY",
  "SUNDAY",
] as const;
export const weekdaySchema = z.enum(WEEKDAYS);
export type Weekday = z.infer<typeof weekdaySchema>;

/** A window of one day, `start` before `end` (Pinpoint's OpenHoursRule). */
const openWindowSchema = z
  .object({ start: timeOfDay, end: timeOfDay })
  .refine((w) => w.start < w.end, "an open-hours window must start before it ends, within the day");

/**
 * Pinpoint's OpenHours: per channel, the windows of each weekday when messages may go; a weekday without
 * windows is closed. A channel not listed is open all day.
 */
export const openHoursSchema = z.partialRecord(
  channelSchema,
  z.partialRecord(weekdaySchema, z.array(openWindowSchema)),
);
export type OpenHours = z.infer<typeof openHoursSchema>;

const localDateTime = z
  .string()
  .regex(
    /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d$/,
    "expected YYYY-MM-DDTHH:MM (local)",
  );

/** Pinpoint's ClosedDays: a named span of local time (a holiday) when nothing is sent, per channel or all. */
export const closedDaySchema = z
  .object({
    name: z.string().min(1).max(100),
    start: localDateTime,
    end: localDateTime,
    channels: z.array(channelSchema).min(1).optional(),
  })
  .refine((d) => d.start < d.end, "a closed day must start before it ends");
export type ClosedDay = z.infer<typeof closedDaySchema>;

/** How far back a frequency rule counts: the customer's local calendar day, or a rolling number of days. */
export const frequencyWindowSchema = z.union([
  z.literal("local-day"),
  z.object({ rollingDays: z.number().int().min(1).max(30) }),
]);
export type FrequencyWindow = z.infer<typeof frequencyWindowSchema>;

/**
 * At most `limit` messages in `window`, counting the sends that match every scope given: a channel, a
 * priority (marketing unless said; never safety) and/or a tag that the template or the send carries.
 */
export const frequencyRuleSchema = z.object({
  id: z.string().regex(/^[a-z][a-z0-9-]*$/, "rule ids are kebab-case"),
  limit: z.number().int().min(1),
  window: frequencyWindowSchema,
  channel: channelSchema.optional(),
  priority: z.enum(["marketing", "service"]).default("marketing"),
  tag: z.string().min(1).optional(),
});
export type FrequencyRule = z.infer<typeof frequencyRuleSchema>;

/** Messages per second per channel, honoured by the notifier and paced by the fan-out. */
export const sendingRateSchema = z.partialRecord(channelSchema, z.number().positive().max(10_000));

const country = z.string().regex(/^[A-Z]{2}$/, "expected an ISO 3166-1 alpha-2 country code like KR");

/** What advertising law asks of a marketing message, per market. */
export const advertisingSchema = z.object({
  /** Who the message is from, as the law wants it named (Korea: at the start of a marketing SMS). */
  senderName: z.string().min(1).max(40),
  /** Korea: the free number to refuse marketing messages (무료수신거부), at the end of a marketing SMS. */
  koreanOptOutNumber: z
    .string()
    .regex(/^080-?\d{3,4}-?\d{4}$/, "expected a free 080 number like 080-500-4321")
    .optional(),
});
export type Advertising = z.infer<typeof advertisingSchema>;

export const deliveryPolicySchema = z.object({
  /** Local quiet hours; null: none. @default 21:00–08:00 */
  quietHours: quietHoursSchema.nullable().default({ start: "21:00", end: "08:00" }),
  /** Quiet hours per country of the customer (ISO code; from the phone number or the locale). */
  quietHoursByCountry: z.record(country, quietHoursSchema.nullable()).default({}),
  openHours: openHoursSchema.default({}),
  closedDays: z.array(closedDaySchema).default([]),
  frequencyRules: z.array(frequencyRuleSchema).default([
    { id: "marketing-daily", limit: 1, window: "local-day", priority: "marketing" },
    { id: "marketing-weekly", limit: 3, window: { rollingDays: 7 }, priority: "marketing" },
  ]),
  /** When a profile has no time zone, no known phone number and no locale with a region. @default UTC */
  defaultTimeZone: z.string().refine(isValidTimeZone, "not an IANA time zone").default("UTC"),
  /** Hard bounces and complaints close a channel at once; soft bounces after this many in a row. @default 3 */
  softBounceLimit: z.number().int().min(1).max(100).default(3),
  sendingRate: sendingRateSchema.default({}),
  advertising: advertisingSchema.optional(),
});
export type DeliveryPolicy = z.infer<typeof deliveryPolicySchema>;
export type DeliveryPolicyInput = z.input<typeof deliveryPolicySchema>;

/** What a journey may change of the catalog's policy, for its own messages. */
export const journeyDeliverySchema = z.object({
  quietHours: quietHoursSchema.nullable().optional(),
});
export type JourneyDelivery = z.infer<typeof journeyDeliverySchema>;

export const DEFAULT_DELIVERY_POLICY: DeliveryPolicy = Object.freeze(deliveryPolicySchema.parse({}));

/** Parses a catalog's policy; every problem names its field (`delivery.frequencyRules[1].limit: …`). */
export function parseDeliveryPolicy(input: DeliveryPolicyInput | undefined): DeliveryPolicy | string[] {
  const parsed = deliveryPolicySchema.safeParse(input ?? {});
  if (!parsed.success)
    return parsed.error.issues.map((issue) => `delivery.${formatPath(issue.path)}: ${issue.message}`);
  const problems: string[] = [];
  const ids = new Set<string>();
  for (const [index, rule] of parsed.data.frequencyRules.entries()) {
    if (ids.has(rule.id)) problems.push(`delivery.frequencyRules[${index}].id: "${rule.id}" is used twice`);
    ids.add(rule.id);
  }
  for (const [channel, days] of Object.entries(parsed.data.openHours)) {
    if (!Object.values(days ?? {}).some((windows) => (windows ?? []).length > 0))
      problems.push(`delivery.openHours.${channel}: no open window on any day: nothing could ever be sent`);
  }
  return problems.length > 0 ? problems : parsed.data;
}

function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((part, i) => (typeof part === "number" ? `[${part}]` : `${i > 0 ? "." : ""}${String(part)}`))
    .join("");
}

/** The most days any frequency rule looks back: how long sends are remembered. */
export function sendMemoryDays(policy: DeliveryPolicy): number {
  return Math.max(
    1,
    ...policy.frequencyRules.map((rule) => (rule.window === "local-day" ? 2 : rule.window.rollingDays)),
  );
}
