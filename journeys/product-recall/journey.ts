import { defineJourney, eq, ref } from "../../functions/core/journey/define-journey.ts";
import { ownedModelAndFulfilment } from "../safety/notice-capture.ts";

const noticeVars = {
  name: ref("customer.profile.name"),
  recallId: ref("vars.recallId"),
  model: ref("vars.model"),
  hazard: ref("vars.hazard"),
  remedy: ref("vars.remedy"),
  replacementSku: ref("vars.replacementSku"),
  fulfilment: ref("vars.fulfilment"),
  storeId: ref("vars.storeId"),
  storeName: ref("vars.storeName"),
  storeAddress: ref("vars.storeAddress"),
  distanceKm: ref("vars.distanceKm"),
};

const noticeWhy = [
  "recall {vars.recallId} ({vars.severity}): {vars.hazard}",
  "the customer owns a {vars.model} (order {vars.orderId})",
];

/**
 * product-recall (docs/reference-journeys.md): every owner of an affected model hears about it, with the
 * replacement reserved at the nearest store that has it (else free delivery); critical recalls
 * go at once on every channel; two reminders a week apart until the recall is resolved.
 */
export const productRecallV1 = defineJourney({
  id: "product-recall",
  version: 1,
  description: "Safety recall notices with a reserved replacement nearby, and reminders until resolved.",
  entry: {
    event: "ProductRecallIssued",
    key: ref("event.recallId"),
    // The fan-out found the customer in the owner index; the engine's own context has the last word.
    when: eq(ref("event.eligible"), true),
    capture: {
      recallId: ref("event.recallId"),
      severity: ref("event.severity"),
      hazard: ref("event.hazard"),
      remedy: ref("event.remedy"),
      ...ownedModelAndFulfilment,
    },
  },
  exitOn: [
    { event: "RecallResolved", when: eq(ref("event.recallId"), ref("vars.recallId")), outcome: "resolved" },
  ],
  start: "how-urgent",
  nodes: {
    "how-urgent": {
      type: "branch",
      cases: [
        { when: eq(ref("vars.severity"), "critical"), next: "notify-critical" },
        { when: eq(ref("vars.severity"), "high"), next: "notify-high" },
      ],
      otherwise: "notify-medium",
    },
    "notify-critical": {
      type: "send",
      template: "product-recall.notice",
      priority: "safety",
      severity: "critical",
      vars: noticeVars,
      why: noticeWhy,
      whyFrom: ref("vars.fulfilmentWhy"),
      next: "wait-first-reminder",
    },
    "notify-high": {
      type: "send",
      template: "product-recall.notice",
      priority: "safety",
      severity: "high",
      vars: noticeVars,
      why: noticeWhy,
      whyFrom: ref("vars.fulfilmentWhy"),
      next: "wait-first-reminder",
    },
    "notify-medium": {
      type: "send",
      template: "product-recall.notice",
      priority: "safety",
      severity: "medium",
      vars: noticeVars,
      why: noticeWhy,
      whyFrom: ref("vars.fulfilmentWhy"),
      next: "wait-first-reminder",
    },
    "wait-first-reminder": { type: "wait", duration: "P7D", next: "first-reminder" },
    "first-reminder": {
      type: "send",
      template: "product-recall.reminder",
      priority: "safety",
      severity: "high",
      vars: noticeVars,
      why: [...noticeWhy, "not resolved 7 days after the notice: first reminder (of at most two)"],
      next: "wait-second-reminder",
    },
    "wait-second-reminder": { type: "wait", duration: "P7D", next: "second-reminder" },
    "second-reminder": {
      type: "send",
      template: "product-recall.reminder",
      priority: "safety",
      severity: "high",
      vars: noticeVars,
      why: [...noticeWhy, "not resolved 14 days after the notice: second and last reminder"],
      next: "reminded",
    },
    reminded: { type: "exit", outcome: "reminders-sent" },
  },
});
