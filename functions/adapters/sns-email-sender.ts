import { PublishCommand, type SNSClient } from "@aws-sdk/client-sns";
import { emailDocument } from "../messages/email-document.ts";
import type { EmailMessage, EmailSender } from "../ports/message-sender.ts";

export interface SnsEmailSenderOptions {
  /** The topic every email is published to; the email sender (and anyone else subscribed) delivers from it. */
  emailTopicArn: string;
}

/**
 * Email: the email document (functions/messages/email-document.ts) on the email topic, for the email sender
 * (and any other subscriber) to deliver. A topic rather than SES straight from the notifier, so that the
 * notifier's claim covers one cheap publish and other teams may subscribe their own processing; the message
 * attributes let a subscription filter without reading the body.
 */
export class SnsEmailSender implements EmailSender {
  readonly #client: SNSClient;
  readonly #options: SnsEmailSenderOptions;

  constructor(client: SNSClient, options: SnsEmailSenderOptions) {
    this.#client = client;
    this.#options = options;
  }

  async sendEmail(message: EmailMessage): Promise<{ messageId: string }> {
    const result = await this.#client.send(
      new PublishCommand({
        TopicArn: this.#options.emailTopicArn,
        Message: JSON.stringify(emailDocument(message)),
        MessageAttributes: {
          notificationId: { DataType: "String", StringValue: message.notificationId },
          customerId: { DataType: "String", StringValue: message.customerId },
          template: { DataType: "String", StringValue: message.template },
          category: { DataType: "String", StringValue: message.marketing ? "marketing" : "transactional" },
        },
      }),
    );
    if (!result.MessageId)
      throw new Error(`SNS accepted notification ${message.notificationId} without a MessageId`);
    return { messageId: result.MessageId };
  }
}
