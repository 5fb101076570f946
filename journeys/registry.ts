/**
 * The reference catalog: the four reference journeys with their events, templates and calculators. It is
 * one catalog like any team's (`waymark/reference` exports its parts), used by `npm start`, the demo and
 * the reference journeys' tests.
 */
import { referenceEvents } from "../events/catalog.ts";
import { defineCatalog } from "../events/define-catalog.ts";
import type { Calculator } from "../functions/core/catalog/catalog.ts";
import { dataUsageCalculators } from "./data-usage/calculator.ts";
import { dataUsageV1 } from "./data-usage/journey.ts";
import { dataUsageTemplates } from "./data-usage/templates.ts";
import { postPurchaseV1 } from "./post-purchase/journey.ts";
import { postPurchaseTemplates } from "./post-purchase/templates.ts";
import { productRecallV1 } from "./product-recall/journey.ts";
import { safetyTemplates } from "./product-recall/templates.ts";
import { travelRestrictionV1 } from "./travel-restriction/journey.ts";

export const referenceJourneys = [postPurchaseV1, productRecallV1, travelRestrictionV1, dataUsageV1];
export const referenceTemplates = [...postPurchaseTemplates, ...safetyTemplates, ...dataUsageTemplates];
/** The calculators reference journeys call from `compute` nodes, by name. */
export const referenceCalculators: Readonly<Record<string, Calculator>> = { ...dataUsageCalculators };

/**
 * The reference catalog's delivery policy: Waymark's defaults, and the advertiser's details Korean law asks
 * of marketing messages (the review request and the upgrade suggestion are marketing).
 */
export const referenceDelivery = {
  advertising: { senderName: "웨이마크", koreanOptOutNumber: "080-500-4321" },
} as const;

export const referenceCatalog = defineCatalog({
  events: referenceEvents,
  journeys: referenceJourneys,
  templates: referenceTemplates,
  calculators: referenceCalculators,
  delivery: referenceDelivery,
});
