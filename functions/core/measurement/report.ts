import { successors } from "../journey/define-journey.ts";
import type { JourneyDefinition } from "../journey/definition.ts";
import { enoughData, type Interval, lift, type NpsSummary, npsSummary, wilson } from "./statistics.ts";

/** The rows each measurement query answers (queries.ts), as both engines name their columns. */
export interface MeasurementRows {
  overview: {
    journey_id: string;
    journey_version: number;
    fact_type: string;
    outcome: string;
    runs: number;
  }[];
  funnel: {
    journey_id: string;
    journey_version: number;
    node_id: string;
    reached: number;
    waiting: number;
  }[];
  goals: { journey_id: string; journey_version: number; goal: string; reached: number }[];
  experiments: {
    journey_id: string;
    journey_version: number;
    experiment: string;
    variant: string;
    entrants: number;
    conversions: number;
  }[];
  nps: { journey_id: string; journey_version: number; period: string; score: number; responses: number }[];
}

export interface VariantMeasurement {
  name: string;
  entrants: number;
  conversions: number;
  rate: number;
  /** Wilson's 95 % interval of the rate. */
  interval: Interval;
  /**
   * Against the control: `value`, `low`, `high` relative ((p − p₀)/p₀, as the console shows), `absolute` the
   * difference of rates with Newcombe's interval. Absent for the control itself and when there is none.
   */
  lift?: Interval & { value: number; absolute: Interval & { value: number }; method: string };
  /** False while either arm is too small to read a difference from (statistics.ts, enoughData). */
  enoughData?: boolean;
}

export interface VersionMeasurement {
  version: number;
  entered: number;
  completed: number;
  outcomes: Record<string, number>;
  steps: { node: string; reached: number; waiting: number }[];
  goals: { name: string; reached: number; rate: number; interval: Interval }[];
  nps?: NpsSummary & { periods: (NpsSummary & { period: string })[] };
  experiments: { name: string; control?: string; variants: VariantMeasurement[] }[];
}

export interface JourneyMeasurements {
  journeyId: string;
  versions: VersionMeasurement[];
}

const CONTROL_NAMES = ["control", "holdout"];

/**
 * One journey's numbers from the query rows: per version the funnel along the journey's own node order, the
 * goal's conversion, NPS, and each experiment's variants with their lift against the control. Counts are
 * from the queries; the intervals are computed here with the same formulas the Athena query uses.
 */
export function journeyMeasurements(
  journeyId: string,
  rows: MeasurementRows,
  definitions: readonly Readonly<JourneyDefinition>[] = [],
): JourneyMeasurements {
  const own = <T extends { journey_id: string }>(list: readonly T[]) =>
    list.filter((r) => r.journey_id === journeyId);
  const versions = new Set<number>(
    [...own(rows.overview), ...own(rows.funnel)].map((row) => Number(row.journey_version)),
  );
  return {
    journeyId,
    versions: [...versions]
      .sort((a, b) => a - b)
      .map((version) => {
        const at = <T extends { journey_id: string; journey_version: number }>(list: readonly T[]) =>
          own(list).filter((row) => Number(row.journey_version) === version);
        const overview = at(rows.overview);
        const runs = (type: string) =>
          overview.filter((r) => r.fact_type === type).reduce((sum, r) => sum + Number(r.runs), 0);
        const entered = runs("JourneyStarted");
        const outcomes: Record<string, number> = {};
        for (const row of overview.filter((r) => r.fact_type === "JourneyCompleted"))
          outcomes[row.outcome] = Number(row.runs);
        const definition = definitions.find((d) => d.id === journeyId && d.version === version);
        return {
          version,
          entered,
          completed: runs("JourneyCompleted"),
          outcomes,
          steps: orderSteps(at(rows.funnel), definition),
          goals: at(rows.goals).map((goal) => ({
            name: goal.goal,
            reached: Number(goal.reached),
            rate: entered > 0 ? Number(goal.reached) / entered : 0,
            interval: entered > 0 ? wilson(Number(goal.reached), entered) : { low: 0, high: 0 },
          })),
          ...npsOf(at(rows.nps)),
          experiments: experimentsOf(at(rows.experiments)),
        };
      }),
  };
}

/** Steps in the journey's order (breadth-first from the start), nodes the definition does not know last. */
function orderSteps(
  rows: MeasurementRows["funnel"],
  definition: Readonly<JourneyDefinition> | undefined,
): VersionMeasurement["steps"] {
  const order: string[] = [];
  if (definition) {
    const queue = [definition.start];
    while (queue.length > 0) {
      const id = queue.shift()!;
      if (order.includes(id) || !definition.nodes[id]) continue;
      order.push(id);
      queue.push(...successors(definition.nodes[id]!));
    }
  }
  const rank = (node: string) => (order.includes(node) ? order.indexOf(node) : order.length);
  return [...rows]
    .sort((a, b) => rank(a.node_id) - rank(b.node_id) || Number(b.reached) - Number(a.reached))
    .map((row) => ({ node: row.node_id, reached: Number(row.reached), waiting: Number(row.waiting) }));
}

function npsOf(rows: MeasurementRows["nps"]): Pick<VersionMeasurement, "nps"> {
  if (rows.length === 0) return {};
  const distribution = (list: typeof rows) => {
    const counts = Array.from({ length: 11 }, () => 0);
    for (const row of list) counts[Number(row.score)]! += Number(row.responses);
    return counts;
  };
  const periods = [...new Set(rows.map((r) => r.period))].sort();
  return {
    nps: {
      ...npsSummary(distribution(rows)),
      periods: periods.map((period) => ({
        period,
        ...npsSummary(distribution(rows.filter((r) => r.period === period))),
      })),
    },
  };
}

function experimentsOf(rows: MeasurementRows["experiments"]): VersionMeasurement["experiments"] {
  const names = [...new Set(rows.map((r) => r.experiment))].sort();
  return names.map((name) => {
    const arms = rows.filter((r) => r.experiment === name);
    const control = arms.find((arm) => CONTROL_NAMES.includes(arm.variant));
    return {
      name,
      ...(control ? { control: control.variant } : {}),
      variants: arms.map((arm): VariantMeasurement => {
        const x = Number(arm.conversions);
        const n = Number(arm.entrants);
        const measured: VariantMeasurement = {
          name: arm.variant,
          entrants: n,
          conversions: x,
          rate: n > 0 ? x / n : 0,
          interval: n > 0 ? wilson(x, n) : { low: 0, high: 0 },
        };
        if (!control || arm === control || n === 0 || Number(control.entrants) === 0) return measured;
        const x0 = Number(control.conversions);
        const n0 = Number(control.entrants);
        const computed = lift(x, n, x0, n0);
        const relative = computed.relative ?? { value: 0, low: 0, high: 0 };
        return {
          ...measured,
          lift: { ...relative, absolute: computed.absolute, method: computed.method },
          enoughData: enoughData(x, n, x0, n0),
        };
      }),
    };
  });
}
