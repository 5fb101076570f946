import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { referenceEvents } from "../../events/catalog.ts";
import { defineCatalog } from "../../events/define-catalog.ts";
import { defineJourney, ref } from "../../functions/core/journey/define-journey.ts";
import { defineTemplate } from "../../functions/core/journey/template.ts";
import { LocalRuntime } from "../../infra/local/runtime.ts";
import { newYorkCustomer, phone } from "../support/events.ts";
import { LocalApi } from "../support/local-api.ts";

/** A marketing email on every order; when it is not opened within three days, an SMS instead. */
const offer = defineTemplate({
  id: "t.offer",
  priority: "marketing",
  locales: {
    "en-US": {
      sms: (v) => `An offer on order ${String(v.orderId)}`,
      email: { subject: () => "An offer for you", body: (v) => `An offer on order ${String(v.orderId)}.` },
    },
    "ko-KR": {
      sms: (v) => `주문 ${String(v.orderId)} 혜택`,
      email: { subject: () => "혜택 안내", body: (v) => `주문 ${String(v.orderId)} 혜택.` },
    },
  },
});
const offerJourney = defineJourney({
  id: "offer",
  version: 1,
  description: "An offer by email, then by SMS when the email is not opened within three days.",
  entry: { event: "OrderPlaced", key: ref("event.orderId"), capture: { orderId: ref("event.orderId") } },
  exitOn: [],
  start: "email",
  nodes: {
    email: {
      type: "send",
      template: "t.offer",
      priority: "marketing",
      channelOrder: ["email"],
      vars: { orderId: ref("vars.orderId") },
      why: ["order {vars.orderId}"],
      saveAs: "emailId",
      ignoreCaps: true,
      next: "wait",
    },
    wait: {
      type: "waitForEvent",
      event: "MessageOpened",
      correlate: { eventField: "notificationId", varName: "emailId", fallback: "none" },
      timeout: "P3D",
      onEvent: "opened",
      onTimeout: "sms",
    },
    sms: {
      type: "send",
      template: "t.offer",
      priority: "marketing",
      channelOrder: ["sms"],
      vars: { orderId: ref("vars.orderId") },
      why: ["the offer email for order {vars.orderId} was not opened within 3 days"],
      ignoreCaps: true,
      next: "not-opened",
    },
    opened: { type: "exit", outcome: "opened" },
    "not-opened": { type: "exit", outcome: "not-opened" },
  },
});
const catalog = defineCatalog({
  events: referenceEvents,
  journeys: [offerJourney],
  templates: [offer],
  delivery: { advertising: { senderName: "웨이마크", koreanOptOutNumber: "080-500-4321" } },
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
  await api.put({
    detailType: "CustomerProfileUpdated",
    detail: { ...c, preferredChannel: "email", consent: { marketingEmail: true, marketingSms: true } },
  });
});

const order = (orderId: string) =>
  api.put({
    detailType: "OrderPlaced",
    detail: { customerId: c.customerId, orderId, items: [phone], currency: "USD" },
  });
const customer = async () =>
  (await api.get<Record<string, Record<string, unknown>>>(`/customers/${c.customerId}`)).body;

describe("what the customer receives, locally (issue 10)", () => {
  it("the outbox shows a marketing email as delivered, footer and RFC 8058 headers included, and its link unsubscribes", async () => {
    await order("o-1");
    const [email] = await api.outbox();
    expect(email).toMatchObject({ channel: "email", status: "sent", subject: "An offer for you" });
    const delivered = email!.delivered!;
    expect(delivered.body).toMatch(
      new RegExp(`^An offer on order o-1\\.\\n\\nUnsubscribe: ${runtime.url}/unsubscribe\\?token=[\\w-]+$`),
    );
    const link = /Unsubscribe: (\S+)$/.exec(delivered.body)![1]!;
    expect(delivered.headers).toEqual({
      "List-Unsubscribe": `<${link}>`,
      "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    });
    // A mail scanner's GET changes nothing; the one-click POST unsubscribes.
    const page = await fetch(link);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('method="post"');
    expect((await customer()).context!.consent).toMatchObject({ marketingEmail: true });
    const click = await fetch(link, { method: "POST", body: "List-Unsubscribe=One-Click" });
    expect(click.status).toBe(200);
    expect(await click.text()).toContain("Unsubscribed");
    expect((await customer()).context!.consent).toMatchObject({ marketingEmail: false, marketingSms: true });
    const forged = await fetch(`${runtime.url}/unsubscribe?token=${"A".repeat(50)}`, { method: "POST" });
    expect(forged.status).toBe(403);
  });

  it("POST /feedback goes through ingest: opened ends the wait; a hard bounce closes email and the next message goes by SMS", async () => {
    await order("o-1");
    await order("o-2");
    const [first, second] = await api.outbox();
    expect((await api.post("/feedback", { notificationId: first!.id, type: "opened" })).status).toBe(202);
    const events = await api.events();
    expect(events).toContainEqual(
      expect.objectContaining({ source: "waymark.feedback", "detail-type": "MessageOpened" }),
    );
    expect(events.at(-1)).toMatchObject({ "detail-type": "JourneyCompleted", detail: { outcome: "opened" } });
    expect(((await customer()).instances as unknown as { id: string }[]).map((i) => i.id)).toEqual([
      "offer#o-2",
    ]);
    const bounce = await api.post("/feedback", {
      notificationId: second!.id,
      type: "bounced",
      bounceType: "hard",
      reason: "NoEmail",
    });
    expect(bounce.status).toBe(202);
    expect((await customer()).context!.channelClosures).toMatchObject({
      email: { reason: "hard-bounce", address: c.email },
    });
    await order("o-3");
    const third = (await api.outbox()).at(-1)!;
    expect(third).toMatchObject({ channel: "sms", status: "sent", vars: { orderId: "o-3" } });
    expect(third.why.join(" | ")).toContain("email: closed on 2026-06-10 (hard-bounce)");
  });

  it("a complaint closes email like a hard bounce, and the next message goes by SMS", async () => {
    await order("o-1");
    const [email] = await api.outbox();
    expect(email).toMatchObject({ channel: "email", status: "sent" });
    expect((await api.post("/feedback", { notificationId: email!.id, type: "complained" })).status).toBe(202);
    expect(await api.events()).toContainEqual(
      expect.objectContaining({ source: "waymark.feedback", "detail-type": "MessageComplained" }),
    );
    expect((await customer()).context!.channelClosures).toMatchObject({
      email: { reason: "complaint", address: c.email },
    });
    await order("o-2");
    const next = (await api.outbox()).at(-1)!;
    expect(next).toMatchObject({ channel: "sms", status: "sent", vars: { orderId: "o-2" } });
    expect(next.why.join(" | ")).toContain("(complaint)");
  });

  it("an email not opened within three days is followed by an SMS, on virtual time", async () => {
    await order("o-1");
    await api.post("/clock", { advance: "P2DT23H" });
    expect((await api.outbox()).filter((n) => n.channel === "sms")).toEqual([]);
    await api.post("/clock", { advance: "PT2H" });
    const sms = (await api.outbox()).filter((n) => n.channel === "sms");
    expect(sms).toHaveLength(1);
    expect(sms[0]!.why[0]).toBe("the offer email for order o-1 was not opened within 3 days");
  });

  it("refuses feedback it cannot place, naming the field", async () => {
    await order("o-1");
    const [email] = await api.outbox();
    expect(await api.post("/feedback", { notificationId: email!.id, type: "read" })).toMatchObject({
      status: 400,
      body: { message: "type: expected one of delivered, bounced, complained, opened, clicked, failed" },
    });
    expect(await api.post("/feedback", { notificationId: email!.id, type: "bounced" })).toMatchObject({
      status: 400,
      body: { message: 'bounceType: "hard" or "soft" is required for a bounce' },
    });
    expect((await api.post("/feedback", { notificationId: "nope", type: "opened" })).status).toBe(404);
    expect((await api.post("/feedback", { type: "opened" })).status).toBe(400);
  });
});
