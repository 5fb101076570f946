import * as z from "zod";
import { stableId } from "../ids.ts";

/**
 * Lifecycle facts: what happened to each journey instance, recorded once each, for the numbers that say
 * whether a journey works (funnels, goals, experiments, NPS; docs/measurement.md). They come out of the same
 * committed transition as everything else, with deterministic ids, so a redelivered or replayed input
 * produces the very same facts and every count deduplicates on `factId`.
 *
 * Facts are not bus events (a PutEvents entry per step would multiply the EventBridge bill): they go in
 * batches to the fact sink (Amazon Data Firehose in AWS, the local runtime's store locally). Only what
 * other systems consume — started, completed, goal reached — is also put on the bus.
 */
export const FACT_TYPES = [
  "JourneyStarted",
  "JourneyStepReached",
  "JourneyCompleted",
  "JourneyGoalReached",
  "ExperimentAssigned",
  "NpsResponded",
] as const;
export type FactType = (typeof FACT_TYPES)[number];

/** One fact as the analytics table holds it: a flat row, the same columns in Athena and DuckDB. */
export const lifecycleFactSchema = z.object({
  factId: z.string(),
  type: z.enum(FACT_TYPES),
  /** When, by the engine's clock (virtual time in simulations and the local runtime), ISO-8601. */
  recordedAt: z.string(),
  /** The UTC date of `recordedAt` (YYYY-MM-DD): the table's partition. */
  day: z.string(),
  /** Orders facts of one instance: its step count × 1,000 + the fact's place in its transition. */
  seq: z.number().int(),
  customerId: z.string(),
  journeyId: z.string(),
  journeyVersion: z.number().int(),
  instanceId: z.string(),
  instanceKey: z.string(),
  /**
   * One run of an instance: instance ids repeat across customers (one recall, many owners) and for a key that
   * may enter again, so counts are over runs — a digest of the customer, the instance and its start.
   */
  runId: z.string(),
  /** The instance's experiment assignments, `{"<experiment>": "<variant>"}`, as JSON text. */
  variants: z.string(),
  nodeId: z.string().nullable(),
  nodeType: z.string().nullable(),
  outcome: z.string().nullable(),
  goal: z.string().nullable(),
  experiment: z.string().nullable(),
  variant: z.string().nullable(),
  score: z.number().int().nullable(),
});
export type LifecycleFact = z.infer<typeof lifecycleFactSchema>;

/** A column's type in the facts table: the Hive names the Glue table uses (DuckDB has its own for each). */
export type FactColumnType = "string" | "int" | "bigint";

/**
 * The facts table's columns, in order, with their types: one per field of `LifecycleFact` (the mapped type
 * makes a missing or extra field a compile error). The stack's Glue table and the local runtime's DuckDB table
 * are both built from it, so the queries read the same columns in AWS and locally.
 */
export const FACT_COLUMNS: { readonly [K in keyof LifecycleFact]-?: FactColumnType } = {
  factId: "string",
  type: "string",
  recordedAt: "string",
  day: "string",
  seq: "bigint",
  customerId: "string",
  journeyId: "string",
  journeyVersion: "int",
  instanceId: "string",
  instanceKey: "string",
  runId: "string",
  variants: "string",
  nodeId: "string",
  nodeType: "string",
  outcome: "string",
  goal: "string",
  experiment: "string",
  variant: "string",
  score: "int",
};

/** What one transition records of one instance, compactly (it is kept for replay in the customer item). */
export type FactItem =
  | ["started"]
  | ["step", nodeId: string, nodeType: string]
  | ["completed", outcome: string]
  | ["goal", event: string]
  | ["assigned", experiment: string, variant: string]
  | ["nps", score: number];

export interface FactGroup {
  journeyId: string;
  journeyVersion: number;
  instanceId: string;
  key: string;
  startedAt: string;
  /** The instance's step count when the transition began: with the item's place, its `seq`. */
  steps: number;
  variants?: Record<string, string>;
  items: FactItem[];
}

/** The facts one transition owes, as an effect: `facts(effect)` expands them into rows. */
export interface FactsEffect {
  type: "facts";
  customerId: string;
  at: string;
  groups: FactGroup[];
}

const TYPE_OF: Record<FactItem[0], FactType> = {
  started: "JourneyStarted",
  step: "JourneyStepReached",
  completed: "JourneyCompleted",
  goal: "JourneyGoalReached",
  assigned: "ExperimentAssigned",
  nps: "NpsResponded",
};

/** The rows of a facts effect, each with its deterministic id. */
export function expandFacts(effect: FactsEffect): LifecycleFact[] {
  const rows: LifecycleFact[] = [];
  for (const group of effect.groups) {
    for (const [index, item] of group.items.entries()) {
      const type = TYPE_OF[item[0]];
      const seq = group.steps * 1000 + index;
      rows.push({
        factId: stableId(
          effect.customerId,
          group.instanceId,
          type,
          String(seq),
          item.slice(1).join("\u0000"),
        ),
        type,
        recordedAt: effect.at,
        day: effect.at.slice(0, 10),
        seq,
        customerId: effect.customerId,
        journeyId: group.journeyId,
        journeyVersion: group.journeyVersion,
        instanceId: group.instanceId,
        instanceKey: group.key,
        runId: stableId(effect.customerId, group.instanceId, group.startedAt),
        variants: JSON.stringify(group.variants ?? {}),
        nodeId: item[0] === "step" ? item[1] : null,
        nodeType: item[0] === "step" ? item[2] : null,
        outcome: item[0] === "completed" ? item[1] : null,
        goal: item[0] === "goal" ? item[1] : null,
        experiment: item[0] === "assigned" ? item[1] : null,
        variant: item[0] === "assigned" ? item[2] : null,
        score: item[0] === "nps" ? item[1] : null,
      });
    }
  }
  return rows;
}
