import { describe, expect, it } from "vitest";
import { allEvents, jsonSchemaDocuments, SCHEMA_REGISTRY_TYPE } from "../../../events/index.ts";

interface SchemaNode {
  $schema?: string;
  type?: string | string[];
  enum?: unknown[];
  required?: string[];
  properties?: Record<string, SchemaNode>;
  anyOf?: SchemaNode[];
  items?: SchemaNode;
  const?: unknown;
}

const documents = jsonSchemaDocuments();

function documentFor(detailType: string): SchemaNode {
  const document = documents.find((d) => d.detailType === detailType);
  if (!document) throw new Error(`no schema for ${detailType}`);
  return JSON.parse(document.content) as SchemaNode;
}

/** Every keyword used anywhere in a schema tree. */
function keywords(node: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(node)) for (const child of node) keywords(child, found);
  else if (typeof node === "object" && node !== null) {
    for (const [key, value] of Object.entries(node)) {
      found.add(key);
      if (key === "properties") for (const child of Object.values(value as object)) keywords(child, found);
      else keywords(value, found);
    }
  }
  return found;
}

describe("jsonSchemaDocuments", () => {
  it("produces one document per event, named waymark@DetailType", () => {
    expect(documents.map((d) => d.detailType)).toEqual(allEvents.map((d) => d.detailType));
    for (const document of documents) expect(document.schemaName).toBe(`waymark@${document.detailType}`);
    expect(SCHEMA_REGISTRY_TYPE).toBe("JSONSchemaDraft4");
  });

  it.each(documents.map((d) => [d.detailType, d.content] as const))(
    "%s is a valid draft-04 JSON document describing the whole envelope",
    (detailType, content) => {
      const schema = JSON.parse(content) as SchemaNode;
      expect(schema.$schema).toBe("http://json-schema.org/draft-04/schema#");
      expect(schema.type).toBe("object");
      // draft-04 has no `const`: a fixed value is a one-element enum.
      expect(schema.properties?.["detail-type"]?.enum).toEqual([detailType]);
      expect(keywords(schema).has("const")).toBe(false);
      expect(schema.required).toEqual(
        expect.arrayContaining(["id", "source", "time", "detail-type", "detail"]),
      );
      expect(schema.properties?.detail?.type).toBe("object");
    },
  );

  it("lists required detail fields and leaves optional ones out", () => {
    const detail = documentFor("OrderDelivered").properties?.detail;
    expect(detail?.required).toEqual(["customerId", "orderId"]);
    expect(Object.keys(detail?.properties ?? {})).toEqual([
      "customerId",
      "eventId",
      "occurredAt",
      "orderId",
      "deliveredAt",
    ]);
  });

  it("describes nested arrays and formats", () => {
    const detail = documentFor("OrderPlaced").properties?.detail;
    expect(detail?.required).toEqual(["customerId", "orderId", "items", "currency"]);
    expect(detail?.properties?.items?.items?.required).toEqual(["sku", "name", "quantity", "unitPrice"]);
  });

  it("makes merge-patch fields nullable", () => {
    const detail = documentFor("CustomerProfileUpdated").properties?.detail;
    expect(detail?.required).toEqual(["customerId"]);
    expect(detail?.properties?.phone?.anyOf).toContainEqual({ type: "null" });
  });

  it("has no customerId in global events", () => {
    expect(documentFor("ProductRecallIssued").properties?.detail?.properties).not.toHaveProperty(
      "customerId",
    );
  });
});
