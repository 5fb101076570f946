import { BatchProcessor, EventType, processPartialResponse } from "@aws-lambda-powertools/batch";
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import { maskContact } from "../core/mask.ts";
import { notificationRecordSchema } from "../core/notification.ts";
import { deliverNotification, type NotifierDependencies } from "../use-cases/deliver-notification.ts";
import { logger } from "./observability.ts";

/** Outbound queue → this: claim, publish through SNS, record. Failed records are retried by SQS. */
export function makeNotifierHandler(deps: NotifierDependencies) {
  const recordHandler = async (record: SQSRecord) => {
    const notification = notificationRecordSchema.parse(JSON.parse(record.body));
    let outcome: Awaited<ReturnType<typeof deliverNotification>>;
    try {
      outcome = await deliverNotification(notification, deps);
    } catch (error) {
      logger.error("notification failed; it will be retried, then dead-lettered", {
        customerId: notification.customerId,
        notificationId: notification.id,
        error: error as Error,
      });
      throw error;
    }
    logger.info("notification handled", {
      customerId: notification.customerId,
      notificationId: notification.id,
      template: notification.template,
      status: notification.status,
      channel: notification.channel,
      to: notification.to ? maskContact(notification.to) : undefined,
      outcome,
    });
  };
  return async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> =>
    processPartialResponse(event, recordHandler, new BatchProcessor(EventType.SQS), {
      context,
      throwOnFullBatchFailure: false,
    });
}
