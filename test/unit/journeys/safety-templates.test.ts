import { describe, expect, it } from "vitest";
import { countSmsSegments } from "../../../functions/core/guardrails/sms-segments.ts";
import { renderTemplate, SUPPORTED_LOCALES } from "../../../functions/core/journey/template.ts";
import { referenceCatalog } from "../../../journeys/registry.ts";

const store = {
  name: "Jiwoo",
  recallId: "RC-1",
  restrictionId: "TR-1",
  authority: "FAA",
  model: "SM-S931",
  replacementSku: "SM-S936N",
  fulfilment: "store",
  storeName: "Myeongdong",
  storeAddress: "14 Myeongdong-gil",
  distanceKm: 2.3,
};
const ship = {
  ...store,
  fulfilment: "ship",
  storeName: undefined,
  storeAddress: undefined,
  distanceKm: undefined,
};

describe("safety templates", () => {
  for (const id of ["product-recall.notice", "product-recall.reminder", "travel-restriction.alert"]) {
    for (const locale of SUPPORTED_LOCALES) {
      it(`${id} (${locale}) names the reserved store, or promises free delivery, within 3 segments`, () => {
        const template = referenceCatalog.template(id)!;
        const atStore = renderTemplate(template, locale, "sms", store).body;
        expect(atStore).toContain("Myeongdong");
        expect(atStore).toContain("2.3");
        expect(atStore).toContain("SM-S936N");
        const shipped = renderTemplate(template, locale, "sms", ship).body;
        expect(shipped).not.toContain("Myeongdong");
        expect(shipped).toMatch(
          locale === "ko-KR" ? /무료 배송/ : /deliver a free replacement, SM-S936N, to your home/,
        );
        for (const body of [atStore, shipped]) {
          expect(countSmsSegments(body).segments).toBeLessThanOrEqual(3);
          expect(body).not.toMatch(/undefined|\(광고\)|STOP/);
        }
        const email = renderTemplate(template, locale, "email", store);
        expect(email.body).toContain("14 Myeongdong-gil");
      });
    }
  }
});
