import { BatchProcessor, EventType, processPartialResponse } from "@aws-lambda-powertools/batch";
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import { scrubbedError } from "../core/mask.ts";
import { type GlobalDependencies, handleGlobalMessage } from "../use-cases/handle-global-message.ts";
import { logger } from "./observability.ts";

/**
 * Global queue → this: store stock, and the fan-out of recalls and travel restrictions. Given one
 * message at a time (batch size 1) so each fan-out has the whole invocation's time to itself.
 */
export function makeFanOutHandler(deps: Omit<GlobalDependencies, "remainingMs">) {
  return async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
    const remainingMs = () =>
      typeof context.getRemainingTimeInMillis === "function" ? context.getRemainingTimeInMillis() : 900_000;
    const recordHandler = async (record: SQSRecord) => {
      try {
        const outcome = await handleGlobalMessage(JSON.parse(record.body), { ...deps, remainingMs });
        logger.info("global message handled", { outcome });
      } catch (error) {
        logger.error("global message failed; it will be retried, then dead-lettered", {
          error: scrubbedError(error),
        });
        throw error;
      }
    };
    return processPartialResponse(event, recordHandler, new BatchProcessor(EventType.SQS), {
      context,
      throwOnFullBatchFailure: false,
    });
  };
}
