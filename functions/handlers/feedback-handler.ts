import { BatchProcessor, EventType, processPartialResponse } from "@aws-lambda-powertools/batch";
import { MetricUnit } from "@aws-lambda-powertools/metrics";
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import { maskIdentifier, scrubbedError } from "../core/mask.ts";
import { type FeedbackDependencies, relayFeedback } from "../use-cases/relay-feedback.ts";
import { logger, metrics } from "./observability.ts";

/**
 * Feedback queue (subscribed to the feedback topic, raw delivery) → this: each body is an SES or End User
 * Messaging SMS event about a message; the feedback event it stands for goes on the bus. Records that are not
 * Waymark's, not acted on or unreadable are logged and dropped; a failure to put the event is retried, then
 * dead-lettered.
 */
export function makeFeedbackHandler(deps: FeedbackDependencies) {
  const recordHandler = async (record: SQSRecord) => {
    let feedback: Awaited<ReturnType<typeof relayFeedback>>;
    try {
      feedback = await relayFeedback(record.body, deps);
    } catch (error) {
      logger.error("feedback could not be put on the bus; it will be retried, then dead-lettered", {
        messageId: record.messageId,
        error: scrubbedError(error),
      });
      throw error;
    }
    switch (feedback.kind) {
      case "event": {
        const { detail, detailType } = feedback.event;
        metrics.addMetric(`Feedback.${detailType}`, MetricUnit.Count, 1);
        logger.info("feedback relayed", {
          provider: feedback.provider,
          detailType,
          channel: detail.channel,
          customerId: maskIdentifier(String(detail.customerId)),
          notificationId: detail.notificationId,
        });
        return;
      }
      case "ignored":
        metrics.addMetric("Feedback.ignored", MetricUnit.Count, 1);
        logger.debug("provider event not acted on", { provider: feedback.provider, type: feedback.type });
        return;
      case "not-ours":
        metrics.addMetric("Feedback.notOurs", MetricUnit.Count, 1);
        logger.warn("provider event about a message Waymark did not send: dropped", {
          messageId: record.messageId,
          provider: feedback.provider,
          type: feedback.type,
        });
        return;
      case "unreadable":
        metrics.addMetric("Feedback.unreadable", MetricUnit.Count, 1);
        logger.error("not a provider event Waymark reads: dropped", {
          messageId: record.messageId,
          problems: feedback.problems,
        });
        return;
    }
  };
  return async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> =>
    processPartialResponse(event, recordHandler, new BatchProcessor(EventType.SQS), {
      context,
      throwOnFullBatchFailure: false,
    });
}
