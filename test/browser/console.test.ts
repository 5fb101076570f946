/**
 * The web console in a real browser: headless Chromium from the machine's packages on the local runtime, after
 * the demo's post-purchase story was played through the API. Each view is checked as a person would look at it,
 * and saved as a screenshot in test-artifacts/console/.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CONTENT_SECURITY_POLICY } from "../../infra/local/console/console-assets.ts";
import { LocalRuntime } from "../../infra/local/runtime.ts";
import { launchChromium } from "../support/browser.ts";
import { LocalApi } from "../support/local-api.ts";
import { mina, playPostPurchaseDemo } from "../support/post-purchase-demo.ts";

const ARTIFACTS = join(import.meta.dirname, "../../test-artifacts/console");
const WAIT = { timeout: 60_000, interval: 200 };

let runtime: LocalRuntime;
let api: LocalApi;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  runtime = await LocalRuntime.start({ port: 0, tickMs: 0 });
  api = new LocalApi(runtime.url);
  await playPostPurchaseDemo(runtime.url);
  await api.put({ detailType: "CustomerProfileUpdated", detail: mina });
  await api.put({ detailType: "OrderDelivered", detail: { customerId: mina.customerId, orderId: "US-7" } });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
  page.on("pageerror", (error) => pageErrors.push(error.message));
});
afterAll(async () => {
  await browser?.close();
  await runtime?.stop();
});

const open = async (hash: string) => {
  // A load of the page, not a change of its hash: each view starts afresh.
  await page.goto("about:blank");
  const response = await page.goto(`${runtime.url}/${hash}`);
  expect(response?.status()).toBe(200);
  return response!;
};
const text = (selector: string) => () => page.locator(selector).innerText();
/** The counts line of a node of the graph (SVG has text content, not inner text). */
const counts = (node: string) => () => page.locator(`[data-node="${node}"] .node-counts`).textContent();
const screenshot = (name: string) =>
  page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });

describe("the journeys view", () => {
  it("draws post-purchase with the right live counts on its nodes, and its funnel", async () => {
    const response = await open("#/journeys/post-purchase@1");
    expect(response.headers()["content-security-policy"]).toBe(CONTENT_SECURITY_POLICY);
    expect(response.headers()["x-content-type-options"]).toBe("nosniff");
    await expect.poll(counts("wait-for-tips"), WAIT).toBe("1 waiting · 2 reached");
    expect(await counts("send-tips")()).toBe("1 reached");
    expect(await counts("await-answer")()).toBe("1 reached");
    expect(await counts("send-followup")()).toBe("1 reached");
    expect(await counts("ask-for-review")()).toBe("0 reached");
    expect(await counts("done-detractor")()).toBe("1 reached · 1 completed");
    expect(await counts("done-promoter")()).toBe("0 reached · 0 completed");
    expect(await page.locator(".graph .edge-label").allTextContents()).toEqual(
      expect.arrayContaining(["SurveyResponded", "timeout P7D", "vars.survey.score ≤ 6", "otherwise"]),
    );
    expect(await page.locator(".graph .node--entry").textContent()).toContain("on OrderDelivered");
    expect(await page.locator('[data-testid="journey-stats"]').innerText()).toMatch(
      /2\s+entered\s+1\s+active\s+1\s+completed/,
    );
    // The live funnel beside the graph (the measurements panel draws its own below).
    expect(
      await page.locator(".funnel").first().locator('[data-step="send-followup"]').textContent(),
    ).toContain("1 (50%)");
    // The runtime measures: its panel shows the funnel from the lifecycle facts, and the holdout experiment.
    await expect.poll(text(".analytics"), WAIT).toContain("Measured funnel");
    expect(await text(".analytics")()).toContain("Experiment post-purchase:holdout");
    await screenshot("journeys");
  });

  it("is keyboard navigable: a node takes the focus and Enter shows it", async () => {
    await page.locator('[data-node="await-answer"]').focus();
    await page.keyboard.press("Enter");
    await expect
      .poll(text(".node-detail"), WAIT)
      .toContain("await-answer (waitForEvent): wait for SurveyResponded, up to P7D");
    expect(await page.locator('[data-node="await-answer"]').getAttribute("aria-pressed")).toBe("true");
  });

  it("updates live while the runtime works", async () => {
    await api.put({ detailType: "OrderDelivered", detail: { customerId: mina.customerId, orderId: "US-8" } });
    await expect.poll(counts("wait-for-tips"), WAIT).toBe("2 waiting · 3 reached");
  });
});

describe("a customer's story", () => {
  it("shows Jiwoo's tips and survey at 10:00 in Seoul with their why, and her contact points masked", async () => {
    await open("#/customers");
    await page.getByLabel("Customer id").fill("jiwoo");
    await page.getByRole("button", { name: "Show" }).click();
    const tips = page.locator(".timeline-item", {
      has: page.locator('[data-template="post-purchase.tips"]'),
    });
    await expect.poll(() => tips.innerText(), WAIT).toContain("6 Mar 2026, 10:00");
    expect(await tips.innerText()).toContain(
      "usage tips are due at 10:00 local on the 2nd calendar day after delivery",
    );
    expect(await tips.locator(".bubble").innerText()).toContain("Galaxy S26");
    expect(await tips.innerText()).toMatch(/\d SMS segments? · \d+ characters/);
    const survey = page.locator(".timeline-item", {
      has: page.locator('[data-template="post-purchase.nps-survey"]'),
    });
    expect(await survey.innerText()).toContain("18 Mar 2026, 10:00");
    expect(await survey.innerText()).toContain(
      "the NPS survey is due at 10:00 local on the 14th calendar day after delivery",
    );
    expect(
      await page.locator(".timeline-item", { hasText: "AgentEscalationRequested" }).innerText(),
    ).toContain("NPS detractor: scored 3/10");
    expect(await page.locator('[data-testid="phone"]').innerText()).toBe("+82-10-****-5678");
    expect(await page.locator('[data-testid="email"]').innerText()).toBe("j***@example.com");
    // Open every detail: no full contact point anywhere on the page.
    const closed = page.locator("details:not([open])");
    while ((await closed.count()) > 0) await closed.first().locator("summary").click();
    const everything = await page.locator("body").innerText();
    expect(everything).not.toContain("+821012345678");
    expect(everything).not.toContain("jiwoo@example.com");
    expect(everything).toContain("Asia/Seoul");
    await screenshot("customer");
  });

  it("renders an event field holding markup as text", async () => {
    const hostile =
      '<script>window.__waymarkPwned = 1</script><img src="x" onerror="window.__waymarkPwned = 2">';
    await api.put({
      detailType: "SurveyResponded",
      detail: { customerId: "jiwoo", surveyId: "s-x", score: 5, comment: hostile },
    });
    const item = page.locator(".timeline-item", { hasText: "SurveyResponded" }).last();
    await expect.poll(() => item.count(), WAIT).toBe(1);
    await item.locator("summary").click();
    await expect
      .poll(() => item.locator("pre").innerText(), WAIT)
      .toContain("<script>window.__waymarkPwned = 1</script>");
    expect(await page.locator("#app script, #app img").count()).toBe(0);
    expect(await page.evaluate("window.__waymarkPwned")).toBeUndefined();
  });

  it("is readable on a phone", async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload();
    await expect.poll(text(".timeline"), WAIT).toContain("post-purchase.tips");
    expect(await page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")).toBe(true);
    await screenshot("customer-phone");
    await page.setViewportSize({ width: 1360, height: 900 });
  });
});

describe("the outbox and rejected events", () => {
  it("filters the outbox by template", async () => {
    await open("#/outbox");
    await expect.poll(text("#outbox-title + form [role=status]"), WAIT).toBe("3 decisions of 3");
    await page.getByLabel("Template").selectOption("post-purchase.nps-survey");
    expect(await page.locator("#outbox-title + form [role=status]").innerText()).toBe("1 decision of 3");
    expect(await page.locator(".outbox .decision").getAttribute("data-template")).toBe(
      "post-purchase.nps-survey",
    );
    await page.getByLabel("Template").selectOption("");
    await screenshot("outbox");
  });

  it("fixes a rejected event in the page and replays it through ingest", async () => {
    await api.put({
      detailType: "SurveyResponded",
      detail: { customerId: "mina", surveyId: "s-9", score: 42 },
    });
    await open("#/rejected");
    const item = page.locator(".rejected-item").first();
    await expect.poll(() => item.innerText(), WAIT).toContain("detail.score");
    await item.getByRole("button", { name: "Fix and replay" }).click();
    const editor = item.getByLabel("Fixed event (JSON)");
    expect(await item.locator(".issues").innerText()).toContain("detail.score: must be at most 10");
    expect(await item.getByRole("button", { name: "Replay through ingest" }).isDisabled()).toBe(true);
    await editor.fill((await editor.inputValue()).replace('"score": 42', '"score": 8'));
    await expect
      .poll(() => item.locator(".issues").innerText(), WAIT)
      .toContain("Valid against the catalog's schema");
    await item.getByRole("button", { name: "Replay through ingest" }).click();
    await expect.poll(() => item.locator('[data-testid="replayed"]').innerText(), WAIT).toContain("accepted");
    const rejected = (await api.get<{ rejected: { replayedAs?: { eventId: string } }[] }>("/rejected")).body
      .rejected;
    const replayed = rejected.at(-1)!.replayedAs!;
    const event = (await api.events()).find((e) => e.id === replayed.eventId)!;
    expect(event).toMatchObject({
      "detail-type": "SurveyResponded",
      detail: { customerId: "mina", score: 8 },
    });
  });
});

describe("the clock and events", () => {
  it("moves virtual time with its controls, and lists the next timers", async () => {
    await open("#/clock");
    await expect.poll(text('[data-testid="clock-now"]'), WAIT).toBe("2026-03-18 05:00 UTC");
    expect(await page.locator(".timers").innerText()).toContain("moves on from wait-for-tips");
    await page.getByRole("button", { name: "+1 day" }).click();
    await expect.poll(text('[data-testid="clock-now"]'), WAIT).toBe("2026-03-19 05:00 UTC");
    await page.getByLabel("Set to (ISO time, e.g. 2026-03-02T09:00:00Z)").fill("2026-03-21T00:00:00Z");
    await page.getByRole("button", { name: "Set", exact: true }).click();
    await expect.poll(text('[data-testid="clock-now"]'), WAIT).toBe("2026-03-21 00:00 UTC");
    expect((await api.get<{ now: string }>("/clock")).body.now).toBe("2026-03-21T00:00:00.000Z");
    // Mina's tips were due at 10:00 in New York on the 20th: the move fired them.
    await expect
      .poll(async () => (await api.outbox()).filter((n) => n.customerId === "mina").length, WAIT)
      .toBe(2);
    await expect.poll(text('[data-testid="header-clock"]'), WAIT).toBe("2026-03-21 00:00 UTC");
  });

  it("checks an event from the catalog's samples against its schema before putting it", async () => {
    await page.getByLabel("Event", { exact: true }).selectOption("SurveyResponded");
    const editor = page.getByLabel("Event (JSON): source, detail-type, detail");
    const sample = JSON.parse(await editor.inputValue()) as { detail: Record<string, unknown> };
    await editor.fill(
      JSON.stringify({
        source: "console",
        "detail-type": "SurveyResponded",
        detail: { ...sample.detail, score: "ten" },
      }),
    );
    await expect
      .poll(text("#event-json-issues"), WAIT)
      .toContain("detail.score: expected integer, got a string");
    expect(await page.getByRole("button", { name: "Put event" }).isDisabled()).toBe(true);
    await editor.fill(
      JSON.stringify({
        source: "console",
        "detail-type": "SurveyResponded",
        detail: { ...sample.detail, customerId: "mina" },
      }),
    );
    await page.getByRole("button", { name: "Put event" }).click();
    await expect
      .poll(text(".event-editor [role=status]"), WAIT)
      .toMatch(/^Put on the bus as [0-9a-f-]{36}\.$/);
    const put = (await api.events()).at(-1)!;
    expect(put).toMatchObject({
      source: "console",
      "detail-type": "SurveyResponded",
      detail: { customerId: "mina" },
    });
    expect(pageErrors).toEqual([]);
  });
});
