import { describe, expect, it } from "vitest";
import * as z from "zod";
import { FACT_COLUMNS, lifecycleFactSchema } from "../../../functions/core/measurement/lifecycle-facts.ts";

describe("the facts table's columns", () => {
  it("are the fact's fields, in the schema's order, typed as the schema types them", () => {
    expect(Object.keys(FACT_COLUMNS)).toEqual(Object.keys(lifecycleFactSchema.shape));
    const properties = (z.toJSONSchema(lifecycleFactSchema) as { properties: Record<string, unknown> })
      .properties;
    for (const [name, type] of Object.entries(FACT_COLUMNS)) {
      // A nullable field is typed `[<its type>, "null"]` (or `anyOf` them); an enum is of strings.
      const property = properties[name] as {
        type?: string | string[];
        enum?: unknown[];
        anyOf?: { type?: string }[];
      };
      const jsonType = [property.type ?? (property.enum ? "string" : property.anyOf?.[0]?.type)]
        .flat()
        .filter((t) => t !== "null");
      expect(jsonType, name).toEqual([type === "string" ? "string" : "integer"]);
    }
  });
});
