/**
 * What became of a message after it left Waymark: delivered, bounced, complained about, opened, clicked, or
 * failed. The email sender, SES and the SMS provider report it; the feedback function turns their reports
 * into these events (source `waymark.feedback`, the only source ingest accepts them from), correlated to the
 * notification, the customer and the journey instance. Journeys wait on them (`waitForEvent`), and the
 * engine closes channels and sends fallbacks on them (docs/delivery-policy.md).
 */
import * as z from "zod";
import { defineEvent } from "../functions/core/catalog/define-event.ts";
import { FEEDBACK_SOURCE, MESSAGE_FEEDBACK } from "../functions/core/message-feedback.ts";
import { customerEventBase } from "./customer-event-base.ts";
import { identifier, journeyId, journeyInstanceId, notificationChannel } from "./fields.ts";

const feedbackBase = customerEventBase.extend({
  notificationId: identifier.describe("The message's notification id (NotificationSent.notificationId)"),
  channel: notificationChannel.describe("The channel the message went out on"),
  journeyId: journeyId.optional(),
  instanceId: journeyInstanceId.optional(),
  providerMessageId: identifier
    .optional()
    .describe("The provider's id of the message (SES MessageId, SMS MessageId), for support cases"),
});

const shortText = z.string().max(500);
const sources = [FEEDBACK_SOURCE] as const;
const base = { scope: "customer", direction: "inbound", sources } as const;
const sample = {
  customerId: "cust-kr-0001",
  notificationId: "Zq1pG0mJk3t9xV2bN8cR4w",
  eventId: "ses-0100019a-delivery",
};

export const messageDelivered = defineEvent({
  ...base,
  detailType: MESSAGE_FEEDBACK.delivered,
  description: "The provider delivered the message to the customer's mail server or handset.",
  detail: feedbackBase,
  describe: (d) => `${d.channel} message delivered`,
  samples: [
    { ...sample, channel: "email" },
    {
      ...sample,
      channel: "sms",
      journeyId: "post-purchase",
      instanceId: "post-purchase#o-1001",
      providerMessageId: "sms-1",
    },
  ],
});

export const messageBounced = defineEvent({
  ...base,
  detailType: MESSAGE_FEEDBACK.bounced,
  description:
    "The message bounced: hard (the address or number does not exist — the channel closes) or soft (a full " +
    "mailbox, a handset off — the channel closes after the policy's softBounceLimit in a row).",
  detail: feedbackBase.extend({
    bounceType: z.enum(["hard", "soft"]).describe("hard: permanent; soft: transient"),
    reason: shortText
      .optional()
      .describe("The provider's bounce subtype or status, e.g. NoEmail, MailboxFull"),
  }),
  describe: (d) => `${d.channel} message bounced (${d.bounceType})`,
  samples: [
    { ...sample, channel: "email", bounceType: "hard" },
    { ...sample, channel: "email", bounceType: "soft", reason: "MailboxFull" },
  ],
});

export const messageComplained = defineEvent({
  ...base,
  detailType: MESSAGE_FEEDBACK.complained,
  description: "The customer marked the message as spam: the channel closes for them.",
  detail: feedbackBase.extend({
    feedbackType: shortText.optional().describe("The complaint type the mailbox provider gave, e.g. abuse"),
  }),
  describe: (d) => `${d.channel} message reported as spam`,
  samples: [
    { ...sample, channel: "email" },
    { ...sample, channel: "email", feedbackType: "abuse" },
  ],
});

export const messageOpened = defineEvent({
  ...base,
  detailType: MESSAGE_FEEDBACK.opened,
  description: "The customer opened the email (as far as an open pixel can tell).",
  detail: feedbackBase,
  describe: (d) => `${d.channel} message opened`,
  samples: [
    { ...sample, channel: "email" },
    { ...sample, channel: "email", journeyId: "post-purchase", instanceId: "post-purchase#o-1001" },
  ],
});

export const messageClicked = defineEvent({
  ...base,
  detailType: MESSAGE_FEEDBACK.clicked,
  description: "The customer followed a link in the message.",
  detail: feedbackBase.extend({
    link: z
      .url({ protocol: /^https?$/ })
      .max(2048)
      .optional()
      .describe("The link followed"),
  }),
  describe: (d) => `${d.channel} message link clicked`,
  samples: [
    { ...sample, channel: "email" },
    { ...sample, channel: "email", link: "https://links.example/t/o-1001" },
  ],
});

export const messageFailed = defineEvent({
  ...base,
  detailType: MESSAGE_FEEDBACK.failed,
  description:
    "The provider could not deliver the message (an unreachable or blocked number, a rejected email): a send " +
    "that asked for a fallback goes once more on the next allowed channel.",
  detail: feedbackBase.extend({
    permanent: z.boolean().default(true).describe("false when the provider may still deliver it"),
    reason: shortText.optional().describe("The provider's status, e.g. UNREACHABLE, CARRIER_BLOCKED"),
  }),
  describe: (d) => `${d.channel} message failed${d.reason ? ` (${d.reason})` : ""}`,
  samples: [
    { ...sample, channel: "sms" },
    { ...sample, channel: "sms", permanent: true, reason: "UNREACHABLE" },
  ],
});

export const messageFeedbackEvents = [
  messageDelivered,
  messageBounced,
  messageComplained,
  messageOpened,
  messageClicked,
  messageFailed,
] as const;
