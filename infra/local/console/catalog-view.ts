/**
 * `GET /catalog`: what the console needs to know of the catalog the runtime runs — each event with its
 * samples and the JSON Schema of its detail (generated from the same zod schema ingest parses with, as the
 * schema registry's documents are), the journeys' versions and the templates.
 */
import * as z from "zod";
import type { Catalog } from "../../../functions/core/catalog/catalog.ts";

export interface CatalogEventView {
  detailType: string;
  scope: "customer" | "global";
  direction: "inbound" | "emitted";
  description: string;
  samples: readonly unknown[];
  /** JSON Schema (2020-12) of what a producer may send as the detail. */
  schema: Record<string, unknown>;
}

export function catalogView(catalog: Catalog) {
  return {
    events: catalog.events.map(
      (event): CatalogEventView => ({
        detailType: event.detailType,
        scope: event.scope,
        direction: event.direction,
        description: event.description,
        samples: event.samples,
        // "any" for what JSON Schema cannot say (a transform, a custom check): ingest still checks it.
        schema: z.toJSONSchema(event.detail, { io: "input", unrepresentable: "any" }) as Record<
          string,
          unknown
        >,
      }),
    ),
    journeys: catalog.journeys.map((journey) => ({
      id: journey.id,
      version: journey.version,
      description: journey.description,
    })),
    templates: catalog.templates().map((template) => ({ id: template.id, priority: template.priority })),
  };
}
