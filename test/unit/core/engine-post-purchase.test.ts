import { describe, expect, it } from "vitest";
import type { CustomerState } from "../../../functions/core/customer-state.ts";
import type { Effect } from "../../../functions/core/effects.ts";
import { advance, type EngineInput } from "../../../functions/core/engine.ts";
import { postPurchaseOnly } from "../../support/catalogs.ts";
import { customerEvent, newYorkCustomer, phone, seoulCustomer } from "../../support/events.ts";

/** Feeds inputs through the pure engine, like the handler would, and keeps every effect. */
function run(inputs: Array<[EngineInput, string]>, start?: CustomerState) {
  let state = start;
  const effects: Effect[] = [];
  for (const [input, now] of inputs) {
    const t = advance(state, input, new Date(now), postPurchaseOnly);
    state = t.state;
    effects.push(...t.effects);
  }
  return { state: state!, effects };
}

const ev = (
  type: Parameters<typeof customerEvent>[0],
  detail: Record<string, unknown>,
  time: string,
): EngineInput => ({
  kind: "event",
  event: customerEvent(type, detail, { time }),
});
const timer = (customerId: string, effect: Effect | undefined): EngineInput => {
  if (effect?.type !== "schedule")
    throw new Error(`expected a schedule effect, got ${JSON.stringify(effect)}`);
  return { kind: "timer", customerId, timerId: effect.timerId, dueAt: effect.dueAt };
};
const schedules = (effects: Effect[]) => effects.filter((e) => e.type === "schedule");
const sent = (effects: Effect[]) => effects.flatMap((e) => (e.type === "notify" ? [e.record] : []));

function seoulSetup() {
  const c = seoulCustomer;
  return run([
    [ev("CustomerProfileUpdated", { ...c }, "2026-03-01T00:00:00Z"), "2026-03-01T00:00:00Z"],
    [
      ev(
        "OrderPlaced",
        { customerId: c.customerId, orderId: "o-1", items: [phone], currency: "KRW" },
        "2026-03-02T01:00:00Z",
      ),
      "2026-03-02T01:00:00Z",
    ],
    // Delivered 2026-03-05 23:30 in Seoul (14:30Z): day 2 is 03-07 → tips at 10:00 KST = 01:00Z.
    [
      ev(
        "OrderDelivered",
        { customerId: c.customerId, orderId: "o-1", deliveredAt: "2026-03-05T14:30:00Z" },
        "2026-03-05T14:31:00Z",
      ),
      "2026-03-05T14:31:00Z",
    ],
  ]);
}

describe("post-purchase journey in the pure engine", () => {
  it("schedules the tips for 10:00 local on the 2nd calendar day after delivery", () => {
    const { state, effects } = seoulSetup();
    expect(state.instances).toHaveLength(1);
    expect(state.instances[0]).toMatchObject({
      id: "post-purchase#o-1",
      journeyVersion: 1,
      state: { status: "waiting-timer", node: "wait-for-tips" },
    });
    expect(schedules(effects)).toEqual([
      expect.objectContaining({ customerId: "cust-kr-1", dueAt: "2026-03-07T01:00:00.000Z" }),
    ]);
  });

  it("sends the tips when the timer fires, by the preferred channel, with the products by name", () => {
    const setup = seoulSetup();
    const tipsTimer = timer("cust-kr-1", schedules(setup.effects)[0]);
    const { state, effects } = run([[tipsTimer, "2026-03-07T01:00:05Z"]], setup.state);
    const [record] = sent(effects);
    expect(record).toMatchObject({
      template: "post-purchase.tips",
      status: "sent",
      channel: "sms",
      to: "+821012345678",
      locale: "ko-KR",
      priority: "service",
      vars: { name: "김지우", orderId: "o-1", products: ["Galaxy S26"] },
    });
    expect(record!.body).toContain("김지우님");
    expect(record!.body).toContain("Galaxy S26");
    expect(record!.why[0]).toContain("o-1");
    expect(record!.smsSegments).toBeGreaterThanOrEqual(1);
    // Next wait: the survey on day 14 at 10:00 KST (03-19 01:00Z).
    expect(schedules(effects)).toEqual([expect.objectContaining({ dueAt: "2026-03-19T01:00:00.000Z" })]);
    expect(state.instances[0]!.state.node).toBe("wait-for-survey");
  });

  it("runs survey → detractor → escalation with the order and timeline, then follow-up and completion", () => {
    const setup = seoulSetup();
    const tips = run(
      [[timer("cust-kr-1", schedules(setup.effects)[0]), "2026-03-07T01:00:00Z"]],
      setup.state,
    );
    const survey = run(
      [[timer("cust-kr-1", schedules(tips.effects)[0]), "2026-03-19T01:00:00Z"]],
      tips.state,
    );
    const surveyRecord = sent(survey.effects)[0]!;
    expect(surveyRecord.template).toBe("post-purchase.nps-survey");
    const surveyId = surveyRecord.vars.surveyId as string;
    expect(surveyId).toMatch(/^[A-Za-z0-9_-]{10}$/);
    expect(surveyRecord.body).toContain(surveyId);

    const answer = run(
      [
        [
          ev(
            "SurveyResponded",
            { customerId: "cust-kr-1", surveyId, score: 3, comment: "배터리가 빨리 닳아요" },
            "2026-03-19T03:00:00Z",
          ),
          "2026-03-19T03:00:00Z",
        ],
      ],
      survey.state,
    );
    const escalation = answer.effects.find(
      (e) => e.type === "emit" && e.detailType === "AgentEscalationRequested",
    );
    expect(escalation).toMatchObject({
      detail: {
        customerId: "cust-kr-1",
        journeyId: "post-purchase",
        context: {
          profile: { name: "김지우", maskedPhone: "+82-10-****-5678" },
          order: { orderId: "o-1", items: [expect.objectContaining({ sku: "SM-S931N" })] },
          survey: { surveyId, score: 3, comment: "배터리가 빨리 닳아요" },
        },
      },
    });
    const timeline = (escalation as unknown as { detail: { context: { timeline: { summary: string }[] } } })
      .detail.context.timeline;
    expect(timeline.map((t) => t.summary).join("\n")).toMatch(
      /post-purchase.tips sent[\s\S]*nps-survey sent[\s\S]*answered survey/,
    );
    expect(sent(answer.effects).map((r) => r.template)).toEqual(["post-purchase.detractor-followup"]);
    expect(answer.effects).toContainEqual(
      expect.objectContaining({
        type: "emit",
        detailType: "JourneyCompleted",
        detail: expect.objectContaining({ outcome: "detractor-followed-up" }),
      }),
    );
    expect(answer.state.instances).toEqual([]);
    // the survey's 7-day timeout is cancelled
    expect(answer.effects).toContainEqual(
      expect.objectContaining({ type: "cancel", timerId: schedules(survey.effects)[0]!.timerId }),
    );
  });

  it("a promoter gets a review request only with marketing consent, with the Korean ad marking", () => {
    const setup = seoulSetup();
    const tips = run(
      [[timer("cust-kr-1", schedules(setup.effects)[0]), "2026-03-07T01:00:00Z"]],
      setup.state,
    );
    const survey = run(
      [[timer("cust-kr-1", schedules(tips.effects)[0]), "2026-03-19T01:00:00Z"]],
      tips.state,
    );
    const surveyId = sent(survey.effects)[0]!.vars.surveyId;
    const answer = (consent: Record<string, boolean>) =>
      run(
        [
          [
            ev("CustomerProfileUpdated", { customerId: "cust-kr-1", consent }, "2026-03-19T02:00:00Z"),
            "2026-03-19T02:00:00Z",
          ],
          [
            ev("SurveyResponded", { customerId: "cust-kr-1", surveyId, score: 10 }, "2026-03-19T03:00:00Z"),
            "2026-03-19T03:00:00Z",
          ],
        ],
        survey.state,
      );
    const withConsent = sent(answer({ marketingSms: true }).effects);
    expect(withConsent).toHaveLength(1);
    expect(withConsent[0]).toMatchObject({
      template: "post-purchase.review-request",
      status: "sent",
      priority: "marketing",
      marketing: true,
    });
    expect(withConsent[0]!.body!.startsWith("(광고)")).toBe(true);
    expect(withConsent[0]!.body).toMatch(/무료수신거부/);

    const without = sent(answer({ marketingSms: false }).effects);
    expect(without).toEqual([expect.objectContaining({ status: "suppressed", reason: "no-consent" })]);
  });

  it("a passive score ends the journey with nothing more sent", () => {
    const setup = seoulSetup();
    const tips = run(
      [[timer("cust-kr-1", schedules(setup.effects)[0]), "2026-03-07T01:00:00Z"]],
      setup.state,
    );
    const survey = run(
      [[timer("cust-kr-1", schedules(tips.effects)[0]), "2026-03-19T01:00:00Z"]],
      tips.state,
    );
    const answer = run(
      [
        [
          ev(
            "SurveyResponded",
            { customerId: "cust-kr-1", surveyId: "unknown-survey", score: 8 },
            "2026-03-20T03:00:00Z",
          ),
          "2026-03-20T03:00:00Z",
        ],
      ],
      survey.state,
    );
    expect(sent(answer.effects)).toEqual([]);
    expect(answer.effects).toContainEqual(
      expect.objectContaining({
        detailType: "JourneyCompleted",
        detail: expect.objectContaining({ outcome: "passive" }),
      }),
    );
  });

  it("an unanswered survey times out after 7 days", () => {
    const setup = seoulSetup();
    const tips = run(
      [[timer("cust-kr-1", schedules(setup.effects)[0]), "2026-03-07T01:00:00Z"]],
      setup.state,
    );
    const survey = run(
      [[timer("cust-kr-1", schedules(tips.effects)[0]), "2026-03-19T01:00:00Z"]],
      tips.state,
    );
    const timeout = schedules(survey.effects)[0]!;
    expect(timeout).toMatchObject({ dueAt: "2026-03-26T01:00:00.000Z" });
    const end = run([[timer("cust-kr-1", timeout), "2026-03-26T01:00:00Z"]], survey.state);
    expect(end.state.instances).toEqual([]);
    expect(end.effects).toContainEqual(
      expect.objectContaining({
        detailType: "JourneyCompleted",
        detail: expect.objectContaining({ outcome: "survey-timeout" }),
      }),
    );
  });

  it("OrderReturned ends the journey at once and cancels its timer; a later timer is a no-op", () => {
    const setup = seoulSetup();
    const tipsTimer = schedules(setup.effects)[0]!;
    const returned = run(
      [
        [
          ev("OrderReturned", { customerId: "cust-kr-1", orderId: "o-1" }, "2026-03-06T02:00:00Z"),
          "2026-03-06T02:00:00Z",
        ],
      ],
      setup.state,
    );
    expect(returned.state.instances).toEqual([]);
    expect(returned.effects).toContainEqual({
      type: "cancel",
      customerId: "cust-kr-1",
      timerId: tipsTimer.type === "schedule" ? tipsTimer.timerId : "",
    });
    expect(returned.effects).toContainEqual(
      expect.objectContaining({
        detailType: "JourneyCompleted",
        detail: expect.objectContaining({ outcome: "order-returned" }),
      }),
    );
    const late = run([[timer("cust-kr-1", tipsTimer), "2026-03-07T01:00:00Z"]], returned.state);
    expect(late.effects).toEqual([]);
  });

  it("a return that overtakes the delivery event starts nothing", () => {
    const c = seoulCustomer;
    const { state, effects } = run([
      [
        ev("OrderReturned", { customerId: c.customerId, orderId: "o-9" }, "2026-03-06T00:00:00Z"),
        "2026-03-06T00:00:00Z",
      ],
      [
        ev("OrderDelivered", { customerId: c.customerId, orderId: "o-9" }, "2026-03-05T00:00:00Z"),
        "2026-03-06T00:00:01Z",
      ],
    ]);
    expect(state.instances).toEqual([]);
    expect(schedules(effects)).toEqual([]);
  });

  it("a redelivered input changes nothing; the same input right after a crash replays its effects", () => {
    const c = seoulCustomer;
    const delivered = ev(
      "OrderDelivered",
      { customerId: c.customerId, orderId: "o-1", eventId: "evt-1" },
      "2026-03-05T14:31:00Z",
    );
    const first = advance(undefined, delivered, new Date("2026-03-05T14:31:00Z"), postPurchaseOnly);
    expect(first.outcome).toBe("applied");
    const replay = advance(first.state, delivered, new Date("2026-03-05T14:32:00Z"), postPurchaseOnly);
    expect(replay).toMatchObject({ outcome: "replay", state: first.state });
    expect(replay.effects).toEqual(first.effects);
    const other = ev(
      "CustomerProfileUpdated",
      { customerId: c.customerId, name: "Jiwoo" },
      "2026-03-05T15:00:00Z",
    );
    const next = advance(first.state, other, new Date("2026-03-05T15:00:00Z"), postPurchaseOnly);
    const again = advance(next.state, delivered, new Date("2026-03-05T16:00:00Z"), postPurchaseOnly);
    expect(again).toMatchObject({ outcome: "duplicate", effects: [] });
    expect(again.state).toBe(next.state);
  });

  it("one instance per order: a second OrderDelivered for the same order starts nothing new", () => {
    const setup = seoulSetup();
    const second = run(
      [
        [
          ev("OrderDelivered", { customerId: "cust-kr-1", orderId: "o-1" }, "2026-03-05T15:00:00Z"),
          "2026-03-05T15:00:00Z",
        ],
      ],
      setup.state,
    );
    expect(second.state.instances).toHaveLength(1);
    expect(schedules(second.effects)).toEqual([]);
  });

  it("in New York across the spring-forward change the tips still go at 10:00 local (EDT)", () => {
    const c = newYorkCustomer;
    // Delivered Saturday 2026-03-07 15:00 EST; DST starts Sunday 03-08; day 2 = Monday 03-09 10:00 EDT = 14:00Z.
    const { effects } = run([
      [ev("CustomerProfileUpdated", { ...c }, "2026-03-01T00:00:00Z"), "2026-03-01T00:00:00Z"],
      [
        ev(
          "OrderDelivered",
          { customerId: c.customerId, orderId: "o-ny", deliveredAt: "2026-03-07T20:00:00Z" },
          "2026-03-07T20:00:00Z",
        ),
        "2026-03-07T20:00:00Z",
      ],
    ]);
    expect(schedules(effects)).toEqual([expect.objectContaining({ dueAt: "2026-03-09T14:00:00.000Z" })]);
  });

  it("a late delivery event whose tips time has passed sends at once (outside quiet hours)", () => {
    const c = newYorkCustomer;
    const { effects } = run([
      [ev("CustomerProfileUpdated", { ...c }, "2026-03-01T00:00:00Z"), "2026-03-01T00:00:00Z"],
      [
        ev(
          "OrderDelivered",
          { customerId: c.customerId, orderId: "o-old", deliveredAt: "2026-04-01T15:00:00Z" },
          "2026-04-01T15:00:00Z",
        ),
        "2026-04-06T16:00:00Z",
      ],
    ]);
    expect(sent(effects)).toEqual([
      expect.objectContaining({ template: "post-purchase.tips", status: "sent", channel: "sms" }),
    ]);
  });

  it("a tip that falls in quiet hours (zone changed meanwhile) is deferred, then sent at 08:00", () => {
    const setup = seoulSetup();
    // The customer moved to New York: 10:00 KST on 03-07 is 20:00 EST on 03-06 — fine; use 23:00 instead.
    const moved = run(
      [
        [
          ev(
            "CustomerProfileUpdated",
            { customerId: "cust-kr-1", timeZone: "America/Los_Angeles" },
            "2026-03-06T00:00:00Z",
          ),
          "2026-03-06T00:00:00Z",
        ],
      ],
      setup.state,
    );
    const tipsTimer = timer("cust-kr-1", schedules(setup.effects)[0]);
    // 01:00Z on 03-07 = 17:00 PST on 03-06: not quiet. Fire it at 06:00Z = 22:00 PST instead (a late scheduler).
    const fired = run([[tipsTimer, "2026-03-07T06:00:00Z"]], moved.state);
    const [deferred] = sent(fired.effects);
    expect(deferred).toMatchObject({ status: "deferred", deferredUntil: "2026-03-07T16:00:00.000Z" });
    expect(deferred!.why.join(" ")).toMatch(/quiet hours/);
    const later = run(
      [
        [
          timer(
            "cust-kr-1",
            schedules(fired.effects).find((s) => s.type === "schedule" && s.timerId.startsWith("defer#")),
          ),
          "2026-03-07T16:00:00Z",
        ],
      ],
      fired.state,
    );
    expect(sent(later.effects)).toEqual([
      expect.objectContaining({
        status: "sent",
        template: "post-purchase.tips",
        id: deferred!.id.replace("~deferred", ""),
      }),
    ]);
  });
});
