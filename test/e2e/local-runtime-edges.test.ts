/**
 * The local runtime at its edges behaves like AWS (issue 9): a bad entry gets its own error and never
 * a 500 or a crash, the 256 KB limit holds, nesting is bounded, and what keeps failing is set aside where
 * it can be listed and replayed.
 */
import { PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as z from "zod";
import { customerEventBase } from "../../events/customer-event-base.ts";
import { defineCatalog } from "../../events/define-catalog.ts";
import { defineEvent } from "../../functions/core/catalog/define-event.ts";
import { defineJourney, ref } from "../../functions/core/journey/define-journey.ts";
import { defineTemplate } from "../../functions/core/journey/template.ts";
import { LocalRuntime } from "../../infra/local/runtime.ts";
import { LocalApi } from "../support/local-api.ts";

/** A calculator that fails until a test lets it succeed: an input that keeps failing, then is fixed. */
let scoringWorks = false;

const pinged = defineEvent({
  detailType: "Pinged",
  scope: "customer",
  direction: "inbound",
  description: "A test event.",
  detail: customerEventBase.extend({ pingId: z.string(), nested: z.unknown().optional() }),
  samples: [
    { customerId: "c", pingId: "p" },
    { customerId: "c", pingId: "q" },
  ],
});
const text = (s: string) => ({ sms: () => s, email: { subject: () => s, body: () => s } });
const catalog = defineCatalog({
  events: [pinged],
  journeys: [
    defineJourney({
      id: "ping",
      version: 1,
      description: "Scores a ping, then answers it.",
      entry: { event: "Pinged", key: ref("event.pingId"), capture: {} },
      exitOn: [],
      start: "score",
      nodes: {
        score: { type: "compute", calculator: "score", saveAs: "score", next: "answer" },
        answer: {
          type: "send",
          template: "pong",
          priority: "service",
          vars: {},
          why: ["pinged"],
          next: "done",
        },
        done: { type: "exit", outcome: "answered" },
      },
    }),
  ],
  templates: [
    defineTemplate({
      id: "pong",
      priority: "service",
      locales: { "en-US": text("pong"), "ko-KR": text("퐁") },
    }),
  ],
  calculators: {
    score: () => {
      if (!scoringWorks) throw new Error("the scoring service is down");
      return { value: 1 };
    },
  },
});

let runtime: LocalRuntime;
let api: LocalApi;

beforeAll(async () => {
  runtime = await LocalRuntime.start({ port: 0, tickMs: 0, catalog });
  api = new LocalApi(runtime.url);
  // 11:00 in New York: no quiet hours in the way.
  await api.post("/clock", { set: "2026-03-01T16:00:00Z" });
  await api.put({
    detailType: "CustomerProfileUpdated",
    detail: { customerId: "c-1", phone: "+12125550123", timeZone: "America/New_York" },
  });
});
afterAll(async () => {
  await runtime.stop();
});

/** JSON nested `depth` levels deep, written as text (JSON.stringify itself recurses). */
function nestedJson(depth: number): string {
  return `${'{"next":'.repeat(depth)}"bottom"${"}".repeat(depth)}`;
}

describe("the local runtime at its edges", () => {
  it("answers a bad entry with its own error, processes the good ones, and survives 10,000 levels of nesting", async () => {
    const entry = (detail: string) => ({
      EventBusName: "waymark",
      Source: "test",
      DetailType: "Pinged",
      Detail: detail,
    });
    const result = await api.eventBridge.send(
      new PutEventsCommand({
        Entries: [
          entry(`{"customerId":"c-1","pingId":"deep","nested":${nestedJson(10_000)}}`),
          entry(JSON.stringify({ customerId: "c-1", pingId: "big", nested: "x".repeat(300_000) })),
          entry(`{"customerId":"c-1","pingId":"fine","nested":${nestedJson(5)}}`),
        ],
      }),
    );
    expect(result.FailedEntryCount).toBe(2);
    expect(result.Entries![0]).toMatchObject({ ErrorCode: "MalformedDetail" });
    expect(result.Entries![0]!.ErrorMessage).toContain("nests more than 32 levels deep");
    expect(result.Entries![1]).toMatchObject({ ErrorCode: "InvalidArgument" });
    expect(result.Entries![1]!.ErrorMessage).toContain("EventBridge accepts less than 262144");
    expect(result.Entries![2]!.EventId).toBeDefined();
    // Still running, and the good entry went in.
    const events = await api.events();
    expect(events.map((e) => (e.detail as { pingId?: string }).pingId)).toContain("fine");
    expect(events.map((e) => (e.detail as { pingId?: string }).pingId)).not.toContain("deep");
  });

  it("lists what keeps failing at GET /dead-letters, and POST /dead-letters/replay runs it again once fixed", async () => {
    const before = await api.get<{ deadLetters: { id: string; queue: string; receives: number }[] }>(
      "/dead-letters",
    );
    expect(before.status).toBe(200);
    const failed = before.body.deadLetters.filter((d) => d.queue === "engine");
    // The "fine" ping above failed in the engine every time (the calculator is down).
    expect(failed).toHaveLength(1);
    expect(failed[0]!.receives).toBe(3);
    expect(await api.outbox()).toEqual([]);

    scoringWorks = true;
    const refused = await api.post("/dead-letters/replay", { ids: "all" });
    expect(refused.status).toBe(400);
    const replay = await api.post<{ replayed: number; deadLetters: unknown[] }>("/dead-letters/replay", {
      ids: [failed[0]!.id],
    });
    expect(replay.body).toMatchObject({ replayed: 1, deadLetters: [] });
    const outbox = await api.outbox();
    expect(outbox.map((n) => [n.template, n.status])).toEqual([["pong", "sent"]]);
  });
});
