/**
 * `waymark/reference`: the reference journeys, templates and calculators Waymark ships with, the events
 * they run on, and the reference catalog built from them — for catalogs that want some of them. Waymark's
 * own events (`builtInEvents`) are in every catalog already. Plain re-exports only, so the modules behind
 * them can move.
 */
export { builtInEvents, referenceEvents } from "../events/catalog.ts";
export {
  type AgentEscalationContext,
  type AgentEscalationRequestedDetail,
  agentEscalationRequested,
  type CustomerLocationUpdatedDetail,
  type CustomerProfileUpdatedDetail,
  customerLocationUpdated,
  customerProfileUpdated,
  type DataUsageUpdatedDetail,
  dataUsageUpdated,
  type JourneyCompletedDetail,
  journeyCompleted,
  type NotificationOptOutDetail,
  type NotificationSentDetail,
  type NotificationSuppressedDetail,
  notificationOptOut,
  notificationSent,
  notificationSuppressed,
  type OrderDeliveredDetail,
  type OrderItem,
  type OrderPlacedDetail,
  type OrderReturnedDetail,
  orderDelivered,
  orderPlaced,
  orderReturned,
  type ProductRecallIssuedDetail,
  productRecallIssued,
  type RecallResolvedDetail,
  recallResolved,
  type StoreInventoryUpdatedDetail,
  type SurveyRespondedDetail,
  storeInventoryUpdated,
  surveyResponded,
  type TravelRestrictionIssuedDetail,
  travelRestrictionIssued,
} from "../events/index.ts";
export { dataUsageV1 } from "../journeys/data-usage/journey.ts";
export { postPurchaseV1 } from "../journeys/post-purchase/journey.ts";
export { productRecallV1 } from "../journeys/product-recall/journey.ts";
export {
  referenceCalculators,
  referenceCatalog,
  referenceJourneys,
  referenceTemplates,
} from "../journeys/registry.ts";
export { travelRestrictionV1 } from "../journeys/travel-restriction/journey.ts";
