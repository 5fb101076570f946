import { describe, expect, it } from "vitest";
import { markAdvertisement } from "../../../functions/core/guardrails/ad-marking.ts";
import { countSmsSegments } from "../../../functions/core/guardrails/sms-segments.ts";
import { journeyCatalog } from "../../../journeys/registry.ts";
import {
  pickLocale,
  renderTemplate,
  SUPPORTED_LOCALES,
} from "../../../journeys/templates/define-template.ts";

/** Realistic, long-ish values: the longest names and product names we expect in production. */
const realistic = {
  "en-US": { name: "Alexandra", products: ["Galaxy S26 Ultra 512GB Titanium", "Galaxy Buds4 Pro"] },
  "ko-KR": { name: "남궁민수", products: ["갤럭시 S26 울트라 512GB 티타늄", "갤럭시 버즈4 프로"] },
} as const;

describe("message templates", () => {
  for (const template of journeyCatalog.templates()) {
    for (const locale of SUPPORTED_LOCALES) {
      it(`${template.id} (${locale}) renders for SMS within 3 segments and for email, with no placeholders left`, () => {
        const vars = { ...realistic[locale], orderId: "ORD-2026-0001234", surveyId: "Ab3dE5gH7j" };
        const sms = renderTemplate(template, locale, "sms", vars);
        const marked = markAdvertisement(sms.body, locale, "sms", template.priority);
        expect(countSmsSegments(marked).segments).toBeLessThanOrEqual(3);
        const email = renderTemplate(template, locale, "email", vars);
        expect(email.subject?.length).toBeGreaterThan(0);
        for (const text of [marked, email.subject!, email.body]) {
          expect(text).not.toMatch(/undefined|null|\[object|NaN|\$\{/);
        }
        expect(sms.body).toContain(locale === "ko-KR" ? "남궁민수" : "Alexandra");
      });
    }
  }

  it("Korean text is counted as UCS-2 (70/67 per segment)", () => {
    const tips = journeyCatalog.template("post-purchase.tips")!;
    const sms = renderTemplate(tips, "ko-KR", "sms", realistic["ko-KR"]);
    expect(countSmsSegments(sms.body).encoding).toBe("UCS-2");
  });

  it("reads naturally without a name or products", () => {
    const tips = journeyCatalog.template("post-purchase.tips")!;
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
    const survey = journeyCatalog.template("post-purchase.nps-survey")!;
    expect(renderTemplate(survey, "en-US", "sms", { surveyId: "Zx9" }).body).toContain("/s/Zx9");
  });
});
