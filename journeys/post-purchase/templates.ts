import { defineTemplate, productSummary, text } from "../../functions/core/journey/template.ts";
import { sampleNames, sampleProducts } from "../template-samples.ts";
import { links } from "./links.ts";

const enProduct = (v: Record<string, unknown>) =>
  productSummary(v.products, (n) => ` and ${n} more item${n > 1 ? "s" : ""}`, "order");
const koProduct = (v: Record<string, unknown>) =>
  productSummary(v.products, (n) => ` 외 ${n}건`, "주문하신 상품");

/** The vars the post-purchase sends give, from the plainest to the longest a customer may have. */
const samples = [
  { name: sampleNames.short, products: sampleProducts.one, orderId: "o-1001", surveyId: "Xq3vB9kLmN" },
  {
    name: sampleNames.long,
    products: sampleProducts.longEnglish,
    orderId: "ORD-2026-000012345678",
    surveyId: "Xq3vB9kLmN",
  },
  {
    name: sampleNames.korean,
    products: sampleProducts.longKorean,
    orderId: "ORD-2026-000012345678",
    surveyId: "Xq3vB9kLmN",
  },
  {},
];

export const tips = defineTemplate({
  id: "post-purchase.tips",
  samples,
  priority: "service",
  locales: {
    "en-US": {
      sms: (v, c) =>
        `Hi ${text(v.name, "there")}, enjoying your ${enProduct(v)}? 3 quick tips to get the most out of it: ${links(c).tips(v.orderId)}`,
      email: {
        subject: (v) => `Getting the most out of your ${enProduct(v)}`,
        body: (v, c) =>
          `Hi ${text(v.name, "there")},\n\nYour ${enProduct(v)} arrived two days ago. We put together a few tips ` +
          `that owners find most useful in the first weeks: ${links(c).tips(v.orderId)}\n\nEnjoy!`,
      },
    },
    "ko-KR": {
      sms: (v, c) =>
        `${text(v.name, "고객")}님, ${koProduct(v)} 잘 사용하고 계신가요? 더 알차게 쓰는 팁 3가지: ${links(c).tips(v.orderId)}`,
      email: {
        subject: (v) => `${koProduct(v)} 200% 활용 팁`,
        body: (v, c) =>
          `${text(v.name, "고객")}님, 안녕하세요.\n\n이틀 전 받으신 ${koProduct(v)}, 처음 몇 주 동안 가장 유용한 ` +
          `사용 팁을 모았습니다: ${links(c).tips(v.orderId)}\n\n즐거운 사용 되세요!`,
      },
    },
  },
});

export const npsSurvey = defineTemplate({
  id: "post-purchase.nps-survey",
  samples,
  priority: "service",
  locales: {
    "en-US": {
      sms: (v, c) =>
        `Hi ${text(v.name, "there")}, how likely are you to recommend your ${enProduct(v)} to a friend? ` +
        `Tell us in 1 tap (0-10): ${links(c).survey(v.surveyId)}`,
      email: {
        subject: () => "Two weeks in: how is it going?",
        body: (v, c) =>
          `Hi ${text(v.name, "there")},\n\nYou have had your ${enProduct(v)} for two weeks. How likely are you ` +
          `to recommend it to a friend, from 0 to 10? It takes one tap: ${links(c).survey(v.surveyId)}\n\nThank you!`,
      },
    },
    "ko-KR": {
      sms: (v, c) =>
        `${text(v.name, "고객")}님, ${koProduct(v)}을(를) 지인에게 추천하실 의향은 몇 점인가요? (0~10점) ${links(c).survey(v.surveyId)}`,
      email: {
        subject: () => "사용 2주째, 어떠세요?",
        body: (v, c) =>
          `${text(v.name, "고객")}님, 안녕하세요.\n\n${koProduct(v)}을(를) 사용하신 지 2주가 되었습니다. ` +
          `지인에게 추천하실 의향을 0~10점으로 알려주세요: ${links(c).survey(v.surveyId)}\n\n감사합니다.`,
      },
    },
  },
});

export const detractorFollowup = defineTemplate({
  id: "post-purchase.detractor-followup",
  samples,
  priority: "service",
  locales: {
    "en-US": {
      sms: (v) =>
        `Hi ${text(v.name, "there")}, thank you for your honest answer. We are sorry your ${enProduct(v)} ` +
        `fell short. A specialist will call you within 1 business day to make it right.`,
      email: {
        subject: () => "We want to make this right",
        body: (v) =>
          `Hi ${text(v.name, "there")},\n\nThank you for telling us how your ${enProduct(v)} is working out. ` +
          `We are sorry it fell short. A specialist who already has your order and your answer will call you ` +
          `within one business day, so you will not have to explain anything twice.`,
      },
    },
    "ko-KR": {
      sms: (v) =>
        `${text(v.name, "고객")}님, 솔직한 의견 감사합니다. ${koProduct(v)} 사용에 불편을 드려 죄송합니다. ` +
        `1영업일 안에 전문 상담사가 연락드리겠습니다.`,
      email: {
        subject: () => "불편을 해결해 드리겠습니다",
        body: (v) =>
          `${text(v.name, "고객")}님, 안녕하세요.\n\n${koProduct(v)}에 대한 의견을 보내주셔서 감사합니다. ` +
          `기대에 미치지 못해 죄송합니다. 주문 내역과 답변을 이미 확인한 전문 상담사가 1영업일 안에 ` +
          `연락드리니, 같은 설명을 반복하지 않으셔도 됩니다.`,
      },
    },
  },
});

export const reviewRequest = defineTemplate({
  id: "post-purchase.review-request",
  samples,
  priority: "marketing",
  locales: {
    "en-US": {
      sms: (v, c) =>
        `Hi ${text(v.name, "there")}, so glad you love your ${enProduct(v)}! Would you share it in a review? ` +
        `${links(c).review(v.orderId)}`,
      email: {
        subject: (v) => `Would you review your ${enProduct(v)}?`,
        body: (v, c) =>
          `Hi ${text(v.name, "there")},\n\nThank you for the great score! A short review of your ${enProduct(v)} ` +
          `helps other shoppers choose well: ${links(c).review(v.orderId)}`,
      },
    },
    "ko-KR": {
      sms: (v, c) =>
        `${text(v.name, "고객")}님, ${koProduct(v)}에 만족하셨다니 기쁩니다! 짧은 리뷰를 남겨주시겠어요? ${links(c).review(v.orderId)}`,
      email: {
        subject: (v) => `${koProduct(v)} 리뷰를 남겨주세요`,
        body: (v, c) =>
          `${text(v.name, "고객")}님, 높은 점수 감사합니다!\n\n${koProduct(v)} 리뷰는 다른 고객의 선택에 큰 도움이 됩니다: ` +
          `${links(c).review(v.orderId)}`,
      },
    },
  },
});

export const postPurchaseTemplates = [tips, npsSurvey, detractorFollowup, reviewRequest];
