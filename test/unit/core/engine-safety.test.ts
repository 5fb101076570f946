import { describe, expect, it } from "vitest";
import { applyEventToContext as applyWith } from "../../../functions/core/customer-context.ts";
import { type CustomerState, emptyCustomerState } from "../../../functions/core/customer-state.ts";
import type { Effect } from "../../../functions/core/effects.ts";
import { advance, type EngineInput, type NoticeInput } from "../../../functions/core/engine.ts";
import { ownedAffectedModel, travelStatus } from "../../../functions/core/notice-eligibility.ts";
import type { NotificationRecord } from "../../../functions/core/notification.ts";
import { safetyJourneysOnly } from "../../support/catalogs.ts";
import { customerEvent, phone } from "../../support/events.ts";

/** The reference catalog's events say how each changes the customer context. */
const applyEventToContext = (state: CustomerState, event: Parameters<typeof applyWith>[1]) =>
  applyWith(state, event, safetyJourneysOnly);

const seoulHome = { lat: 37.5665, lon: 126.978, address: "Jung-gu, Seoul" };
const busan = { lat: 35.1796, lon: 129.0756 };

function customer(id: string, extra: Record<string, unknown> = {}): CustomerState {
  let state = emptyCustomerState(id, new Date("2026-06-01T00:00:00Z"));
  const apply = (
    type: Parameters<typeof customerEvent>[0],
    detail: Record<string, unknown>,
    time: string,
  ) => {
    state = applyEventToContext(state, customerEvent(type, { customerId: id, ...detail }, { time }));
  };
  apply(
    "CustomerProfileUpdated",
    {
      name: "지우",
      locale: "ko-KR",
      timeZone: "Asia/Seoul",
      phone: "+821012345678",
      email: "j@example.com",
      home: seoulHome,
      ...extra,
    },
    "2026-06-01T00:00:00Z",
  );
  apply("OrderPlaced", { orderId: "o-1", items: [phone], currency: "KRW" }, "2026-06-02T00:00:00Z");
  return state;
}

const recall = (eligible: boolean, severity = "critical"): NoticeInput => ({
  kind: "notice",
  customerId: "r-1",
  detailType: "ProductRecallIssued",
  noticeId: "RC-1",
  occurredAt: "2026-06-10T17:00:00Z",
  detail: {
    recallId: "RC-1",
    models: ["SM-S931"],
    severity,
    hazard: "battery may overheat",
    remedy: "replace",
    replacementSkus: ["SM-S936N"],
    eligible,
    model: "SM-S931",
    orderId: "o-1",
    fulfilment: {
      fulfilment: "store",
      replacementSku: "SM-S936N",
      storeId: "st-1",
      storeName: "Myeongdong",
      storeAddress: "14 Myeongdong-gil",
      distanceKm: 1.2,
      why: ["nearest store with SM-S936N in stock: Myeongdong, 1.2 km from home"],
    },
  },
});

function play(state: CustomerState, inputs: [EngineInput, string][]) {
  const records: NotificationRecord[] = [];
  const effects: Effect[] = [];
  let current = state;
  for (const [input, now] of inputs) {
    const t = advance(current, input, new Date(now), safetyJourneysOnly);
    current = t.state;
    effects.push(...t.effects);
    for (const e of t.effects) if (e.type === "notify") records.push(e.record);
  }
  return { state: current, records, effects };
}
const timerOf = (effects: Effect[], customerId: string) => {
  const s = effects.filter((e) => e.type === "schedule").at(-1);
  if (s?.type !== "schedule") throw new Error("no timer");
  return { kind: "timer" as const, customerId, timerId: s.timerId, dueAt: s.dueAt };
};

describe("product-recall in the engine", () => {
  it("a critical recall at 02:00 local goes at once on every contactable channel, naming the reserved store", () => {
    // 17:00Z = 02:00 in Seoul
    const { records } = play(customer("r-1"), [[recall(true), "2026-06-10T17:00:00Z"]]);
    expect(records.map((r) => [r.template, r.status, r.channel])).toEqual([
      ["product-recall.notice", "sent", "sms"],
      ["product-recall.notice", "sent", "email"],
    ]);
    expect(records[0]!.vars).toMatchObject({
      recallId: "RC-1",
      model: "SM-S931",
      replacementSku: "SM-S936N",
      fulfilment: "store",
      storeName: "Myeongdong",
      distanceKm: 1.2,
    });
    expect(records[0]!.body).toContain("Myeongdong");
    expect(records[0]!.why).toEqual(
      expect.arrayContaining([expect.stringContaining("nearest store with SM-S936N")]),
    );
  });

  it("one recall's events for two owners carry ids of their own: a consumer deduplicating by eventId keeps both (found by the fault suite)", () => {
    const completedId = (id: string) => {
      const first = play(customer(id), [[recall(true), "2026-06-10T03:00:00Z"]]);
      const r1 = play(first.state, [[timerOf(first.effects, id), "2026-06-17T03:00:00Z"]]);
      const r2 = play(r1.state, [[timerOf(r1.effects, id), "2026-06-24T03:00:00Z"]]);
      const completed = r2.effects.find((e) => e.type === "emit" && e.detailType === "JourneyCompleted");
      return completed?.type === "emit" ? completed.detail.eventId : undefined;
    };
    const [a, b] = [completedId("r-1"), completedId("r-2")];
    expect(a).toEqual(expect.any(String));
    expect(b).toEqual(expect.any(String));
    expect(a).not.toBe(b);
  });

  it("a high-severity recall at 02:00 waits for 08:00", () => {
    const { records } = play(customer("r-1"), [[recall(true, "high"), "2026-06-10T17:00:00Z"]]);
    expect(records).toEqual([
      expect.objectContaining({ status: "deferred", deferredUntil: "2026-06-10T23:00:00.000Z" }),
    ]);
  });

  it("reminds 7 and 14 days later, at most twice; RecallResolved stops the reminders", () => {
    const first = play(customer("r-1"), [[recall(true), "2026-06-10T03:00:00Z"]]);
    const r1 = play(first.state, [[timerOf(first.effects, "r-1"), "2026-06-17T03:00:00Z"]]);
    expect(r1.records.map((r) => r.template)).toEqual(["product-recall.reminder"]);
    const r2 = play(r1.state, [[timerOf(r1.effects, "r-1"), "2026-06-24T03:00:00Z"]]);
    expect(r2.records.map((r) => r.template)).toEqual(["product-recall.reminder"]);
    expect(r2.state.instances).toEqual([]);
    expect(r2.effects).toContainEqual(
      expect.objectContaining({
        detailType: "JourneyCompleted",
        detail: expect.objectContaining({ outcome: "reminders-sent" }),
      }),
    );

    const resolved = play(first.state, [
      [
        {
          kind: "event",
          event: customerEvent(
            "RecallResolved",
            { customerId: "r-1", recallId: "RC-1" },
            { time: "2026-06-12T00:00:00Z" },
          ),
        },
        "2026-06-12T00:00:00Z",
      ],
    ]);
    expect(resolved.state.instances).toEqual([]);
    expect(resolved.effects).toContainEqual(expect.objectContaining({ type: "cancel" }));
    const late = play(resolved.state, [[timerOf(first.effects, "r-1"), "2026-06-17T03:00:00Z"]]);
    expect(late.records).toEqual([]);
  });

  it("an owner the fan-out found but who is not eligible (returned, non-owner) gets nothing; a repeat notice changes nothing", () => {
    expect(play(customer("r-1"), [[recall(false), "2026-06-10T03:00:00Z"]]).records).toEqual([]);
    const once = advance(customer("r-1"), recall(true), new Date("2026-06-10T03:00:00Z"), safetyJourneysOnly);
    // Redelivered before anything else: a crash replay, the same message ids (the notifier's claims dedupe them).
    const replay = advance(once.state, recall(true), new Date("2026-06-10T03:05:00Z"), safetyJourneysOnly);
    expect(replay.outcome).toBe("replay");
    const ids = (t: typeof once) => t.effects.flatMap((e) => (e.type === "notify" ? [e.record.id] : []));
    expect(ids(replay)).toEqual(ids(once));
    // Redelivered later: nothing at all.
    const other = {
      kind: "event" as const,
      event: customerEvent("OrderReturned", { customerId: "r-1", orderId: "x" }),
    };
    const later = advance(
      advance(once.state, other, new Date("2026-06-10T04:00:00Z"), safetyJourneysOnly).state,
      recall(true),
      new Date("2026-06-10T05:00:00Z"),
      safetyJourneysOnly,
    );
    expect(later).toMatchObject({ outcome: "duplicate", effects: [] });
  });
});

describe("travel-restriction in the engine", () => {
  it("alerts by SMS first even when the customer prefers email", () => {
    const state = customer("t-1", { preferredChannel: "email" });
    const notice: NoticeInput = {
      kind: "notice",
      customerId: "t-1",
      detailType: "TravelRestrictionIssued",
      noticeId: "TR-1",
      occurredAt: "2026-06-10T03:00:00Z",
      detail: {
        restrictionId: "TR-1",
        models: ["SM-S931"],
        authority: "FAA",
        scope: "air-travel",
        effectiveAt: "2026-06-15T00:00:00Z",
        summary: "banned in cabin and hold",
        replacementSkus: ["SM-S936N"],
        eligible: true,
        model: "SM-S931",
        orderId: "o-1",
        travelWhy: ["last seen 325 km from home 3 h ago: travelling now"],
        fulfilment: {
          fulfilment: "ship",
          replacementSku: "SM-S936N",
          why: ["no store within 50 km has it: free delivery"],
        },
      },
    };
    const { records } = play(state, [[notice, "2026-06-10T03:00:00Z"]]);
    expect(records).toEqual([
      expect.objectContaining({ template: "travel-restriction.alert", channel: "sms", status: "sent" }),
    ]);
    expect(records[0]!.why.join(" | ")).toMatch(/FAA restricts the SM-S931.*travelling now.*free delivery/);
  });
});

describe("who a notice is for", () => {
  it("owners are customers with an order of the model, returned orders excluded", () => {
    const owner = customer("o-1");
    expect(ownedAffectedModel(owner, ["SM-S931"])).toEqual({ model: "SM-S931", orderId: "o-1" });
    expect(ownedAffectedModel(owner, ["SM-X000"])).toBeUndefined();
    const returned = applyEventToContext(
      owner,
      customerEvent("OrderReturned", { customerId: "o-1", orderId: "o-1" }),
    );
    expect(ownedAffectedModel(returned, ["SM-S931"])).toBeUndefined();
  });

  it("travelling now: seen ≥ 100 km from home within 48 h; a frequent traveller: away on ≥ 2 days in 60", () => {
    const at = (state: CustomerState, point: { lat: number; lon: number }, observedAt: string) =>
      applyEventToContext(
        state,
        customerEvent("CustomerLocationUpdated", { customerId: state.customerId, ...point, observedAt }),
      );
    const home = customer("x");
    expect(travelStatus(home, new Date("2026-06-10T00:00:00Z"))).toMatchObject({
      travelling: false,
      frequent: false,
    });
    const inBusan = at(home, busan, "2026-06-09T12:00:00Z");
    expect(travelStatus(inBusan, new Date("2026-06-10T00:00:00Z"))).toMatchObject({
      travelling: true,
      frequent: false,
    });
    expect(travelStatus(inBusan, new Date("2026-06-12T00:00:00Z")).travelling).toBe(false);
    const frequent = at(
      at(at(home, busan, "2026-05-01T03:00:00Z"), busan, "2026-05-20T03:00:00Z"),
      seoulHome,
      "2026-06-09T00:00:00Z",
    );
    expect(frequent.awayDays).toEqual(["2026-05-01", "2026-05-20"]);
    expect(travelStatus(frequent, new Date("2026-06-10T00:00:00Z"))).toMatchObject({
      travelling: false,
      frequent: true,
    });
    // the same two trips, 70 days later, no longer count
    expect(travelStatus(frequent, new Date("2026-07-25T00:00:00Z")).frequent).toBe(false);
  });
});
