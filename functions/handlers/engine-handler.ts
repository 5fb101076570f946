import { MetricUnit } from "@aws-lambda-powertools/metrics";
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import { parseInboundEvent } from "../../events/parse.ts";
import { JourneyMetric, MetricDimension, OperationalMetric } from "../config/metric-names.ts";
import type { Catalog } from "../core/catalog/catalog.ts";
import type { Effect } from "../core/effects.ts";
import { type EngineInput, inputCustomerId } from "../core/engine.ts";
import { maskIdentifier, scrubbedError } from "../core/mask.ts";
import type { FactItem } from "../core/measurement/lifecycle-facts.ts";
import { engineMessageSchema } from "../messages/queue-messages.ts";
import { type EngineDependencies, processEngineInput } from "../use-cases/process-engine-input.ts";
import { checkedConcurrency, type FifoBatchOptions, processFifoBatch } from "./fifo-batch.ts";
import { logger, metrics, publishDimensioned } from "./observability.ts";

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

const METRIC_OF: Partial<Record<FactItem[0], string>> = {
  started: JourneyMetric.entered,
  step: JourneyMetric.stepReached,
  completed: JourneyMetric.completed,
  goal: JourneyMetric.goalReached,
};

/**
 * What a transition's lifecycle facts add to each journey's metrics: entered, steps reached, completed, goals.
 * Read from the facts effect, so the metrics and the facts in S3 count the same things.
 */
export function journeyCounts(effects: readonly Effect[]): Map<string, Record<string, number>> {
  const byJourney = new Map<string, Record<string, number>>();
  for (const effect of effects) {
    if (effect.type !== "facts") continue;
    for (const group of effect.groups) {
      const counts = byJourney.get(group.journeyId) ?? {};
      for (const [kind] of group.items) {
        const metric = METRIC_OF[kind];
        if (metric) counts[metric] = (counts[metric] ?? 0) + 1;
      }
      byJourney.set(group.journeyId, counts);
    }
  }
  return byJourney;
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
      metrics.addMetric(OperationalMetric.engineInputFailed, MetricUnit.Count, 1);
      logger.error("input failed; it will be retried, then dead-lettered", {
        customerId: maskIdentifier(customerId),
        error: scrubbedError(error),
      });
      throw error;
    }
    metrics.addMetric(`Input.${transition.outcome}`, MetricUnit.Count, 1);
    // Counted when the transition is committed, not when a replay repeats its effects: once per fact.
    // A batch's groups run at once; publishDimensioned adds and flushes with no await between, so two
    // records' dimensions never mix in the shared sink.
    if (transition.outcome === "applied") {
      for (const [journeyId, counts] of journeyCounts(transition.effects))
        publishDimensioned([{ [MetricDimension.journey]: journeyId }], counts);
    }
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
