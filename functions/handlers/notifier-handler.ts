import { BatchProcessor, EventType, processPartialResponse } from "@aws-lambda-powertools/batch";
import { MetricUnit } from "@aws-lambda-powertools/metrics";
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import { JourneyMetric, MetricDimension } from "../config/metric-names.ts";
import { maskContact, maskIdentifier, scrubbedError } from "../core/mask.ts";
import { type NotificationRecord, notificationRecordSchema } from "../core/notification.ts";
import {
  type DeliveryOutcome,
  deliverNotification,
  type NotifierDependencies,
} from "../use-cases/deliver-notification.ts";
import { logger, metrics, publishDimensioned } from "./observability.ts";

/**
 * Sent per journey and channel, suppressed per journey and reason (and per reason across journeys, for the
 * dashboard). Only a first handling counts: a redelivered decision (`duplicate`) was counted already.
 */
export function publishDeliveryMetrics(notification: NotificationRecord, outcome: DeliveryOutcome): void {
  const journey = { [MetricDimension.journey]: notification.journeyId };
  if (outcome === "sent" && notification.channel)
    publishDimensioned([{ ...journey, [MetricDimension.channel]: notification.channel }], {
      [JourneyMetric.sent]: 1,
    });
  if (outcome === "recorded" && notification.status === "suppressed") {
    const reason = { [MetricDimension.reason]: notification.reason ?? "unspecified" };
    publishDimensioned([{ ...journey, ...reason }, reason], { [JourneyMetric.suppressed]: 1 });
  }
}

/**
 * Outbound queue → this: claim, hand over (SMS to End User Messaging, email to the email topic), record. Each
 * body is validated against the notification schema first; a record that fails is retried by SQS and then
 * dead-lettered.
 * (Powertools' batch parser integration would do the same but bundles all of zod's envelopes:
 * +330 KB on a function whose cold start we pay for every burst of messages.)
 */
export function makeNotifierHandler(deps: NotifierDependencies) {
  const recordHandler = async (record: SQSRecord) => {
    const notification: NotificationRecord = notificationRecordSchema.parse(JSON.parse(record.body));
    let outcome: Awaited<ReturnType<typeof deliverNotification>>;
    try {
      outcome = await deliverNotification(notification, deps);
    } catch (error) {
      logger.error("notification failed; it will be retried, then dead-lettered", {
        customerId: maskIdentifier(notification.customerId),
        notificationId: notification.id,
        // Provider errors may quote the phone number they refused.
        error: scrubbedError(error),
      });
      throw error;
    }
    metrics.addMetric(
      outcome === "sent"
        ? `Sent.${notification.channel}`
        : outcome === "uncertain"
          ? `Uncertain.${notification.channel}`
          : `Decision.${notification.status}`,
      MetricUnit.Count,
      1,
    );
    publishDeliveryMetrics(notification, outcome);
    logger.info("notification handled", {
      customerId: maskIdentifier(notification.customerId),
      notificationId: notification.id,
      template: notification.template,
      status: notification.status,
      reason: notification.reason,
      channel: notification.channel,
      to: notification.to ? maskContact(notification.to) : undefined,
      why: notification.why[0],
      outcome,
    });
  };
  return async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> =>
    processPartialResponse(event, recordHandler, new BatchProcessor(EventType.SQS), {
      context,
      throwOnFullBatchFailure: false,
    });
}
