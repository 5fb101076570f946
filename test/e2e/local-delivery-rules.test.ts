import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { referenceEvents } from "../../events/catalog.ts";
import { defineCatalog } from "../../events/define-catalog.ts";
import { defineJourney, ref } from "../../functions/core/journey/define-journey.ts";
import { defineTemplate } from "../../functions/core/journey/template.ts";
import { LocalRuntime } from "../../infra/local/runtime.ts";
import { newYorkCustomer, phone } from "../support/events.ts";
import { LocalApi } from "../support/local-api.ts";

/**
 * The delivery rules a team sets, through the whole local runtime (dynalite underneath): a fallback after a
 * permanent failure, a frequency rule scoped to a tag, and re-entry remembered in the customer's item past a
 * hundred completed instances.
 */
const note = (id: string, tags: string[]) =>
  defineTemplate({
    id,
    priority: "service",
    tags,
    locales: {
      "en-US": {
        sms: (v) => `${id} for order ${String(v.orderId)}`,
        email: { subject: () => id, body: (v) => `${id} for order ${String(v.orderId)}.` },
      },
      "ko-KR": {
        sms: (v) => `${id} 주문 ${String(v.orderId)}`,
        email: { subject: () => id, body: (v) => `${id} 주문 ${String(v.orderId)}.` },
      },
    },
  });

const oneSend = (id: string, event: "OrderPlaced" | "OrderDelivered", extra: Record<string, unknown> = {}) =>
  defineJourney({
    id,
    version: 1,
    description: `One ${id} message per order.`,
    entry: { event, key: ref("event.orderId"), capture: { orderId: ref("event.orderId") } },
    exitOn: [],
    start: "send",
    nodes: {
      send: {
        type: "send",
        template: `t.${id}`,
        priority: "service",
        vars: { orderId: ref("vars.orderId") },
        why: [`${id} for order {vars.orderId}`],
        next: "done",
        ...extra,
      } as never,
      done: { type: "exit", outcome: "sent" },
    },
  });

const catalog = defineCatalog({
  events: referenceEvents,
  journeys: [
    oneSend("receipt", "OrderPlaced", { channelOrder: ["sms"], fallback: true }),
    oneSend("survey", "OrderDelivered", { channelOrder: ["sms"] }),
    oneSend("tips", "OrderDelivered", { channelOrder: ["sms"] }),
    defineJourney({
      id: "returns",
      version: 1,
      description: "Entered again for the same order only a day after the last entry.",
      entry: {
        event: "OrderReturned",
        key: ref("event.orderId"),
        capture: {},
        reentry: { perKey: "again", interval: "P1D" },
      },
      exitOn: [],
      start: "done",
      nodes: { done: { type: "exit", outcome: "noted" } },
    }),
  ],
  templates: [note("t.receipt", ["receipts"]), note("t.survey", ["survey"]), note("t.tips", ["tips"])],
  delivery: {
    frequencyRules: [
      { id: "one-survey-a-month", limit: 1, window: { rollingDays: 30 }, priority: "service", tag: "survey" },
    ],
  },
});

const c = newYorkCustomer;
let runtime: LocalRuntime;
let api: LocalApi;

beforeAll(async () => {
  runtime = await LocalRuntime.start({ port: 0, tickMs: 0, catalog });
  api = new LocalApi(runtime.url);
});
afterAll(async () => {
  await runtime.stop();
});
beforeEach(async () => {
  expect((await api.post("/reset")).status).toBe(200);
  // 10:00 in New York.
  expect((await api.post("/clock", { set: "2026-06-10T14:00:00Z" })).status).toBe(200);
  await api.put({ detailType: "CustomerProfileUpdated", detail: { ...c } });
});

const sent = async (template: string) =>
  (await api.outbox()).filter((n) => n.status === "sent" && n.template === template);

describe("delivery rules the catalog sets, through the local runtime (issue 10)", () => {
  it("a permanent SMS failure falls back to one email, and both are recorded", async () => {
    await api.put({
      detailType: "OrderPlaced",
      detail: { customerId: c.customerId, orderId: "o-1", items: [phone], currency: "USD" },
    });
    const [sms] = await sent("t.receipt");
    expect(sms).toMatchObject({ channel: "sms" });
    // The provider reports the failure twice (at-least-once): still one fallback.
    for (let n = 0; n < 2; n++) {
      const failed = await api.post("/feedback", {
        notificationId: sms!.id,
        type: "failed",
        reason: "UNREACHABLE",
      });
      expect(failed.status).toBe(202);
    }
    const receipts = await sent("t.receipt");
    expect(receipts.map((n) => n.channel)).toEqual(["sms", "email"]);
    expect(receipts[1]!.why.join(" | ")).toContain("failed on sms (UNREACHABLE)");
    const feedback = (await api.events()).filter((e) => e["detail-type"] === "MessageFailed");
    expect(feedback).toHaveLength(2);
  });

  it("a frequency rule scoped to a tag caps only that tag", async () => {
    for (const [orderId, day] of [
      ["o-1", "2026-06-10"],
      ["o-2", "2026-06-20"],
    ] as const) {
      await api.post("/clock", { set: `${day}T15:00:00Z` });
      await api.put({ detailType: "OrderDelivered", detail: { customerId: c.customerId, orderId } });
    }
    expect((await sent("t.tips")).map((n) => n.vars.orderId)).toEqual(["o-1", "o-2"]);
    expect((await sent("t.survey")).map((n) => n.vars.orderId)).toEqual(["o-1"]);
    const capped = (await api.outbox()).find((n) => n.template === "t.survey" && n.status !== "sent");
    expect(capped).toMatchObject({ status: "suppressed", reason: "frequency-cap" });
    expect(capped!.why.join(" | ")).toContain("one-survey-a-month");
  });

  it("re-entry after an interval is exact past 100 completed instances, kept in the customer's item", async () => {
    const completions = async () =>
      (await api.events()).filter(
        (e) =>
          e["detail-type"] === "JourneyCompleted" &&
          (e.detail as { journeyId: string }).journeyId === "returns",
      ).length;
    const returned = () =>
      api.put({ detailType: "OrderReturned", detail: { customerId: c.customerId, orderId: "same" } });
    for (let n = 0; n < 101; n++) {
      if (n > 0) await api.post("/clock", { advance: "P1DT1M" });
      await returned();
    }
    expect(await completions()).toBe(101);
    // Twelve hours after the 101st entry the key may not enter again; a day after it, it may.
    await api.post("/clock", { advance: "PT12H" });
    await returned();
    expect(await completions()).toBe(101);
    await api.post("/clock", { advance: "PT12H1M" });
    await returned();
    expect(await completions()).toBe(102);
  }, 180_000);
});
