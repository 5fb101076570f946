import { readdirSync, readFileSync } from "node:fs";
import JSON5 from "json5";
import { describe, expect, it } from "vitest";
import {
  compileEventPattern,
  InvalidEventPatternError,
  testEventPattern,
} from "../../../infra/local/event-pattern.ts";

/** Recorded against AWS TestEventPattern; see the folder's README.md. Vendored under test/fixtures with their licence. */
const VECTORS = new URL("../../fixtures/eventbridge-patterns/", import.meta.url);

type Expected = boolean | "invalid";

interface Vector {
  readonly name: string;
  readonly pattern: unknown;
  readonly event: unknown;
  readonly expected: Expected;
}

function expectedFromName(file: string): Expected {
  if (file.endsWith("_EXC.json5")) return "invalid";
  return !file.endsWith("_NEG.json5");
}

function loadVectors(): Vector[] {
  const read = (file: string) => readFileSync(new URL(file, VECTORS), "utf8");
  const vectors = readdirSync(VECTORS)
    .filter((file) => file.endsWith(".json5"))
    .sort()
    .map((file): Vector => {
      const { Event, EventPattern } = JSON5.parse(read(file)) as { Event: unknown; EventPattern: unknown };
      return { name: file, pattern: EventPattern, event: Event, expected: expectedFromName(file) };
    });
  // A pattern with a duplicated key, kept as JSON text: the last occurrence wins, and it matches.
  vectors.push({
    name: "complex_multi_key_event_pattern.json",
    pattern: read("complex_multi_key_event_pattern.json"),
    event: JSON.parse(read("complex_multi_key_event.json")),
    expected: true,
  });
  return vectors;
}

const vectors = loadVectors();

describe("event pattern vectors recorded against AWS", () => {
  it("finds the vectors", () => {
    expect(vectors.length).toBeGreaterThan(150);
  });

  it.each(vectors)("$name", ({ pattern, event, expected }) => {
    if (expected === "invalid") {
      expect(() => compileEventPattern(pattern)).toThrow(InvalidEventPatternError);
    } else {
      expect(testEventPattern(pattern, event)).toBe(expected);
    }
  });
});

describe("patterns Waymark uses", () => {
  const notFromWaymark = compileEventPattern({ source: [{ "anything-but": ["waymark"] }] });

  it("routes events from other sources, including waymark.* ones", () => {
    expect(notFromWaymark.matches({ source: "shop.orders", "detail-type": "OrderPlaced" })).toBe(true);
    expect(notFromWaymark.matches({ source: "waymark.notifier", "detail-type": "NotificationSent" })).toBe(
      true,
    );
  });

  it("does not route Waymark's own events, nor events without a source", () => {
    expect(notFromWaymark.matches({ source: "waymark", "detail-type": "NotificationSent" })).toBe(false);
    expect(notFromWaymark.matches({ "detail-type": "OrderPlaced" })).toBe(false);
  });

  it("matches a detail type with a required detail field", () => {
    const delivered = compileEventPattern({
      "detail-type": ["OrderDelivered"],
      detail: { customerId: [{ exists: true }] },
    });
    const event = { source: "logistics", "detail-type": "OrderDelivered", detail: { customerId: "c-1" } };
    expect(delivered.matches(event)).toBe(true);
    expect(delivered.matches(JSON.stringify(event))).toBe(true);
    expect(delivered.matches({ ...event, detail: { orderId: "o-1" } })).toBe(false);
    expect(delivered.matches({ ...event, detail: { customerId: { id: "c-1" } } })).toBe(false);
    expect(delivered.matches({ ...event, "detail-type": "OrderPlaced" })).toBe(false);
  });
});

describe("matching", () => {
  const employees = {
    employees: [
      { firstName: "John", lastName: "Doe" },
      { firstName: "Anna", lastName: "Smith" },
    ],
  };

  it("requires fields matched together to come from the same array element", () => {
    const anna = { employees: { firstName: ["Anna"], lastName: ["Smith"] } };
    const mixed = { employees: { firstName: ["Anna"], lastName: ["Doe"] } };
    expect(testEventPattern(anna, employees)).toBe(true);
    expect(testEventPattern(mixed, employees)).toBe(false);
  });

  it("matches fields from unrelated arrays independently", () => {
    const event = { orders: [{ id: "o-1" }, { id: "o-2" }], tags: ["vip", "kr"] };
    expect(testEventPattern({ orders: { id: ["o-2"] }, tags: ["kr"] }, event)).toBe(true);
    expect(testEventPattern({ orders: { id: ["o-3"] }, tags: ["kr"] }, event)).toBe(false);
  });

  it("checks exists:false within the array element the other fields matched", () => {
    const event = { items: [{ sku: "a", gift: true }, { sku: "b" }] };
    expect(testEventPattern({ items: { sku: ["b"], gift: [{ exists: false }] } }, event)).toBe(true);
    expect(testEventPattern({ items: { sku: ["a"], gift: [{ exists: false }] } }, event)).toBe(false);
  });

  it("compares IP address literals by address", () => {
    expect(testEventPattern({ ip: ["2001:db8::1"] }, { ip: "2001:DB8:0:0:0:0:0:1" })).toBe(true);
    expect(testEventPattern({ ip: [{ cidr: "10.0.0.1/32" }] }, { ip: "10.0.0.1" })).toBe(true);
    expect(testEventPattern({ ip: [{ cidr: "10.0.0.1/32" }] }, { ip: "10.0.0.2" })).toBe(false);
  });

  it("treats escaped asterisks in wildcards literally", () => {
    const pattern = { name: [{ wildcard: "a\\*b*" }] };
    expect(testEventPattern(pattern, { name: "a*b-c" })).toBe(true);
    expect(testEventPattern(pattern, { name: "axb-c" })).toBe(false);
  });

  it("rejects events that are not JSON objects", () => {
    expect(() => compileEventPattern({}).matches([])).toThrow(TypeError);
  });
});

describe("validation", () => {
  function reasonFor(pattern: unknown): string {
    try {
      compileEventPattern(pattern);
    } catch (error) {
      if (error instanceof InvalidEventPatternError) return error.reason;
      throw error;
    }
    return expect.fail("expected the pattern to be rejected");
  }

  it("says what is wrong and where, like AWS", () => {
    expect(() => compileEventPattern({ detail: { state: "running" } })).toThrow(
      'Event pattern is not valid. Reason: "state" must be an object or an array (at "detail.state")',
    );
    expect(reasonFor("{not json")).toMatch(/^Filter is not valid JSON/);
    expect(reasonFor("[]")).toBe("Filter is not an object");
    expect(reasonFor({ n: [{ numeric: [">", 5, "<", 1] }] })).toBe("Bottom must be less than top");
    expect(reasonFor({ $or: [{ a: ["x"] }] })).toBe("There must be at least 2 objects in $or relationship.");
    expect(reasonFor({ s: [{ "anything-but": [1, "one"] }] })).toMatch(/mixed type is not supported/);
  });

  // Wildcard complexity data points from AWS: the docs' examples and a rule AWS refused in practice.
  it("accepts wildcard sets AWS accepts", () => {
    for (const set of [
      ["*.bif", "*.tiff", "*.tif", "*.svs"],
      ["*/datasync/*.bif", "*/datasync/*.tif"],
      ["/Users/*/dir/dir/dir/dir/dir/doc.txt"],
    ]) {
      expect(() => compileEventPattern({ key: set.map((wildcard) => ({ wildcard })) })).not.toThrow();
    }
  });

  it("rejects wildcard sets AWS finds too complex", () => {
    const datasync = ["bif", "tif", "tiff", "svs"].map((ext) => ({ wildcard: `*/datasync/*.${ext}` }));
    expect(reasonFor({ key: datasync })).toMatch(/^Rule is too complex/);
  });
});
