import { describe, expect, it } from "vitest";
import type { CustomerState } from "../../../functions/core/customer-state.ts";
import type { Effect } from "../../../functions/core/effects.ts";
import { advance, type EngineInput } from "../../../functions/core/engine.ts";
import type { NotificationRecord } from "../../../functions/core/notification.ts";
import { postPurchaseOnly } from "../../support/catalogs.ts";
import { customerEvent, phone } from "../../support/events.ts";

/**
 * The guardrails as journeys meet them: every message goes through the one policy inside the
 * engine, whichever journey asks. Here: review requests (marketing) from post-purchase.
 */
class Customer {
  state: CustomerState | undefined;
  readonly records: NotificationRecord[] = [];
  readonly timers: { timerId: string; dueAt: string }[] = [];

  readonly customerId: string;

  constructor(customerId: string) {
    this.customerId = customerId;
  }

  step(input: EngineInput, now: string): Effect[] {
    const t = advance(this.state, input, new Date(now), postPurchaseOnly);
    this.state = t.state;
    for (const e of t.effects) {
      if (e.type === "notify") this.records.push(e.record);
      if (e.type === "schedule") this.timers.push({ timerId: e.timerId, dueAt: e.dueAt });
      if (e.type === "cancel")
        this.timers.splice(
          this.timers.findIndex((x) => x.timerId === e.timerId),
          1,
        );
    }
    return t.effects;
  }

  event(type: Parameters<typeof customerEvent>[0], detail: Record<string, unknown>, at: string): Effect[] {
    return this.step(
      { kind: "event", event: customerEvent(type, { customerId: this.customerId, ...detail }, { time: at }) },
      at,
    );
  }

  /** Fires every timer due up to `until`, in order. */
  runUntil(until: string): void {
    for (;;) {
      const due = this.timers
        .filter((t) => t.dueAt <= new Date(until).toISOString())
        .sort((a, b) => a.dueAt.localeCompare(b.dueAt))[0];
      if (!due) return;
      this.timers.splice(this.timers.indexOf(due), 1);
      this.step({ kind: "timer", customerId: this.customerId, ...due }, due.dueAt);
    }
  }

  /** Order delivered → tips → survey; returns the survey id. */
  surveyed(orderId: string, deliveredAt: string, surveyDue: string): string {
    this.event("OrderPlaced", { orderId, items: [phone], currency: "KRW" }, deliveredAt);
    this.event("OrderDelivered", { orderId }, deliveredAt);
    this.runUntil(surveyDue);
    const survey = this.records.filter((r) => r.template === "post-purchase.nps-survey").at(-1)!;
    return survey.vars.surveyId as string;
  }
}

const seoulProfile = (consent: Record<string, boolean>) => ({
  name: "이서연",
  locale: "ko-KR",
  timeZone: "Asia/Seoul",
  phone: "+821055554444",
  preferredChannel: "sms",
  consent,
});

describe("guardrails inside journeys", () => {
  it("a marketing message at 22:30 local is deferred to 08:00, then sent with its why", () => {
    const c = new Customer("g-1");
    c.event("CustomerProfileUpdated", seoulProfile({ marketingSms: true }), "2026-06-01T00:00:00Z");
    const surveyId = c.surveyed("o-1", "2026-06-01T03:00:00Z", "2026-06-15T01:00:00Z");
    c.event("SurveyResponded", { surveyId, score: 10 }, "2026-06-15T13:30:00Z"); // 22:30 KST
    const review = c.records.filter((r) => r.template === "post-purchase.review-request");
    expect(review).toEqual([
      expect.objectContaining({ status: "deferred", deferredUntil: "2026-06-15T23:00:00.000Z" }),
    ]);
    c.runUntil("2026-06-16T00:00:00Z");
    const after = c.records.filter((r) => r.template === "post-purchase.review-request");
    expect(after.map((r) => r.status)).toEqual(["deferred", "sent"]);
    expect(after[1]!.at).toBe("2026-06-15T23:00:00.000Z");
    expect(after[1]!.body!.startsWith("(광고)")).toBe(true);
    expect(after[1]!.why).toEqual(expect.arrayContaining([expect.stringContaining("promoter")]));
  });

  it("night-time marketing consent lets it through at 22:30", () => {
    // (g-2 would be in post-purchase's 10 % holdout, which suppresses every message: see engine-measurement.)
    const c = new Customer("g-2b");
    c.event(
      "CustomerProfileUpdated",
      seoulProfile({ marketingSms: true, nightTimeMarketing: true }),
      "2026-06-01T00:00:00Z",
    );
    const surveyId = c.surveyed("o-1", "2026-06-01T03:00:00Z", "2026-06-15T01:00:00Z");
    c.event("SurveyResponded", { surveyId, score: 9 }, "2026-06-15T13:30:00Z");
    expect(c.records.filter((r) => r.template === "post-purchase.review-request")).toEqual([
      expect.objectContaining({ status: "sent", at: "2026-06-15T13:30:00.000Z" }),
    ]);
  });

  it("a second marketing message the same local day is suppressed frequency-cap, across journeys", () => {
    const c = new Customer("g-3");
    c.event("CustomerProfileUpdated", seoulProfile({ marketingSms: true }), "2026-06-01T00:00:00Z");
    const first = c.surveyed("o-1", "2026-06-01T03:00:00Z", "2026-06-15T01:00:00Z");
    const second = c.surveyed("o-2", "2026-06-01T04:00:00Z", "2026-06-15T01:00:00Z");
    c.event("SurveyResponded", { surveyId: first, score: 10 }, "2026-06-15T02:00:00Z");
    c.event("SurveyResponded", { surveyId: second, score: 10 }, "2026-06-15T03:00:00Z");
    const reviews = c.records.filter((r) => r.template === "post-purchase.review-request");
    expect(reviews.map((r) => [r.instanceId, r.status, r.reason])).toEqual([
      ["post-purchase#o-1", "sent", undefined],
      ["post-purchase#o-2", "suppressed", "frequency-cap"],
    ]);
  });

  it("marketing without consent is suppressed no-consent, and the why says why", () => {
    const c = new Customer("g-4");
    c.event("CustomerProfileUpdated", seoulProfile({}), "2026-06-01T00:00:00Z");
    const surveyId = c.surveyed("o-1", "2026-06-01T03:00:00Z", "2026-06-15T01:00:00Z");
    c.event("SurveyResponded", { surveyId, score: 10 }, "2026-06-15T02:00:00Z");
    const [review] = c.records.filter((r) => r.template === "post-purchase.review-request");
    expect(review).toMatchObject({ status: "suppressed", reason: "no-consent" });
    expect(review!.why.join(" | ")).toMatch(/sms: no marketing consent/);
  });

  it("a survey answered from the unknown-id fallback goes to the most recently surveyed open instance", () => {
    const c = new Customer("g-5");
    c.event("CustomerProfileUpdated", seoulProfile({}), "2026-06-01T00:00:00Z");
    c.surveyed("o-old", "2026-06-01T03:00:00Z", "2026-06-15T01:00:00Z");
    c.surveyed("o-new", "2026-06-03T03:00:00Z", "2026-06-17T01:00:00Z");
    c.event("SurveyResponded", { surveyId: "from-a-paper-card", score: 2 }, "2026-06-17T02:00:00Z");
    const followups = c.records.filter((r) => r.template === "post-purchase.detractor-followup");
    expect(followups.map((r) => r.instanceId)).toEqual(["post-purchase#o-new"]);
    expect(c.state!.instances.map((i) => i.id)).toEqual(["post-purchase#o-old"]);
  });
});

describe("producer clocks (issue: frozen consent)", () => {
  it("a patch dated far in the future is taken as now, so later changes and an unsubscribe still apply", () => {
    const customerId = "clock-1";
    const at = (time: string) => new Date(time);
    const patch = (detail: Record<string, unknown>, time: string, occurredAt?: string) =>
      customerEvent(
        "CustomerProfileUpdated",
        { customerId, ...detail, ...(occurredAt ? { occurredAt } : {}) },
        { time },
      );
    const first = advance(
      undefined,
      {
        kind: "event",
        event: patch(
          { phone: "+12125550100", consent: { marketingSms: true } },
          "2026-06-01T00:00:00Z",
          "2099-01-01T00:00:00Z",
        ),
      },
      at("2026-06-01T00:00:00Z"),
      postPurchaseOnly,
    );
    expect(first.state.fieldTimes.phone).toBe("2026-06-01T00:00:00.000Z");
    expect(first.state.timeline.map((t) => t.summary)).toContain(
      "occurredAt 2099-01-01T00:00:00Z is in the future (beyond 5 min of skew): taken as now",
    );
    const later = advance(
      first.state,
      {
        kind: "event",
        event: patch({ phone: "+12125550199", consent: { marketingSms: false } }, "2026-06-02T00:00:00Z"),
      },
      at("2026-06-02T00:00:00Z"),
      postPurchaseOnly,
    );
    expect(later.state.profile.phone).toBe("+12125550199");
    expect(later.state.consent.marketingSms).toBe(false);
    // A few minutes of producer skew is normal and kept as given.
    const skewed = advance(
      undefined,
      { kind: "event", event: patch({ name: "A" }, "2026-06-01T00:00:00Z", "2026-06-01T00:03:00Z") },
      at("2026-06-01T00:00:00Z"),
      postPurchaseOnly,
    );
    expect(skewed.state.fieldTimes.name).toBe("2026-06-01T00:03:00Z");
  });
});

describe("text from events in messages (issue 9: content)", () => {
  it("strips control and bidi characters, withholds a name with a link or too long for a message, and says so in the why", () => {
    const customerId = "content-1";
    const now = new Date("2026-06-01T01:00:00Z"); // 10:00 in Seoul
    const profile = (name: string) =>
      advance(
        undefined,
        {
          kind: "event",
          event: customerEvent(
            "CustomerProfileUpdated",
            { customerId, name, locale: "en-US", timeZone: "Asia/Seoul", phone: "+821012345678" },
            { time: now.toISOString() },
          ),
        },
        now,
        postPurchaseOnly,
      ).state;
    const tipsFor = (name: string, productName = "Galaxy S26") => {
      let state = profile(name);
      const order = (type: "OrderPlaced" | "OrderDelivered", detail: Record<string, unknown>) => {
        state = advance(
          state,
          {
            kind: "event",
            event: customerEvent(
              type,
              { customerId, orderId: "o-1", ...detail },
              { time: now.toISOString() },
            ),
          },
          now,
          postPurchaseOnly,
        ).state;
      };
      order("OrderPlaced", { items: [{ ...phone, name: productName }], currency: "KRW" });
      order("OrderDelivered", {});
      const timer = state.instances[0]!.state.timer;
      const fired = advance(
        state,
        { kind: "timer", customerId, timerId: timer.id, dueAt: timer.dueAt },
        new Date(timer.dueAt),
        postPurchaseOnly,
      );
      const notify = fired.effects.find((e) => e.type === "notify");
      if (notify?.type !== "notify") throw new Error("no message");
      return notify.record;
    };

    const bidi = tipsFor("Jane\u202Egnp.exe\r\nBcc: x");
    expect(bidi.vars.name).toBe("Janegnp.exe Bcc: x");
    expect(bidi.body).not.toMatch(/[\u202E\r]/);

    const linked = tipsFor("Win a prize at https://evil.example/x");
    expect(linked.vars.name).toBeUndefined();
    expect(linked.body).toMatch(/^Hi there,/);
    expect(linked.why).toContain("name withheld from the message: it contains a link");

    const long = tipsFor("J".repeat(250)); // the contract allows 256
    expect(long.vars.name).toBeUndefined();
    expect(long.why).toContain("name withheld from the message: it is longer than 200 characters");

    const product = tipsFor("Jane", "Free gift: visit bit.ly/abc");
    expect(product.vars.products).toBeUndefined();
    expect(product.why).toContain("products withheld from the message: it contains a link");
  });
});
