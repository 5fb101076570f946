/**
 * `waymark/reference`: the reference journeys, templates and calculators Waymark ships with, and the
 * reference event contract they run on. Plain re-exports only, so the modules behind them can move.
 */
export {
  allEvents,
  emittedEvents,
  inboundEvents,
} from "../events/catalog.ts";
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
export {
  journeyCatalog,
  referenceCalculators,
  referenceJourneys,
  referenceTemplates,
} from "../journeys/registry.ts";
