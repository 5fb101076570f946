import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { referenceEvents } from "../../events/catalog.ts";
import { defineCatalog } from "../../events/define-catalog.ts";
import type { CustomerState } from "../../functions/core/customer-state.ts";
import type { Effect } from "../../functions/core/effects.ts";
import { advance, type EngineInput } from "../../functions/core/engine.ts";
import { defineJourney, ref } from "../../functions/core/journey/define-journey.ts";
import { defineTemplate } from "../../functions/core/journey/template.ts";
import { expandFacts, type LifecycleFact } from "../../functions/core/measurement/lifecycle-facts.ts";
import { measurementQuery } from "../../functions/core/measurement/queries.ts";
import type { JourneyMeasurements } from "../../functions/core/measurement/report.ts";
import { newcombe } from "../../functions/core/measurement/statistics.ts";
import { LocalMeasurements } from "../../infra/local/local-measurements.ts";
import { customerEvent, phone } from "../support/events.ts";
import { Rng } from "../support/faults/fault-plan.ts";

/**
 * A simulated population through the real engine on virtual time, with conversion rates known in advance:
 * the funnel must count exactly, the goal must count exactly the conversions inside its window, assignment must
 * follow the weights, the measured lift's interval must contain the true lift, NPS must come out of the known
 * scores exactly, and redelivered inputs must change no count.
 */
const CUSTOMERS = 10_000;

const offer = defineTemplate({
  id: "t.offer",
  priority: "service",
  locales: {
    "en-US": {
      sms: () => "Thanks for your order",
      email: { subject: () => "Thanks", body: () => "Thanks." },
    },
    "ko-KR": {
      sms: () => "주문 감사합니다",
      email: { subject: () => "감사합니다", body: () => "감사합니다." },
    },
  },
});

const journey = defineJourney({
  id: "after-delivery",
  version: 1,
  description: "A thank-you in one of two copies, and a one-question survey.",
  entry: { event: "OrderDelivered", key: ref("event.orderId"), capture: { orderId: ref("event.orderId") } },
  exitOn: [],
  goal: { event: "OrderPlaced", within: "P7D" },
  holdout: { percent: 20 },
  nps: { event: "SurveyResponded", scoreField: "score" },
  start: "copy",
  nodes: {
    copy: {
      type: "split",
      experiment: "copy",
      variants: [
        { name: "control", weight: 1, next: "thanks" },
        { name: "bold", weight: 1, next: "thanks-bold" },
      ],
    },
    thanks: {
      type: "send",
      template: "t.offer",
      priority: "service",
      vars: {},
      why: ["order {vars.orderId} delivered"],
      next: "survey",
    },
    "thanks-bold": {
      type: "send",
      template: "t.offer",
      priority: "service",
      vars: {},
      why: ["order {vars.orderId} delivered (bold copy)"],
      next: "survey",
    },
    survey: { type: "assign", vars: { surveyId: ref("vars.orderId") }, next: "answer" },
    answer: {
      type: "waitForEvent",
      event: "SurveyResponded",
      correlate: { eventField: "surveyId", varName: "surveyId", fallback: "none" },
      timeout: "P3D",
      onEvent: "answered",
      onTimeout: "no-answer",
    },
    answered: { type: "exit", outcome: "answered" },
    "no-answer": { type: "exit", outcome: "no-answer" },
  },
});
const catalog = defineCatalog({ events: referenceEvents, journeys: [journey], templates: [offer] });

/** The truth the simulation draws from: conversion by arm, and who answers the survey with what. */
const RATES = { holdout: 0.1, control: 0.12, bold: 0.15 } as const;
const DAY = 86_400_000;
const T0 = Date.parse("2026-09-01T03:00:00Z");

interface Truth {
  started: number;
  arms: Map<string, { entrants: number; conversions: number }>;
  goalsInWindow: number;
  scores: number[];
  answered: number;
  redelivered: number;
}

let measurements: LocalMeasurements;
let result: JourneyMeasurements;
const truth: Truth = {
  started: 0,
  arms: new Map(),
  goalsInWindow: 0,
  scores: Array.from({ length: 11 }, () => 0),
  answered: 0,
  redelivered: 0,
};
let facts: LifecycleFact[] = [];

beforeAll(async () => {
  const rng = new Rng(20261204);
  for (let n = 0; n < CUSTOMERS; n++) {
    const customerId = `pop-${n}`;
    let state: CustomerState | undefined;
    const timers: { timerId: string; dueAt: string }[] = [];
    const feed = (input: EngineInput, at: number) => {
      const transition = advance(state, input, new Date(at), catalog);
      state = transition.state;
      for (const effect of transition.effects as Effect[]) {
        if (effect.type === "facts") facts.push(...expandFacts(effect));
        if (effect.type === "schedule") timers.push({ timerId: effect.timerId, dueAt: effect.dueAt });
      }
    };
    const event = (
      type: Parameters<typeof customerEvent>[0],
      detail: Record<string, unknown>,
      at: number,
      id: string,
    ) => {
      const input: EngineInput = {
        kind: "event",
        event: customerEvent(type, { customerId, ...detail }, { time: new Date(at).toISOString(), id }),
      };
      feed(input, at);
      // At-least-once delivery: one input in twenty comes twice.
      if (rng.chance(0.05)) {
        feed(input, at + 1000);
        truth.redelivered++;
      }
    };
    event(
      "CustomerProfileUpdated",
      { phone: "+12125550123", timeZone: "America/New_York" },
      T0,
      `${customerId}-p`,
    );
    event("OrderDelivered", { orderId: `o-${n}` }, T0 + 60_000, `${customerId}-d`);
    truth.started++;
    const instance = state!.instances[0]!;
    const heldOut = instance.variants?.["after-delivery:holdout"] === "holdout";
    const copy = instance.variants!.copy!;
    for (const [experiment, variant] of [
      ["after-delivery:holdout", heldOut ? "holdout" : "treatment"],
      ["copy", copy],
    ] as const) {
      const key = `${experiment}/${variant}`;
      const arm = truth.arms.get(key) ?? { entrants: 0, conversions: 0 };
      arm.entrants++;
      truth.arms.set(key, arm);
    }
    // The journey's true effect: held-out customers convert at 10 %, the others by their copy.
    const rate = heldOut ? RATES.holdout : RATES[copy as "control" | "bold"];
    const converts = rng.chance(rate);
    // Half of those who answer do so on day 1; held-out customers got no survey.
    if (!heldOut && rng.chance(0.6)) {
      const score = rng.int(0, 10);
      event("SurveyResponded", { surveyId: `o-${n}`, score }, T0 + DAY, `${customerId}-s`);
      truth.scores[score]!++;
      truth.answered++;
    }
    if (converts) {
      // Most convert within the goal's 7 days; one in eight too late to count.
      const late = rng.chance(0.125);
      const at = T0 + (late ? 9 : 2) * DAY;
      event("OrderPlaced", { orderId: `next-${n}`, items: [phone], currency: "USD" }, at, `${customerId}-o`);
      if (!late) {
        truth.goalsInWindow++;
        for (const key of [`after-delivery:holdout/${heldOut ? "holdout" : "treatment"}`, `copy/${copy}`])
          truth.arms.get(key)!.conversions++;
      }
    }
    // Time runs out: the survey's timeout fires for those who did not answer.
    for (const timer of timers.sort((a, b) => a.dueAt.localeCompare(b.dueAt)))
      feed(
        { kind: "timer", customerId, timerId: timer.timerId, dueAt: timer.dueAt },
        Date.parse(timer.dueAt),
      );
  }
  measurements = await LocalMeasurements.open();
  for (let i = 0; i < facts.length; i += 5000) await measurements.put(facts.slice(i, i + 5000));
  result = await measurements.journey("after-delivery", catalog);
}, 600_000);

afterAll(() => {
  measurements?.close();
  facts = [];
});

describe(`measurement of a simulated population of ${CUSTOMERS.toLocaleString("en-US")} (issue 11)`, () => {
  it("counts the funnel exactly, every node, with nobody left waiting once time ran out", () => {
    const [version] = result.versions;
    expect(truth.redelivered).toBeGreaterThan(100);
    expect(version).toMatchObject({ version: 1, entered: CUSTOMERS, completed: CUSTOMERS });
    expect(version!.outcomes).toEqual({ answered: truth.answered, "no-answer": CUSTOMERS - truth.answered });
    const reached = Object.fromEntries(version!.steps.map((s) => [s.node, s.reached]));
    const control = truth.arms.get("copy/control")!.entrants;
    expect(reached).toEqual({
      copy: CUSTOMERS,
      thanks: control,
      "thanks-bold": CUSTOMERS - control,
      survey: CUSTOMERS,
      answer: CUSTOMERS,
      answered: truth.answered,
      "no-answer": CUSTOMERS - truth.answered,
    });
    expect(version!.steps.every((s) => s.waiting === 0)).toBe(true);
    // The funnel follows the journey's own order.
    expect(version!.steps[0]!.node).toBe("copy");
  });

  it("counts the goal exactly: conversions inside the 7-day window, held-out customers included", () => {
    const [version] = result.versions;
    expect(version!.goals).toEqual([
      expect.objectContaining({
        name: "OrderPlaced",
        reached: truth.goalsInWindow,
        rate: truth.goalsInWindow / CUSTOMERS,
      }),
    ]);
  });

  it("assigns by the weights: 20 % held out, the copies half and half", () => {
    const holdout = truth.arms.get("after-delivery:holdout/holdout")!.entrants / CUSTOMERS;
    const bold = truth.arms.get("copy/bold")!.entrants / CUSTOMERS;
    expect(holdout).toBeGreaterThan(0.185);
    expect(holdout).toBeLessThan(0.215);
    expect(bold).toBeGreaterThan(0.485);
    expect(bold).toBeLessThan(0.515);
    const experiments = Object.fromEntries(result.versions[0]!.experiments.map((e) => [e.name, e]));
    for (const [key, arm] of truth.arms) {
      const [experiment, variant] = key.split("/") as [string, string];
      expect(experiments[experiment]!.variants.find((v) => v.name === variant)).toMatchObject(arm);
    }
  });

  it("the measured lift's interval holds the true lift, for the holdout and for the split", () => {
    const experiments = Object.fromEntries(result.versions[0]!.experiments.map((e) => [e.name, e]));
    // True rates: the treatment is half control copy, half bold; the split's arms each hold 20 % held out.
    const treatment = (RATES.control + RATES.bold) / 2;
    const holdoutLift = treatment - RATES.holdout;
    const treated = experiments["after-delivery:holdout"]!.variants.find((v) => v.name === "treatment")!;
    expect(experiments["after-delivery:holdout"]!.control).toBe("holdout");
    expect(treated.enoughData).toBe(true);
    expect(treated.lift!.absolute.low).toBeLessThan(holdoutLift);
    expect(treated.lift!.absolute.high).toBeGreaterThan(holdoutLift);
    expect(treated.lift!.absolute.low).toBeGreaterThan(0);
    const splitLift = 0.8 * (RATES.bold - RATES.control);
    const bold = experiments.copy!.variants.find((v) => v.name === "bold")!;
    expect(bold.lift!.absolute.low).toBeLessThan(splitLift);
    expect(bold.lift!.absolute.high).toBeGreaterThan(splitLift);
    expect(bold.lift!.method).toBe("Newcombe hybrid score (Wilson), 95%");
  });

  it("the interval the Athena query computes in SQL is the one the report computes, to the last digit", async () => {
    const rows = (await measurements.rows(measurementQuery("experiments"))) as {
      experiment: string;
      variant: string;
      entrants: number;
      conversions: number;
      control_variant: string | null;
      difference_low: number | null;
      difference_high: number | null;
    }[];
    const compared = rows.filter((row) => row.control_variant !== null);
    expect(compared.map((r) => r.variant).sort()).toEqual(["bold", "treatment"]);
    for (const row of compared) {
      const control = rows.find((r) => r.experiment === row.experiment && r.variant === row.control_variant)!;
      const expected = newcombe(row.conversions, row.entrants, control.conversions, control.entrants);
      expect(row.difference_low).toBeCloseTo(expected.low, 12);
      expect(row.difference_high).toBeCloseTo(expected.high, 12);
    }
  });

  it("NPS comes out of the known scores exactly", () => {
    const nps = result.versions[0]!.nps!;
    expect(nps.responses).toBe(truth.answered);
    expect(nps.distribution).toEqual(truth.scores);
    const promoters = truth.scores[9]! + truth.scores[10]!;
    const detractors = truth.scores.slice(0, 7).reduce((a, b) => a + b, 0);
    expect(nps.score).toBeCloseTo(((promoters - detractors) / truth.answered) * 100, 10);
    expect(nps.periods.map((p) => p.period)).toEqual(["2026-09"]);
  });

  it("redelivered inputs recorded every fact again under the same id, and no count moved", async () => {
    const distinct = new Set(facts.map((f) => f.factId)).size;
    expect(await measurements.count()).toBe(distinct);
    expect(result.versions[0]!.entered).toBe(CUSTOMERS);
  });
});
