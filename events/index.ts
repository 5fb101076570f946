/**
 * The Waymark event contract: one zod schema per event, the catalog, the edge parser, JSON Schema export
 * for the schema registry, sample envelopes and a typed publisher.
 */

export {
  type AnyEventDescriptor,
  type DetailInputOf,
  type DetailOf,
  type DetailSchema,
  defineEvent,
  type EventDescriptor,
  type EventDirection,
  type EventScope,
} from "../functions/core/catalog/define-event.ts";
export {
  type AgentEscalationContext,
  type AgentEscalationRequestedDetail,
  agentEscalationRequested,
} from "./agent-escalation-requested.ts";
export * from "./catalog.ts";
export {
  customerEventBase,
  customerIdSchema,
  eventMetadataShape,
  globalEventBase,
} from "./customer-event-base.ts";
export { type CustomerLocationUpdatedDetail, customerLocationUpdated } from "./customer-location-updated.ts";
export { type CustomerProfileUpdatedDetail, customerProfileUpdated } from "./customer-profile-updated.ts";
export { type DataUsageUpdatedDetail, dataUsageUpdated } from "./data-usage-updated.ts";
export type { EventBridgeEnvelope } from "./envelope.ts";
export {
  allSampleEnvelopes,
  SAMPLE_ACCOUNT,
  SAMPLE_REGION,
  SAMPLE_SOURCES,
  sampleEnvelope,
  sampleSource,
} from "./envelope-samples.ts";
export type { NotificationChannel, NotificationPriority } from "./fields.ts";
export { type JourneyCompletedDetail, journeyCompleted } from "./journey-completed.ts";
export {
  type JsonSchemaDocument,
  jsonSchemaDocuments,
  jsonSchemaFor,
  SCHEMA_NAME_PREFIX,
  SCHEMA_REGISTRY_TYPE,
  schemaNameFor,
} from "./json-schema.ts";
export { type NotificationOptOutDetail, notificationOptOut } from "./notification-opt-out.ts";
export { type NotificationSentDetail, notificationSent } from "./notification-sent.ts";
export {
  type NotificationSuppressedDetail,
  notificationSuppressed,
  type SuppressionReason,
  suppressionReason,
} from "./notification-suppressed.ts";
export { type OrderDeliveredDetail, orderDelivered } from "./order-delivered.ts";
export { type OrderItem, type OrderPlacedDetail, orderPlaced } from "./order-placed.ts";
export { type OrderReturnedDetail, orderReturned } from "./order-returned.ts";
export {
  EventValidationError,
  formatIssues,
  formatPath,
  type ParseInboundResult,
  parseEmittedDetail,
  parseEventDetail,
  parseInboundEvent,
  toValidationIssues,
  type ValidationIssue,
  validateDetail,
} from "./parse.ts";
export { type ProductRecallIssuedDetail, productRecallIssued } from "./product-recall-issued.ts";
export {
  EventPublisher,
  type EventPublisherOptions,
  entrySize,
  MAX_ENTRIES_PER_REQUEST,
  MAX_REQUEST_BYTES,
  type PublishEntry,
  PublishError,
  type PublishFailure,
  type PublishResult,
} from "./publisher.ts";
export { type RecallResolvedDetail, recallResolved } from "./recall-resolved.ts";
export { type StoreInventoryUpdatedDetail, storeInventoryUpdated } from "./store-inventory-updated.ts";
export { type SurveyRespondedDetail, surveyResponded } from "./survey-responded.ts";
export { type TravelRestrictionIssuedDetail, travelRestrictionIssued } from "./travel-restriction-issued.ts";
