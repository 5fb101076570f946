import type { CustomerInboundEvent } from "../../events/catalog.ts";
import {
  type Consent,
  type CustomerState,
  LIMITS,
  type Order,
  type Profile,
  type TimelineEntry,
  type UsagePeriod,
} from "./customer-state.ts";
import { assertNever } from "./effects.ts";
import { haversineKm } from "./geo.ts";
import { resolveTimeZone } from "./guardrails/time-zone.ts";
import { formatLocal } from "./time/local-time.ts";

const profileFields = ["name", "locale", "timeZone", "phone", "email", "preferredChannel", "home"] as const;
const consentFields = ["marketingSms", "marketingEmail", "nightTimeMarketing"] as const;

/**
 * Folds one event into what Waymark knows about the customer. Events can arrive out of
 * order, so every profile and consent field remembers when it was last set and an older
 * patch never overwrites a newer value.
 */
export function applyEventToContext(state: CustomerState, event: CustomerInboundEvent): CustomerState {
  switch (event.detailType) {
    case "CustomerProfileUpdated":
      return applyProfilePatch(state, event.detail, event.occurredAt);
    case "OrderPlaced": {
      const existing = state.orders[event.detail.orderId];
      const order: Order = {
        ...existing,
        placedAt: event.occurredAt,
        items: event.detail.items.map((item) => ({
          sku: item.sku,
          name: item.name,
          quantity: item.quantity,
          ...(item.model ? { model: item.model } : {}),
          ...(item.category ? { category: item.category } : {}),
        })),
      };
      return { ...state, orders: boundedOrders({ ...state.orders, [event.detail.orderId]: order }) };
    }
    case "OrderDelivered": {
      const existing = state.orders[event.detail.orderId] ?? { items: [] };
      const deliveredAt = event.detail.deliveredAt ?? event.occurredAt;
      return {
        ...state,
        orders: boundedOrders({ ...state.orders, [event.detail.orderId]: { ...existing, deliveredAt } }),
      };
    }
    case "OrderReturned": {
      const existing = state.orders[event.detail.orderId] ?? { items: [] };
      return {
        ...state,
        orders: boundedOrders({
          ...state.orders,
          [event.detail.orderId]: { ...existing, returnedAt: event.occurredAt },
        }),
      };
    }
    case "NotificationOptOut":
      // An opt-out is final: the earliest one is kept, and nothing un-does it.
      if (state.optOuts[event.detail.channel]) return state;
      return { ...state, optOuts: { ...state.optOuts, [event.detail.channel]: event.occurredAt } };
    case "CustomerLocationUpdated":
      return applyLocation(state, event.detail);
    case "DataUsageUpdated":
      return { ...state, usage: applyUsage(state.usage ?? [], event.detail, event.occurredAt) };
    case "SurveyResponded":
    case "RecallResolved":
      // Journeys consume these; the context keeps only their timeline entry.
      return state;
    default:
      return assertNever(event, "customer event");
  }
}

/** Far enough from home to count as travelling (DESIGN.md §4). */
export const AWAY_FROM_HOME_KM = 100;

type LocationDetail = Extract<CustomerInboundEvent, { detailType: "CustomerLocationUpdated" }>["detail"];

function applyLocation(state: CustomerState, location: LocationDetail): CustomerState {
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

type UsageDetail = Extract<CustomerInboundEvent, { detailType: "DataUsageUpdated" }>["detail"];

/** Keeps the latest figures of each billing period (by event time), newest periods last. */
function applyUsage(periods: readonly UsagePeriod[], usage: UsageDetail, at: string): UsagePeriod[] {
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

type ProfilePatch = Extract<CustomerInboundEvent, { detailType: "CustomerProfileUpdated" }>["detail"];

function applyProfilePatch(state: CustomerState, patch: ProfilePatch, at: string): CustomerState {
  const profile: Record<string, unknown> = { ...state.profile };
  const consent: Record<string, unknown> = { ...state.consent };
  const fieldTimes = { ...state.fieldTimes };
  const apply = (target: Record<string, unknown>, timeKey: string, field: string, value: unknown) => {
    if (value === undefined) return;
    const last = fieldTimes[timeKey];
    if (last !== undefined && last > at) return; // a newer value is already known
    fieldTimes[timeKey] = at;
    if (value === null) delete target[field];
    else target[field] = value;
  };
  const source = patch as Record<string, unknown>;
  for (const field of profileFields) apply(profile, field, field, source[field]);
  const consentPatch = source.consent;
  if (consentPatch === null) {
    for (const field of consentFields) apply(consent, `consent.${field}`, field, null);
  } else if (consentPatch && typeof consentPatch === "object") {
    for (const field of consentFields) {
      apply(consent, `consent.${field}`, field, (consentPatch as Record<string, unknown>)[field]);
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

/** One line for the timeline and the terminal: what happened, in words. */
export function describeEvent(event: CustomerInboundEvent): string {
  switch (event.detailType) {
    case "CustomerProfileUpdated":
      return `profile updated (${Object.keys(event.detail)
        .filter((k) => k !== "customerId" && k !== "eventId" && k !== "occurredAt")
        .join(", ")})`;
    case "OrderPlaced":
      return `order ${event.detail.orderId} placed: ${event.detail.items.map((i) => `${i.quantity}× ${i.name}`).join(", ")}`;
    case "OrderDelivered":
      return `order ${event.detail.orderId} delivered`;
    case "OrderReturned":
      return `order ${event.detail.orderId} returned`;
    case "NotificationOptOut":
      return `opted out of ${event.detail.channel}`;
    case "SurveyResponded":
      return `answered survey ${event.detail.surveyId}: ${event.detail.score}/10${event.detail.comment ? ` "${event.detail.comment}"` : ""}`;
    case "DataUsageUpdated":
      return `data usage ${event.detail.usedMb} of ${event.detail.limitMb} MB`;
    case "CustomerLocationUpdated":
      return "location updated";
    case "RecallResolved":
      return `recall ${event.detail.recallId} resolved`;
    default:
      return assertNever(event, "customer event");
  }
}

/** Inserts in time order and keeps the newest entries. */
export function addTimelineEntry(timeline: readonly TimelineEntry[], entry: TimelineEntry): TimelineEntry[] {
  const next = [...timeline, entry].sort((a, b) => a.at.localeCompare(b.at));
  return next.length > LIMITS.timeline ? next.slice(next.length - LIMITS.timeline) : next;
}
