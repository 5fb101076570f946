import { describe, expect, it } from "vitest";
import { referenceEvents } from "../../../events/catalog.ts";
import { defineCatalog } from "../../../events/define-catalog.ts";
import { renderContent } from "../../../functions/core/engine/delivery.ts";
import { countSmsSegments } from "../../../functions/core/guardrails/sms-segments.ts";
import { pickLocale, renderTemplate, SUPPORTED_LOCALES } from "../../../functions/core/journey/template.ts";
import {
  referenceCalculators,
  referenceCatalog,
  referenceDelivery,
  referenceJourneys,
  referenceTemplates,
} from "../../../journeys/registry.ts";

/** Realistic, long-ish values: the longest names and product names we expect in production. */
const realistic = {
  "en-US": { name: "Alexandra", products: ["Galaxy S26 Ultra 512GB Titanium", "Galaxy Buds4 Pro"] },
  "ko-KR": { name: "남궁민수", products: ["갤럭시 S26 울트라 512GB 티타늄", "갤럭시 버즈4 프로"] },
} as const;

/** A data-usage alert at its longest: the upgrade variant, with realistic figures per market. */
const dataUsage = {
  "en-US": {
    usedPercent: 87,
    daysLeft: 12,
    projectedUsageMb: 7731,
    projectedOverageMb: 2611,
    projectedOverageCost: 25.5,
    overagePricePerGb: 10,
    currency: "USD",
    recommendation: "upgrade",
    upgradePlanId: "us-unlimited-plus",
    monthlySaving: 13.67,
  },
  "ko-KR": {
    usedPercent: 87,
    daysLeft: 12,
    projectedUsageMb: 7731,
    projectedOverageMb: 2611,
    projectedOverageCost: 28047.85,
    overagePricePerGb: 11000,
    currency: "KRW",
    recommendation: "upgrade",
    upgradePlanId: "lte-5g-unlimited",
    monthlySaving: 8333.33,
  },
} as const;

/** A recall or travel notice at its longest: a reserved replacement at a named store. */
const safety = {
  "en-US": {
    recallId: "RC-2026-0042",
    restrictionId: "FAA-2026-117",
    authority: "FAA",
    model: "SM-S931",
    hazard: "the battery can overheat while charging",
    replacementSku: "SM-S936N-256",
    fulfilment: "store",
    storeName: "Fifth Avenue Experience Store",
    storeAddress: "767 Fifth Avenue, New York, NY 10153",
    distanceKm: 12.4,
  },
  "ko-KR": {
    recallId: "RC-2026-0042",
    restrictionId: "KR-MOLIT-2026-117",
    authority: "국토교통부",
    model: "SM-S931",
    hazard: "충전 중 배터리가 과열될 수 있습니다",
    replacementSku: "SM-S936N-256",
    fulfilment: "store",
    storeName: "삼성스토어 명동",
    storeAddress: "서울 중구 명동길 14",
    distanceKm: 12.4,
  },
} as const;

describe("message templates", () => {
  for (const template of referenceCatalog.templates()) {
    for (const locale of SUPPORTED_LOCALES) {
      it(`${template.id} (${locale}) renders for SMS within 3 segments and for email, with no placeholders left`, () => {
        const vars = {
          ...realistic[locale],
          ...dataUsage[locale],
          ...safety[locale],
          orderId: "ORD-2026-0001234",
          surveyId: "Ab3dE5gH7j",
        };
        // A template that may also go out as marketing is measured with the ad marking it would carry, and
        // as the engine renders it (the shorter variant when the full text runs over).
        const priority = template.alsoAs?.includes("marketing") ? "marketing" : template.priority;
        const marked = renderContent(referenceCatalog, template, locale, "sms", priority, vars).body!;
        const sms = { body: marked };
        expect(countSmsSegments(marked).segments).toBeLessThanOrEqual(3);
        const email = renderTemplate(template, locale, "email", vars);
        expect(email.subject?.length).toBeGreaterThan(0);
        for (const text of [marked, email.subject!, email.body]) {
          expect(text).not.toMatch(/undefined|null|\[object|NaN|\$\{/);
        }
        // The data-usage alert is about the line, not the person: its vars (docs/reference-journeys.md) carry no name.
        if (!template.id.startsWith("data-usage.")) {
          expect(sms.body).toContain(locale === "ko-KR" ? "남궁민수" : "Alexandra");
        }
      });
    }
  }

  it("Korean text is counted as UCS-2 (70/67 per segment)", () => {
    const tips = referenceCatalog.template("post-purchase.tips")!;
    const sms = renderTemplate(tips, "ko-KR", "sms", realistic["ko-KR"]);
    expect(countSmsSegments(sms.body).encoding).toBe("UCS-2");
  });

  it("reads naturally without a name or products", () => {
    const tips = referenceCatalog.template("post-purchase.tips")!;
    expect(renderTemplate(tips, "en-US", "sms", { orderId: "o-1" }).body).toMatch(
      /^Hi there, enjoying your order\?/,
    );
    expect(renderTemplate(tips, "ko-KR", "sms", { orderId: "o-1" }).body).toMatch(/^고객님, 주문하신 상품/);
  });

  it("the customer's locale picks the language; anything else falls back to en-US", () => {
    expect(pickLocale("ko-KR")).toBe("ko-KR");
    expect(pickLocale("ja-JP")).toBe("en-US");
    expect(pickLocale(undefined)).toBe("en-US");
  });

  it("the survey link carries the survey id", () => {
    const survey = referenceCatalog.template("post-purchase.nps-survey")!;
    expect(renderTemplate(survey, "en-US", "sms", { surveyId: "Zx9" }).body).toContain("/s/Zx9");
  });
});

describe("the reference templates' SMS budgets are checked against realistic renders (issue 9: content)", () => {
  it("every reference template has samples, so defineCatalog renders each locale's SMS within its budget", () => {
    for (const template of referenceTemplates)
      expect(template.samples?.length ?? 0, template.id).toBeGreaterThan(2);
  });

  it("a safety SMS would run over with a long store name or an English message to a Korean name, so it has a shorter variant", () => {
    const withoutShort = referenceTemplates.map((template) =>
      template.id !== "product-recall.notice"
        ? template
        : {
            ...template,
            locales: Object.fromEntries(
              Object.entries(template.locales).map(([locale, text]) => [
                locale,
                { ...text, smsShort: undefined },
              ]),
            ),
          },
    );
    expect(() =>
      defineCatalog({
        events: referenceEvents,
        journeys: referenceJourneys,
        templates: withoutShort,
        calculators: referenceCalculators,
        delivery: referenceDelivery,
      }),
    ).toThrow(
      /product-recall\.notice: (en-US|ko-KR) SMS with samples\[\d\] is 4 segments, over its maxSmsSegments 3/,
    );
  });
});
