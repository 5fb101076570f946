/**
 * The email document the notifier publishes to the email topic, defined once: the notifier writes it with
 * `emailDocument` (functions/adapters/sns-email-sender.ts), the email sender reads it with
 * `emailDocumentSchema` (functions/handlers/email-sender-handler.ts), and anyone else subscribed to the topic
 * may rely on it. The topic is the boundary between the two, so the reader treats the document as hostile:
 * every field is bounded, and the only headers it carries are the two RFC 8058 ones.
 */
import * as z from "zod";
import { prioritySchema } from "../core/customer-state.ts";
import type { EmailMessage } from "../ports/message-sender.ts";
import { NOTIFICATION_ID_PATTERN } from "./delivery-correlation.ts";

/** SNS takes 256 KiB a message: a body of this many characters fits even at 3 UTF-8 bytes each. */
export const EMAIL_BODY_MAX_CHARS = 64 * 1024;

const id = z.string().min(1).max(256);
/** Header values are printable ASCII (SES: at most 995 characters). */
const headerValue = z
  .string()
  .max(995)
  .regex(/^[\x20-\x7e]+$/);

export const emailDocumentSchema = z.object({
  notificationId: z.string().regex(NOTIFICATION_ID_PATTERN),
  customerId: z.string().min(1).max(128),
  journeyId: id,
  instanceId: id,
  template: id,
  locale: z.string().min(1).max(64),
  /** What an ambiguous SendEmail does: at most once for marketing and service, at least once for safety. */
  priority: prioritySchema,
  marketing: z.boolean(),
  to: z.email().max(254),
  /** RFC 5322 lines end by 998 characters; a subject is one. */
  subject: z.string().max(998),
  body: z.string().min(1).max(EMAIL_BODY_MAX_CHARS),
  /** RFC 8058 one-click unsubscribe: marketing email carries both, everything else neither. */
  headers: z
    .strictObject({
      "List-Unsubscribe": headerValue.regex(/^<https:\/\/[^<>\s]+>$/),
      "List-Unsubscribe-Post": z.literal("List-Unsubscribe=One-Click"),
    })
    .optional(),
});
export type EmailDocument = z.infer<typeof emailDocumentSchema>;

/**
 * The document for one email, checked as the reader will check it: a message the email sender would refuse
 * fails here, in the notifier, before it is published.
 */
export function emailDocument(message: EmailMessage): EmailDocument {
  return emailDocumentSchema.parse({
    notificationId: message.notificationId,
    customerId: message.customerId,
    journeyId: message.journeyId,
    instanceId: message.instanceId,
    template: message.template,
    locale: message.locale,
    priority: message.priority,
    marketing: message.marketing,
    to: message.to,
    subject: message.subject,
    body: message.body,
    ...(message.headers ? { headers: message.headers } : {}),
  });
}
