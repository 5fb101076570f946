/**
 * `defineCatalog`: the one call a team's `waymark.config.ts` makes. It adds Waymark's own events
 * (profile, opt-outs, what Waymark emits) to the team's, and builds the catalog — which checks every
 * journey against the events, templates and calculators it names (see docs/journeys.md).
 */
import { type Calculator, Catalog, type MeasurementSettings } from "../functions/core/catalog/catalog.ts";
import type { AnyEventDescriptor } from "../functions/core/catalog/define-event.ts";
import type { DeliveryPolicyInput } from "../functions/core/guardrails/delivery-policy.ts";
import type { JourneyDefinition } from "../functions/core/journey/definition.ts";
import type { LocaleSettings, MessageTemplate } from "../functions/core/journey/template.ts";
import { builtInEvents } from "./catalog.ts";

export interface CatalogDefinition {
  /** The team's events, inbound and emitted (Waymark's own are added; listing them too is harmless). */
  events?: readonly AnyEventDescriptor[];
  /** Every version of every journey that may still have customers in it. */
  journeys: readonly Readonly<JourneyDefinition>[];
  templates: readonly MessageTemplate[];
  /** Named pure functions that `compute` nodes call. */
  calculators?: Readonly<Record<string, Calculator>>;
  /** @default en-US and ko-KR, falling back to en-US */
  locales?: LocaleSettings;
  /** The base of customer-facing links (`context.linkBaseUrl` in templates); deployments may override it. */
  linkBaseUrl?: string;
  /**
   * The rules every message goes through: quiet hours (per country too), open hours, closed days, frequency
   * rules, time-zone default, soft-bounce limit, sending rates, advertising law. @default Waymark's defaults
   * (docs/delivery-policy.md)
   */
  delivery?: DeliveryPolicyInput;
  /** Catalog-wide measurement: `globalControlPercent`, a share of customers who get no marketing (docs/measurement.md). */
  measurement?: MeasurementSettings;
}

export function defineCatalog(definition: CatalogDefinition): Catalog {
  const builtIn: readonly AnyEventDescriptor[] = builtInEvents;
  const own = (definition.events ?? []).filter((event) => !builtIn.includes(event));
  return new Catalog({
    events: [...builtIn, ...own],
    journeys: definition.journeys,
    templates: definition.templates,
    ...(definition.calculators ? { calculators: definition.calculators } : {}),
    ...(definition.locales ? { locales: definition.locales } : {}),
    ...(definition.linkBaseUrl ? { linkBaseUrl: definition.linkBaseUrl } : {}),
    ...(definition.delivery ? { delivery: definition.delivery } : {}),
    ...(definition.measurement ? { measurement: definition.measurement } : {}),
  });
}
