/**
 * `waymark`: the authoring API — events, journeys, templates, the catalog that ties them together, the
 * helpers an event's `context` hook uses, and the zod instance they are written with. See
 * docs/journeys.md. Plain re-exports only, so the modules behind them can move.
 */

// The same module namespace as `import * as z from "zod"`: zod is a peer dependency, so there is one copy.
export * as z from "zod";
export {
  customerEventBase,
  customerIdSchema,
  eventMetadataShape,
  globalEventBase,
} from "../events/customer-event-base.ts";
export { type CatalogDefinition, defineCatalog } from "../events/define-catalog.ts";
export {
  currencyCode,
  displayName,
  emailAddress,
  freeText,
  identifier,
  isoDateTime,
  money,
  positiveInteger,
} from "../events/fields.ts";
export {
  type Calculator,
  Catalog,
  CatalogError,
  type CatalogEvent,
  type CustomerEvent,
} from "../functions/core/catalog/catalog.ts";
export {
  type AnyEventDescriptor,
  type ContextEvent,
  type DetailInputOf,
  type DetailOf,
  type DetailSchema,
  defineEvent,
  EventDefinitionError,
  type EventDescriptor,
  type EventDirection,
  type EventScope,
  type GlobalReach,
} from "../functions/core/catalog/define-event.ts";
export { type EventMetaField, eventRef, type FieldPath } from "../functions/core/catalog/event-ref.ts";
export {
  applyLocation,
  applyOrderDelivered,
  applyOrderPlaced,
  applyOrderReturned,
  applyUsage,
  setAttribute,
} from "../functions/core/customer-context.ts";
export type { CustomerState } from "../functions/core/customer-state.ts";
export {
  all,
  any,
  contains,
  defineJourney,
  eq,
  exists,
  gt,
  gte,
  JourneyDefinitionError,
  lt,
  lte,
  ne,
  not,
  oneOf,
  ref,
} from "../functions/core/journey/define-journey.ts";
export type {
  Condition,
  JourneyDefinition,
  JourneyNode,
  Value,
  ValueRef,
} from "../functions/core/journey/definition.ts";
export {
  DEFAULT_LOCALES,
  defineTemplate,
  type LocaleSettings,
  type LocalizedTemplate,
  type MessageTemplate,
  productSummary,
  type RenderedMessage,
  renderTemplate,
  type TemplateVars,
  text,
} from "../functions/core/journey/template.ts";
