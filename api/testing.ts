/**
 * `waymark/testing`: `waymark simulate` as a function — a deterministic dry run of one journey over
 * scripted events on a virtual clock, for assertions in a journey author's own tests. Plain re-exports
 * only, so the modules behind them can move.
 */
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
