import { describe, expect, it } from "vitest";
import { renderContent } from "../../../functions/core/engine/delivery.ts";
import { countSmsSegments } from "../../../functions/core/guardrails/sms-segments.ts";
import {
  renderTemplate,
  SUPPORTED_LOCALES,
  type TemplateVars,
} from "../../../functions/core/journey/template.ts";
import type { AlertVars, Recommendation } from "../../../journeys/data-usage/decide-alert.ts";
import { referenceCatalog } from "../../../journeys/registry.ts";

const template = referenceCatalog.template("data-usage.alert")!;

/** Realistic figures for each market; the upgrade variant adds the plan and the saving. */
const figures = {
  "en-US": {
    base: {
      usedPercent: 91,
      daysLeft: 11,
      projectedUsageMb: 8806,
      projectedOverageMb: 3686,
      projectedOverageCost: 35.99,
      overagePricePerGb: 10,
      currency: "USD",
    },
    upgrade: { upgradePlanId: "us-unlimited-premium", monthlySaving: 16.67 },
    price: "$10/GB",
  },
  "ko-KR": {
    base: {
      usedPercent: 91,
      daysLeft: 11,
      projectedUsageMb: 8806,
      projectedOverageMb: 3686,
      projectedOverageCost: 39595.7,
      overagePricePerGb: 11000,
      currency: "KRW",
    },
    upgrade: { upgradePlanId: "lte-5g-unlimited-premium", monthlySaving: 12333.33 },
    price: "1GB당 11,000원",
  },
} as const;

function varsFor(
  locale: (typeof SUPPORTED_LOCALES)[number],
  recommendation: Recommendation,
): AlertVars & TemplateVars {
  const f = figures[locale];
  if (recommendation === "none") {
    return {
      ...f.base,
      projectedUsageMb: 4900,
      projectedOverageMb: 0,
      projectedOverageCost: 0,
      recommendation,
    };
  }
  return { ...f.base, recommendation, ...(recommendation === "upgrade" ? f.upgrade : {}) };
}

/** A deployment's own short link domain: links are built on it, not on a domain baked into the text. */
const LINK = "https://go.example";

describe("data-usage.alert template", () => {
  for (const locale of SUPPORTED_LOCALES) {
    for (const recommendation of ["none", "stay", "upgrade"] as const) {
      it(`${locale} ${recommendation}: ≤ 3 SMS segments after ad marking, overage price stated`, () => {
        const vars = varsFor(locale, recommendation);
        const priority = recommendation === "upgrade" ? "marketing" : "service";
        // As the engine renders it: ad marks, and the shorter variant when the full text runs over.
        const catalog = referenceCatalog.withLinkBaseUrl(LINK);
        const marked = renderContent(catalog, template, locale, "sms", priority, vars).body!;
        const sms = { body: marked };
        const segments = countSmsSegments(marked);
        expect(segments.segments).toBeLessThanOrEqual(3);
        expect(segments.encoding).toBe(locale === "ko-KR" ? "UCS-2" : "GSM-7");
        const email = renderTemplate(template, locale, "email", vars);
        for (const text of [marked, email.subject!, email.body]) {
          expect(text).not.toMatch(/undefined|null|\[object|NaN|\$\{/);
        }
        expect(sms.body).toContain(figures[locale].price);
        expect(email.body).toContain(locale === "ko-KR" ? "1GB당 11,000원" : "$10 per GB");
        expect(sms.body).toContain("91%");
        expect(email.subject).toContain("91%");
        if (recommendation === "upgrade") {
          expect(marked).toContain(`${LINK}/p/${vars.upgradePlanId}`);
          expect(marked).toMatch(
            locale === "ko-KR" ? /^\(광고\)웨이마크 [\s\S]*\n무료수신거부 080-500-4321$/ : /STOP/,
          );
          expect(sms.body).toContain(locale === "ko-KR" ? "12,333원" : "$16.67");
        } else {
          expect(sms.body).not.toContain(LINK);
        }
        if (recommendation !== "none") {
          expect(sms.body).toContain(locale === "ko-KR" ? "39,596원" : "$35.99");
        }
      });
    }
  }

  it("stay (en-US): the projected overage, its price, and no need to upgrade", () => {
    const body = renderTemplate(template, "en-US", "sms", varsFor("en-US", "stay")).body;
    expect(body).toBe(
      "You've used 91% of your data allowance with 11 days to go. At this pace you'll use about 8.6 GB, " +
        "3.6 GB over your allowance: about $35.99 at $10/GB. No need to change your plan.",
    );
  });

  it("reads naturally in Korean (none, ko-KR)", () => {
    const body = renderTemplate(template, "ko-KR", "sms", varsFor("ko-KR", "none")).body;
    expect(body).toBe(
      "데이터 제공량의 91%를 사용하셨습니다(남은 기간 11일). 이대로면 제공량 안에서 쓰실 수 있습니다. " +
        "초과 요금은 1GB당 11,000원입니다.",
    );
  });

  it("a stay fallback within the limit (no consent for an upgrade) reads sensibly", () => {
    const vars = { ...varsFor("en-US", "none"), recommendation: "stay" as const };
    const body = renderTemplate(template, "en-US", "sms", vars).body;
    expect(body).toContain("you'll stay within your allowance. Extra data would cost $10/GB.");
    expect(body).toContain("No need to change your plan.");
  });

  it("other currencies stay in GSM-7 for English SMS (no ₩ or € symbols)", () => {
    const vars = {
      ...varsFor("en-US", "stay"),
      currency: "KRW",
      overagePricePerGb: 11000,
      projectedOverageCost: 39595.7,
    };
    const body = renderTemplate(template, "en-US", "sms", vars).body;
    expect(body).toContain("about 39,596 KRW at 11,000 KRW/GB");
    expect(countSmsSegments(body).encoding).toBe("GSM-7");
  });
});
