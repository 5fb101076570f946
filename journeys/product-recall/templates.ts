import {
  defineTemplate,
  type TemplateContext,
  type TemplateVars,
  text,
} from "../../functions/core/journey/template.ts";
import { sampleNames } from "../template-samples.ts";

const recallLink = (v: TemplateVars, c: TemplateContext) =>
  `${c.linkBaseUrl}/rc/${encodeURIComponent(String(v.recallId))}`;
const travelLink = (v: TemplateVars, c: TemplateContext) =>
  `${c.linkBaseUrl}/tr/${encodeURIComponent(String(v.restrictionId))}`;

/** "at Myeongdong (2.3 km)" or "delivered free to your home": the part of a safety message that is about the customer. */
const enRemedy = (v: TemplateVars) =>
  v.fulfilment === "none"
    ? "Bring it to any of our stores or reply to this message for a full refund."
    : v.fulfilment === "store"
      ? `A free replacement, ${String(v.replacementSku)}, is reserved for you at ${text(v.storeName, "a store near you")} (${String(v.distanceKm)} km).`
      : `We will deliver a free replacement, ${String(v.replacementSku)}, to your home.`;
const koRemedy = (v: TemplateVars) =>
  v.fulfilment === "none"
    ? "가까운 매장을 방문하시거나 이 메시지에 답장해 주시면 전액 환불해 드립니다."
    : v.fulfilment === "store"
      ? `교체품 ${String(v.replacementSku)}을(를) ${text(v.storeName, "가까운 매장")}(${String(v.distanceKm)}km)에 준비해 두었습니다.`
      : `교체품 ${String(v.replacementSku)}을(를) 댁으로 무료 배송해 드립니다.`;
/** The remedy in as few characters as an SMS over its budget needs: what, and where. */
const enRemedyShort = (v: TemplateVars) =>
  v.fulfilment === "none"
    ? "Full refund at any store."
    : v.fulfilment === "store"
      ? `Free ${String(v.replacementSku)} reserved at ${text(v.storeName, "a store near you")}.`
      : `Free ${String(v.replacementSku)} delivered home.`;
const koRemedyShort = (v: TemplateVars) =>
  v.fulfilment === "none"
    ? "매장에서 전액 환불."
    : v.fulfilment === "store"
      ? `교체품 ${String(v.replacementSku)}: ${text(v.storeName, "가까운 매장")}.`
      : `교체품 ${String(v.replacementSku)} 무료 배송.`;
const enStoreLine = (v: TemplateVars) =>
  v.fulfilment === "store" ? `\n\nStore: ${text(v.storeName, "")}, ${text(v.storeAddress, "")}` : "";
const koStoreLine = (v: TemplateVars) =>
  v.fulfilment === "store" ? `\n\n매장: ${text(v.storeName, "")}, ${text(v.storeAddress, "")}` : "";

const store = {
  fulfilment: "store",
  replacementSku: "SM-S936N",
  storeId: "myeongdong",
  storeName: "Samsung Experience Store Myeongdong Flagship",
  storeAddress: "B1, 26 Myeongdong-gil, Jung-gu, Seoul",
  distanceKm: 12.3,
};
/** The vars a recall send gives, for each way the replacement reaches the customer. */
const recallSamples = [
  {
    name: sampleNames.short,
    model: "SM-S931",
    recallId: "RC-2026-0042",
    hazard: "battery may overheat",
    ...store,
  },
  {
    name: sampleNames.long,
    model: "SM-S931",
    recallId: "RC-2026-0042",
    hazard: "battery may overheat",
    ...store,
  },
  {
    name: sampleNames.korean,
    model: "SM-S931",
    recallId: "RC-2026-0042",
    hazard: "배터리 과열 가능성",
    ...store,
    storeName: "삼성 익스피리언스 스토어 명동 플래그십",
  },
  {
    name: sampleNames.long,
    model: "SM-S931",
    recallId: "RC-2026-0042",
    fulfilment: "home",
    replacementSku: "SM-S936N",
  },
  { name: sampleNames.long, model: "SM-S931", recallId: "RC-2026-0042", fulfilment: "none" },
];
const travelSamples = recallSamples.map((sample) => ({
  ...sample,
  authority: "the Korea Office of Civil Aviation",
  restrictionId: "TR-2026-007",
}));

export const recallNotice = defineTemplate({
  id: "product-recall.notice",
  samples: recallSamples,
  priority: "safety",
  locales: {
    "en-US": {
      sms: (v, c) =>
        `Safety recall: ${text(v.name, "Hello")}, your ${String(v.model)} must be replaced. Please stop using it. ` +
        `${enRemedy(v)} Details: ${recallLink(v, c)}`,
      smsShort: (v, c) =>
        `Safety recall: stop using your ${String(v.model)}. ${enRemedyShort(v)} ${recallLink(v, c)}`,
      email: {
        subject: (v) => `Safety recall: please stop using your ${String(v.model)}`,
        body: (v, c) =>
          `${text(v.name, "Hello")},\n\nYour ${String(v.model)} is part of safety recall ${String(v.recallId)}: ` +
          `${text(v.hazard, "a safety defect was found")}. Please stop using it and keep it away from heat.\n\n` +
          `${enRemedy(v)}${enStoreLine(v)}\n\nEverything about the recall: ${recallLink(v, c)}`,
      },
    },
    "ko-KR": {
      sms: (v, c) =>
        `[안전 리콜] ${text(v.name, "고객")}님, 보유하신 ${String(v.model)} 제품의 사용을 중지해 주세요. ` +
        `${koRemedy(v)} ${recallLink(v, c)}`,
      smsShort: (v, c) =>
        `[안전 리콜] ${String(v.model)} 사용을 중지해 주세요. ${koRemedyShort(v)} ${recallLink(v, c)}`,
      email: {
        subject: (v) => `[안전 리콜] ${String(v.model)} 사용을 중지해 주세요`,
        body: (v, c) =>
          `${text(v.name, "고객")}님, 안녕하세요.\n\n보유하신 ${String(v.model)} 제품이 안전 리콜(${String(v.recallId)}) ` +
          `대상입니다: ${text(v.hazard, "안전 결함이 발견되었습니다")}. 즉시 사용을 중지해 주세요.\n\n` +
          `${koRemedy(v)}${koStoreLine(v)}\n\n리콜 안내: ${recallLink(v, c)}`,
      },
    },
  },
});

export const recallReminder = defineTemplate({
  id: "product-recall.reminder",
  samples: recallSamples,
  priority: "safety",
  locales: {
    "en-US": {
      sms: (v, c) =>
        `Reminder: ${text(v.name, "Hello")}, your recalled ${String(v.model)} has not been replaced yet. ` +
        `${enRemedy(v)} ${recallLink(v, c)}`,
      smsShort: (v, c) =>
        `Recall reminder: your ${String(v.model)} is not replaced yet. ${enRemedyShort(v)} ${recallLink(v, c)}`,
      email: {
        subject: (v) => `Reminder: your ${String(v.model)} is still under a safety recall`,
        body: (v, c) =>
          `${text(v.name, "Hello")},\n\nYour ${String(v.model)} has not been replaced yet, and it is not safe to use. ` +
          `${enRemedy(v)}${enStoreLine(v)}\n\n${recallLink(v, c)}`,
      },
    },
    "ko-KR": {
      sms: (v, c) =>
        `[리콜 재안내] ${text(v.name, "고객")}님, ${String(v.model)} 교체가 아직 완료되지 않았습니다. ` +
        `${koRemedy(v)} ${recallLink(v, c)}`,
      smsShort: (v, c) =>
        `[리콜 재안내] ${String(v.model)} 교체 전입니다. ${koRemedyShort(v)} ${recallLink(v, c)}`,
      email: {
        subject: (v) => `[리콜 재안내] ${String(v.model)} 교체가 아직 완료되지 않았습니다`,
        body: (v, c) =>
          `${text(v.name, "고객")}님, 안녕하세요.\n\n${String(v.model)} 제품은 안전을 위해 사용하지 마세요. ` +
          `${koRemedy(v)}${koStoreLine(v)}\n\n${recallLink(v, c)}`,
      },
    },
  },
});

export const travelAlert = defineTemplate({
  id: "travel-restriction.alert",
  samples: travelSamples,
  priority: "safety",
  locales: {
    "en-US": {
      sms: (v, c) =>
        `Travel alert for ${text(v.name, "you")}: ${String(v.authority)} bans the ${String(v.model)} on flights. ` +
        `${enRemedy(v)} ${travelLink(v, c)}`,
      smsShort: (v, c) =>
        `Travel alert: the ${String(v.model)} may not fly. ${enRemedyShort(v)} ${travelLink(v, c)}`,
      email: {
        subject: (v) => `Travel alert: the ${String(v.model)} may not fly`,
        body: (v, c) =>
          `${text(v.name, "Hello")},\n\n${String(v.authority)} no longer allows the ${String(v.model)} on flights ` +
          `(${String(v.restrictionId)}). Please do not take it to the airport.\n\n` +
          `${enRemedy(v)}${enStoreLine(v)}\n\n${travelLink(v, c)}`,
      },
    },
    "ko-KR": {
      sms: (v, c) =>
        `[여행 안내] ${text(v.name, "고객")}님, ${String(v.authority)}가 ${String(v.model)}의 기내 반입을 금지했습니다. ` +
        `${koRemedy(v)} ${travelLink(v, c)}`,
      smsShort: (v, c) =>
        `[여행 안내] ${String(v.model)} 기내 반입 금지. ${koRemedyShort(v)} ${travelLink(v, c)}`,
      email: {
        subject: (v) => `[여행 안내] ${String(v.model)} 항공기 반입 금지`,
        body: (v, c) =>
          `${text(v.name, "고객")}님, 안녕하세요.\n\n${String(v.authority)}가 ${String(v.model)} 제품의 항공기 반입을 ` +
          `금지했습니다(${String(v.restrictionId)}). 공항에 가져가지 마세요.\n\n${koRemedy(v)}${koStoreLine(v)}\n\n${travelLink(v, c)}`,
      },
    },
  },
});

export const safetyTemplates = [recallNotice, recallReminder, travelAlert];
