import type { Catalog } from "./catalog/catalog.ts";
import { addTimelineEntry } from "./customer-context.ts";
import { type CustomerState, emptyCustomerState } from "./customer-state.ts";
import { assertNever, type Effect } from "./effects.ts";
import { type EngineInput, inputCustomerId, inputDigest } from "./engine/input.ts";
import { recognise, rememberInput } from "./engine/input-memory.ts";
import { onEvent, onNotice, onTimer } from "./engine/interpreter.ts";
import { compactEffect, expandEffect } from "./engine/replay.ts";
import { TransitionRun } from "./engine/transition-run.ts";
import { fitToBudget } from "./state-budget.ts";

export { EmittedEventError, JourneyLoopError, JourneyVersionMissingError } from "./engine/errors.ts";
export {
  type EngineInput,
  inputCustomerId,
  inputDigest,
  inputId,
  type JourneyEvent,
  type NoticeInput,
} from "./engine/input.ts";
// The engine's public face: what its importers use. The parts live in ./engine/ (each one job) and
// never import this file, so their imports form no cycle and this facade sits on top.
export { INPUT_MEMORY, isPinned, pinRedelivered, recognise } from "./engine/input-memory.ts";
export { CustomerStateBudgetError } from "./state-budget.ts";

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
  /** What the state budget cost this input: journeys not entered, history given up (for the metrics). */
  budget: { refused: readonly string[]; shed: readonly string[] };
}

const NO_BUDGET_NOTES = { refused: [], shed: [] } as const;

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
  const known = recognise(base, id);
  if (known?.outcome === "replay") {
    const effects = known.effects.map((e) => expandEffect(e, catalog));
    return { state: base, effects, outcome: "replay", budget: NO_BUDGET_NOTES };
  }
  if (known?.outcome === "duplicate")
    return { state: base, effects: [], outcome: "duplicate", budget: NO_BUDGET_NOTES };

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
  if (run.factGroups.size > 0)
    run.effects.push({
      type: "facts",
      customerId: run.state.customerId,
      at: now.toISOString(),
      groups: [...run.factGroups.values()],
    });
  const fitted = fitToBudget(
    {
      ...run.state,
      processedInputs: rememberInput(run.state.processedInputs, id, now),
      lastTransition: { inputId: id, effects: run.effects.map(compactEffect) },
      updatedAt: now.toISOString(),
    },
    now,
  );
  let state = fitted.state;
  if (fitted.shed.length > 0) {
    state = {
      ...state,
      timeline: addTimelineEntry(state.timeline, {
        at: now.toISOString(),
        kind: "event",
        summary: `state budget: gave up ${fitted.shed.join(", ")}`,
      }),
    };
  }
  return {
    state,
    effects: run.effects,
    outcome: "applied",
    budget: { refused: run.refusals, shed: fitted.shed },
  };
}
