/**
 * `waymark`: the authoring API — events, journeys, templates, the catalog that ties them together, and
 * the zod instance they are written with. Plain re-exports only, so the modules behind them can move.
 */

// The same module namespace as `import * as z from "zod"`: zod is a peer dependency, so there is one copy.
export * as z from "zod";
export {
  type AnyEventDescriptor,
  type DetailInputOf,
  type DetailOf,
  type DetailSchema,
  defineEvent,
  type EventDescriptor,
  type EventDirection,
  type EventScope,
} from "../events/define-event.ts";
export {
  all,
  any,
  defineJourney,
  eq,
  gte,
  JourneyDefinitionError,
  lte,
  ref,
} from "../journeys/dsl/define-journey.ts";
export type {
  Condition,
  JourneyDefinition,
  JourneyNode,
  Value,
  ValueRef,
} from "../journeys/dsl/definition.ts";
export { type Calculator, JourneyCatalog } from "../journeys/registry.ts";
export {
  defineTemplate,
  type LocalizedTemplate,
  type MessageTemplate,
  productSummary,
  type RenderedMessage,
  type SupportedLocale,
  type TemplateVars,
  text,
} from "../journeys/templates/define-template.ts";
