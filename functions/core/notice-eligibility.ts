import { AWAY_FROM_HOME_KM } from "./customer-context.ts";
import { type CustomerState, orderModels } from "./customer-state.ts";
import { haversineKm } from "./geo.ts";

/** Seen away from home this recently counts as travelling now (docs/reference-journeys.md). */
export const TRAVELLING_WINDOW_MS = 48 * 3_600_000;
/** Away on this many distinct days in the last 60 makes a frequent traveller. */
export const FREQUENT_TRAVELLER_DAYS = 2;
export const FREQUENT_TRAVELLER_WINDOW_DAYS = 60;

/** The first affected model the customer owns: ordered, and the order not returned. */
export function ownedAffectedModel(
  state: CustomerState,
  models: readonly string[],
): { model: string; orderId: string } | undefined {
  for (const [orderId, order] of Object.entries(state.orders)) {
    if (order.returnedAt) continue;
    const model = orderModels(order).find((m) => models.includes(m));
    if (model) return { model, orderId };
  }
  return undefined;
}

export interface TravelStatus {
  travelling: boolean;
  frequent: boolean;
  why: string[];
}

/** "Travelling now" and "frequent traveller", from what Waymark has seen of the customer's locations. */
export function travelStatus(state: CustomerState, now: Date): TravelStatus {
  const why: string[] = [];
  const home = state.profile.home;
  const last = state.lastLocation;
  let travelling = false;
  if (!home) why.push("no home address on file: cannot tell travel from home");
  else if (!last) why.push("no location seen");
  else {
    const km = haversineKm(home, last);
    const ageMs = now.getTime() - Date.parse(last.at);
    travelling = km >= AWAY_FROM_HOME_KM && ageMs <= TRAVELLING_WINDOW_MS && ageMs >= 0;
    why.push(
      `last seen ${Math.round(km)} km from home ${Math.round(ageMs / 3_600_000)} h ago` +
        (travelling ? ": travelling now" : ""),
    );
  }
  const horizon = new Date(now.getTime() - FREQUENT_TRAVELLER_WINDOW_DAYS * 86_400_000)
    .toISOString()
    .slice(0, 10);
  const days = (state.awayDays ?? []).filter((day) => day >= horizon);
  const frequent = days.length >= FREQUENT_TRAVELLER_DAYS;
  why.push(`${days.length} day(s) away from home in the last 60${frequent ? ": a frequent traveller" : ""}`);
  return { travelling, frequent, why };
}
