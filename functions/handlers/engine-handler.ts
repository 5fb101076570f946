import { MetricUnit } from "@aws-lambda-powertools/metrics";
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import { parseInboundEvent } from "../../events/parse.ts";
import type { Catalog } from "../core/catalog/catalog.ts";
import { type EngineInput, inputCustomerId } from "../core/engine.ts";
import { maskIdentifier, scrubbedError } from "../core/mask.ts";
import { engineMessageSchema } from "../messages/queue-messages.ts";
import { type EngineDependencies, processEngineInput } from "../use-cases/process-engine-input.ts";
import { checkedConcurrency, type FifoBatchOptions, processFifoBatch } from "./fifo-batch.ts";
import { logger, metrics } from "./observability.ts";

/** A message on the engine queue that is not an engine input: a bug upstream, kept in the DLQ. */
export class InvalidEngineMessageError extends Error {
  override name = "InvalidEngineMessageError";
}

export function toEngineInput(body: string, catalog: Catalog): EngineInput {
  const message = engineMessageSchema.safeParse(JSON.parse(body));
  if (!message.success) throw new InvalidEngineMessageError(message.error.message);
  if (message.data.kind === "timer" || message.data.kind === "notice") return message.data;
  const parsed = parseInboundEvent(message.data.envelope, catalog);
  if (!parsed.ok) throw new InvalidEngineMessageError(parsed.summary);
  if (!catalog.isCustomerEvent(parsed.event)) {
    throw new InvalidEngineMessageError(
      `${parsed.event.detailType} is global: it belongs on the fan-out queue`,
    );
  }
  return { kind: "event", event: parsed.event };
}

/**
 * Engine queue (FIFO, grouped by customer) → this. Records of one group are processed in
 * order; after a failure the rest of that group is handed back untouched so order holds.
 * Different customers' records are processed at the same time (see processFifoBatch): each
 * input waits on 3–5 network calls, and Lambda bills the wall time of the whole batch.
 */
export function makeEngineHandler(deps: EngineDependencies, options: FifoBatchOptions = {}) {
  const concurrency = checkedConcurrency(options.concurrency);
  const recordHandler = async (record: SQSRecord) => {
    const input = toEngineInput(record.body, deps.catalog);
    const customerId = inputCustomerId(input);
    let transition: Awaited<ReturnType<typeof processEngineInput>>;
    try {
      transition = await processEngineInput(input, deps);
    } catch (error) {
      logger.error("input failed; it will be retried, then dead-lettered", {
        customerId: maskIdentifier(customerId),
        error: scrubbedError(error),
      });
      throw error;
    }
    metrics.addMetric(`Input.${transition.outcome}`, MetricUnit.Count, 1);
    const { refused, shed } = transition.budget;
    if (refused.length > 0 || shed.length > 0) {
      // The customer's state is at its budget: what it cost is counted, and said (without contact points).
      if (refused.length > 0)
        metrics.addMetric("StateBudget.JourneyNotEntered", MetricUnit.Count, refused.length);
      if (shed.length > 0) metrics.addMetric("StateBudget.HistoryGivenUp", MetricUnit.Count, 1);
      logger.warn("customer state at its budget", { customerId: maskIdentifier(customerId), refused, shed });
    }
    logger.info("input processed", {
      customerId: maskIdentifier(customerId),
      input:
        input.kind === "event"
          ? input.event.detailType
          : input.kind === "notice"
            ? input.detailType
            : "timer",
      outcome: transition.outcome,
      effects: transition.effects.length,
    });
  };
  return async (event: SQSEvent, _context?: Context): Promise<SQSBatchResponse> =>
    processFifoBatch(event.Records, recordHandler, { concurrency });
}
