/**
 * The lifecycle facts' layout in S3, in one place: the Firehose stream writes it (facts-stream.ts) and the Glue
 * table projects it (measurement-store.ts), so the two cannot drift apart.
 */
import type { LifecycleFact } from "../../functions/core/measurement/lifecycle-facts.ts";

/** The partition column: the UTC day a fact was recorded (its `day` field). */
export const PARTITION_COLUMN = "day" satisfies keyof LifecycleFact;
/**
 * Where Firehose writes lifecycle facts: one prefix per day of `recordedAt` (the fact's own `day`, taken from
 * the record by the stream's dynamic partitioning), in Hive's `day=` form, which the Glue table projects.
 */
export const FACTS_PREFIX = "facts/";
/** Records Firehose could not partition or deliver, by error type; outside `facts/`, so queries never read them. */
export const FACTS_ERROR_PREFIX = "facts-errors/";
/** The Glue table of lifecycle facts. */
export const FACTS_TABLE = "lifecycle_facts";
/**
 * The first day the table projects: no fact is older than Waymark's measurement. A query without a `day`
 * condition reads every day from here to today.
 */
export const FIRST_FACT_DAY = "2026-01-01";
