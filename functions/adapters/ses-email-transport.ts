import {
  AccountSuspendedException,
  BadRequestException,
  MailFromDomainNotVerifiedException,
  MessageRejected,
  NotFoundException,
  type SESv2Client,
  SendEmailCommand,
  SendingPausedException,
} from "@aws-sdk/client-sesv2";
import { scrubContacts } from "../core/mask.ts";
import { correlationTags } from "../messages/delivery-correlation.ts";
import type { EmailDocument } from "../messages/email-document.ts";
import { EmailRejectedError, type EmailTransport } from "../ports/email-transport.ts";
import { emailHtml } from "./email-html.ts";

export interface SesEmailTransportOptions {
  /** The verified sender every email comes from (`no-reply@example.com`). */
  fromAddress: string;
  /** The stack's SES configuration set: it publishes the email's events, with its tags, to the feedback topic. */
  configurationSetName: string;
}

/**
 * SES errors after which the same email can never be sent: rejected content, an unverified MAIL FROM domain,
 * a missing identity or configuration set, an invalid request (a malformed address), an account suspended or
 * paused. Throttling (TooManyRequestsException, LimitExceededException) and server errors are not among them.
 */
const PERMANENT = [
  MessageRejected,
  MailFromDomainNotVerifiedException,
  NotFoundException,
  BadRequestException,
  AccountSuspendedException,
  SendingPausedException,
] as const;

/**
 * Email through SES v2 `SendEmail`: a simple message with a UTF-8 subject, the body as the plain-text part and
 * an HTML part made from it, the document's RFC 8058 headers, the stack's configuration set, and the
 * notification's correlation as tags (which SES hands back with every event about the email).
 */
export class SesEmailTransport implements EmailTransport {
  readonly #client: SESv2Client;
  readonly #options: SesEmailTransportOptions;

  constructor(client: SESv2Client, options: SesEmailTransportOptions) {
    this.#client = client;
    this.#options = options;
  }

  async send(document: EmailDocument): Promise<{ messageId: string }> {
    const headers = Object.entries(document.headers ?? {}).map(([Name, Value]) => ({ Name, Value }));
    let messageId: string | undefined;
    try {
      ({ MessageId: messageId } = await this.#client.send(
        new SendEmailCommand({
          FromEmailAddress: this.#options.fromAddress,
          Destination: { ToAddresses: [document.to] },
          Content: {
            Simple: {
              Subject: { Data: document.subject, Charset: "UTF-8" },
              Body: {
                Text: { Data: document.body, Charset: "UTF-8" },
                Html: { Data: emailHtml(document), Charset: "UTF-8" },
              },
              ...(headers.length > 0 ? { Headers: headers } : {}),
            },
          },
          EmailTags: correlationTags(document),
          ConfigurationSetName: this.#options.configurationSetName,
        }),
      ));
    } catch (error) {
      if (PERMANENT.some((type) => error instanceof type)) {
        const { name, message } = error as Error;
        // SES quotes the addresses it refused: the reason goes into a record and an event, masked.
        throw new EmailRejectedError(scrubContacts(`${name}: ${message}`), { cause: error });
      }
      throw error;
    }
    if (!messageId) throw new Error(`SES accepted email ${document.notificationId} without a MessageId`);
    return { messageId };
  }
}
