/**
 * `waymark/publisher`: a typed, validating EventBridge publisher for upstream teams. Plain re-exports
 * only, so the modules behind them can move.
 */
export { DEFAULT_BUS_NAME } from "../events/catalog.ts";
export { EventValidationError, type ValidationIssue } from "../events/parse.ts";
export {
  EventPublisher,
  type EventPublisherOptions,
  MAX_ENTRIES_PER_REQUEST,
  MAX_REQUEST_BYTES,
  type PublishEntry,
  type PublishEntryOf,
  PublishError,
  type PublishFailure,
  type PublishResult,
} from "../events/publisher.ts";
