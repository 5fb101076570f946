import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { referenceEvents } from "../../../events/catalog.ts";
import { defineCatalog } from "../../../events/define-catalog.ts";
import type { CustomerState } from "../../../functions/core/customer-state.ts";
import type { Effect } from "../../../functions/core/effects.ts";
import { advance } from "../../../functions/core/engine.ts";
import { defineJourney, ref } from "../../../functions/core/journey/define-journey.ts";
import type { journeyDefinitionSchema } from "../../../functions/core/journey/definition.ts";
import { defineTemplate } from "../../../functions/core/journey/template.ts";
import { expandFacts } from "../../../functions/core/measurement/lifecycle-facts.ts";
import { customerEvent, phone } from "../../support/events.ts";

const promo = defineTemplate({
  id: "t.promo",
  priority: "marketing",
  locales: {
    "en-US": { sms: () => "An offer", email: { subject: () => "Offer", body: () => "An offer." } },
    "ko-KR": { sms: () => "혜택", email: { subject: () => "혜택", body: () => "혜택." } },
  },
});
const note = defineTemplate({ ...promo, id: "t.note", priority: "service" });
const advertising = { senderName: "웨이마크", koreanOptOutNumber: "080-500-4321" };

const journey = (overrides: Partial<z.input<typeof journeyDefinitionSchema>> = {}) =>
  defineJourney({
    id: "offer",
    version: 1,
    description: "An offer on delivery",
    entry: { event: "OrderDelivered", key: ref("event.orderId"), capture: { orderId: ref("event.orderId") } },
    exitOn: [],
    goal: { event: "OrderPlaced", within: "P7D", exits: true },
    start: "promo",
    nodes: {
      promo: {
        type: "send",
        template: "t.promo",
        priority: "marketing",
        vars: {},
        why: ["delivered"],
        next: "note",
      },
      note: {
        type: "send",
        template: "t.note",
        priority: "service",
        vars: {},
        why: ["delivered"],
        next: "wait",
      },
      wait: { type: "wait", duration: "P10D", next: "done" },
      done: { type: "exit", outcome: "done" },
    },
    ...overrides,
  });

function run(catalog: ReturnType<typeof defineCatalog>, customerId: string) {
  let state: CustomerState | undefined;
  const effects: Effect[] = [];
  const event = (type: Parameters<typeof customerEvent>[0], detail: Record<string, unknown>, at: string) => {
    const t = advance(
      state,
      {
        kind: "event",
        event: customerEvent(type, { customerId, ...detail }, { time: at, id: `${type}-${at}` }),
      },
      new Date(at),
      catalog,
    );
    state = t.state;
    effects.push(...t.effects);
  };
  return {
    event,
    effects,
    get state() {
      return state!;
    },
  };
}

describe("the global control group (issue 11)", () => {
  it("keeps marketing from the customers in it, not service; their journeys run and are measured", () => {
    const catalog = defineCatalog({
      events: referenceEvents,
      journeys: [journey()],
      templates: [promo, note],
      delivery: { advertising },
      measurement: { globalControlPercent: 50 },
    });
    const outcomes = new Map<string, string[]>();
    for (let n = 0; n < 40; n++) {
      const c = run(catalog, `gc-${n}`);
      c.event(
        "CustomerProfileUpdated",
        { phone: "+12125550100", timeZone: "America/New_York", consent: { marketingSms: true } },
        "2026-06-01T16:00:00Z",
      );
      c.event("OrderDelivered", { orderId: "o-1" }, "2026-06-01T16:01:00Z");
      const variant = c.state.instances[0]!.variants!["global-control"]!;
      const records = c.effects.flatMap((e) =>
        e.type === "notify" ? [`${e.record.template}:${e.record.status}:${e.record.reason ?? ""}`] : [],
      );
      outcomes.set(variant, [...(outcomes.get(variant) ?? []), records.join(",")]);
    }
    expect(outcomes.get("control")!.length).toBeGreaterThan(10);
    expect(outcomes.get("exposed")!.length).toBeGreaterThan(10);
    for (const records of outcomes.get("control")!)
      expect(records).toBe("t.promo:suppressed:global-control,t.note:sent:");
    for (const records of outcomes.get("exposed")!) expect(records).toBe("t.promo:sent:,t.note:sent:");
  });

  it("refuses a control group over half the customers", () => {
    expect(() =>
      defineCatalog({
        events: referenceEvents,
        journeys: [],
        templates: [],
        measurement: { globalControlPercent: 60 },
      }),
    ).toThrow("measurement.globalControlPercent: expected 0 to 50, got 60");
  });
});

describe("goals (issue 11)", () => {
  it("a goal that exits ends the instance when reached, counted once, in window only", () => {
    const catalog = defineCatalog({
      events: referenceEvents,
      journeys: [journey()],
      templates: [promo, note],
      delivery: { advertising },
    });
    const c = run(catalog, "goal-1");
    c.event("OrderDelivered", { orderId: "o-1" }, "2026-06-01T16:00:00Z");
    c.event("OrderPlaced", { orderId: "o-2", items: [phone], currency: "USD" }, "2026-06-03T16:00:00Z");
    c.event("OrderPlaced", { orderId: "o-3", items: [phone], currency: "USD" }, "2026-06-04T16:00:00Z");
    const facts = c.effects.flatMap((e) => (e.type === "facts" ? expandFacts(e) : []));
    expect(facts.filter((f) => f.type === "JourneyGoalReached")).toHaveLength(1);
    expect(facts.filter((f) => f.type === "JourneyCompleted").map((f) => f.outcome)).toEqual([
      "goal-reached",
    ]);
    expect(c.effects.filter((e) => e.type === "emit").map((e) => e.type === "emit" && e.detailType)).toEqual([
      "JourneyStarted",
      "JourneyGoalReached",
      "JourneyCompleted",
    ]);
    const late = run(catalog, "goal-2");
    late.event("OrderDelivered", { orderId: "o-1" }, "2026-06-01T16:00:00Z");
    late.event("OrderPlaced", { orderId: "o-2", items: [phone], currency: "USD" }, "2026-06-09T16:00:01Z");
    expect(late.effects.some((e) => e.type === "emit" && e.detailType === "JourneyGoalReached")).toBe(false);
  });
});

describe("what defineCatalog checks of measurement (issue 11)", () => {
  const build = (overrides: Partial<z.input<typeof journeyDefinitionSchema>>) =>
    defineCatalog({
      events: referenceEvents,
      journeys: [journey(overrides)],
      templates: [promo, note],
      delivery: { advertising },
    });

  it("names an unknown goal event, a holdout over safety messages, an NPS field that does not exist", () => {
    expect(() => build({ goal: { event: "Bought", within: "P7D" } })).toThrow(
      /goal\.event: event Bought is not in the catalog/,
    );
    const safety = defineTemplate({ ...note, id: "t.safety", priority: "safety" });
    expect(() =>
      defineCatalog({
        events: referenceEvents,
        journeys: [
          journey({
            holdout: { percent: 10 },
            nodes: {
              promo: {
                type: "send",
                template: "t.safety",
                priority: "safety",
                vars: {},
                why: ["x"],
                next: "done",
              },
              done: { type: "exit", outcome: "done" },
            },
          }),
        ],
        templates: [safety],
      }),
    ).toThrow(/holdout: node promo sends a safety message/);
    expect(() => build({ nps: { event: "SurveyResponded", scoreField: "stars" } })).toThrow(
      /nps\.scoreField: SurveyResponded has no field stars/,
    );
  });

  it("a split has 2 to 8 variants with distinct names, each going somewhere", () => {
    const split = (variants: { name: string; weight: number; next: string }[]) =>
      build({
        start: "ab",
        nodes: { ab: { type: "split", experiment: "ab", variants }, done: { type: "exit", outcome: "done" } },
      });
    expect(() => split([{ name: "a", weight: 1, next: "done" }])).toThrow(/too small|at least 2|>=2/i);
    expect(() =>
      split([
        { name: "a", weight: 1, next: "done" },
        { name: "a", weight: 1, next: "done" },
      ]),
    ).toThrow(/variant names repeat: a, a/);
    expect(() =>
      split([
        { name: "a", weight: 1, next: "done" },
        { name: "b", weight: 1, next: "nowhere" },
      ]),
    ).toThrow(/nowhere/);
  });
});
