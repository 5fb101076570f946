import { referenceEvents } from "../../events/catalog.ts";
import { defineCatalog } from "../../events/define-catalog.ts";
import type { Calculator, Catalog } from "../../functions/core/catalog/catalog.ts";
import type { JourneyDefinition } from "../../functions/core/journey/definition.ts";
import type { MessageTemplate } from "../../functions/core/journey/template.ts";
import { referenceCatalog } from "../../journeys/registry.ts";

/** A catalog of exactly the journeys a test needs, over the reference events. */
export function catalogOf(
  journeys: readonly Readonly<JourneyDefinition>[],
  templates: readonly MessageTemplate[] = [],
  calculators: Readonly<Record<string, Calculator>> = {},
): Catalog {
  return defineCatalog({ events: referenceEvents, journeys, templates, calculators });
}

/**
 * The reference catalog with only the named journeys: a test of one journey sees that journey alone, so
 * adding a journey to the reference catalog (or to any catalog) changes no other journey's test.
 */
export function referenceJourneysOnly(...ids: string[]): Catalog {
  return referenceCatalog.withJourneys((journey) => ids.includes(journey.id));
}

export const postPurchaseOnly = referenceJourneysOnly("post-purchase");
export const dataUsageOnly = referenceJourneysOnly("data-usage");
export const safetyJourneysOnly = referenceJourneysOnly("product-recall", "travel-restriction");
