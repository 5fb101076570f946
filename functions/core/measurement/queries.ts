/**
 * The measurement queries, written once in the SQL both Athena (Trino) and DuckDB speak: the stack saves them
 * as Athena named queries over the Glue table of facts, and the local runtime runs them on DuckDB over its own
 * facts. Every count is over distinct runs, from facts deduplicated on `factId` (facts arrive at least once).
 * Intervals are Wilson's and Newcombe's hybrid score (statistics.ts computes the same in TypeScript).
 */
import { Z95 } from "./statistics.ts";

export interface MeasurementQuery {
  name: "overview" | "funnel" | "goals" | "experiments" | "nps";
  description: string;
  /** The SQL over the facts table (or view) named `facts`. */
  sql(facts: string): string;
}

const deduplicated = (
  facts: string,
) => `SELECT DISTINCT factId, type, recordedAt, day, seq, customerId, journeyId,
    journeyVersion, instanceId, runId, nodeId, nodeType, outcome, goal, experiment, variant, score
  FROM ${facts}`;

/** Wilson's interval of `x` out of `n`, as SQL expressions (n > 0). */
function wilsonSql(x: string, n: string): { low: string; high: string } {
  const z2 = `${Z95} * ${Z95}`;
  const p = `(CAST(${x} AS DOUBLE) / ${n})`;
  const center = `((${p} + ${z2} / (2.0 * ${n})) / (1.0 + ${z2} / ${n}))`;
  const half = `(${Z95} * SQRT(${p} * (1.0 - ${p}) / ${n} + ${z2} / (4.0 * ${n} * ${n})) / (1.0 + ${z2} / ${n}))`;
  return { low: `GREATEST(0.0, ${center} - ${half})`, high: `LEAST(1.0, ${center} + ${half})` };
}

export const measurementQueries: readonly MeasurementQuery[] = [
  {
    name: "overview",
    description: "Runs started and completed per journey version, completed ones by outcome",
    sql: (facts) => `WITH facts AS (${deduplicated(facts)})
SELECT journeyId AS journey_id, journeyVersion AS journey_version, type AS fact_type,
  COALESCE(outcome, '') AS outcome, COUNT(DISTINCT runId) AS runs
FROM facts
WHERE type IN ('JourneyStarted', 'JourneyCompleted')
GROUP BY journeyId, journeyVersion, type, COALESCE(outcome, '')
ORDER BY journey_id, journey_version, fact_type, outcome`,
  },
  {
    name: "funnel",
    description: "Per journey version and node: runs that reached it, and runs waiting there now",
    sql: (facts) => `WITH facts AS (${deduplicated(facts)}),
steps AS (SELECT journeyId, journeyVersion, runId, nodeId, seq FROM facts WHERE type = 'JourneyStepReached'),
last_step AS (SELECT runId, MAX(seq) AS seq FROM steps GROUP BY runId),
waiting AS (
  SELECT s.journeyId, s.journeyVersion, s.nodeId, s.runId
  FROM steps s JOIN last_step l ON l.runId = s.runId AND l.seq = s.seq
  WHERE s.runId NOT IN (SELECT runId FROM facts WHERE type = 'JourneyCompleted')
),
reached AS (
  SELECT journeyId, journeyVersion, nodeId, COUNT(DISTINCT runId) AS reached
  FROM steps GROUP BY journeyId, journeyVersion, nodeId
),
waiting_counts AS (
  SELECT journeyId, journeyVersion, nodeId, COUNT(DISTINCT runId) AS waiting
  FROM waiting GROUP BY journeyId, journeyVersion, nodeId
)
SELECT r.journeyId AS journey_id, r.journeyVersion AS journey_version, r.nodeId AS node_id,
  r.reached AS reached, COALESCE(w.waiting, 0) AS waiting
FROM reached r LEFT JOIN waiting_counts w
  ON w.journeyId = r.journeyId AND w.journeyVersion = r.journeyVersion AND w.nodeId = r.nodeId
ORDER BY journey_id, journey_version, reached DESC, node_id`,
  },
  {
    name: "goals",
    description: "Per journey version: runs that reached the goal, held-out runs included",
    sql: (facts) => `WITH facts AS (${deduplicated(facts)})
SELECT journeyId AS journey_id, journeyVersion AS journey_version, goal, COUNT(DISTINCT runId) AS reached
FROM facts
WHERE type = 'JourneyGoalReached'
GROUP BY journeyId, journeyVersion, goal
ORDER BY journey_id, journey_version, goal`,
  },
  {
    name: "experiments",
    description:
      "Per journey version, experiment and variant: entrants, conversions (the journey's goal), the rate with its Wilson " +
      "interval, and against the control (variant 'control' or 'holdout') the difference with Newcombe's " +
      "hybrid score interval, 95%",
    sql: (facts) => {
      const arm = wilsonSql("a.conversions", "a.entrants");
      const control = wilsonSql("c.conversions", "c.entrants");
      const p1 = "(CAST(a.conversions AS DOUBLE) / a.entrants)";
      const p2 = "(CAST(c.conversions AS DOUBLE) / c.entrants)";
      return `WITH facts AS (${deduplicated(facts)}),
assigned AS (
  SELECT DISTINCT journeyId, journeyVersion, experiment, variant, runId
  FROM facts WHERE type = 'ExperimentAssigned'
),
converted AS (SELECT DISTINCT runId FROM facts WHERE type = 'JourneyGoalReached'),
arms AS (
  SELECT s.journeyId, s.journeyVersion, s.experiment, s.variant, COUNT(*) AS entrants,
    COUNT(v.runId) AS conversions
  FROM assigned s LEFT JOIN converted v ON v.runId = s.runId
  GROUP BY s.journeyId, s.journeyVersion, s.experiment, s.variant
)
SELECT a.journeyId AS journey_id, a.journeyVersion AS journey_version, a.experiment AS experiment,
  a.variant AS variant,
  a.entrants AS entrants, a.conversions AS conversions, ${p1} AS rate,
  ${arm.low} AS rate_low, ${arm.high} AS rate_high,
  c.variant AS control_variant,
  ${p1} - ${p2} AS difference,
  ${p1} - ${p2} - SQRT(POWER(${p1} - ${arm.low}, 2) + POWER(${control.high} - ${p2}, 2)) AS difference_low,
  ${p1} - ${p2} + SQRT(POWER(${arm.high} - ${p1}, 2) + POWER(${p2} - ${control.low}, 2)) AS difference_high
FROM arms a
LEFT JOIN arms c
  ON c.journeyId = a.journeyId AND c.journeyVersion = a.journeyVersion AND c.experiment = a.experiment
  AND c.variant IN ('control', 'holdout') AND a.variant NOT IN ('control', 'holdout')
ORDER BY journey_id, journey_version, experiment, variant`;
    },
  },
  {
    name: "nps",
    description: "Per journey version and month: survey answers by score (0–10)",
    sql: (facts) => `WITH facts AS (${deduplicated(facts)})
SELECT journeyId AS journey_id, journeyVersion AS journey_version, SUBSTR(day, 1, 7) AS period,
  score, COUNT(DISTINCT runId) AS responses
FROM facts
WHERE type = 'NpsResponded'
GROUP BY journeyId, journeyVersion, SUBSTR(day, 1, 7), score
ORDER BY journey_id, journey_version, period, score`,
  },
];

export function measurementQuery(name: MeasurementQuery["name"]): MeasurementQuery {
  return measurementQueries.find((query) => query.name === name)!;
}
