/**
 * JSON Schema documents for the EventBridge schema registry, generated from the zod schemas so the
 * published contract cannot drift from what the parser enforces.
 *
 * The registry accepts two content types, `OpenApi3` and `JSONSchemaDraft4`. zod 4 targets JSON Schema
 * draft-04 directly (`target: "draft-04"`: no `const`, boolean `exclusiveMinimum`), so the documents are
 * registered as `JSONSchemaDraft4`.
 */
import * as z from "zod";
import type { AnyEventDescriptor } from "../functions/core/catalog/define-event.ts";
import { allEvents } from "./catalog.ts";
import { envelopeFields } from "./envelope.ts";

/** The schema registry `Type` matching the generated content. */
export const SCHEMA_REGISTRY_TYPE = "JSONSchemaDraft4";

/** Prefix of every schema name in the registry: `waymark@OrderDelivered`. */
export const SCHEMA_NAME_PREFIX = "waymark@";

export interface JsonSchemaDocument {
  detailType: string;
  /** Registry schema name, e.g. `waymark@OrderDelivered`. */
  schemaName: string;
  /** The JSON Schema (draft-04) as a JSON string, ready for `AWS::EventSchemas::Schema` `Content`. */
  content: string;
}

export function schemaNameFor(detailType: string): string {
  return `${SCHEMA_NAME_PREFIX}${detailType}`;
}

/**
 * The JSON Schema of a whole EventBridge event of this type: the envelope with `detail-type` fixed and the
 * detail from the zod schema. `io: "input"` describes what a producer may send (optional fields optional,
 * extra fields allowed).
 */
export function jsonSchemaFor(descriptor: AnyEventDescriptor): Record<string, unknown> {
  const event = z.object({
    ...envelopeFields,
    "detail-type": z.literal(descriptor.detailType).describe("The event name"),
    detail: descriptor.detail.describe(descriptor.description),
  });
  const scopeLabel = descriptor.scope === "customer" ? "customer-scoped" : "global";
  const schema = z.toJSONSchema(event, { target: "draft-04", io: "input" }) as Record<string, unknown>;
  return {
    $schema: schema.$schema,
    title: descriptor.detailType,
    description: `${descriptor.description} (${scopeLabel}, ${descriptor.direction})`,
    ...schema,
  };
}

/** One document per event in the contract, inbound and emitted. */
export function jsonSchemaDocuments(events: readonly AnyEventDescriptor[] = allEvents): JsonSchemaDocument[] {
  return events.map((descriptor: AnyEventDescriptor) => ({
    detailType: descriptor.detailType,
    schemaName: schemaNameFor(descriptor.detailType),
    content: JSON.stringify(jsonSchemaFor(descriptor), null, 2),
  }));
}
