import type { AnyEventDescriptor } from "./catalog/define-event.ts";
import {
  type Consent,
  type CustomerState,
  LIMITS,
  type Order,
  type Profile,
  type TimelineEntry,
  type UsagePeriod,
} from "./customer-state.ts";
import { haversineKm } from "./geo.ts";
import { resolveTimeZone } from "./guardrails/time-zone.ts";
import { setOwnProperty } from "./own-property.ts";
import { attributesFit, boundedOrderItems, STATE_BUDGET } from "./state-budget.ts";
import { formatLocal } from "./time/local-time.ts";

const profileFields = ["name", "locale", "timeZone", "phone", "email", "preferredChannel", "home"] as const;
const consentFields = ["marketingSms", "marketingEmail", "nightTimeMarketing"] as const;

/** Folds one event into what Waymark knows about the customer, as its catalog descriptor says. */
export function applyEventToContext(
  state: CustomerState,
  event: { detailType: string; detail: Record<string, unknown>; eventId: string; occurredAt: string },
  events: { event(detailType: string): AnyEventDescriptor | undefined },
): CustomerState {
  const descriptor = events.event(event.detailType);
  return descriptor?.context ? descriptor.context(state, event) : state;
}

/** An order line as Waymark keeps it: what was bought, and the model recalls find owners by. */
export interface OrderLine {
  sku: string;
  name: string;
  quantity: number;
  model?: string | undefined;
  category?: string | undefined;
}

/** An order was placed: its lines become products the customer owns (until returned). */
export function applyOrderPlaced(
  state: CustomerState,
  order: { orderId: string; items: readonly OrderLine[] },
  at: string,
): CustomerState {
  const existing = keyedGet(state.orders, order.orderId);
  const { items, moreModels, dropped } = boundedOrderItems(
    order.items.map((item) => ({
      sku: item.sku,
      name: item.name,
      quantity: item.quantity,
      ...(item.model ? { model: item.model } : {}),
      ...(item.category ? { category: item.category } : {}),
    })),
  );
  const next: Order = {
    ...existing,
    placedAt: at,
    items,
    ...(dropped > 0 ? { itemsNotKept: dropped } : {}),
    ...(moreModels.length > 0 ? { moreModels } : {}),
  };
  return { ...state, orders: boundedOrders(withKey(state.orders, order.orderId, next)) };
}

export function applyOrderDelivered(
  state: CustomerState,
  order: { orderId: string; deliveredAt?: string | undefined },
  at: string,
): CustomerState {
  const existing = keyedGet(state.orders, order.orderId) ?? { items: [] };
  const deliveredAt = order.deliveredAt ?? at;
  return {
    ...state,
    orders: boundedOrders(withKey<Order>(state.orders, order.orderId, { ...existing, deliveredAt })),
  };
}

export function applyOrderReturned(
  state: CustomerState,
  order: { orderId: string },
  at: string,
): CustomerState {
  const existing = keyedGet(state.orders, order.orderId) ?? { items: [] };
  return {
    ...state,
    orders: boundedOrders(withKey<Order>(state.orders, order.orderId, { ...existing, returnedAt: at })),
  };
}

/** An opt-out is final: the earliest one is kept, and nothing un-does it. */
export function applyOptOut(state: CustomerState, channel: "sms" | "email", at: string): CustomerState {
  if (state.optOuts[channel]) return state;
  return { ...state, optOuts: { ...state.optOuts, [channel]: at } };
}

/** Stores a catalog-defined fact about the customer, read by journeys as `customer.attributes.<name>`. */
export function setAttribute(state: CustomerState, name: string, value: unknown): CustomerState {
  const attributes = withKey(state.attributes ?? {}, name, value);
  if (!attributesFit(attributes)) {
    // The fact is not kept; what the customer had stays. The timeline says so, for whoever asks why.
    return {
      ...state,
      timeline: addTimelineEntry(state.timeline, {
        at: state.updatedAt,
        kind: "event",
        summary: `attribute ${name} not kept: customer.attributes would exceed their budget of ${STATE_BUDGET.attributesBytes} bytes`,
      }),
    };
  }
  return { ...state, attributes };
}

/** Own-property lookup: ids from the wire ("constructor", "__proto__") never find inherited members. */
function keyedGet<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

function withKey<T>(record: Readonly<Record<string, T>>, key: string, value: T): Record<string, T> {
  const next: Record<string, T> = { ...record };
  setOwnProperty(next, key, value);
  return next;
}

/** Far enough from home to count as travelling (docs/reference-journeys.md). */
export const AWAY_FROM_HOME_KM = 100;

export interface LocationObservation {
  lat: number;
  lon: number;
  observedAt: string;
}

/** A location observation: the latest one is kept, and days seen far from home feed "frequent traveller". */
export function applyLocation(state: CustomerState, location: LocationObservation): CustomerState {
  const observed = { lat: location.lat, lon: location.lon, at: location.observedAt };
  const newer = !state.lastLocation || state.lastLocation.at < observed.at;
  let awayDays = state.awayDays ?? [];
  const home = state.profile.home;
  if (home && haversineKm(home, observed) >= AWAY_FROM_HOME_KM) {
    const zone = resolveTimeZone(state.profile).zone;
    const day = formatLocal(new Date(observed.at), zone).slice(0, 10);
    awayDays = [...new Set([...awayDays, day])].sort();
  }
  // The window ends at the newest observation, so replaying old events cannot prune new days.
  const newest = newer ? observed.at : state.lastLocation!.at;
  const horizon = new Date(Date.parse(newest) - LIMITS.awayDaysWindow * 86_400_000)
    .toISOString()
    .slice(0, 10);
  awayDays = awayDays.filter((day) => day >= horizon).slice(-LIMITS.awayDaysWindow);
  return {
    ...state,
    ...(newer ? { lastLocation: observed } : {}),
    ...(awayDays.length > 0 ? { awayDays } : {}),
  };
}

export interface UsageReading {
  periodStart: string;
  periodEnd: string;
  usedMb: number;
  limitMb: number;
  overagePricePerGb: number;
  currency: string;
}

/** Usage of a billing period: the latest figures of each period are kept, for the data-usage history. */
export function applyUsage(state: CustomerState, usage: UsageReading, at: string): CustomerState {
  return { ...state, usage: usagePeriods(state.usage ?? [], usage, at) };
}

/** Keeps the latest figures of each billing period (by event time), newest periods last. */
function usagePeriods(periods: readonly UsagePeriod[], usage: UsageReading, at: string): UsagePeriod[] {
  const existing = periods.find((p) => p.start === usage.periodStart);
  if (existing && existing.at > at) return [...periods];
  const period: UsagePeriod = {
    start: usage.periodStart,
    end: usage.periodEnd,
    usedMb: usage.usedMb,
    limitMb: usage.limitMb,
    overagePricePerGb: usage.overagePricePerGb,
    currency: usage.currency,
    at,
  };
  const next = [...periods.filter((p) => p.start !== usage.periodStart), period].sort((a, b) =>
    a.start.localeCompare(b.start),
  );
  return next.slice(-LIMITS.usagePeriods);
}

/**
 * A profile merge patch: present fields overwrite, null deletes. Events can arrive out of order, so every
 * profile and consent field remembers when it was last set and an older patch never overwrites a newer value.
 */
export function applyProfilePatch(state: CustomerState, patch: object, at: string): CustomerState {
  const profile: Record<string, unknown> = { ...state.profile };
  const consent: Record<string, unknown> = { ...state.consent };
  const fieldTimes = { ...state.fieldTimes };
  const apply = (
    target: Record<string, unknown>,
    timeKey: string,
    field: string,
    value: unknown,
    withdrawal = false,
  ) => {
    if (value === undefined) return;
    const last = fieldTimes[timeKey];
    // A newer value is already known: an older patch loses. Not a consent withdrawal, which applies at
    // once whatever its timestamp (a customer who says stop is never overruled by a clock).
    if (last !== undefined && last > at && !withdrawal) return;
    fieldTimes[timeKey] = last !== undefined && last > at ? last : at;
    if (value === null) delete target[field];
    else target[field] = value;
  };
  const source = patch as Record<string, unknown>;
  for (const field of profileFields) apply(profile, field, field, source[field]);
  const consentPatch = source.consent;
  if (consentPatch === null) {
    for (const field of consentFields) apply(consent, `consent.${field}`, field, null, true);
  } else if (consentPatch && typeof consentPatch === "object") {
    for (const field of consentFields) {
      const value = (consentPatch as Record<string, unknown>)[field];
      apply(consent, `consent.${field}`, field, value, value === false || value === null);
    }
  }
  return { ...state, profile: profile as Profile, consent: consent as Consent, fieldTimes };
}

/** Keeps the most recent orders (by the time they were placed or delivered). */
function boundedOrders(orders: Record<string, Order>): Record<string, Order> {
  const entries = Object.entries(orders);
  if (entries.length <= LIMITS.orders) return orders;
  const time = (order: Order) => order.placedAt ?? order.deliveredAt ?? "";
  entries.sort((a, b) => time(b[1]).localeCompare(time(a[1])));
  return Object.fromEntries(entries.slice(0, LIMITS.orders));
}

/**
 * A timeline line's length at most: agents read it, and it travels in escalations, whose schema holds each
 * line to 500 characters. A longer one (a long survey comment) is cut, with a marker.
 */
export const MAX_TIMELINE_SUMMARY = 500;

/** Inserts in time order and keeps the newest entries. */
export function addTimelineEntry(timeline: readonly TimelineEntry[], entry: TimelineEntry): TimelineEntry[] {
  const summary =
    entry.summary.length > MAX_TIMELINE_SUMMARY
      ? `${entry.summary.slice(0, MAX_TIMELINE_SUMMARY - 1).replace(/[\uD800-\uDBFF]$/, "")}…`
      : entry.summary;
  const next = [...timeline, { ...entry, summary }].sort((a, b) => a.at.localeCompare(b.at));
  return next.length > LIMITS.timeline ? next.slice(next.length - LIMITS.timeline) : next;
}
