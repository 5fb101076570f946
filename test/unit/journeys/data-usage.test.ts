import { describe, expect, it } from "vitest";
import type { CustomerState, UsagePeriod } from "../../../functions/core/customer-state.ts";
import type { Effect } from "../../../functions/core/effects.ts";
import { advance, type EngineInput } from "../../../functions/core/engine.ts";
import { DataUsageScopeError, dataUsageAlert } from "../../../journeys/data-usage/calculator.ts";
import { type AlertInput, decideAlert, type UsageUpdate } from "../../../journeys/data-usage/decide-alert.ts";
import { dataUsageOnly } from "../../support/catalogs.ts";
import { customerEvent, newYorkCustomer, seoulCustomer } from "../../support/events.ts";

// A New York customer on a 5 GB plan; billing periods are calendar months given as bare dates.
const plan = { planId: "us-essential-5", name: "Essential 5", monthlyPrice: 35 };
const unlimited10 = { planId: "us-unlimited-10", name: "Unlimited 10", monthlyPrice: 50, limitMb: 10240 };
const plus15 = { planId: "us-plus-15", name: "Plus 15", monthlyPrice: 60, limitMb: 15360 };

const april: UsageUpdate = {
  periodStart: "2026-04-01",
  periodEnd: "2026-05-01",
  usedMb: 4198.4, // 4.1 GB of 5 GB: 82 %
  limitMb: 5120,
  overagePricePerGb: 10,
  currency: "USD",
  plan,
  upgradeOptions: [plus15, unlimited10],
};
/** 10:00 in New York on 22 April: 21 days 10 hours into a 30-day period, 9 days (rounded up) left. */
const APRIL_22 = "2026-04-22T14:00:00Z";

const closed = (start: string, end: string, usedMb: number): UsagePeriod => ({
  start,
  end,
  usedMb,
  limitMb: 5120,
  overagePricePerGb: 10,
  currency: "USD",
  at: `${end}T12:00:00Z`,
});
/** Over in January (3 GB: 30 USD) and March (3.4 GB: 34 USD), within in February: 21.33 USD a month. */
const heavyHistory = [
  closed("2026-01-01", "2026-02-01", 8192),
  closed("2026-02-01", "2026-03-01", 4000),
  closed("2026-03-01", "2026-04-01", 8601.6),
];
/** Never over. */
const lightHistory = [
  closed("2026-01-01", "2026-02-01", 3900),
  closed("2026-02-01", "2026-03-01", 4400),
  closed("2026-03-01", "2026-04-01", 5000),
];

function decide(overrides: Partial<Omit<AlertInput, "update">> & { update?: Partial<UsageUpdate> } = {}) {
  const { update, ...rest } = overrides;
  return decideAlert({
    occurredAt: APRIL_22,
    timeZone: "America/New_York",
    history: heavyHistory,
    reach: { channel: "sms", marketingConsent: true },
    ...rest,
    update: { ...april, ...update },
  });
}

describe("data-usage decision (pure)", () => {
  it("suggests the cheapest upgrade that pays off to a consenting heavy user, reasons in order", () => {
    const decision = decide();
    expect(decision).toEqual({
      alert: true,
      recommendation: "upgrade",
      periodEnded: false,
      vars: {
        usedPercent: 82,
        daysLeft: 9,
        // 4198.4 MB × 30 days ÷ 21 days 10 h = 5881 MB; 761 MB over at 10 USD per 1024 MB.
        projectedUsageMb: 5881,
        projectedOverageMb: 761,
        projectedOverageCost: 7.43,
        overagePricePerGb: 10,
        currency: "USD",
        recommendation: "upgrade",
        upgradePlanId: "us-unlimited-10",
        // (30 + 0 + 34) ÷ 3 = 21.33 average overage, minus 15 more per month.
        monthlySaving: 6.33,
      },
      why: [
        "used 4.1 GB of 5 GB (82 %) with 9 of 30 days left",
        "projected 5.7 GB of 5 GB → 0.7 GB over at 10 USD/GB ≈ 7.43 USD",
        "over the limit in 2 of the last 3 months: 21.33 USD average overage",
        "upgrade to Unlimited 10 costs 15 USD more per month, less than the 21.33 USD average overage → " +
          "suggest upgrading (marketing: consented by SMS)",
      ],
    });
  });

  it("the same heavy user without marketing consent on their channel is told to stay", () => {
    const decision = decide({ reach: { channel: "sms", marketingConsent: false } });
    expect(decision.alert).toBe(true);
    expect(decision.recommendation).toBe("stay");
    expect(decision.vars.recommendation).toBe("stay");
    expect(decision.vars).not.toHaveProperty("upgradePlanId");
    expect(decision.vars).not.toHaveProperty("monthlySaving");
    expect(decision.vars.overagePricePerGb).toBe(10);
    expect(decision.why.at(-1)).toBe(
      "upgrade to Unlimited 10 costs 15 USD more per month, less than the 21.33 USD average overage, but " +
        "suggesting it is marketing and there is no marketing consent by SMS → advise staying",
    );
    const unreachable = decide({ reach: { channel: undefined, marketingConsent: false } });
    expect(unreachable.recommendation).toBe("stay");
  });

  it("a light user never gets an upgrade push, even with consent and a cheap upgrade on offer", () => {
    const cheap = { ...unlimited10, monthlyPrice: 36 };
    const decision = decide({ history: lightHistory, update: { upgradeOptions: [cheap] } });
    expect(decision.recommendation).toBe("stay"); // this month's projection goes over
    expect(decision.why[2]).toBe(
      "over the limit in 0 of the last 3 months: an upgrade would not pay off → advise staying",
    );
    // One month over out of three is not enough either.
    const once = [lightHistory[0]!, lightHistory[1]!, heavyHistory[2]!];
    expect(decide({ history: once, update: { upgradeOptions: [cheap] } }).why[2]).toBe(
      "over the limit in 1 of the last 3 months: an upgrade would not pay off → advise staying",
    );
  });

  it("a projection within the limit advises nothing, and still states the overage price", () => {
    // 4198.4 MB with 2 days left of 30: the pace stays under 5 GB.
    const decision = decide({ history: lightHistory, occurredAt: "2026-04-29T14:00:00Z" });
    expect(decision).toMatchObject({
      alert: true,
      recommendation: "none",
      vars: {
        daysLeft: 2,
        projectedOverageMb: 0,
        projectedOverageCost: 0,
        overagePricePerGb: 10,
        currency: "USD",
        recommendation: "none",
      },
    });
    expect(decision.why[1]).toBe(
      "projected 4.3 GB of 5 GB → within the limit (extra data would cost 10 USD/GB)",
    );
    expect(decision.why[2]).toBe(
      "over the limit in 0 of the last 3 months: an upgrade would not pay off → no plan change needed",
    );
  });

  it("below 80 % there is no alert", () => {
    const decision = decide({ update: { usedMb: 4095 } }); // 79.98 %
    expect(decision).toMatchObject({ alert: false, recommendation: "none", periodEnded: false });
    expect(decision.why).toEqual([
      "used 4 GB of 5 GB (79 %) with 9 of 30 days left",
      "below the 80 % alert threshold → no alert",
    ]);
    expect(decide({ update: { usedMb: 4096 } }).alert).toBe(true); // exactly 80 %
  });

  it("an update for a period that has already ended only feeds the history", () => {
    const decision = decide({ occurredAt: "2026-05-01T04:00:00Z", update: { usedMb: 6000 } });
    expect(decision).toMatchObject({ alert: false, recommendation: "none", periodEnded: true });
    expect(decision.why[1]).toContain("after the period ended: they only feed the usage history → no alert");
  });

  it("reads bare-date periods as midnight in the customer's zone (Asia/Seoul)", () => {
    const seoul = (occurredAt: string, usedMb = 4300) =>
      decide({
        timeZone: "Asia/Seoul",
        occurredAt,
        history: [],
        update: {
          periodStart: "2026-03-01",
          periodEnd: "2026-04-01",
          usedMb,
          overagePricePerGb: 11000,
          currency: "KRW",
        },
      });
    // 23:30 on 31 March in Seoul (14:30Z): half an hour left, so 1 day.
    expect(seoul("2026-03-31T14:30:00Z")).toMatchObject({ alert: true, vars: { daysLeft: 1 } });
    // 00:30 on 1 April in Seoul is 15:30Z on 31 March: over in Seoul, though not yet in UTC.
    expect(seoul("2026-03-31T15:30:00Z")).toMatchObject({ alert: false, periodEnded: true });
    // 12:00 on 21 March in Seoul: 20 days 12 h of 31 days elapsed since 00:00 KST on 1 March.
    const midMonth = seoul("2026-03-21T03:00:00Z", 4200);
    expect(midMonth.vars).toMatchObject({ daysLeft: 11, projectedUsageMb: Math.round((4200 * 31) / 20.5) });
    expect(midMonth.why[0]).toBe("used 4.1 GB of 5 GB (82 %) with 11 of 31 days left");
  });

  it("fewer than 3 closed periods known: no upgrade, however heavy", () => {
    const decision = decide({ history: heavyHistory.slice(0, 2).map((p) => ({ ...p, usedMb: 9000 })) });
    expect(decision.recommendation).toBe("stay");
    expect(decision.why[2]).toBe(
      "only 2 closed months on record, 3 needed to judge an upgrade → advise staying",
    );
    expect(decide({ history: [] }).why[2]).toBe(
      "no closed month on record, 3 needed to judge an upgrade → advise staying",
    );
  });

  it("only periods that closed before this one started count (the open period is not history)", () => {
    const withOpen = [...heavyHistory.slice(1), closed("2026-04-01", "2026-05-01", 9000)];
    expect(decide({ history: withOpen }).recommendation).toBe("stay");
  });

  it("an upgrade that is not cheaper than the average overage: stay", () => {
    const decision = decide({ update: { upgradeOptions: [plus15] } });
    expect(decision.recommendation).toBe("stay");
    expect(decision.why.slice(2)).toEqual([
      "over the limit in 2 of the last 3 months: 21.33 USD average overage",
      "the cheapest upgrade, Plus 15, costs 25 USD more per month, not less than the 21.33 USD average " +
        "overage → advise staying",
    ]);
    // Equal to the average does not pay off either.
    const atAverage = { ...unlimited10, monthlyPrice: 56.33 };
    expect(decide({ update: { upgradeOptions: [atAverage] } }).recommendation).toBe("stay");
    // No upgrade options at all, or none with more data than today's plan.
    expect(decide({ update: { upgradeOptions: undefined } }).recommendation).toBe("stay");
    const smaller = { ...unlimited10, monthlyPrice: 36, limitMb: 3072 };
    expect(decide({ update: { upgradeOptions: [smaller] } }).recommendation).toBe("stay");
  });

  it("the anti-pattern: 3 days before reset, a customer who never goes over gets no upgrade push", () => {
    const decision = decide({
      history: lightHistory,
      occurredAt: "2026-04-28T14:00:00Z",
      update: { usedMb: 4300, upgradeOptions: [{ ...unlimited10, monthlyPrice: 36 }] },
    });
    expect(decision).toMatchObject({ alert: true, recommendation: "none", vars: { daysLeft: 3 } });
    expect(decision.vars).not.toHaveProperty("upgradePlanId");
    expect(decision.vars.overagePricePerGb).toBe(10);
    expect(decision.why.join("\n")).toContain("10 USD/GB");
  });
});

describe("data-usage.alert calculator (scope → decision)", () => {
  const scope = (profile: Record<string, unknown>, consent: Record<string, boolean>, optOuts = {}) => ({
    event: { customerId: "cust-us-1", ...april, eventId: "e-1", occurredAt: APRIL_22 },
    vars: {},
    customer: { profile, consent, usage: heavyHistory, optOuts },
  });
  const contact = { phone: "+12125550123", email: "jane@example.com", timeZone: "America/New_York" };

  it("judges consent on the channel the customer would be reached on: the preferred one", () => {
    const bySms = dataUsageAlert(scope({ ...contact, preferredChannel: "sms" }, { marketingEmail: true }));
    expect(bySms).toMatchObject({ alert: true, recommendation: "stay" });
    expect((bySms.why as string[]).at(-1)).toContain("no marketing consent by SMS");
    const byEmail = dataUsageAlert(
      scope({ ...contact, preferredChannel: "email" }, { marketingEmail: true }),
    );
    expect(byEmail).toMatchObject({ recommendation: "upgrade", vars: { upgradePlanId: "us-unlimited-10" } });
    expect((byEmail.why as string[]).at(-1)).toContain("(marketing: consented by email)");
  });

  it("falls back to the other channel when the preferred one is opted out or has no contact point", () => {
    const optedOut = scope(
      { ...contact, preferredChannel: "sms" },
      { marketingEmail: true },
      {
        sms: "2026-02-01T00:00:00Z",
      },
    );
    expect(dataUsageAlert(optedOut)).toMatchObject({ recommendation: "upgrade" });
    const noPhone = scope({ email: contact.email, preferredChannel: "sms" }, { marketingEmail: true });
    expect(dataUsageAlert(noPhone)).toMatchObject({ recommendation: "upgrade" });
    const unreachable = scope({ preferredChannel: "sms" }, { marketingSms: true, marketingEmail: true });
    expect(dataUsageAlert(unreachable)).toMatchObject({ recommendation: "stay" });
  });

  it("uses the locale's zone when the profile has none (ko-KR → Asia/Seoul)", () => {
    const late = {
      ...scope({ locale: "ko-KR", phone: "+821012345678" }, {}),
      event: {
        customerId: "cust-kr-1",
        ...april,
        periodStart: "2026-03-01",
        periodEnd: "2026-04-01",
        occurredAt: "2026-03-31T15:30:00Z", // 00:30 on 1 April in Seoul
      },
    };
    expect(dataUsageAlert(late)).toMatchObject({ alert: false, periodEnded: true });
  });

  it("refuses a scope that holds no DataUsageUpdated", () => {
    expect(() => dataUsageAlert({ event: { customerId: "c" }, customer: {} })).toThrow(DataUsageScopeError);
  });
});

// Through the engine ---------------------------------------------------------------------------

function run(inputs: Array<[EngineInput, string]>, start?: CustomerState) {
  let state = start;
  const effects: Effect[] = [];
  for (const [input, now] of inputs) {
    const t = advance(state, input, new Date(now), dataUsageOnly);
    state = t.state;
    effects.push(...t.effects);
  }
  return { state: state!, effects };
}

const at = (time: string, input: EngineInput): [EngineInput, string] => [input, time];
const records = (effects: Effect[]) => effects.flatMap((e) => (e.type === "notify" ? [e.record] : []));
const completions = (effects: Effect[]) =>
  effects.flatMap((e) => (e.type === "emit" && e.detailType === "JourneyCompleted" ? [e.detail] : []));

function usage(customerId: string, time: string, detail: Partial<UsageUpdate>): [EngineInput, string] {
  return at(time, {
    kind: "event",
    event: customerEvent("DataUsageUpdated", { customerId, ...april, ...detail }, { time }),
  });
}

/** A New York customer and three closed months, each reported once shortly after it ended. */
function newYorkWithHistory(history: UsagePeriod[], consent: Record<string, boolean> = {}) {
  const c = newYorkCustomer;
  return run([
    at("2026-01-01T00:00:00Z", {
      kind: "event",
      event: customerEvent("CustomerProfileUpdated", { ...c, consent }, { time: "2026-01-01T00:00:00Z" }),
    }),
    ...history.map((period) =>
      usage(c.customerId, period.at, {
        periodStart: period.start,
        periodEnd: period.end,
        usedMb: period.usedMb,
      }),
    ),
  ]);
}

describe("data-usage journey in the pure engine", () => {
  it("updates for closed periods only feed the history: no alert, the instance ends at once", () => {
    const { state, effects } = newYorkWithHistory(heavyHistory, { marketingSms: true });
    expect(records(effects)).toEqual([]);
    expect(state.usage?.map((p) => [p.start, p.usedMb])).toEqual([
      ["2026-01-01", 8192],
      ["2026-02-01", 4000],
      ["2026-03-01", 8601.6],
    ]);
    expect(completions(effects).map((d) => [d.instanceId, d.outcome])).toEqual([
      ["data-usage#2026-01-01", "no-alert"],
      ["data-usage#2026-02-01", "no-alert"],
      ["data-usage#2026-03-01", "no-alert"],
    ]);
    expect(state.instances).toEqual([]);
  });

  it("a heavy user with SMS marketing consent gets the upgrade suggestion as marketing, with reasons", () => {
    const setup = newYorkWithHistory(heavyHistory, { marketingSms: true });
    const { state, effects } = run([usage("cust-us-1", APRIL_22, {})], setup.state);
    const [record, ...others] = records(effects);
    expect(others).toEqual([]);
    expect(record).toMatchObject({
      template: "data-usage.alert",
      journeyId: "data-usage",
      instanceId: "data-usage#2026-04-01",
      priority: "marketing",
      marketing: true,
      status: "sent",
      channel: "sms",
      locale: "en-US",
      vars: {
        usedPercent: 82,
        daysLeft: 9,
        projectedUsageMb: 5881,
        projectedOverageMb: 761,
        projectedOverageCost: 7.43,
        overagePricePerGb: 10,
        currency: "USD",
        recommendation: "upgrade",
        upgradePlanId: "us-unlimited-10",
        monthlySaving: 6.33,
      },
    });
    expect(record!.body).toContain("$10/GB");
    expect(record!.body).toContain("$6.33");
    expect(record!.body).toMatch(/Reply STOP to opt out$/);
    expect(record!.smsSegments).toBeLessThanOrEqual(3);
    expect(record!.why.slice(0, 5)).toEqual([
      "usage update of 2026-04-22T14:00:00Z for the billing period 2026-04-01 – 2026-05-01",
      "used 4.1 GB of 5 GB (82 %) with 9 of 30 days left",
      "projected 5.7 GB of 5 GB → 0.7 GB over at 10 USD/GB ≈ 7.43 USD",
      "over the limit in 2 of the last 3 months: 21.33 USD average overage",
      "upgrade to Unlimited 10 costs 15 USD more per month, less than the 21.33 USD average overage → " +
        "suggest upgrading (marketing: consented by SMS)",
    ]);
    expect(completions(effects)).toEqual([
      expect.objectContaining({ instanceId: "data-usage#2026-04-01", outcome: "upgrade-suggested" }),
    ]);
    expect(state.instances).toEqual([]);
  });

  it("the same heavy user without marketing consent gets a service alert that advises staying", () => {
    const setup = newYorkWithHistory(heavyHistory);
    const { effects } = run([usage("cust-us-1", APRIL_22, {})], setup.state);
    const [record] = records(effects);
    expect(record).toMatchObject({ priority: "service", status: "sent", vars: { recommendation: "stay" } });
    expect(record!.vars).not.toHaveProperty("upgradePlanId");
    expect(record).not.toHaveProperty("marketing");
    expect(record!.body).toContain("about $7.43 at $10/GB");
    expect(record!.body).toContain("No need to change your plan.");
    expect(record!.body).not.toContain("STOP");
  });

  it("a projection within the limit still alerts at 80 % and states the overage price", () => {
    const setup = newYorkWithHistory(lightHistory, { marketingSms: true });
    const { effects } = run([usage("cust-us-1", "2026-04-29T14:00:00Z", {})], setup.state);
    const [record] = records(effects);
    expect(record).toMatchObject({
      priority: "service",
      vars: { recommendation: "none", projectedOverageMb: 0 },
    });
    expect(record!.body).toContain("Extra data would cost $10/GB.");
  });

  it("below 80 % nothing is sent, and the period can still alert when a later update crosses 80 %", () => {
    const setup = newYorkWithHistory(heavyHistory);
    const early = run([usage("cust-us-1", "2026-04-15T14:00:00Z", { usedMb: 3000 })], setup.state);
    expect(records(early.effects)).toEqual([]);
    expect(early.state.instances).toEqual([
      expect.objectContaining({
        id: "data-usage#2026-04-01",
        state: expect.objectContaining({ status: "waiting-event", node: "await-update" }),
      }),
    ]);
    const later = run([usage("cust-us-1", APRIL_22, {})], early.state);
    expect(records(later.effects)).toEqual([
      expect.objectContaining({ template: "data-usage.alert", status: "sent", vars: expect.anything() }),
    ]);
    expect(later.effects).toContainEqual(expect.objectContaining({ type: "cancel" }));
  });

  it("a second update in the same period sends no second alert", () => {
    const setup = newYorkWithHistory(heavyHistory);
    const first = run([usage("cust-us-1", APRIL_22, {})], setup.state);
    expect(records(first.effects)).toHaveLength(1);
    const second = run([usage("cust-us-1", "2026-04-25T14:00:00Z", { usedMb: 5000 })], first.state);
    expect(records(second.effects)).toEqual([]);
    expect(second.state.instances).toEqual([]);
  });

  it("an update for a period that already ended feeds the history and sends nothing", () => {
    const setup = newYorkWithHistory(heavyHistory.slice(0, 2));
    // March's final figures arrive late, 2 hours into April in New York.
    const late = run(
      [
        usage("cust-us-1", "2026-04-01T06:00:00Z", {
          periodStart: "2026-03-01",
          periodEnd: "2026-04-01",
          usedMb: 6000,
        }),
      ],
      setup.state,
    );
    expect(records(late.effects)).toEqual([]);
    expect(late.state.usage?.at(-1)).toMatchObject({ start: "2026-03-01", usedMb: 6000 });
    expect(completions(late.effects)).toEqual([expect.objectContaining({ outcome: "no-alert" })]);
  });

  it("the next period's first update ends a period still waiting below 80 %", () => {
    const setup = newYorkWithHistory([]);
    const march = run(
      [
        usage("cust-us-1", "2026-03-20T14:00:00Z", {
          periodStart: "2026-03-01",
          periodEnd: "2026-04-01",
          usedMb: 1000,
        }),
      ],
      setup.state,
    );
    expect(march.state.instances.map((i) => i.id)).toEqual(["data-usage#2026-03-01"]);
    const april1 = run([usage("cust-us-1", "2026-04-02T14:00:00Z", { usedMb: 200 })], march.state);
    expect(completions(april1.effects)).toEqual([
      expect.objectContaining({ instanceId: "data-usage#2026-03-01", outcome: "period-over" }),
    ]);
    expect(april1.state.instances.map((i) => i.id)).toEqual(["data-usage#2026-04-01"]);
  });

  it("alerts a Seoul customer in Korean, with bare-date periods at midnight KST", () => {
    const c = seoulCustomer;
    const profile = at("2026-01-01T00:00:00Z", {
      kind: "event",
      event: customerEvent("CustomerProfileUpdated", { ...c }, { time: "2026-01-01T00:00:00Z" }),
    });
    const korean = { overagePricePerGb: 11000, currency: "KRW", plan: { ...plan, monthlyPrice: 49000 } };
    const { effects } = run([
      profile,
      // 12:00 KST on 21 March: 20.5 of 31 days elapsed since 00:00 KST on 1 March.
      usage(c.customerId, "2026-03-21T03:00:00Z", {
        ...korean,
        periodStart: "2026-03-01",
        periodEnd: "2026-04-01",
        usedMb: 4300,
        upgradeOptions: [],
      }),
    ]);
    const [record] = records(effects);
    expect(record).toMatchObject({
      locale: "ko-KR",
      priority: "service",
      channel: "sms",
      vars: { daysLeft: 11, currency: "KRW", overagePricePerGb: 11000, recommendation: "stay" },
    });
    expect(record!.body).toContain("1GB당 11,000원");
    expect(record!.smsSegments).toBeLessThanOrEqual(3);
  });
});
