import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { agentEscalationRequested } from "../../events/agent-escalation-requested.ts";
import { type LocalDynamo, startDynamo } from "../support/dynalite.ts";
import { envelope, newYorkCustomer, phone, seoulCustomer } from "../support/events.ts";
import { Pipeline } from "../support/pipeline.ts";

let dynamo: LocalDynamo;
beforeAll(async () => {
  dynamo = await startDynamo();
});
afterAll(async () => {
  await dynamo.stop();
});

describe("post-purchase end to end over virtual time", () => {
  it("Asia/Seoul: order → delivery → tips at 10:00 KST on day 2 → survey on day 14 → detractor escalation", async () => {
    const c = seoulCustomer;
    const p = new Pipeline(dynamo, "2026-03-01T00:00:00Z");
    await p.put(
      envelope("CustomerProfileUpdated", { ...c }, { time: "2026-03-01T00:00:00Z" }),
      envelope(
        "OrderPlaced",
        { customerId: c.customerId, orderId: "kr-100", items: [phone], currency: "KRW" },
        { time: "2026-03-02T00:00:00Z" },
      ),
    );
    p.now = new Date("2026-03-04T05:00:00Z");
    // 14:00 KST on 03-04 → day 2 = 03-06 10:00 KST = 01:00Z
    await p.put(
      envelope(
        "OrderDelivered",
        { customerId: c.customerId, orderId: "kr-100" },
        { time: "2026-03-04T05:00:00Z" },
      ),
    );
    expect(p.sms()).toHaveLength(0);

    await p.advanceTo("2026-03-06T00:59:00Z");
    expect(p.sms()).toHaveLength(0);
    await p.advanceTo("2026-03-06T01:00:00Z");
    const [tips] = p.sms();
    expect(tips).toMatchObject({ to: "+821012345678", at: "2026-03-06T01:00:00.000Z" });
    expect(tips!.attributes).toMatchObject({
      MessageType: "TRANSACTIONAL",
      ConfigurationSetName: "waymark-sms",
      "waymark-customer": Buffer.from(c.customerId).toString("base64url"),
      "waymark-journey": Buffer.from("post-purchase").toString("base64url"),
    });
    expect(tips!.message).toContain("김지우님");
    expect(p.emitted).toContainEqual(
      expect.objectContaining({
        detailType: "NotificationSent",
        detail: expect.objectContaining({ template: "post-purchase.tips" }),
      }),
    );

    // day 14 = 03-18 10:00 KST = 01:00Z
    await p.advanceTo("2026-03-18T01:00:00Z");
    const survey = p.sms()[1]!;
    expect(survey.at).toBe("2026-03-18T01:00:00.000Z");
    const surveyId = /\/s\/([A-Za-z0-9_-]+)/.exec(survey.message)![1]!;

    p.now = new Date("2026-03-18T04:00:00Z");
    await p.put(
      envelope(
        "SurveyResponded",
        { customerId: c.customerId, surveyId, score: 2, comment: "화면이 깜빡여요" },
        { time: "2026-03-18T04:00:00Z" },
      ),
    );
    const escalation = p.emitted.find((e) => e.detailType === "AgentEscalationRequested");
    expect(escalation?.detail).toMatchObject({
      customerId: c.customerId,
      context: { order: { orderId: "kr-100" }, survey: { score: 2, comment: "화면이 깜빡여요" } },
    });
    expect(
      p
        .sms()
        .map((s) => s.message)
        .at(-1),
    ).toContain("상담사");
    expect(p.emitted).toContainEqual(
      expect.objectContaining({
        detailType: "JourneyCompleted",
        detail: expect.objectContaining({ outcome: "detractor-followed-up" }),
      }),
    );
    const records = await p.notifications.listForCustomer(c.customerId);
    expect(records.map((r) => [r.template, r.delivery])).toEqual([
      ["post-purchase.tips", "sent"],
      ["post-purchase.nps-survey", "sent"],
      ["post-purchase.detractor-followup", "sent"],
    ]);
    expect(p.timers.size).toBe(0);
  });

  it("a detractor whose order Waymark never saw, with a long comment, is still escalated (issue 9: lost escalations)", async () => {
    const c = { ...seoulCustomer, customerId: "esc-unknown-order" };
    const p = new Pipeline(dynamo, "2026-03-01T00:00:00Z");
    await p.put(envelope("CustomerProfileUpdated", { ...c }, { time: "2026-03-01T00:00:00Z" }));
    // As the README's own example does: a delivery with no OrderPlaced before it.
    await p.put(
      envelope(
        "OrderDelivered",
        { customerId: c.customerId, orderId: "kr-404" },
        { time: "2026-03-04T05:00:00Z" },
      ),
    );
    await p.advanceTo("2026-03-18T01:00:00Z");
    const survey = p.sms(c.phone).at(-1)!;
    const surveyId = /\/s\/([A-Za-z0-9_-]+)/.exec(survey.message)![1]!;
    const comment = "배터리가 하루를 못 버텨요. ".repeat(60).trim(); // ~900 characters
    p.now = new Date("2026-03-18T03:00:00Z");
    await p.put(
      envelope(
        "SurveyResponded",
        { customerId: c.customerId, surveyId, score: 2, comment },
        { time: "2026-03-18T03:00:00Z" },
      ),
    );
    const escalations = p.emitted.filter((e) => e.detailType === "AgentEscalationRequested");
    expect(escalations).toHaveLength(1);
    const detail = agentEscalationRequested.detail.parse(escalations[0]!.detail);
    expect(detail.context.order).toBeUndefined();
    expect(detail.context.survey).toMatchObject({ surveyId, score: 2, comment });
    const timeline = detail.context.timeline.map((t) => t.summary);
    expect(timeline.some((line) => line.startsWith("answered survey") && line.endsWith("…"))).toBe(true);
    expect(Math.max(...timeline.map((line) => line.length))).toBeLessThanOrEqual(500);
  });

  it("America/New_York across the DST change: tips at 10:00 EDT, survey at 10:00 EDT, by email when SMS opted out", async () => {
    const c = newYorkCustomer;
    const p = new Pipeline(dynamo, "2026-03-01T00:00:00Z");
    await p.put(
      envelope("CustomerProfileUpdated", { ...c }, { time: "2026-03-01T00:00:00Z" }),
      envelope(
        "OrderPlaced",
        {
          customerId: c.customerId,
          orderId: "us-7",
          items: [{ ...phone, name: "Galaxy S26 Ultra" }],
          currency: "USD",
        },
        { time: "2026-03-01T00:00:00Z" },
      ),
    );
    // Delivered Saturday 2026-03-07 11:00 EST (16:00Z); clocks spring forward on Sunday 03-08.
    p.now = new Date("2026-03-07T16:00:00Z");
    await p.put(
      envelope(
        "OrderDelivered",
        { customerId: c.customerId, orderId: "us-7" },
        { time: "2026-03-07T16:00:00Z" },
      ),
    );
    await p.advanceTo("2026-03-09T13:59:00Z");
    expect(p.sms()).toHaveLength(0);
    await p.advanceTo("2026-03-09T14:00:00Z"); // Monday 10:00 EDT
    expect(p.sms()).toEqual([
      expect.objectContaining({ at: "2026-03-09T14:00:00.000Z", to: "+12125550123" }),
    ]);

    p.now = new Date("2026-03-10T12:00:00Z");
    await p.put(
      envelope(
        "NotificationOptOut",
        { customerId: c.customerId, channel: "sms" },
        { time: "2026-03-10T12:00:00Z" },
      ),
    );
    await p.advanceTo("2026-03-21T14:00:00Z"); // day 14 = Saturday 03-21 10:00 EDT
    const email = p.published.find((x) => x.kind === "email");
    expect(email).toMatchObject({ to: "jane@example.com", at: "2026-03-21T14:00:00.000Z" });
    expect(JSON.parse(email!.message)).toMatchObject({ subject: "Two weeks in: how is it going?" });
    expect(p.sms()).toHaveLength(1);

    p.now = new Date("2026-03-22T15:00:00Z");
    const surveyId = /\/s\/([A-Za-z0-9_-]+)/.exec(JSON.parse(email!.message).body)![1]!;
    await p.put(
      envelope(
        "SurveyResponded",
        { customerId: c.customerId, surveyId, score: 5 },
        { time: "2026-03-22T15:00:00Z" },
      ),
    );
    expect(p.emitted.filter((e) => e.detailType === "AgentEscalationRequested")).toHaveLength(1);
    const followup = p.published.at(-1)!;
    expect(followup.kind).toBe("email");
    expect(JSON.parse(followup.message).body).toContain("specialist");
  });

  it("rejects a malformed event with its reason and nothing else happens", async () => {
    const p = new Pipeline(dynamo, "2026-03-01T00:00:00Z");
    await p.put(envelope("OrderDelivered", { orderId: "x-1" }, { time: "2026-03-01T00:00:00Z" }));
    expect(p.rejected).toHaveLength(1);
    expect(p.rejected[0]!.reason).toContain("detail.customerId");
    expect(p.published).toEqual([]);
    expect(p.timers.size).toBe(0);
  });
});

describe("consent and opt-out end to end", () => {
  async function promoter(p: Pipeline, customerId: string, profile: Record<string, unknown>) {
    await p.put(
      envelope(
        "CustomerProfileUpdated",
        { customerId, locale: "en-US", timeZone: "America/New_York", ...profile },
        { time: "2026-04-01T00:00:00Z" },
      ),
      envelope(
        "OrderPlaced",
        { customerId, orderId: "pr-1", items: [phone], currency: "USD" },
        { time: "2026-04-01T00:00:00Z" },
      ),
      envelope("OrderDelivered", { customerId, orderId: "pr-1" }, { time: "2026-04-01T15:00:00Z" }),
    );
    await p.advanceTo("2026-04-15T15:00:00Z");
    const survey = p.published.at(-1)!;
    const surveyId = /\/s\/([A-Za-z0-9_-]+)/.exec(survey.message)![1]!;
    p.now = new Date("2026-04-15T16:00:00Z");
    await p.put(
      envelope("SurveyResponded", { customerId, surveyId, score: 10 }, { time: "2026-04-15T16:00:00Z" }),
    );
  }

  it("a promoter's review request by email carries RFC 8058 headers; one click withdraws marketing consent", async () => {
    const p = new Pipeline(dynamo, "2026-04-01T00:00:00Z");
    await promoter(p, "mkt-1", {
      email: "pat@example.com",
      preferredChannel: "email",
      consent: { marketingEmail: true },
    });
    const review = JSON.parse(p.published.at(-1)!.message);
    expect(review.template).toBe("post-purchase.review-request");
    expect(review.headers).toMatchObject({ "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" });
    const url = /^<(.*)>$/.exec(review.headers["List-Unsubscribe"])![1]!;
    expect(review.body).toContain(url);

    const { handleUnsubscribe } = await import("../../functions/use-cases/handle-unsubscribe.ts");
    const unsubscribe = (requestId: string) =>
      handleUnsubscribe(
        { method: "POST", token: new URL(url).searchParams.get("token")!, requestId },
        { links: p.unsubscribeLinks, optOuts: p.producerEmitter("waymark.unsubscribe"), clock: () => p.now },
      );
    const response = await unsubscribe("req-1");
    expect(response.statusCode).toBe(200);
    await p.drain();
    const stored = await p.customers.load("mkt-1");
    expect(stored!.state.consent.marketingEmail).toBe(false);

    // Re-subscribed later, then unsubscribed again from the same old email: the second unsubscribe counts.
    await p.advanceTo("2026-04-20T00:00:00Z");
    await p.put(
      envelope(
        "CustomerProfileUpdated",
        { customerId: "mkt-1", consent: { marketingEmail: true } },
        { time: "2026-04-20T00:00:00Z" },
      ),
    );
    expect((await p.customers.load("mkt-1"))!.state.consent.marketingEmail).toBe(true);
    await p.advanceTo("2026-04-21T00:00:00Z");
    await unsubscribe("req-2");
    await p.drain();
    expect((await p.customers.load("mkt-1"))!.state.consent.marketingEmail).toBe(false);
  });

  it("a carrier opt-out on publish suppresses the SMS, closes the channel, and the next message goes by email", async () => {
    const p = new Pipeline(dynamo, "2026-04-01T00:00:00Z");
    p.optedOutPhones.add("+12125550999");
    await p.put(
      envelope(
        "CustomerProfileUpdated",
        {
          customerId: "stop-1",
          locale: "en-US",
          timeZone: "America/New_York",
          phone: "+12125550999",
          email: "sam@example.com",
          preferredChannel: "sms",
        },
        { time: "2026-04-01T00:00:00Z" },
      ),
      envelope("OrderDelivered", { customerId: "stop-1", orderId: "st-1" }, { time: "2026-04-01T15:00:00Z" }),
    );
    await p.advanceTo("2026-04-03T14:00:00Z");
    expect(p.published).toEqual([]);
    expect(p.emitted).toContainEqual(
      expect.objectContaining({
        detailType: "NotificationSuppressed",
        detail: expect.objectContaining({ reason: "opted-out", channel: "sms" }),
      }),
    );
    expect((await p.customers.load("stop-1"))!.state.optOuts.sms).toBeDefined();
    await p.advanceTo("2026-04-15T14:00:00Z");
    expect(p.published).toEqual([expect.objectContaining({ kind: "email", to: "sam@example.com" })]);
  });
});
