import { type DemoClient, expectThat } from "./demo-client.ts";

export interface Story {
  title: string;
  premise: string;
  start: string;
  play(client: DemoClient): Promise<void>;
}

const galaxy = {
  sku: "SM-S931N",
  name: "Galaxy S26",
  model: "SM-S931",
  category: "phone",
  quantity: 1,
  unitPrice: 1_155_000,
};

export const stories: Story[] = [
  {
    title: "Jiwoo in Seoul: tips, a survey, and a call from a human",
    premise:
      "Jiwoo buys a phone. Waymark helps her get started, asks how it went, and hands an unhappy answer to an agent.",
    start: "2026-03-02T00:00:00Z",
    async play(c) {
      c.narrate("CRM sends her profile; the shop sends her order.");
      await c.put("crm.profiles", "CustomerProfileUpdated", {
        customerId: "jiwoo",
        name: "김지우",
        locale: "ko-KR",
        timeZone: "Asia/Seoul",
        phone: "+821012345678",
        email: "jiwoo@example.com",
        preferredChannel: "sms",
      });
      await c.put("shop.orders", "OrderPlaced", {
        customerId: "jiwoo",
        orderId: "KR-1001",
        items: [galaxy],
        currency: "KRW",
      });
      c.narrate("Logistics delivers on Wednesday 4 March at 14:00 in Seoul.");
      await c.setClock("2026-03-04T05:00:00Z");
      await c.put("logistics.deliveries", "OrderDelivered", { customerId: "jiwoo", orderId: "KR-1001" });
      c.narrate("Two days pass…");
      await c.advance("P2D");
      const tips = await c.decisions();
      expectThat(
        tips.some((n) => n.template === "post-purchase.tips" && n.at === "2026-03-06T01:00:00.000Z"),
        "tips at 10:00 KST on day 2",
      );
      c.narrate("Twelve more days pass…");
      await c.advance("P12D");
      const [survey] = await c.decisions();
      expectThat(survey?.template === "post-purchase.nps-survey", "an NPS survey on day 14");
      c.narrate("Jiwoo answers 3 out of 10: the battery drains fast.");
      await c.put("surveys.nps", "SurveyResponded", {
        customerId: "jiwoo",
        surveyId: survey!.vars.surveyId,
        score: 3,
        comment: "배터리가 너무 빨리 닳아요",
      });
      const followup = await c.decisions();
      expectThat(
        followup.some((n) => n.template === "post-purchase.detractor-followup"),
        "a follow-up to the detractor",
      );
      const [escalation] = await c.events("AgentEscalationRequested");
      expectThat(escalation, "an AgentEscalationRequested for an agent");
      const context = (escalation!.detail as { context: { timeline: { summary: string }[] } }).context;
      c.narrate(
        `An agent is asked to call, with her order, her answer and her timeline (${context.timeline.length} entries):`,
      );
      for (const entry of context.timeline.slice(-4)) c.narrate(`  · ${entry.summary}`);
    },
  },
  {
    title: "Jane in New York: a promoter, a late answer, and the rules for marketing",
    premise:
      "Jane loves her phone. A review request is marketing: it needs her consent, waits for morning, and says how to opt out.",
    start: "2026-03-05T00:00:00Z",
    async play(c) {
      await c.put("crm.profiles", "CustomerProfileUpdated", {
        customerId: "jane",
        name: "Jane",
        locale: "en-US",
        timeZone: "America/New_York",
        phone: "+12125550123",
        preferredChannel: "sms",
        consent: { marketingSms: true },
      });
      await c.put("shop.orders", "OrderPlaced", {
        customerId: "jane",
        orderId: "US-2002",
        items: [galaxy],
        currency: "USD",
      });
      c.narrate("Delivered Saturday 7 March; clocks spring forward on Sunday.");
      await c.setClock("2026-03-07T16:00:00Z");
      await c.put("logistics.deliveries", "OrderDelivered", { customerId: "jane", orderId: "US-2002" });
      await c.advance("P14D");
      const sent = await c.decisions();
      expectThat(
        sent.some((n) => n.template === "post-purchase.tips" && n.at === "2026-03-09T14:00:00.000Z"),
        "tips at 10:00 EDT after the DST change",
      );
      const survey = sent.find((n) => n.template === "post-purchase.nps-survey");
      expectThat(survey, "a survey on day 14");
      c.narrate("Jane answers 10/10 at 22:30 — inside her quiet hours.");
      await c.setClock("2026-03-22T02:30:00Z");
      await c.put("surveys.nps", "SurveyResponded", {
        customerId: "jane",
        surveyId: survey!.vars.surveyId,
        score: 10,
      });
      const held = await c.decisions();
      expectThat(
        held.some((n) => n.status === "deferred"),
        "the review request held until 08:00",
      );
      c.narrate("Morning comes.");
      await c.advance("PT10H");
      const review = await c.decisions();
      expectThat(
        review.some((n) => n.status === "sent" && n.body?.endsWith("Reply STOP to opt out")),
        "a review request that says how to opt out",
      );
    },
  },
  {
    title: "Sam: a channel closed, and a bad event kept aside",
    premise:
      "Sam replies STOP to texts. Waymark never texts him again and uses email. A producer sends a broken event; it is rejected with its reason.",
    start: "2026-04-01T00:00:00Z",
    async play(c) {
      await c.put("crm.profiles", "CustomerProfileUpdated", {
        customerId: "sam",
        locale: "en-US",
        timeZone: "America/Los_Angeles",
        phone: "+13105550188",
        email: "sam@example.com",
        preferredChannel: "sms",
      });
      await c.put("messaging.opt-outs", "NotificationOptOut", { customerId: "sam", channel: "sms" });
      await c.put("logistics.deliveries", "OrderDelivered", { customerId: "sam", orderId: "US-3003" });
      await c.advance("P3D");
      const [tips] = await c.decisions();
      expectThat(tips?.channel === "email", "the tips by email, since SMS is closed");
      c.narrate("A producer forgets the customer id:");
      await c.put("logistics.deliveries", "OrderDelivered", { orderId: "US-4004" });
      const rejected = await c.rejected();
      expectThat(
        rejected.some((r) => r.reason.includes("detail.customerId")),
        "a rejection naming detail.customerId",
      );
      c.narrate(`rejected, and kept for an operator: ${rejected.at(-1)?.reason}`);
    },
  },
];
