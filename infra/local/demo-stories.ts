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
        customerId: "janet",
        name: "Jane",
        locale: "en-US",
        timeZone: "America/New_York",
        phone: "+12125550123",
        preferredChannel: "sms",
        consent: { marketingSms: true },
      });
      await c.put("shop.orders", "OrderPlaced", {
        customerId: "janet",
        orderId: "US-2002",
        items: [galaxy],
        currency: "USD",
      });
      c.narrate("Delivered Saturday 7 March; clocks spring forward on Sunday.");
      await c.setClock("2026-03-07T16:00:00Z");
      await c.put("logistics.deliveries", "OrderDelivered", { customerId: "janet", orderId: "US-2002" });
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
        customerId: "janet",
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
  {
    title: "Mina's data: an alert in her interest, not an upsell",
    premise:
      "Mina often goes over her 5 GB. Waymark projects this month, prices the overage, and only suggests an upgrade that saves her money.",
    start: "2026-06-02T12:00:00Z",
    async play(c) {
      await c.put("crm.profiles", "CustomerProfileUpdated", {
        customerId: "mina",
        name: "Mina",
        locale: "en-US",
        timeZone: "America/New_York",
        phone: "+12125550177",
        preferredChannel: "sms",
        consent: { marketingSms: true },
      });
      const plan = { planId: "basic-5", name: "Basic 5 GB", monthlyPrice: 30 };
      const usage = (periodStart: string, periodEnd: string, usedMb: number) => ({
        customerId: "mina",
        periodStart,
        periodEnd,
        usedMb,
        limitMb: 5120,
        overagePricePerGb: 10,
        currency: "USD",
        plan,
        upgradeOptions: [{ planId: "plus-10", name: "Plus 10 GB", monthlyPrice: 40, limitMb: 10240 }],
      });
      c.narrate("Billing sends the final usage of her last three months: 7.5 GB, 6.8 GB, 4.2 GB.");
      await c.put("billing.usage", "DataUsageUpdated", usage("2026-03-01", "2026-04-01", 7680));
      await c.put("billing.usage", "DataUsageUpdated", usage("2026-04-01", "2026-05-01", 6963));
      await c.put("billing.usage", "DataUsageUpdated", usage("2026-05-01", "2026-06-01", 4300));
      c.narrate("Ten days into June she has used 4.3 GB.");
      await c.setClock("2026-06-11T14:00:00Z");
      await c.put("billing.usage", "DataUsageUpdated", usage("2026-06-01", "2026-07-01", 4400));
      const [alert] = await c.decisions();
      expectThat(alert?.template === "data-usage.alert", "a data-usage alert");
      expectThat(
        alert?.vars.recommendation === "upgrade",
        "an upgrade recommendation, since it would save her money",
      );
      expectThat(String(alert?.body).includes("10"), "the overage price stated in the message");
      c.narrate("A second update the same month sends nothing more.");
      await c.put("billing.usage", "DataUsageUpdated", usage("2026-06-01", "2026-07-01", 4700));
      expectThat((await c.decisions()).length === 0, "no second alert in the same period");
    },
  },
  {
    title: "A safety recall: the right owners, the nearest store that really has the phone",
    premise:
      "A battery defect. Waymark finds every owner through its index, reserves a replacement at the nearest store with free units, and ships when none is near.",
    start: "2026-07-01T00:00:00Z",
    async play(c) {
      const store = (storeId: string, name: string, lat: number, lon: number, quantity: number) =>
        c.put("stores.inventory", "StoreInventoryUpdated", {
          storeId,
          name,
          address: `${name}, Seoul`,
          location: { lat, lon },
          stock: [{ sku: "SM-S936N", quantity }],
        });
      await store("myeongdong", "Myeongdong", 37.5636, 126.985, 1);
      await store("gangnam", "Gangnam", 37.4979, 127.0276, 10);
      const owner = async (customerId: string, home: { lat: number; lon: number }, model = "SM-S931") => {
        await c.put("crm.profiles", "CustomerProfileUpdated", {
          customerId,
          name: customerId,
          locale: "ko-KR",
          timeZone: "Asia/Seoul",
          phone: "+821012340000",
          home: { ...home, address: "home" },
        });
        await c.put("shop.orders", "OrderPlaced", {
          customerId,
          orderId: `${customerId}-1`,
          items: [{ sku: `${model}N`, name: "Galaxy", model, quantity: 1, unitPrice: 1 }],
          currency: "KRW",
        });
      };
      await owner("seo-yeon", { lat: 37.566, lon: 126.978 });
      await owner("min-jun", { lat: 37.567, lon: 126.979 });
      await owner("ha-eun", { lat: 35.1796, lon: 129.0756 });
      await owner("do-yun", { lat: 37.566, lon: 126.978 }, "SM-A556");
      c.narrate("02:00 in Seoul: a critical recall of the SM-S931.");
      await c.setClock("2026-07-01T17:00:00Z");
      await c.put("safety.recalls", "ProductRecallIssued", {
        recallId: "RC-2026-07",
        models: ["SM-S931"],
        severity: "critical",
        hazard: "the battery can overheat while charging",
        remedy: "replace",
        replacementSkus: ["SM-S936N"],
      });
      const notices = (await c.decisions()).filter(
        (n) => n.template === "product-recall.notice" && n.channel === "sms",
      );
      const who = notices.map((n) => `${n.customerId}:${n.vars.storeId ?? n.vars.fulfilment}`).sort();
      expectThat(
        JSON.stringify(who) === JSON.stringify(["ha-eun:ship", "min-jun:gangnam", "seo-yeon:myeongdong"]) ||
          JSON.stringify(who) === JSON.stringify(["ha-eun:ship", "min-jun:myeongdong", "seo-yeon:gangnam"]),
        "Myeongdong's single unit promised once, the next nearest store for the other, free shipping in Busan",
      );
      expectThat(!notices.some((n) => n.customerId === "do-yun"), "nothing for an owner of another model");
    },
  },
  {
    title: "An aviation ban: travellers hear first",
    premise:
      "The authority bans the model on flights. Owners on the road, or who travel often, get an SMS; owners at home who never travel get nothing.",
    start: "2026-08-01T00:00:00Z",
    async play(c) {
      for (const [customerId, where] of [
        ["yuna", { lat: 33.4996, lon: 126.5312 }],
        ["joon", { lat: 37.566, lon: 126.978 }],
      ] as const) {
        await c.put("crm.profiles", "CustomerProfileUpdated", {
          customerId,
          name: customerId,
          locale: "ko-KR",
          timeZone: "Asia/Seoul",
          phone: "+821077770000",
          email: `${customerId}@example.com`,
          preferredChannel: "email",
          home: { lat: 37.566, lon: 126.978, address: "Seoul" },
        });
        await c.put("shop.orders", "OrderPlaced", {
          customerId,
          orderId: `${customerId}-1`,
          items: [{ sku: "SM-S931N", name: "Galaxy", model: "SM-S931", quantity: 1, unitPrice: 1 }],
          currency: "KRW",
        });
        await c.put("app.location", "CustomerLocationUpdated", {
          customerId,
          ...where,
          observedAt: "2026-07-31T23:00:00Z",
        });
      }
      c.narrate("Yuna is in Jeju; Joon is at home in Seoul.");
      await c.setClock("2026-08-01T01:00:00Z");
      await c.put("regulatory.travel", "TravelRestrictionIssued", {
        restrictionId: "MOLIT-2026-08",
        models: ["SM-S931"],
        authority: "MOLIT",
        scope: "air-travel",
        effectiveAt: "2026-08-03T00:00:00Z",
        summary: "not allowed in cabin or hold",
        replacementSkus: ["SM-S936N"],
      });
      const alerts = (await c.decisions()).filter((n) => n.template === "travel-restriction.alert");
      expectThat(alerts.length === 1 && alerts[0]?.customerId === "yuna", "only the traveller is alerted");
      expectThat(alerts[0]?.channel === "sms", "by SMS first, although she prefers email");
    },
  },
];
