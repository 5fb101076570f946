/**
 * The local API the console reads (docs/local-runtime.md): journeys with live counts, the catalog, the
 * customers, the next timers, rejected events and their replays, the change stream, and the console's page.
 * The runtime runs in-process; everything goes through HTTP and the real EventBridgeClient.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LocalRuntime } from "../../infra/local/runtime.ts";
import { LocalApi } from "../support/local-api.ts";
import { mina, playPostPurchaseDemo } from "../support/post-purchase-demo.ts";

let runtime: LocalRuntime;
let api: LocalApi;

interface JourneyJson {
  id: string;
  version: number;
  latest: boolean;
  start: string;
  entry: { event: string; when?: string };
  nodes: { id: string; type: string; summary: string; outcome?: string }[];
  edges: { from: string; to: string; kind: string; label: string }[];
  exitOn: { event: string; outcome: string }[];
  counts: {
    entered: number;
    active: number;
    nodes: Record<string, { waiting: number; reached: number }>;
    outcomes: Record<string, number>;
  };
  funnel: { node: string; reached: number; waiting: number }[];
}

beforeAll(async () => {
  runtime = await LocalRuntime.start({ port: 0, tickMs: 0 });
  api = new LocalApi(runtime.url);
  await playPostPurchaseDemo(runtime.url);
  await api.put({ detailType: "CustomerProfileUpdated", detail: mina });
  await api.put({
    detailType: "OrderDelivered",
    detail: { customerId: mina.customerId, orderId: "US-7" },
  });
});
afterAll(async () => {
  await runtime.stop();
});

describe("GET /journeys", () => {
  it("draws every journey version with the entry, labelled edges and exits", async () => {
    const { status, body } = await api.get<{ journeys: JourneyJson[] }>("/journeys");
    expect(status).toBe(200);
    expect(body.journeys.map((j) => `${j.id}@${j.version}`).sort()).toEqual(
      runtime.catalog.journeys.map((j) => `${j.id}@${j.version}`).sort(),
    );
    const journey = body.journeys.find((j) => j.id === "post-purchase")!;
    expect(journey).toMatchObject({
      latest: true,
      start: "wait-for-tips",
      entry: { event: "OrderDelivered", when: "no order.returnedAt" },
      exitOn: [{ event: "OrderReturned", outcome: "order-returned" }],
    });
    expect(journey.edges).toEqual(
      expect.arrayContaining([
        { from: "wait-for-tips", to: "send-tips", kind: "next", label: "" },
        { from: "await-answer", to: "score", kind: "event", label: "SurveyResponded" },
        { from: "await-answer", to: "no-answer", kind: "timeout", label: "timeout P7D" },
        { from: "score", to: "escalate", kind: "case", label: "vars.survey.score ≤ 6" },
        { from: "score", to: "ask-for-review", kind: "case", label: "vars.survey.score ≥ 9" },
        { from: "score", to: "passive", kind: "otherwise", label: "otherwise" },
      ]),
    );
    expect(journey.nodes.find((n) => n.id === "send-tips")).toEqual({
      id: "send-tips",
      type: "send",
      summary: "post-purchase.tips (service)",
    });
    expect(journey.nodes.find((n) => n.id === "done-detractor")).toMatchObject({
      outcome: "detractor-followed-up",
    });
  });

  it("counts where instances wait, what they reached and how they ended, and the funnel along the main path", async () => {
    const journey = (await api.get<{ journeys: JourneyJson[] }>("/journeys")).body.journeys.find(
      (j) => j.id === "post-purchase",
    )!;
    expect(journey.counts.entered).toBe(2);
    expect(journey.counts.active).toBe(1);
    expect(journey.counts.outcomes).toEqual({ "detractor-followed-up": 1 });
    const reached = Object.fromEntries(
      Object.entries(journey.counts.nodes).map(([id, c]) => [id, c.reached]),
    );
    expect(reached).toEqual({
      "wait-for-tips": 2,
      "send-tips": 1,
      "wait-for-survey": 1,
      "assign-survey": 1,
      "send-survey": 1,
      "await-answer": 1,
      score: 1,
      escalate: 1,
      "send-followup": 1,
      "ask-for-review": 0,
      passive: 0,
      "no-answer": 0,
      "done-detractor": 1,
      "done-promoter": 0,
    });
    expect(journey.counts.nodes["wait-for-tips"]!.waiting).toBe(1);
    expect(journey.funnel).toEqual([
      { node: "wait-for-tips", reached: 2, waiting: 1 },
      { node: "send-tips", reached: 1, waiting: 0 },
      { node: "wait-for-survey", reached: 1, waiting: 0 },
      { node: "send-survey", reached: 1, waiting: 0 },
      { node: "await-answer", reached: 1, waiting: 0 },
      { node: "escalate", reached: 1, waiting: 0 },
      { node: "send-followup", reached: 1, waiting: 0 },
      { node: "done-detractor", reached: 1, waiting: 0 },
    ]);
    const recall = (await api.get<{ journeys: JourneyJson[] }>("/journeys")).body.journeys.find(
      (j) => j.id === "product-recall",
    )!;
    expect(recall.counts).toMatchObject({ entered: 0, active: 0, outcomes: {} });
  });
});

describe("GET /catalog, /customers and /timers", () => {
  it("lists the catalog's events with samples and the JSON Schema of their detail", async () => {
    const { body } = await api.get<{
      events: {
        detailType: string;
        direction: string;
        samples: unknown[];
        schema: Record<string, unknown>;
      }[];
      templates: { id: string }[];
    }>("/catalog");
    const survey = body.events.find((e) => e.detailType === "SurveyResponded")!;
    expect(survey.direction).toBe("inbound");
    expect(survey.samples.length).toBeGreaterThanOrEqual(2);
    expect(survey.schema).toMatchObject({
      type: "object",
      required: expect.arrayContaining(["customerId", "surveyId", "score"]),
      properties: { score: { minimum: 0, maximum: 10 } },
    });
    expect(body.templates.map((t) => t.id)).toContain("post-purchase.tips");
  });

  it("lists the customers and the next timers with what each will do", async () => {
    expect((await api.get<{ customers: string[] }>("/customers")).body.customers).toEqual(["jiwoo", "mina"]);
    const { body } = await api.get<{ total: number; timers: Record<string, unknown>[] }>("/timers");
    expect(body.total).toBe(1);
    expect(body.timers).toEqual([
      {
        // Two calendar days after delivery at 10:00 in New York (EDT since 8 March).
        dueAt: "2026-03-20T14:00:00.000Z",
        customerId: "mina",
        timerId: expect.stringContaining("post-purchase#US-7"),
        kind: "journey",
        journeyId: "post-purchase",
        journeyVersion: 1,
        node: "wait-for-tips",
      },
    ]);
    expect((await api.get("/timers?limit=x")).status).toBe(400);
  });

  it("filters the outbox and the event log by customer", async () => {
    const outbox = await api.get<{ notifications: { customerId: string }[] }>("/outbox?customerId=jiwoo");
    expect(outbox.body.notifications.length).toBe(3);
    const events = await api.get<{ events: { detail: { customerId?: string } }[] }>(
      "/events?customerId=mina",
    );
    expect(events.body.events.map((e) => e.detail.customerId)).toEqual(["mina", "mina", "mina"]);
  });
});

describe("rejected events and their replay", () => {
  it("links a rejected event to the fixed one put with PutEvents, and says whether ingest took it", async () => {
    await api.put({
      detailType: "SurveyResponded",
      detail: { customerId: "mina", surveyId: "s-1", score: 42 },
    });
    const bad = (await api.get<{ rejected: { event: { id: string }; replayedAs?: unknown }[] }>("/rejected"))
      .body.rejected;
    const rejectedId = bad.at(-1)!.event.id;
    expect(bad.at(-1)!.replayedAs).toBeUndefined();

    expect((await api.post(`/rejected/${rejectedId}/replayed`, { eventId: "no-such-event" })).status).toBe(
      400,
    );
    expect((await api.post("/rejected/nope/replayed", { eventId: "x" })).status).toBe(404);
    expect((await api.post(`/rejected/${rejectedId}/replayed`, {})).status).toBe(400);

    const fixed = await api.put({
      detailType: "SurveyResponded",
      detail: { customerId: "mina", surveyId: "s-1", score: 4 },
    });
    const eventId = fixed.Entries![0]!.EventId!;
    const mark = await api.post(`/rejected/${rejectedId}/replayed`, { eventId });
    expect(mark).toEqual({
      status: 200,
      body: { replayedAs: { eventId, at: "2026-03-18T05:00:00.000Z", outcome: "accepted" } },
    });
    const after = (
      await api.get<{ rejected: { event: { id: string }; replayedAs?: unknown }[] }>("/rejected")
    ).body.rejected;
    expect(after.find((r) => r.event.id === rejectedId)!.replayedAs).toEqual({
      eventId,
      at: "2026-03-18T05:00:00.000Z",
      outcome: "accepted",
    });

    // A replay that is itself rejected says so.
    const again = await api.put({ detailType: "SurveyResponded", detail: { customerId: "mina", score: 4 } });
    const againId = again.Entries![0]!.EventId!;
    await api.post(`/rejected/${rejectedId}/replayed`, { eventId: againId });
    const latest = (
      await api.get<{ rejected: { event: { id: string }; replayedAs?: { outcome: string } }[] }>("/rejected")
    ).body.rejected;
    expect(latest.find((r) => r.event.id === rejectedId)!.replayedAs).toMatchObject({
      eventId: againId,
      outcome: "rejected",
    });
  });
});

describe("GET /stream", () => {
  it("says `change` when the runtime has done something", async () => {
    const controller = new AbortController();
    const response = await fetch(`${runtime.url}/stream`, { signal: controller.signal });
    expect(response.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = "";
    const changed = (async () => {
      while (!text.includes("event: change")) {
        const { value, done } = await reader.read();
        if (done) break;
        text += decoder.decode(value);
      }
    })();
    await api.put({ detailType: "CustomerProfileUpdated", detail: { customerId: "mina", name: "Mina K." } });
    await changed;
    controller.abort();
    expect(text).toMatch(/event: change\ndata: \{"now":"2026-03-18T05:00:00.000Z"\}\n\n/);
  });
});

describe("the outbox shows a marketing email as it was sent", () => {
  it("with the unsubscribe footer and headers the notifier added", async () => {
    await api.put({
      detailType: "CustomerProfileUpdated",
      detail: { customerId: "mina", consent: { marketingEmail: true } },
    });
    // The survey goes at 10:00 New York time on day 14; she answers 10 at once.
    await api.post("/clock", { set: "2026-04-01T14:30:00Z" });
    const survey = (await api.outbox()).find(
      (n) => n.customerId === "mina" && n.template === "post-purchase.nps-survey",
    )!;
    await api.put({
      detailType: "SurveyResponded",
      detail: { customerId: "mina", surveyId: survey.vars.surveyId, score: 10 },
    });
    const review = (await api.outbox()).find((n) => n.template === "post-purchase.review-request")!;
    expect(review).toMatchObject({ status: "sent", channel: "email", priority: "marketing" });
    expect(review.delivered!.body.startsWith(review.body!)).toBe(true);
    expect(review.delivered!.body.slice(review.body!.length)).toMatch(
      /^\n\nUnsubscribe: http:\/\/127\.0\.0\.1:\d+\/unsubscribe\?token=[\w-]+$/,
    );
    expect(review.delivered!.headers).toMatchObject({
      "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    });
    // Service email goes out as decided: nothing added, nothing repeated.
    expect(survey.delivered).toBeUndefined();
  });
});

describe("GET /customers/{id}", () => {
  it("includes where the customer was seen and their data usage", async () => {
    for (const type of ["CustomerLocationUpdated", "DataUsageUpdated"]) {
      const sample = runtime.catalog.event(type)!.samples[0] as Record<string, unknown>;
      const put = await api.put({ detailType: type, detail: { ...sample, customerId: "mina" } });
      expect(put.FailedEntryCount, type).toBe(0);
    }
    const { body } = await api.get<{ context: Record<string, unknown> }>("/customers/mina");
    expect(body.context.lastLocation).toMatchObject({ lat: expect.any(Number), lon: expect.any(Number) });
    expect(body.context.usage).toEqual([expect.objectContaining({ usedMb: expect.any(Number) })]);
  });
});
