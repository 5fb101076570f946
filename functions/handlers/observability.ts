import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import { METRICS_NAMESPACE, METRICS_SERVICE } from "../config/metric-names.ts";

/** One logger and one metrics sink per function; logs carry customer ids, never contact points. */
export const logger = new Logger({ serviceName: METRICS_SERVICE });
export const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: METRICS_SERVICE });

/**
 * Journey metrics carry dimensions of their own (the journey, a channel or a reason), while `metrics` keeps
 * the function-wide ones of the whole invocation: a second sink, flushed at once for each set of dimensions.
 */
const dimensioned = new Metrics({
  namespace: METRICS_NAMESPACE,
  serviceName: METRICS_SERVICE,
  logger: {
    debug: (...args: unknown[]) => console.debug(...args),
    info: (...args: unknown[]) => console.info(...args),
    error: (...args: unknown[]) => console.error(...args),
    // A key shared by two of our dimension sets (reason, in "by journey and reason" and "by reason") always
    // carries the same value, yet Powertools warns of it on every record: a log line per suppressed message.
    warn: (...args: unknown[]) => {
      if (
        typeof args[0] === "string" &&
        args[0].includes("is defined as both a dimension set and dimension set")
      )
        return;
      console.warn(...args);
    },
  },
});

/**
 * Counts under one or more dimension sets, as one EMF record: CloudWatch keeps each count once per set (by
 * journey, and by reason across journeys, say). Dimension values must be bounded: ids of journeys, channels,
 * reasons — never a customer's.
 */
export function publishDimensioned(
  dimensionSets: readonly Record<string, string>[],
  counts: Readonly<Record<string, number>>,
): void {
  const entries = Object.entries(counts).filter(([, count]) => count > 0);
  if (entries.length === 0) return;
  for (const set of dimensionSets) dimensioned.addDimensions(set);
  for (const [name, count] of entries) dimensioned.addMetric(name, MetricUnit.Count, count);
  dimensioned.publishStoredMetrics();
}
