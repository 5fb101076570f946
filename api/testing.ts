/**
 * `waymark/testing`: `waymark simulate` as a function — `runJourney` plays one journey of a catalog over
 * scripted events on a virtual clock and returns every decision, message and emitted event, for
 * assertions in a journey author's own tests (`simulate` is the lower-level engine of it). Plain re-exports
 * only, so the modules behind them can move.
 */

export {
  type RunJourneyOptions,
  type RunJourneyResult,
  runJourney,
  type TestEvent,
  TestEventError,
} from "../cli/run-journey.ts";
export {
  type CompletedEntry,
  type EmittedEntry,
  type EscalationEntry,
  type EventEntry,
  MAX_TIMER_FIRINGS,
  type MessageEntry,
  type PendingTimer,
  type ScriptedEvent,
  SimulationError,
  type SimulationOptions,
  type SimulationResult,
  type SimulationSummary,
  type StartedEntry,
  simulate,
  type TimelineEntry,
  type TimerEntry,
} from "../cli/simulate.ts";
