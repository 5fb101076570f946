export interface SmsMessage {
  to: string;
  body: string;
  marketing: boolean;
  notificationId: string;
}

export interface EmailMessage {
  to: string;
  subject: string;
  body: string;
  notificationId: string;
  customerId: string;
  template: string;
  locale: string;
  marketing: boolean;
  /** Extra mail headers, e.g. RFC 8058 List-Unsubscribe for marketing. */
  headers?: Record<string, string>;
}

/** The carrier or SNS says this recipient opted out: never use the channel again. */
export class RecipientOptedOutError extends Error {
  override name = "RecipientOptedOutError";
}

export interface MessageSender {
  sendSms(message: SmsMessage): Promise<{ messageId: string }>;
  sendEmail(message: EmailMessage): Promise<{ messageId: string }>;
}
