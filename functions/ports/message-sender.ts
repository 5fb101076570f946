import type { Priority } from "../core/customer-state.ts";

/** Who a message is about: what the provider hands back with every report on it (delivery-correlation.ts). */
interface MessageOrigin {
  notificationId: string;
  customerId: string;
  journeyId: string;
  instanceId: string;
}

export interface SmsMessage extends MessageOrigin {
  to: string;
  body: string;
  marketing: boolean;
}

export interface EmailMessage extends MessageOrigin {
  to: string;
  subject: string;
  body: string;
  template: string;
  locale: string;
  /** Decides what an ambiguous send does further down: at most once, or at least once for safety. */
  priority: Priority;
  marketing: boolean;
  /** Extra mail headers, e.g. RFC 8058 List-Unsubscribe for marketing. */
  headers?: Record<string, string>;
}

/** The carrier or the SMS provider says this recipient opted out: never use the channel again. */
export class RecipientOptedOutError extends Error {
  override name = "RecipientOptedOutError";
}

export interface SmsSender {
  sendSms(message: SmsMessage): Promise<{ messageId: string }>;
}

export interface EmailSender {
  sendEmail(message: EmailMessage): Promise<{ messageId: string }>;
}

/** What the notifier hands messages to: one sender per channel, or one for both (locally, in tests). */
export interface MessageSender extends SmsSender, EmailSender {}
