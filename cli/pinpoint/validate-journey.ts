/**
 * Validation first: a Pinpoint journey is checked against the SDK's model (model.ts), then as a graph —
 * every activity id well-formed, one type per activity, every NextActivity naming an activity, no cycle,
 * engagement conditions naming a message sent before them. Errors stop the import. What a draft leaves
 * out (an activity with no type yet, a wait without a time, a split without a condition, no start
 * condition) is not an error: it is reported as a draft finding, and the import says where the journey is
 * incomplete.
 */
import { activityTypes, cycles, edgesOf, reachableFrom, roots } from "./activity-graph.ts";
import { type Finding, jsonPath } from "./json-path.ts";
import {
  type Activity,
  journeyResponseSchema,
  type PinpointJourney,
  type WaitTime,
  writeJourneyRequestSchema,
} from "./model.ts";
import { schemaProblems } from "./schema-problems.ts";

/** Which SDK shape the journey was given as. */
export type JourneyShape = "JourneyResponse" | "WriteJourneyRequest";

export interface ValidJourney {
  journey: PinpointJourney;
  shape: JourneyShape;
  /** The JSON path of the journey in its file: `$`, `$.JourneyResponse`, `$.JourneysResponse.Item[2]`. */
  root: string;
  /** The first activity: StartActivity, or the only activity nothing leads to in a draft without one. */
  start?: string;
  /** Activities reachable from `start`, in breadth-first order: what is imported. */
  reachable: string[];
  drafts: Finding[];
}

export type Validation =
  | { ok: true; value: ValidJourney }
  | { ok: false; errors: Finding[]; drafts: Finding[] };

/** The SDK: "The characters must be alphanumeric characters", at most 100 of them. */
const ACTIVITY_ID = /^[A-Za-z0-9]{1,100}$/;
const MESSAGE_TYPES = ["EMAIL", "SMS", "PUSH", "CUSTOM"] as const;

export function validateJourney(raw: unknown, shape: JourneyShape, root: string): Validation {
  const schema = shape === "JourneyResponse" ? journeyResponseSchema : writeJourneyRequestSchema;
  const parsed = schema.safeParse(raw, { reportInput: true });
  if (!parsed.success)
    return { ok: false, errors: schemaProblems(parsed.error.issues, schema, root), drafts: [] };
  const journey = parsed.data as PinpointJourney;
  const at = (...segments: (string | number)[]) => jsonPath(root, segments);
  const errors: Finding[] = [];
  const drafts: Finding[] = [];
  const activities = journey.Activities ?? {};
  const ids = Object.keys(activities);

  for (const id of ids) {
    if (!ACTIVITY_ID.test(id))
      errors.push({
        path: at("Activities", id),
        message: "an activity id is alphanumeric, at most 100 characters (A-Z, a-z, 0-9)",
      });
    const activity = activities[id]!;
    const types = activityTypes(activity);
    if (types.length > 1)
      errors.push({
        path: at("Activities", id),
        message: `an activity has one type; this one sets ${types.join(" and ")}`,
      });
    for (const edge of edgesOf(activity)) {
      if (!Object.hasOwn(activities, edge.to))
        errors.push({
          path: at("Activities", id, ...edge.path),
          message: `${JSON.stringify(edge.to)} names no activity of this journey (activities: ${ids.join(", ")})`,
        });
    }
    checkActivity(id, activity, activities, at, errors, drafts);
  }
  for (const cycle of cycles(activities))
    errors.push({
      path: at("Activities", cycle[0]!),
      message: `the activities loop: ${cycle.join(" → ")} (a Pinpoint journey never returns to an activity)`,
    });

  let start = journey.StartActivity;
  if (start !== undefined && !Object.hasOwn(activities, start)) {
    errors.push({
      path: at("StartActivity"),
      message: `${JSON.stringify(start)} names no activity of this journey (activities: ${ids.join(", ") || "none"})`,
    });
    start = undefined;
  }
  if (ids.length === 0) {
    drafts.push({ path: at("Activities"), message: "draft: the journey has no activities yet" });
  } else if (journey.StartActivity === undefined) {
    const candidates = roots(activities);
    start = candidates.length === 1 ? candidates[0] : undefined;
    drafts.push({
      path: at("StartActivity"),
      message: start
        ? `draft: no StartActivity; ${start} is the only activity nothing leads to, so the journey starts there`
        : `draft: no StartActivity, and ${candidates.length === 0 ? "every activity is led to by another" : `${candidates.join(", ")} could each be first`}: the journey is imported without its activities`,
    });
  }
  checkStartCondition(journey, at, drafts);

  if (errors.length > 0) return { ok: false, errors, drafts };
  const reachable = start ? reachableFrom(activities, start) : [];
  if (start) {
    for (const id of ids) {
      if (!reachable.includes(id))
        drafts.push({
          path: at("Activities", id),
          message: `draft: no path from the start activity ${start} leads here: not imported`,
        });
    }
  }
  return { ok: true, value: { journey, shape, root, ...(start ? { start } : {}), reachable, drafts } };
}

type At = (...segments: (string | number)[]) => string;

function checkActivity(
  id: string,
  activity: Activity,
  activities: Readonly<Record<string, Activity>>,
  at: At,
  errors: Finding[],
  drafts: Finding[],
): void {
  const here = (...segments: (string | number)[]) => at("Activities", id, ...segments);
  const types = activityTypes(activity);
  if (types.length === 0) drafts.push({ path: here(), message: "draft: the activity has no type yet" });
  // A CUSTOM activity passes its MessageConfig.Data instead when it has no template.
  for (const type of ["EMAIL", "SMS", "PUSH"] as const) {
    if (activity[type] && activity[type].TemplateName === undefined)
      drafts.push({ path: here(type, "TemplateName"), message: "draft: no message template chosen yet" });
  }
  if (activity.CUSTOM && activity.CUSTOM.DeliveryUri === undefined)
    drafts.push({
      path: here("CUSTOM", "DeliveryUri"),
      message: "draft: no Lambda function or web hook yet",
    });
  if (activity.Wait) {
    const time = activity.Wait.WaitTime;
    if (!time || (time.WaitFor === undefined && time.WaitUntil === undefined))
      drafts.push({
        path: here("Wait", "WaitTime"),
        message: "draft: the wait has no WaitFor or WaitUntil yet",
      });
    else checkWaitTime(time, here("Wait", "WaitTime"), errors);
  }
  const split = activity.ConditionalSplit;
  if (split) {
    if (!split.Condition?.Conditions || split.Condition.Conditions.length === 0)
      drafts.push({
        path: here("ConditionalSplit", "Condition"),
        message: "draft: the split has no condition yet",
      });
    if (split.EvaluationWaitTime)
      checkWaitTime(split.EvaluationWaitTime, here("ConditionalSplit", "EvaluationWaitTime"), errors);
    for (const [i, condition] of (split.Condition?.Conditions ?? []).entries())
      checkEngagement(
        id,
        condition.EventCondition?.MessageActivity,
        here("ConditionalSplit", "Condition", "Conditions", i, "EventCondition", "MessageActivity"),
        activities,
        errors,
      );
  }
  const multi = activity.MultiCondition;
  if (multi) {
    if (!multi.Branches || multi.Branches.length === 0)
      drafts.push({
        path: here("MultiCondition", "Branches"),
        message: "draft: the split has no branches yet",
      });
    if (multi.EvaluationWaitTime)
      checkWaitTime(multi.EvaluationWaitTime, here("MultiCondition", "EvaluationWaitTime"), errors);
    multi.Branches?.forEach((branch, i) => {
      if (!branch.Condition)
        drafts.push({
          path: here("MultiCondition", "Branches", i, "Condition"),
          message: "draft: the branch has no condition yet",
        });
      checkEngagement(
        id,
        branch.Condition?.EventCondition?.MessageActivity,
        here("MultiCondition", "Branches", i, "Condition", "EventCondition", "MessageActivity"),
        activities,
        errors,
      );
    });
  }
  const random = activity.RandomSplit;
  if (random) {
    if (!random.Branches || random.Branches.length === 0)
      drafts.push({ path: here("RandomSplit", "Branches"), message: "draft: the split has no branches yet" });
    else {
      random.Branches.forEach((branch, i) => {
        if (branch.Percentage === undefined)
          drafts.push({
            path: here("RandomSplit", "Branches", i, "Percentage"),
            message: "draft: the branch has no percentage yet",
          });
      });
      const total = random.Branches.reduce((sum, branch) => sum + (branch.Percentage ?? 0), 0);
      if (random.Branches.every((b) => b.Percentage !== undefined) && total !== 100)
        drafts.push({
          path: here("RandomSplit", "Branches"),
          message: `draft: the percentages add up to ${total}, not 100 (they are imported as weights, in proportion)`,
        });
    }
  }
}

function checkWaitTime(time: WaitTime, path: string, errors: Finding[]): void {
  if (time.WaitFor !== undefined && time.WaitUntil !== undefined)
    errors.push({ path, message: "set WaitFor or WaitUntil, not both" });
}

/** An engagement condition names a message activity that comes before the split. */
function checkEngagement(
  splitId: string,
  messageId: string | undefined,
  path: string,
  activities: Readonly<Record<string, Activity>>,
  errors: Finding[],
): void {
  if (messageId === undefined) return;
  const message = activities[messageId];
  if (!message || !Object.hasOwn(activities, messageId)) {
    errors.push({ path, message: `${JSON.stringify(messageId)} names no activity of this journey` });
    return;
  }
  if (!MESSAGE_TYPES.some((type) => message[type] !== undefined)) {
    errors.push({
      path,
      message: `${messageId} is not a message activity (EMAIL, SMS, PUSH or CUSTOM): it has no message to engage with`,
    });
    return;
  }
  if (!reachableFrom(activities, messageId).includes(splitId))
    errors.push({
      path,
      message: `${messageId} does not come before this split: no participant reaching the split has received it`,
    });
}

function checkStartCondition(journey: PinpointJourney, at: At, drafts: Finding[]): void {
  const condition = journey.StartCondition;
  if (!condition) {
    drafts.push({
      path: at("StartCondition"),
      message: "draft: no start condition yet (no event, no segment)",
    });
    return;
  }
  const event = condition.EventStartCondition;
  if (!event && !condition.SegmentStartCondition) {
    drafts.push({
      path: at("StartCondition"),
      message: "draft: the start condition names no event and no segment yet",
    });
    return;
  }
  if (event && !event.EventFilter && event.SegmentId === undefined)
    drafts.push({
      path: at("StartCondition", "EventStartCondition"),
      message: "draft: the event start condition has no event filter yet",
    });
  const types = event?.EventFilter?.Dimensions.EventType;
  if (event?.EventFilter && (!types || types.Values.length === 0))
    drafts.push({
      path: at("StartCondition", "EventStartCondition", "EventFilter", "Dimensions", "EventType"),
      message: "draft: no event type yet",
    });
}
