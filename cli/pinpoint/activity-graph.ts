/**
 * A Pinpoint journey's activities as a graph: each activity's type, the activities it leads to (with the
 * JSON path of the field that says so), what is reachable from the start, and cycles.
 */
import type { PathSegment } from "./json-path.ts";
import { ACTIVITY_TYPES, type Activity, type ActivityType } from "./model.ts";

/** The types an activity sets: one in a valid journey, none in a draft's empty activity. */
export function activityTypes(activity: Activity): ActivityType[] {
  return ACTIVITY_TYPES.filter((type) => activity[type] !== undefined);
}

export interface Edge {
  to: string;
  /** The field naming `to`, from the activity: ["EMAIL", "NextActivity"]. */
  path: PathSegment[];
}

/** The activities an activity leads to, in Pinpoint's order (true before false, branches before default). */
export function edgesOf(activity: Activity): Edge[] {
  const edges: Edge[] = [];
  const add = (to: string | undefined, path: PathSegment[]) => {
    if (to !== undefined) edges.push({ to, path });
  };
  for (const type of ["CUSTOM", "EMAIL", "SMS", "PUSH", "Wait", "Holdout", "ContactCenter"] as const)
    add(activity[type]?.NextActivity, [type, "NextActivity"]);
  const split = activity.ConditionalSplit;
  if (split) {
    add(split.TrueActivity, ["ConditionalSplit", "TrueActivity"]);
    add(split.FalseActivity, ["ConditionalSplit", "FalseActivity"]);
  }
  const multi = activity.MultiCondition;
  if (multi) {
    for (const [i, branch] of (multi.Branches ?? []).entries())
      add(branch.NextActivity, ["MultiCondition", "Branches", i, "NextActivity"]);
    add(multi.DefaultActivity, ["MultiCondition", "DefaultActivity"]);
  }
  for (const [i, branch] of (activity.RandomSplit?.Branches ?? []).entries())
    add(branch.NextActivity, ["RandomSplit", "Branches", i, "NextActivity"]);
  return edges;
}

/** Activity ids reachable from `start` (itself included), in breadth-first order. */
export function reachableFrom(activities: Readonly<Record<string, Activity>>, start: string): string[] {
  const seen = new Set<string>();
  const queue = [start];
  while (queue.length > 0) {
    const id = queue.shift()!;
    if (seen.has(id) || !Object.hasOwn(activities, id)) continue;
    seen.add(id);
    for (const edge of edgesOf(activities[id]!)) queue.push(edge.to);
  }
  return [...seen];
}

/** Each cycle once, as the ids around it (first id repeated at the end). */
export function cycles(activities: Readonly<Record<string, Activity>>): string[][] {
  const found: string[][] = [];
  const state = new Map<string, "open" | "done">();
  const visit = (id: string, path: string[]) => {
    if (!Object.hasOwn(activities, id) || state.get(id) === "done") return;
    if (state.get(id) === "open") {
      found.push([...path.slice(path.indexOf(id)), id]);
      return;
    }
    state.set(id, "open");
    for (const edge of edgesOf(activities[id]!)) visit(edge.to, [...path, id]);
    state.set(id, "done");
  };
  for (const id of Object.keys(activities)) visit(id, []);
  return found;
}

/** Activities nothing leads to: the candidates for a start when StartActivity is missing. */
export function roots(activities: Readonly<Record<string, Activity>>): string[] {
  const targets = new Set(Object.values(activities).flatMap((a) => edgesOf(a).map((e) => e.to)));
  return Object.keys(activities).filter((id) => !targets.has(id));
}
