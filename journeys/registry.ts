import { type Calculator, JourneyCatalog } from "../functions/core/journey/journey-catalog.ts";
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
export const journeyCatalog = new JourneyCatalog(referenceJourneys, referenceTemplates, referenceCalculators);

export { type Calculator, JourneyCatalog };
