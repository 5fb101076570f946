import { InvalidParameterException, PublishCommand, type SNSClient } from "@aws-sdk/client-sns";
import {
  type EmailMessage,
  type MessageSender,
  RecipientOptedOutError,
  type SmsMessage,
} from "../ports/message-sender.ts";

export interface SnsMessageSenderOptions {
  /** Topic whose subscriber (e.g. an SES forwarder) delivers email. */
  emailTopicArn: string;
  /** Alphanumeric sender id where the destination country supports one. */
  smsSenderId?: string;
}

/**
 * The SNS clients to publish with: SMS and email may go out under different credentials. In AWS, SMS is
 * published under a role that may publish to phone numbers and to no topic, email under the notifier's own
 * role, which may publish to the email topic only.
 */
export interface SnsClients {
  sms: SNSClient;
  email: SNSClient;
}

/**
 * SMS: Publish straight to the phone number, Transactional for safety/service (carriers
 * prioritise it) and Promotional for marketing. Email: Publish a JSON document to the email
 * topic — SNS subjects must be ASCII, and Korean subjects are not.
 */
export class SnsMessageSender implements MessageSender {
  readonly #sms: SNSClient;
  readonly #email: SNSClient;
  readonly #options: SnsMessageSenderOptions;

  /** One client for both channels (locally, in tests), or one per channel. */
  constructor(clients: SNSClient | SnsClients, options: SnsMessageSenderOptions) {
    const { sms, email } = "sms" in clients ? clients : { sms: clients, email: clients };
    this.#sms = sms;
    this.#email = email;
    this.#options = options;
  }

  async sendSms(message: SmsMessage): Promise<{ messageId: string }> {
    const command = new PublishCommand({
      PhoneNumber: message.to,
      Message: message.body,
      MessageAttributes: {
        "AWS.SNS.SMS.SMSType": {
          DataType: "String",
          StringValue: message.marketing ? "Promotional" : "Transactional",
        },
        ...(this.#options.smsSenderId
          ? { "AWS.SNS.SMS.SenderID": { DataType: "String", StringValue: this.#options.smsSenderId } }
          : {}),
      },
    });
    try {
      const result = await this.#sms.send(command);
      return { messageId: requireMessageId(result.MessageId, message.notificationId) };
    } catch (error) {
      // SNS refuses numbers on the account's opt-out list (the recipient replied STOP).
      if (error instanceof InvalidParameterException && /opted out/i.test(error.message)) {
        throw new RecipientOptedOutError(`${message.notificationId}: the recipient opted out of SMS`);
      }
      throw error;
    }
  }

  async sendEmail(message: EmailMessage): Promise<{ messageId: string }> {
    const result = await this.#email.send(
      new PublishCommand({
        TopicArn: this.#options.emailTopicArn,
        Message: JSON.stringify({
          to: message.to,
          subject: message.subject,
          body: message.body,
          notificationId: message.notificationId,
          template: message.template,
          locale: message.locale,
          ...(message.headers ? { headers: message.headers } : {}),
        }),
        MessageAttributes: {
          notificationId: { DataType: "String", StringValue: message.notificationId },
          customerId: { DataType: "String", StringValue: message.customerId },
          template: { DataType: "String", StringValue: message.template },
          category: { DataType: "String", StringValue: message.marketing ? "marketing" : "transactional" },
        },
      }),
    );
    return { messageId: requireMessageId(result.MessageId, message.notificationId) };
  }
}

function requireMessageId(messageId: string | undefined, notificationId: string): string {
  if (!messageId) throw new Error(`SNS accepted notification ${notificationId} without a MessageId`);
  return messageId;
}
