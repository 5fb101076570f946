import { BatchProcessor, EventType, processPartialResponse } from "@aws-lambda-powertools/batch";
import { MetricUnit } from "@aws-lambda-powertools/metrics";
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import { maskContact, maskIdentifier, scrubbedError } from "../core/mask.ts";
import { type EmailDocument, emailDocumentSchema } from "../messages/email-document.ts";
import { type EmailOutcome, type EmailSenderDependencies, sendEmail } from "../use-cases/send-email.ts";
import { logger, metrics } from "./observability.ts";

/**
 * Email queue (subscribed to the email topic, raw delivery) → this: each body is the notifier's email
 * document, checked against its schema (a body that is not one is retried, then dead-lettered with the
 * reason in the log), then sent once through SES. A permanent refusal is an outcome, not a failure: recorded,
 * announced, done.
 */
export function makeEmailSenderHandler(deps: EmailSenderDependencies) {
  const recordHandler = async (record: SQSRecord) => {
    const document = parseDocument(record);
    const about = {
      customerId: maskIdentifier(document.customerId),
      notificationId: document.notificationId,
      template: document.template,
      to: maskContact(document.to),
    };
    let outcome: EmailOutcome;
    try {
      outcome = await sendEmail(document, deps);
    } catch (error) {
      logger.error("email failed; it will be retried, then dead-lettered", {
        ...about,
        error: scrubbedError(error),
      });
      throw error;
    }
    metrics.addMetric(`Email.${outcome}`, MetricUnit.Count, 1);
    logger.info("email handled", { ...about, priority: document.priority, outcome });
  };
  return async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> =>
    processPartialResponse(event, recordHandler, new BatchProcessor(EventType.SQS), {
      context,
      throwOnFullBatchFailure: false,
    });
}

/** The body as an email document; anything else is logged with its problems (never its values) and thrown. */
function parseDocument(record: SQSRecord): EmailDocument {
  let json: unknown;
  try {
    json = JSON.parse(record.body);
  } catch {
    json = undefined;
  }
  const parsed = emailDocumentSchema.safeParse(json);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `${issue.path.join(".") || "body"}: ${issue.message}`);
  logger.error("not an email document; it will be retried, then dead-lettered", {
    messageId: record.messageId,
    problems,
  });
  throw new TypeError(`message ${record.messageId} is not an email document: ${problems.join("; ")}`);
}
