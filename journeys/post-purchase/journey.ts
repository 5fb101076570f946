import { defineJourney, eq, gte, lte, ref } from "../../functions/core/journey/define-journey.ts";

/**
 * post-purchase (docs/reference-journeys.md): tips two calendar days after delivery, an NPS survey on the
 * 14th, then a follow-up that depends on the score. A return ends it at once.
 */
export const postPurchaseV1 = defineJourney({
  id: "post-purchase",
  version: 1,
  description: "Tips after delivery, an NPS survey two weeks in, and a follow-up that fits the answer.",
  entry: {
    event: "OrderDelivered",
    key: ref("event.orderId"),
    // A return that overtook the delivery event means there is nothing to follow up on.
    when: { op: "not", condition: { op: "exists", value: ref("order.returnedAt") } },
    capture: {
      orderId: ref("event.orderId"),
      deliveredAt: ref("event.deliveredAt", "event.occurredAt"),
    },
  },
  exitOn: [
    {
      event: "OrderReturned",
      when: eq(ref("event.orderId"), ref("vars.orderId")),
      outcome: "order-returned",
    },
  ],
  // Every instance is about one order: refs read it as `order.*`, escalations give it to the agent.
  order: ref("vars.orderId", "event.orderId"),
  // What the journey is for: the customer orders again within 30 days of the delivery. One customer in ten is
  // held out (no tips, no survey, no follow-up) so that the journey's lift on repeat orders can be measured.
  goal: { event: "OrderPlaced", within: "P30D" },
  holdout: { percent: 10 },
  nps: { event: "SurveyResponded", scoreField: "score" },
  start: "wait-for-tips",
  nodes: {
    "wait-for-tips": {
      type: "waitUntilLocalTime",
      from: ref("vars.deliveredAt"),
      days: 2,
      at: "10:00",
      next: "send-tips",
    },
    "send-tips": {
      type: "send",
      template: "post-purchase.tips",
      priority: "service",
      vars: {
        name: ref("customer.profile.name"),
        orderId: ref("vars.orderId"),
        products: ref("order.productNames"),
      },
      why: [
        "order {vars.orderId} was delivered at {vars.deliveredAt}",
        "usage tips are due at 10:00 local on the 2nd calendar day after delivery",
      ],
      next: "wait-for-survey",
    },
    "wait-for-survey": {
      type: "waitUntilLocalTime",
      from: ref("vars.deliveredAt"),
      days: 14,
      at: "10:00",
      next: "assign-survey",
    },
    "assign-survey": { type: "assign", vars: { surveyId: ref("instance.shortId") }, next: "send-survey" },
    "send-survey": {
      type: "send",
      template: "post-purchase.nps-survey",
      priority: "service",
      vars: {
        name: ref("customer.profile.name"),
        orderId: ref("vars.orderId"),
        products: ref("order.productNames"),
        surveyId: ref("vars.surveyId"),
      },
      why: [
        "order {vars.orderId} was delivered at {vars.deliveredAt}",
        "the NPS survey is due at 10:00 local on the 14th calendar day after delivery",
      ],
      next: "await-answer",
    },
    "await-answer": {
      type: "waitForEvent",
      event: "SurveyResponded",
      correlate: { eventField: "surveyId", varName: "surveyId", fallback: "most-recent" },
      timeout: "P7D",
      saveAs: "survey",
      onEvent: "score",
      onTimeout: "no-answer",
    },
    score: {
      type: "branch",
      cases: [
        { when: lte(ref("vars.survey.score"), 6), next: "escalate" },
        { when: gte(ref("vars.survey.score"), 9), next: "ask-for-review" },
      ],
      otherwise: "passive",
    },
    escalate: {
      type: "emit",
      detailType: "AgentEscalationRequested",
      reason: "NPS detractor: scored {vars.survey.score}/10 for order {vars.orderId}",
      context: {
        survey: {
          surveyId: ref("vars.survey.surveyId"),
          score: ref("vars.survey.score"),
          comment: ref("vars.survey.comment"),
        },
      },
      next: "send-followup",
    },
    "send-followup": {
      type: "send",
      template: "post-purchase.detractor-followup",
      priority: "service",
      vars: {
        name: ref("customer.profile.name"),
        orderId: ref("vars.orderId"),
        products: ref("order.productNames"),
      },
      why: ["the customer scored {vars.survey.score}/10 (detractor: 0–6)", "an agent was asked to call"],
      next: "done-detractor",
    },
    "ask-for-review": {
      type: "send",
      template: "post-purchase.review-request",
      priority: "marketing",
      vars: {
        name: ref("customer.profile.name"),
        orderId: ref("vars.orderId"),
        products: ref("order.productNames"),
      },
      why: ["the customer scored {vars.survey.score}/10 (promoter: 9–10)"],
      next: "done-promoter",
    },
    passive: { type: "exit", outcome: "passive" },
    "no-answer": { type: "exit", outcome: "survey-timeout" },
    "done-detractor": { type: "exit", outcome: "detractor-followed-up" },
    "done-promoter": { type: "exit", outcome: "promoter-asked-for-review" },
  },
});
