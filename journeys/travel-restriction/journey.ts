import { defineJourney, eq, ref } from "../../functions/core/journey/define-journey.ts";
import { ownedModelAndFulfilment } from "../safety/notice-capture.ts";

/**
 * travel-restriction (docs/reference-journeys.md): owners of an affected model who are travelling now or travel
 * often hear first, by SMS, with the nearest store to where they are now (else free delivery).
 * Everyone else gets nothing from this journey.
 */
export const travelRestrictionV1 = defineJourney({
  id: "travel-restriction",
  version: 1,
  description: "A travel ban on a model, told to the owners who are travelling or travel often.",
  entry: {
    event: "TravelRestrictionIssued",
    key: ref("event.restrictionId"),
    when: eq(ref("event.eligible"), true),
    capture: {
      restrictionId: ref("event.restrictionId"),
      authority: ref("event.authority"),
      scope: ref("event.scope"),
      effectiveAt: ref("event.effectiveAt"),
      summary: ref("event.summary"),
      ...ownedModelAndFulfilment,
      travelWhy: ref("event.travelWhy"),
    },
  },
  exitOn: [],
  start: "alert",
  nodes: {
    alert: {
      type: "send",
      template: "travel-restriction.alert",
      priority: "safety",
      severity: "high",
      channelOrder: ["sms", "email"],
      vars: {
        name: ref("customer.profile.name"),
        restrictionId: ref("vars.restrictionId"),
        authority: ref("vars.authority"),
        model: ref("vars.model"),
        replacementSku: ref("vars.replacementSku"),
        fulfilment: ref("vars.fulfilment"),
        storeId: ref("vars.storeId"),
        storeName: ref("vars.storeName"),
        storeAddress: ref("vars.storeAddress"),
        distanceKm: ref("vars.distanceKm"),
      },
      why: [
        "{vars.authority} restricts the {vars.model} ({vars.scope}) from {vars.effectiveAt}",
        "the customer owns a {vars.model} (order {vars.orderId})",
        "{vars.travelWhy}",
      ],
      whyFrom: ref("vars.fulfilmentWhy"),
      next: "told",
    },
    told: { type: "exit", outcome: "alerted" },
  },
});
