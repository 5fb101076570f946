import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TestEventPatternCommand } from "@aws-sdk/client-eventbridge";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { LocalRuntime } from "../../infra/local/runtime.ts";
import { phone, seoulCustomer } from "../support/events.ts";
import { LocalApi } from "../support/local-api.ts";

let runtime: LocalRuntime;
let api: LocalApi;

beforeAll(async () => {
  runtime = await LocalRuntime.start({ port: 0, tickMs: 0 });
  api = new LocalApi(runtime.url);
});
afterAll(async () => {
  await runtime.stop();
});
beforeEach(async () => {
  const reset = await api.post("/reset");
  expect(reset.status, JSON.stringify(reset.body)).toBe(200);
  expect((await api.post("/clock", { set: "2026-03-01T00:00:00Z" })).status).toBe(200);
});

describe("the local runtime, through its HTTP API and the real EventBridgeClient", () => {
  it("runs post-purchase end to end on virtual time: tips at 10:00 KST on day 2, survey, detractor escalation", async () => {
    const c = seoulCustomer;
    const put = await api.put(
      { detailType: "CustomerProfileUpdated", detail: { ...c } },
      {
        detailType: "OrderPlaced",
        detail: { customerId: c.customerId, orderId: "kr-1", items: [phone], currency: "KRW" },
      },
    );
    expect(put.FailedEntryCount).toBe(0);
    expect((await api.post("/clock", { set: "2026-03-04T05:00:00Z" })).status).toBe(200);
    await api.put({ detailType: "OrderDelivered", detail: { customerId: c.customerId, orderId: "kr-1" } });

    // An event put without Time is stamped with the virtual clock.
    const events = await api.events();
    expect(events.findLast((e) => e["detail-type"] === "OrderDelivered")).toMatchObject({
      time: "2026-03-04T05:00:00Z",
    });

    const clock = await api.post<{ now: string; pendingTimers: number }>("/clock", { advance: "P2D" });
    expect(clock.body).toEqual({ now: "2026-03-06T05:00:00.000Z", pendingTimers: 1 });
    const [tips] = await api.outbox();
    expect(tips).toMatchObject({
      customerId: c.customerId,
      channel: "sms",
      to: "+821012345678",
      template: "post-purchase.tips",
      locale: "ko-KR",
      priority: "service",
      journeyId: "post-purchase",
      status: "sent",
      at: "2026-03-06T01:00:00.000Z",
      vars: { orderId: "kr-1", name: "김지우" },
    });
    expect(tips!.smsSegments).toBeGreaterThanOrEqual(1);
    expect(tips!.why.length).toBeGreaterThan(1);

    await api.post("/clock", { set: "2026-03-18T02:00:00Z" });
    const survey = (await api.outbox()).find((n) => n.template === "post-purchase.nps-survey")!;
    expect(survey.at).toBe("2026-03-18T01:00:00.000Z");
    await api.put({
      detailType: "SurveyResponded",
      detail: { customerId: c.customerId, surveyId: survey.vars.surveyId, score: 1, comment: "너무 느려요" },
    });
    const outbox = await api.outbox();
    expect(outbox.map((n) => n.template)).toEqual([
      "post-purchase.tips",
      "post-purchase.nps-survey",
      "post-purchase.detractor-followup",
    ]);
    const escalation = (await api.events()).find((e) => e["detail-type"] === "AgentEscalationRequested");
    expect(escalation).toMatchObject({
      source: "waymark",
      detail: { customerId: c.customerId, context: { survey: { score: 1 }, order: { orderId: "kr-1" } } },
    });

    const customer = await api.get<Record<string, unknown>>(`/customers/${c.customerId}`);
    expect(customer.status).toBe(200);
    expect(customer.body).toMatchObject({
      customerId: c.customerId,
      profile: { name: "김지우" },
      instances: [],
    });
    expect(JSON.stringify(customer.body.timeline)).toContain("answered survey");
    expect(await api.get(`/customers/nobody`)).toMatchObject({ status: 404 });
  });

  it("keeps a rejected event with its reason, and nothing else happens", async () => {
    await api.put({ detailType: "SurveyResponded", detail: { customerId: "x-1", surveyId: "s", score: 42 } });
    const rejected = await api.get<{ rejected: { reason: string; event: Record<string, unknown> }[] }>(
      "/rejected",
    );
    expect(rejected.body.rejected).toEqual([
      expect.objectContaining({
        reason: expect.stringContaining("detail.score"),
        event: expect.objectContaining({ "detail-type": "SurveyResponded" }),
      }),
    ]);
    expect(await api.outbox()).toEqual([]);
    expect(await api.get("/customers/x-1")).toMatchObject({ status: 404 });
  });

  it("answers PutEvents entry by entry, as EventBridge does", async () => {
    const result = await api.eventBridge.send(
      new (await import("@aws-sdk/client-eventbridge")).PutEventsCommand({
        Entries: [
          {
            Source: "shop",
            DetailType: "OrderReturned",
            Detail: JSON.stringify({ customerId: "c", orderId: "o" }),
          },
          { Source: "shop", DetailType: "OrderReturned", Detail: "not json" },
        ],
      }),
    );
    expect(result.FailedEntryCount).toBe(1);
    expect(result.Entries![0]!.EventId).toBeDefined();
    expect(result.Entries![1]).toMatchObject({ ErrorCode: "MalformedDetail" });
  });

  it("TestEventPattern uses the same matcher as routing, and rejects an invalid pattern", async () => {
    const event = JSON.stringify({
      id: "1",
      source: "shop.orders",
      "detail-type": "OrderPlaced",
      account: "1",
      region: "us-east-1",
      time: "2026-01-01T00:00:00Z",
      detail: { total: 120 },
    });
    const hit = await api.eventBridge.send(
      new TestEventPatternCommand({
        Event: event,
        EventPattern: JSON.stringify({ detail: { total: [{ numeric: [">", 100] }] } }),
      }),
    );
    expect(hit.Result).toBe(true);
    const miss = await api.eventBridge.send(
      new TestEventPatternCommand({
        Event: event,
        EventPattern: JSON.stringify({ source: [{ prefix: "billing." }] }),
      }),
    );
    expect(miss.Result).toBe(false);
    await expect(
      api.eventBridge.send(
        new TestEventPatternCommand({
          Event: event,
          EventPattern: JSON.stringify({ source: "not-an-array" }),
        }),
      ),
    ).rejects.toMatchObject({ name: "InvalidEventPatternException" });
  });

  it("fires due timers in order as the clock moves, and only goes back in time when none is pending", async () => {
    await api.put(
      {
        detailType: "CustomerProfileUpdated",
        detail: { customerId: "t-1", phone: "+12125550100", timeZone: "America/New_York" },
      },
      { detailType: "OrderDelivered", detail: { customerId: "t-1", orderId: "a" } },
      {
        detailType: "OrderDelivered",
        detail: { customerId: "t-1", orderId: "b", deliveredAt: "2026-02-27T12:00:00Z" },
      },
    );
    expect((await api.get<{ pendingTimers: number }>("/clock")).body.pendingTimers).toBe(2);
    expect((await api.post("/clock", { set: "2026-01-01T00:00:00Z" })).status).toBe(409);
    await api.post("/clock", { advance: "P3D" });
    const outbox = await api.outbox();
    const sent = outbox.map((n) => [n.vars.orderId, n.at]);
    expect(sent).toEqual([
      ["b", "2026-03-01T15:00:00.000Z"],
      ["a", "2026-03-02T15:00:00.000Z"],
    ]);
    await api.post("/reset");
    expect((await api.post("/clock", { set: "2026-01-01T00:00:00Z" })).status).toBe(200);
    expect((await api.post("/clock", { advance: "two days" })).status).toBe(400);
  });

  it("fires hundreds of pending timers in due order without listing them again per fire", async () => {
    const customers = 120;
    const entries = [];
    for (let n = 0; n < customers; n++) {
      const customerId = `many-${String(n).padStart(3, "0")}`;
      // Deliveries spread over the day before, in an order unlike the customers' ids.
      const minute = (n * 37) % customers;
      const deliveredAt = new Date(Date.UTC(2026, 1, 27, 0, minute)).toISOString();
      entries.push(
        {
          detailType: "CustomerProfileUpdated",
          detail: { customerId, phone: "+12125550100", timeZone: "UTC" },
        },
        { detailType: "OrderDelivered", detail: { customerId, orderId: `o-${n}`, deliveredAt } },
      );
    }
    for (let i = 0; i < entries.length; i += 10) await api.put(...(entries.slice(i, i + 10) as never[]));
    expect((await api.get<{ pendingTimers: number }>("/clock")).body.pendingTimers).toBe(customers);
    const listed = vi.spyOn(runtime.state, "list");
    try {
      // Each tips timer fires and the survey's takes its place.
      const moved = await api.post<{ pendingTimers: number }>("/clock", { advance: "P5D" });
      expect(moved.body.pendingTimers).toBe(customers);
      expect(listed.mock.calls.filter(([log]) => log === "TIMER")).toEqual([]);
    } finally {
      listed.mockRestore();
    }
    const sent = (await api.outbox()).filter((n) => n.template === "post-purchase.tips");
    expect(sent).toHaveLength(customers);
    const times = sent.map((n) => n.at);
    expect(times).toEqual([...times].sort());
  }, 120_000);

  it("with --data, state and pending timers survive a restart", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "waymark-data-"));
    try {
      const first = await LocalRuntime.start({ port: 0, tickMs: 0, dataDir });
      const one = new LocalApi(first.url);
      await one.post("/clock", { set: "2026-03-01T00:00:00Z" });
      await one.put(
        {
          detailType: "CustomerProfileUpdated",
          detail: { customerId: "disk-1", phone: "+12125550101", timeZone: "America/New_York" },
        },
        { detailType: "OrderDelivered", detail: { customerId: "disk-1", orderId: "d" } },
      );
      await one.get("/outbox");
      await first.stop();

      const second = await LocalRuntime.start({ port: 0, tickMs: 0, dataDir });
      const two = new LocalApi(second.url);
      expect((await two.get("/customers/disk-1")).status).toBe(200);
      await two.post("/clock", { set: "2026-03-01T00:00:00Z" });
      await two.post("/clock", { advance: "P3D" });
      expect((await two.outbox()).map((n) => n.template)).toEqual(["post-purchase.tips"]);
      expect((await two.events()).length).toBeGreaterThanOrEqual(2);
      await second.stop();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
