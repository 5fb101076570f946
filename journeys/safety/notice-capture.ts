import { ref } from "../../functions/core/journey/define-journey.ts";

/**
 * What a fanned-out safety notice carries for one customer (see functions/use-cases/enrich-notice.ts):
 * the affected model they own and the replacement chosen for them. Recall and travel journeys keep
 * the same vars so their templates can share wording.
 */
export const ownedModelAndFulfilment = {
  model: ref("event.model"),
  orderId: ref("event.orderId"),
  replacementSku: ref("event.fulfilment.replacementSku"),
  fulfilment: ref("event.fulfilment.fulfilment"),
  storeId: ref("event.fulfilment.storeId"),
  storeName: ref("event.fulfilment.storeName"),
  storeAddress: ref("event.fulfilment.storeAddress"),
  distanceKm: ref("event.fulfilment.distanceKm"),
  fulfilmentWhy: ref("event.fulfilment.why"),
};
