import type { Catalog } from "./catalog/catalog.ts";
import { type CustomerState, emptyCustomerState, LIMITS, pushBounded } from "./customer-state.ts";
import { assertNever, type Effect } from "./effects.ts";
import { type EngineInput, inputCustomerId, inputDigest } from "./engine/input.ts";
import { onEvent, onNotice, onTimer } from "./engine/interpreter.ts";
import { compactEffect, expandEffect } from "./engine/replay.ts";
import { TransitionRun } from "./engine/transition-run.ts";

// The engine's public face: what its importers use. The parts live in ./engine/ (each one job) and
// never import this file, so their imports form no cycle and this facade sits on top.
export { EmittedEventError, JourneyLoopError, JourneyVersionMissingError } from "./engine/errors.ts";
export {
  type EngineInput,
  inputCustomerId,
  inputDigest,
  inputId,
  type JourneyEvent,
  type NoticeInput,
} from "./engine/input.ts";

/**
 * How far ahead of Waymark's clock a producer's `occurredAt` may be. Beyond it the producer's clock is
 * wrong (or the event hostile): one profile patch dated 2099 would otherwise win over every later
 * change, consent withdrawals included.
 */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;

/** An input dated too far in the future is taken as happening now, and the timeline says so. */
function boundedClock<T extends { occurredAt: string }>(run: TransitionRun, input: T, now: Date): T {
  const at = Date.parse(input.occurredAt);
  if (!(at > now.getTime() + MAX_CLOCK_SKEW_MS)) return input;
  run.timeline(
    now.toISOString(),
    "event",
    `occurredAt ${input.occurredAt} is in the future (beyond ${MAX_CLOCK_SKEW_MS / 60_000} min of skew): taken as now`,
  );
  return { ...input, occurredAt: now.toISOString() };
}

export interface Transition {
  state: CustomerState;
  effects: Effect[];
  /**
   * applied: state changed, persist it and run the effects; replay: the last input came back
   * (crash after commit), run its effects again without writing; duplicate: already done.
   */
  outcome: "applied" | "replay" | "duplicate";
}

/**
 * The journey engine: a pure function of (customer state, input, now) that returns the new
 * state and the effects to run. Nothing here touches AWS.
 */
export function advance(
  current: CustomerState | undefined,
  input: EngineInput,
  now: Date,
  catalog: Catalog,
): Transition {
  const id = inputDigest(input);
  const base = current ?? emptyCustomerState(inputCustomerId(input), now);
  if (base.lastTransition?.inputId === id) {
    const effects = (base.lastTransition.effects as Effect[]).map((e) => expandEffect(e, catalog));
    return { state: base, effects, outcome: "replay" };
  }
  if (base.processedInputs.includes(id)) return { state: base, effects: [], outcome: "duplicate" };

  const run = new TransitionRun(base, now, catalog);
  switch (input.kind) {
    case "event":
      onEvent(run, boundedClock(run, input.event, now));
      break;
    case "timer":
      onTimer(run, input.timerId);
      break;
    case "notice":
      onNotice(run, boundedClock(run, input, now));
      break;
    default:
      assertNever(input, "engine input");
  }
  const state: CustomerState = {
    ...run.state,
    processedInputs: pushBounded(run.state.processedInputs, id, LIMITS.processedInputs),
    lastTransition: { inputId: id, effects: run.effects.map(compactEffect) },
    updatedAt: now.toISOString(),
  };
  return { state, effects: run.effects, outcome: "applied" };
}
