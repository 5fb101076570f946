import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { advance } from "../../../functions/core/engine.ts";
import {
  defineJourney,
  eq,
  JourneyDefinitionError,
  ref,
} from "../../../functions/core/journey/define-journey.ts";
import type { journeyDefinitionSchema } from "../../../functions/core/journey/definition.ts";
import { evaluate, test as holds, interpolate } from "../../../functions/core/journey/values.ts";
import { postPurchaseV1 } from "../../../journeys/post-purchase/journey.ts";
import { referenceTemplates } from "../../../journeys/registry.ts";
import { catalogOf } from "../../support/catalogs.ts";
import { customerEvent } from "../../support/events.ts";

const minimal: z.input<typeof journeyDefinitionSchema> = {
  id: "welcome",
  version: 1,
  description: "test",
  entry: { event: "OrderPlaced", key: ref("event.orderId"), capture: {} },
  exitOn: [],
  start: "wait",
  nodes: {
    wait: { type: "wait", duration: "P1D", next: "done" },
    done: { type: "exit", outcome: "done" },
  },
};

describe("defineJourney", () => {
  it("produces a frozen, JSON-serialisable definition", () => {
    const journey = defineJourney(minimal);
    expect(Object.isFrozen(journey)).toBe(true);
    expect(JSON.parse(JSON.stringify(postPurchaseV1))).toEqual(postPurchaseV1);
  });

  it("rejects a dangling next, an unreachable node, a bad duration and a missing start", () => {
    expect(() =>
      defineJourney({ ...minimal, nodes: { wait: { type: "wait", duration: "P1D", next: "nowhere" } } }),
    ).toThrow(/points to "nowhere"/);
    expect(() =>
      defineJourney({ ...minimal, nodes: { ...minimal.nodes, orphan: { type: "exit", outcome: "x" } } }),
    ).toThrow(/unreachable node\(s\): orphan/);
    expect(() =>
      defineJourney({
        ...minimal,
        nodes: { ...minimal.nodes, wait: { type: "wait", duration: "1 day", next: "done" } },
      }),
    ).toThrow(JourneyDefinitionError);
    expect(() => defineJourney({ ...minimal, start: "missing" })).toThrow(/start node "missing"/);
  });

  it("the catalog refuses a send whose template is missing or of another priority", () => {
    const sending = (template: string, priority: "service" | "marketing") =>
      defineJourney({
        ...minimal,
        start: "send",
        nodes: {
          send: { type: "send", template, priority, vars: {}, why: ["x"], next: "done" },
          done: { type: "exit", outcome: "done" },
        },
      });
    expect(() => catalogOf([sending("nope", "service")], referenceTemplates)).toThrow(
      /template nope is not in the catalog/,
    );
    expect(() => catalogOf([sending("post-purchase.tips", "marketing")], referenceTemplates)).toThrow(
      /is service, the send node says marketing/,
    );
    expect(() => catalogOf([defineJourney(minimal), defineJourney(minimal)], [])).toThrow(/defined twice/);
  });

  it("instances stay pinned to the version they started on when a new version is deployed", () => {
    const v1 = defineJourney(minimal);
    const v2 = defineJourney({
      ...minimal,
      version: 2,
      nodes: { ...minimal.nodes, wait: { type: "wait", duration: "P3D", next: "done" } },
    });
    const placed = (orderId: string, time: string) => ({
      kind: "event" as const,
      event: customerEvent(
        "OrderPlaced",
        {
          customerId: "pin-1",
          orderId,
          items: [{ sku: "s", name: "n", quantity: 1, unitPrice: 1 }],
          currency: "USD",
        },
        { time },
      ),
    });
    const before = advance(
      undefined,
      placed("a", "2026-01-01T00:00:00Z"),
      new Date("2026-01-01T00:00:00Z"),
      catalogOf([v1], []),
    );
    const after = advance(
      before.state,
      placed("b", "2026-01-01T01:00:00Z"),
      new Date("2026-01-01T01:00:00Z"),
      catalogOf([v1, v2], []),
    );
    expect(after.state.instances.map((i) => [i.key, i.journeyVersion])).toEqual([
      ["a", 1],
      ["b", 2],
    ]);
    const timerA = after.state.instances[0]!.state.timer;
    expect(timerA.dueAt).toBe("2026-01-02T00:00:00.000Z");
    expect(after.state.instances[1]!.state.timer.dueAt).toBe("2026-01-04T01:00:00.000Z");
    // the v1 instance finishes on v1 even though v2 is the latest
    const fired = advance(
      after.state,
      { kind: "timer", customerId: "pin-1", timerId: timerA.id, dueAt: timerA.dueAt },
      new Date(timerA.dueAt),
      catalogOf([v1, v2], []),
    );
    expect(fired.effects).toContainEqual(
      expect.objectContaining({
        detailType: "JourneyCompleted",
        detail: expect.objectContaining({ journeyVersion: 1 }),
      }),
    );
    // removing v1 while an instance is on it is an error, not silent data loss
    expect(() =>
      advance(
        after.state,
        { kind: "timer", customerId: "pin-1", timerId: timerA.id, dueAt: timerA.dueAt },
        new Date(timerA.dueAt),
        catalogOf([v2], []),
      ),
    ).toThrow(/welcome@1 is not deployed/);
  });
});

describe("values and conditions", () => {
  const scope = {
    event: { score: 6, orderId: "o-1" },
    vars: { orderId: "o-1", list: ["a"] },
    customer: { profile: {} },
  };
  it("evaluates refs with fallbacks and literals", () => {
    expect(evaluate(ref("event.score"), scope)).toBe(6);
    expect(evaluate(ref("customer.profile.name", "event.orderId"), scope)).toBe("o-1");
    expect(evaluate(ref("nothing.here"), scope)).toBeUndefined();
    expect(evaluate("literal", scope)).toBe("literal");
  });
  it("tests comparisons, exists, all/any/not", () => {
    expect(holds(eq(ref("event.orderId"), ref("vars.orderId")), scope)).toBe(true);
    expect(holds({ op: "lte", left: ref("event.score"), right: 6 }, scope)).toBe(true);
    expect(holds({ op: "gt", left: ref("event.score"), right: "6" }, scope)).toBe(false);
    expect(holds({ op: "in", left: "a", right: ref("vars.list") }, scope)).toBe(true);
    expect(holds({ op: "not", condition: { op: "exists", value: ref("vars.none") } }, scope)).toBe(true);
    expect(holds({ op: "any", conditions: [eq(1, 2), eq(2, 2)] }, scope)).toBe(true);
    expect(holds({ op: "all", conditions: [eq(1, 2), eq(2, 2)] }, scope)).toBe(false);
  });
  it("fills why-line placeholders and never prints undefined", () => {
    expect(interpolate("scored {event.score}/10 for {vars.orderId}; {vars.nope}", scope)).toBe(
      "scored 6/10 for o-1; ?",
    );
  });
});
