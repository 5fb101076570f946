import {
  ConflictException,
  type PinpointSMSVoiceV2Client,
  SendTextMessageCommand,
} from "@aws-sdk/client-pinpoint-sms-voice-v2";
import { correlationContext } from "../messages/delivery-correlation.ts";
import { RecipientOptedOutError, type SmsMessage, type SmsSender } from "../ports/message-sender.ts";

export interface SmsVoiceSenderOptions {
  /**
   * The stack's End User Messaging SMS configuration set: it streams every message's delivery events, with the
   * context this sender attaches, to the feedback topic.
   */
  configurationSetName: string;
  /**
   * The phone number, sender ID or pool to send from (an id, a number or its ARN). Absent: the service picks one
   * of the account's identities for the destination (and the configuration set's default sender ID applies).
   */
  originationIdentity?: string;
}

/**
 * SMS through AWS End User Messaging SMS (`SendTextMessage`): TRANSACTIONAL for safety and service messages
 * (carriers prioritise them), PROMOTIONAL for marketing. The message's correlation goes in `Context`, which
 * the configuration set's events carry back to the feedback function.
 *
 * A number on the opt-out list is refused with a ConflictException (`DESTINATION_PHONE_NUMBER_OPTED_OUT`):
 * the recipient replied STOP, and the channel closes. Every other error goes up as it is: throttling and
 * other 4xx answers are a definite "not sent" (retried), a 5xx or a timeout leaves the outcome unknown
 * (`isAmbiguousPublishError` in deliver-notification.ts decides).
 */
export class SmsVoiceSender implements SmsSender {
  readonly #client: PinpointSMSVoiceV2Client;
  readonly #options: SmsVoiceSenderOptions;

  constructor(client: PinpointSMSVoiceV2Client, options: SmsVoiceSenderOptions) {
    this.#client = client;
    this.#options = options;
  }

  async sendSms(message: SmsMessage): Promise<{ messageId: string }> {
    let messageId: string | undefined;
    try {
      ({ MessageId: messageId } = await this.#client.send(
        new SendTextMessageCommand({
          DestinationPhoneNumber: message.to,
          MessageBody: message.body,
          MessageType: message.marketing ? "PROMOTIONAL" : "TRANSACTIONAL",
          ConfigurationSetName: this.#options.configurationSetName,
          ...(this.#options.originationIdentity
            ? { OriginationIdentity: this.#options.originationIdentity }
            : {}),
          Context: correlationContext(message),
        }),
      ));
    } catch (error) {
      if (error instanceof ConflictException && error.Reason === "DESTINATION_PHONE_NUMBER_OPTED_OUT")
        throw new RecipientOptedOutError(`${message.notificationId}: the recipient opted out of SMS`);
      throw error;
    }
    if (!messageId)
      throw new Error(
        `End User Messaging accepted notification ${message.notificationId} without a MessageId`,
      );
    return { messageId };
  }
}
