import { referenceEvents } from "../../events/catalog.ts";
import { defineCatalog } from "../../events/define-catalog.ts";
import type { Calculator, Catalog } from "../../functions/core/catalog/catalog.ts";
import type { JourneyDefinition } from "../../functions/core/journey/definition.ts";
import type { MessageTemplate } from "../../functions/core/journey/template.ts";

/** A catalog of exactly the journeys a test needs, over the reference events. */
export function catalogOf(
  journeys: readonly Readonly<JourneyDefinition>[],
  templates: readonly MessageTemplate[] = [],
  calculators: Readonly<Record<string, Calculator>> = {},
): Catalog {
  return defineCatalog({ events: referenceEvents, journeys, templates, calculators });
}
