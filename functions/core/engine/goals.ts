import type { GoalWatch, JourneyInstance } from "../customer-state.ts";
import { stableId } from "../ids.ts";
import type { JourneyDefinition } from "../journey/definition.ts";
import { test } from "../journey/values.ts";
import { addDuration } from "../time/duration.ts";
import type { JourneyEvent } from "./input.ts";
import { scopeFor } from "./scope.ts";
import type { TransitionRun } from "./transition-run.ts";

/** Goal watches a customer may have open at once; the oldest give way (state budget). */
const MAX_GOAL_WATCHES = 100;

/** A new instance of a journey with a goal starts waiting for it, for `within` after entry. */
export function watchGoal(
  run: TransitionRun,
  journey: Readonly<JourneyDefinition>,
  instance: JourneyInstance,
): void {
  if (!journey.goal) return;
  const watch: GoalWatch = {
    journeyId: instance.journeyId,
    journeyVersion: instance.journeyVersion,
    instanceId: instance.id,
    key: instance.key,
    startedAt: instance.startedAt,
    until: addDuration(run.now, journey.goal.within).toISOString(),
    ...(instance.variants ? { variants: instance.variants } : {}),
  };
  const others = (run.state.goalWatches ?? []).filter((w) => w.instanceId !== instance.id);
  run.state = { ...run.state, goalWatches: [...others, watch].slice(-MAX_GOAL_WATCHES) };
}

/**
 * Counts the conversions an event brings: every watch whose journey's goal is this event, within its window,
 * and whose `when` holds (refs see the event, the instance — open or ended — and the customer). A goal is
 * reached once per instance; a journey whose goal `exits` ends the instance, if it still runs.
 */
export function reachGoals(run: TransitionRun, event: JourneyEvent): void {
  const watches = run.state.goalWatches;
  if (!watches || watches.length === 0) return;
  const now = run.now.getTime();
  const kept: GoalWatch[] = [];
  const reached: { watch: GoalWatch; journey: Readonly<JourneyDefinition> }[] = [];
  for (const watch of watches) {
    if (Date.parse(watch.until) < now) continue;
    const journey = run.catalog.version(watch.journeyId, watch.journeyVersion);
    const goal = journey?.goal;
    if (!journey || !goal) continue;
    if (goal.event !== event.detailType) {
      kept.push(watch);
      continue;
    }
    const instance = run.state.instances.find((i) => i.id === watch.instanceId) ?? ended(watch);
    if (goal.when && !test(goal.when, scopeFor(run, instance))) {
      kept.push(watch);
      continue;
    }
    reached.push({ watch, journey });
  }
  if (kept.length !== watches.length) run.state = { ...run.state, goalWatches: kept };
  for (const { watch, journey } of reached) {
    const open = run.state.instances.find((i) => i.id === watch.instanceId);
    run.fact(open ?? ended(watch), ["goal", event.detailType]);
    run.effects.push({
      type: "emit",
      detailType: "JourneyGoalReached",
      detail: {
        customerId: run.state.customerId,
        eventId: stableId(run.state.customerId, watch.instanceId, "goal"),
        journeyId: watch.journeyId,
        journeyVersion: watch.journeyVersion,
        instanceId: watch.instanceId,
        goal: event.detailType,
        ...(watch.variants ? { variants: watch.variants } : {}),
        at: run.now.toISOString(),
      },
    });
    run.timeline(
      run.now.toISOString(),
      "journey",
      `${watch.journeyId} for ${watch.key} reached its goal (${event.detailType})`,
    );
    if (open && journey.goal?.exits) run.complete(open, "goal-reached");
  }
}

/** An instance that already ended, as far as a goal needs it: its identity and assignments. */
function ended(watch: GoalWatch): JourneyInstance {
  return {
    id: watch.instanceId,
    journeyId: watch.journeyId,
    journeyVersion: watch.journeyVersion,
    key: watch.key,
    startedAt: watch.startedAt,
    steps: 1_000_000,
    vars: {},
    state: { status: "waiting-timer", node: "", timer: { id: "", dueAt: "" } },
    ...(watch.variants ? { variants: watch.variants } : {}),
  };
}
