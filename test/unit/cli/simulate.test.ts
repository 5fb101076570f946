import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { MessageEntry, TimelineEntry } from "../../../cli/simulate.ts";
import { stableId } from "../../../functions/core/ids.ts";
import { FIXTURES, jsonl, runCli, tempFiles } from "./run-cli.ts";

const SEOUL = "post-purchase-seoul.jsonl";
const seoulLines = readFileSync(path.join(FIXTURES, SEOUL), "utf8").split("\n");

/** The Seoul fixture with its survey answer replaced (or dropped, with `answer` undefined). */
function seoulWithAnswer(answer: Record<string, unknown> | undefined): string {
  const kept = seoulLines.filter((line) => !line.includes('"SurveyResponded"'));
  return tempFiles({ "timeline.jsonl": [...kept, ...(answer ? [JSON.stringify(answer)] : [])].join("\n") });
}

const answer = (time: string, detail: Record<string, unknown>) => ({
  "detail-type": "SurveyResponded",
  time,
  detail: { customerId: "cust-kr-1", ...detail },
});

async function simulateJson(argv: string[], cwd?: string): Promise<TimelineEntry[]> {
  const run = await runCli(["simulate", "post-purchase", ...argv, "--json"], cwd ? { cwd } : {});
  expect(run.stderr).toBe("");
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout) as TimelineEntry[];
}

const messages = (entries: TimelineEntry[]) => entries.filter((e): e is MessageEntry => e.kind === "message");

describe("waymark simulate post-purchase (Seoul customer)", () => {
  it("prints the timeline: tips at 10:00 KST on day 2, survey on day 14, escalation, follow-up", async () => {
    const { code, stdout, stderr } = await runCli(["simulate", "post-purchase", "--events", SEOUL]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const lines = stdout.split("\n");
    expect(lines).toContain("2026-03-04T05:00:00Z  cust-kr-1  ← OrderDelivered (order kr-100 delivered)");
    expect(lines).toContain(
      "2026-03-04T05:00:00Z  cust-kr-1  ▶ post-purchase#kr-100 started (v1; post-purchase:holdout: treatment)",
    );
    // Delivered 2026-03-04 14:00 KST: day 2 is 03-06, 10:00 KST is 01:00Z.
    expect(lines).toContain(
      "2026-03-06T01:00:00Z  cust-kr-1  ⏰ timer post-purchase#kr-100#1 (wait-for-tips)",
    );
    expect(lines).toContain(
      "2026-03-06T01:00:00Z  cust-kr-1  ✉ sent sms +82-10-****-5678 post-purchase.tips " +
        "(2026-03-06 10:00 Asia/Seoul, 2 SMS segments)",
    );
    expect(lines).toContain(
      "2026-03-10T00:00:00Z  (global)   ← StoreInventoryUpdated (stock of store store-seoul-myeongdong updated) " +
        "— not consumed by post-purchase",
    );
    expect(lines).toContain(
      "2026-03-18T01:00:00Z  cust-kr-1  ✉ sent sms +82-10-****-5678 post-purchase.nps-survey " +
        "(2026-03-18 10:00 Asia/Seoul, 2 SMS segments)",
    );
    expect(lines).toContain(
      "2026-03-18T03:00:00Z  cust-kr-1  ← SurveyResponded " +
        '(answered survey NhOfSemKKl: 3/10 "배터리가 하루를 못 버텨요.")',
    );
    expect(lines).toContain(
      "2026-03-18T03:00:00Z  cust-kr-1  ⚑ AgentEscalationRequested: " +
        "NPS detractor: scored 3/10 for order kr-100",
    );
    expect(lines).toContain(
      "2026-03-18T03:00:00Z  cust-kr-1  ✉ sent sms +82-10-****-5678 post-purchase.detractor-followup " +
        "(2026-03-18 12:00 Asia/Seoul, 2 SMS segments)",
    );
    expect(lines).toContain(
      "2026-03-18T03:00:00Z  cust-kr-1  ✓ JourneyCompleted (detractor-followed-up) post-purchase#kr-100",
    );
    // Details sit under the text, after time, customer and symbol.
    const indent = " ".repeat("2026-03-06T01:00:00Z  cust-kr-1  ✉ ".length);
    expect(stdout).toContain(
      `${indent}why:  order kr-100 was delivered at 2026-03-04T14:00:00+09:00\n` +
        `${indent}      usage tips are due at 10:00 local on the 2nd calendar day after delivery\n`,
    );
    expect(stdout).toContain(`${indent}body: 김지우님, Galaxy S26 잘 사용하고 계신가요?`);
    expect(stdout.slice(stdout.indexOf("\n\npost-purchase: simulated"))).toBe(
      [
        "",
        "",
        "post-purchase: simulated 2026-03-01T00:00:00Z → 2026-03-18T03:00:00Z (virtual time)",
        "  events      5 (1 not consumed, 0 duplicates) for 1 customer",
        "  messages    3 sent, 0 deferred, 0 suppressed",
        "  escalations 1",
        "  journeys    1 completed (detractor-followed-up: 1), 0 still running",
        "  timers      2 fired, 0 pending",
        "",
      ].join("\n"),
    );
    // In time order throughout.
    const times = lines.filter((l) => /^\d{4}-/.test(l)).map((l) => l.slice(0, 20));
    expect(times).toEqual([...times].sort());
  });

  it("never prints the customer's phone number or email address", async () => {
    for (const json of [false, true]) {
      const { stdout } = await runCli([
        "simulate",
        "post-purchase",
        "--events",
        SEOUL,
        ...(json ? ["--json"] : []),
      ]);
      expect(stdout).not.toContain("+821012345678");
      expect(stdout).not.toContain("1012345678");
      expect(stdout).not.toContain("jiwoo@example.com");
    }
  });

  it("prints JSON entries for CI, with the survey id the journey derives from the instance", async () => {
    const entries = await simulateJson(["--events", SEOUL]);
    const sent = messages(entries);
    expect(sent.map((m) => [m.at, m.template, m.status, m.localTime])).toEqual([
      ["2026-03-06T01:00:00.000Z", "post-purchase.tips", "sent", "2026-03-06 10:00 Asia/Seoul"],
      ["2026-03-18T01:00:00.000Z", "post-purchase.nps-survey", "sent", "2026-03-18 10:00 Asia/Seoul"],
      ["2026-03-18T03:00:00.000Z", "post-purchase.detractor-followup", "sent", "2026-03-18 12:00 Asia/Seoul"],
    ]);
    expect(sent[0]).toMatchObject({
      customerId: "cust-kr-1",
      channel: "sms",
      to: "+82-10-****-5678",
      priority: "service",
      instanceId: "post-purchase#kr-100",
      vars: { name: "김지우", orderId: "kr-100", products: ["Galaxy S26"] },
    });
    expect(sent[1]!.vars.surveyId).toBe(stableId("post-purchase#kr-100").slice(0, 10));
    expect(sent[1]!.vars.surveyId).toBe("NhOfSemKKl");
    expect(entries).toContainEqual({
      at: "2026-03-18T03:00:00.000Z",
      kind: "escalation",
      customerId: "cust-kr-1",
      instanceId: "post-purchase#kr-100",
      reason: "NPS detractor: scored 3/10 for order kr-100",
    });
    expect(entries.at(-1)).toEqual({
      at: "2026-03-18T03:00:00.000Z",
      kind: "completed",
      customerId: "cust-kr-1",
      instanceId: "post-purchase#kr-100",
      outcome: "detractor-followed-up",
    });
    expect(entries.filter((e) => e.kind === "event").map((e) => (e as { input: string }).input)).toEqual([
      "line 3",
      "line 4",
      "line 6",
      "line 8",
      "line 10",
    ]);
  });

  it("is byte-for-byte deterministic", async () => {
    const argv = ["simulate", "post-purchase", "--events", SEOUL];
    const [first, second] = [await runCli(argv), await runCli(argv)];
    expect(second.stdout).toBe(first.stdout);
    const [json1, json2] = [await runCli([...argv, "--json"]), await runCli([...argv, "--json"])];
    expect(json2.stdout).toBe(json1.stdout);
  });

  it("answers the most recently surveyed open instance when the surveyId is unknown", async () => {
    const cwd = seoulWithAnswer(answer("2026-03-18T03:00:00Z", { surveyId: "srv-unknown", score: 5 }));
    const entries = await simulateJson(["--events", "timeline.jsonl"], cwd);
    expect(entries).toContainEqual(
      expect.objectContaining({ kind: "escalation", reason: "NPS detractor: scored 5/10 for order kr-100" }),
    );
    expect(messages(entries).at(-1)).toMatchObject({ template: "post-purchase.detractor-followup" });
  });

  it("defers a follow-up answered at night to 08:00 and fires it after the last event", async () => {
    // 14:00Z is 23:00 in Seoul: inside quiet hours.
    const cwd = seoulWithAnswer(answer("2026-03-18T14:00:00Z", { surveyId: "NhOfSemKKl", score: 1 }));
    const { code, stdout } = await runCli(["simulate", "post-purchase", "--events", "timeline.jsonl"], {
      cwd,
    });
    expect(code).toBe(0);
    expect(stdout).toContain(
      "2026-03-18T14:00:00Z  cust-kr-1  ⏸ deferred until 2026-03-18T23:00:00Z sms " +
        "post-purchase.detractor-followup (2026-03-18 23:00 Asia/Seoul)",
    );
    expect(stdout).toMatch(
      /2026-03-18T23:00:00Z {2}cust-kr-1 {2}⏰ timer defer#\S+ \(deferred post-purchase.detractor-followup\)/,
    );
    expect(stdout).toContain(
      "2026-03-18T23:00:00Z  cust-kr-1  ✉ sent sms +82-10-****-5678 post-purchase.detractor-followup " +
        "(2026-03-19 08:00 Asia/Seoul, 2 SMS segments)",
    );
    expect(stdout).toContain("  messages    3 sent, 1 deferred, 0 suppressed\n");
  });

  it("records a promoter's review request as suppressed without marketing consent", async () => {
    const cwd = seoulWithAnswer(answer("2026-03-18T03:00:00Z", { surveyId: "NhOfSemKKl", score: 10 }));
    const { stdout } = await runCli(["simulate", "post-purchase", "--events", "timeline.jsonl"], { cwd });
    expect(stdout).toContain(
      "2026-03-18T03:00:00Z  cust-kr-1  ⊘ suppressed (no-consent) post-purchase.review-request " +
        "(2026-03-18 12:00 Asia/Seoul)",
    );
    expect(stdout).toContain("✓ JourneyCompleted (promoter-asked-for-review)");
  });

  it("stops at --until and reports the timers still pending", async () => {
    const cwd = seoulWithAnswer(undefined);
    const { code, stdout } = await runCli(
      ["simulate", "post-purchase", "--events", "timeline.jsonl", "--until", "2026-03-10T09:00:00+09:00"],
      { cwd },
    );
    expect(code).toBe(0);
    expect(stdout).toContain("post-purchase.tips");
    expect(stdout).not.toContain("post-purchase.nps-survey");
    expect(stdout).toContain("0 completed, 1 still running");
    expect(stdout).toContain(
      "  timers      1 fired, 1 pending after 2026-03-10T00:00:00Z (next: post-purchase#kr-100#2 of " +
        "cust-kr-1 at 2026-03-18T01:00:00Z, wait-for-survey)",
    );
  });

  it("runs 90 days past the last event by default: an unanswered survey times out", async () => {
    const entries = await simulateJson(["--events", "timeline.jsonl"], seoulWithAnswer(undefined));
    expect(entries.at(-1)).toMatchObject({
      at: "2026-03-25T01:00:00.000Z",
      kind: "completed",
      outcome: "survey-timeout",
    });
    expect(entries.at(-2)).toMatchObject({ kind: "timer", purpose: "timeout of await-answer" });
  });
});

describe("waymark simulate: the scripted timeline", () => {
  const profile = {
    "detail-type": "CustomerProfileUpdated",
    detail: { customerId: "c-1", locale: "en-US", timeZone: "America/New_York", email: "ann@example.com" },
  };
  const delivered = (orderId: string, extra: Record<string, unknown> = {}) => ({
    "detail-type": "OrderDelivered",
    ...extra,
    detail: { customerId: "c-1", orderId },
  });

  it("runs events in time order, fills a missing time from the line before, ids and source", async () => {
    const cwd = tempFiles({
      "t.jsonl": jsonl(
        { ...profile, time: "2026-03-01T12:00:00Z" },
        delivered("late", { time: "2026-03-05T12:00:00Z" }),
        delivered("early", { time: "2026-03-02T12:00:00Z" }),
        delivered("same-time-as-early"),
      ),
    });
    const entries = await simulateJson(["--events", "t.jsonl", "--until", "2026-03-05T12:00:00Z"], cwd);
    const events = entries.filter((e) => e.kind === "event");
    expect(events.map((e) => [e.at, e.input, e.eventId, e.summary])).toEqual([
      ["2026-03-01T12:00:00.000Z", "line 1", "sim-1", "profile updated (locale, timeZone, email)"],
      ["2026-03-02T12:00:00.000Z", "line 3", "sim-3", "order early delivered"],
      ["2026-03-02T12:00:00.000Z", "line 4", "sim-4", "order same-time-as-early delivered"],
      ["2026-03-05T12:00:00.000Z", "line 2", "sim-2", "order late delivered"],
    ]);
    // The timers of early orders fire before the later event, each at its due time (10:00 New York).
    const order = entries.map((e) => `${e.at} ${e.kind}`);
    expect(order.indexOf("2026-03-04T15:00:00.000Z timer")).toBeLessThan(
      order.indexOf("2026-03-05T12:00:00.000Z event"),
    );
  });

  it("starts the clock at --start so the first event may leave out its time", async () => {
    const cwd = tempFiles({ "t.jsonl": jsonl(profile, delivered("o-1")) });
    const run = await runCli(
      ["simulate", "post-purchase", "--events", "t.jsonl", "--start", "2026-03-01T00:00:00Z"],
      { cwd },
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("2026-03-01T00:00:00Z  c-1  ← OrderDelivered (order o-1 delivered)");
  });

  it("notes a duplicate event (same id) and changes nothing", async () => {
    const cwd = tempFiles({
      "t.jsonl": jsonl(
        { ...profile, time: "2026-03-01T12:00:00Z" },
        delivered("o-1", { id: "delivery-1" }),
        delivered("o-1", { id: "delivery-1", time: "2026-03-01T12:05:00Z" }),
      ),
    });
    const { stdout } = await runCli(["simulate", "post-purchase", "--events", "t.jsonl"], { cwd });
    expect(stdout).toContain(
      "2026-03-01T12:05:00Z  c-1  ← OrderDelivered (order o-1 delivered) " +
        "— duplicate: eventId delivery-1 was already processed",
    );
    expect(stdout).toContain("3 (0 not consumed, 1 duplicate) for 1 customer");
    expect(stdout.match(/started/g)).toHaveLength(1);
  });

  it("reads a .json file holding an array of events", async () => {
    const cwd = tempFiles({ "t.json": JSON.stringify([{ ...profile, time: "2026-03-01T12:00:00Z" }]) });
    const entries = await simulateJson(["--events", "t.json"], cwd);
    expect(entries).toEqual([expect.objectContaining({ kind: "event", input: "event 1", eventId: "sim-1" })]);
  });
});

describe("waymark simulate: errors", () => {
  it("validates all lines first: each problem as `line N: …`, exit 1, nothing run", async () => {
    const cwd = tempFiles({
      "t.jsonl": [
        "// a comment, then a blank line",
        "",
        JSON.stringify({
          "detail-type": "OrderDelivered",
          time: "2026-03-01T00:00:00Z",
          detail: { customerId: "c-1", orderId: "o-1" },
        }),
        JSON.stringify({ "detail-type": "OrderDelivered", detail: { orderId: "o-1" } }),
        "{not json",
        JSON.stringify({
          "detail-type": "SurveyResponded",
          detail: { customerId: "c-1", surveyId: "s", score: 11 },
        }),
      ].join("\n"),
    });
    const { code, stdout, stderr } = await runCli(["simulate", "post-purchase", "--events", "t.jsonl"], {
      cwd,
    });
    expect(code).toBe(1);
    expect(stdout).toBe("");
    const lines = stderr.trimEnd().split("\n");
    expect(lines[0]).toBe(
      "waymark simulate: 3 of 4 events in t.jsonl are invalid; nothing was simulated. Fix:",
    );
    expect(lines).toContain("line 4: detail.customerId: required");
    expect(lines.some((l) => l.startsWith("line 5: not valid JSON"))).toBe(true);
    expect(lines).toContain("line 6: detail.score: expected an integer score from 0 to 10");
  });

  it("asks for a time on the first event when there is no --start", async () => {
    const cwd = tempFiles({
      "t.jsonl": jsonl({ "detail-type": "OrderDelivered", detail: { customerId: "c", orderId: "o" } }),
    });
    const { code, stderr } = await runCli(["simulate", "post-purchase", "--events", "t.jsonl"], { cwd });
    expect(code).toBe(1);
    expect(stderr).toContain('line 1: time: required — the first event needs a "time"');
  });

  it("rejects events before --start, naming the line", async () => {
    const cwd = tempFiles({
      "t.jsonl": jsonl({
        "detail-type": "OrderDelivered",
        time: "2026-03-01T00:00:00Z",
        detail: { customerId: "c", orderId: "o" },
      }),
    });
    const run = await runCli(
      ["simulate", "post-purchase", "--events", "t.jsonl", "--start", "2026-03-02T00:00:00Z"],
      { cwd },
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("line 1: time 2026-03-01T00:00:00Z is before --start 2026-03-02T00:00:00Z");
  });

  it("lists the available journeys for an unknown one, exit 2", async () => {
    const { code, stderr } = await runCli(["simulate", "welcome", "--events", SEOUL]);
    expect(code).toBe(2);
    expect(stderr).toBe(
      'waymark simulate: unknown journey "welcome" — available: data-usage, post-purchase, product-recall, travel-restriction\n',
    );
  });

  it("says what to pass for a missing file, exit 2", async () => {
    const { code, stderr } = await runCli(["simulate", "post-purchase", "--events", "x.jsonl"]);
    expect(code).toBe(2);
    expect(stderr).toBe(
      "waymark simulate: no such file: x.jsonl — pass the path of a JSON Lines file with one " +
        "EventBridge event per line\n",
    );
  });

  it.each([
    [["simulate"], "which journey? name one: data-usage, post-purchase, product-recall, travel-restriction"],
    [["simulate", "post-purchase"], "--events <file.jsonl> is required"],
    [["simulate", "post-purchase", "--events"], "option --events needs a value"],
    [["simulate", "post-purchase", "--event", SEOUL], "unknown option --event"],
    [["simulate", "post-purchase", "--events", SEOUL, "--until", "next week"], "--until expects an ISO-8601"],
    [
      ["simulate", "post-purchase", "--events", SEOUL, "--until", "2026-03-01T00:00:00Z"],
      "is before the last",
    ],
    [["simulate", "post-purchase", "extra", "--events", SEOUL], "unexpected argument extra"],
  ])("%j → usage error", async (argv, message) => {
    const { code, stdout, stderr } = await runCli(argv);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toContain(message);
  });
});

describe("waymark simulate: colour", () => {
  const argv = ["simulate", "post-purchase", "--events", SEOUL];
  const ESC = "\u001b[";

  it("colours a terminal", async () => {
    expect((await runCli(argv, { tty: true })).stdout).toContain(ESC);
  });

  it.each([
    ["a pipe", { tty: false, env: {} }],
    ["CI", { tty: true, env: { CI: "true" } }],
    ["NO_COLOR", { tty: true, env: { NO_COLOR: "1" } }],
  ])("prints plain text for %s", async (_, options) => {
    const { stdout } = await runCli(argv, options);
    expect(stdout).not.toContain(ESC);
    expect(stdout).toBe((await runCli(argv)).stdout);
  });
});
