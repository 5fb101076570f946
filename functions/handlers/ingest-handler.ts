import { MetricUnit } from "@aws-lambda-powertools/metrics";
import type { SQSBatchResponse, SQSEvent } from "aws-lambda";
import { type IngestDependencies, ingestEvents } from "../use-cases/ingest-events.ts";
import { logger, metrics } from "./observability.ts";

/**
 * Bus → ingest queue → this: validate, reject with reasons, forward the rest to the engine
 * queue grouped by customer. A record whose body is not even JSON is rejected like any other.
 */
export function makeIngestHandler(deps: IngestDependencies) {
  return async (event: SQSEvent): Promise<SQSBatchResponse> => {
    const raws = event.Records.map((record) => {
      try {
        return JSON.parse(record.body) as unknown;
      } catch {
        return record.body;
      }
    });
    const result = await ingestEvents(raws, deps);
    for (const rejected of result.rejected) {
      logger.warn("event rejected", { reason: rejected.reason, detailType: detailTypeOf(rejected.event) });
    }
    metrics.addMetric("EventsAccepted", MetricUnit.Count, result.accepted);
    metrics.addMetric("EventsRejected", MetricUnit.Count, result.rejected.length);
    logger.info("events ingested", { accepted: result.accepted, rejected: result.rejected.length });
    return {
      batchItemFailures: result.failed.map((index) => ({ itemIdentifier: event.Records[index]!.messageId })),
    };
  };
}

function detailTypeOf(event: unknown): string | undefined {
  return typeof event === "object" && event !== null
    ? String((event as Record<string, unknown>)["detail-type"])
    : undefined;
}
