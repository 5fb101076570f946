/**
 * Provider feedback becomes events (issue 10): every row of docs/delivery-policy.md's feedback table, from records
 * shaped as the providers publish them (the SES examples of "Examples of event data that Amazon SES publishes to
 * Amazon SNS" and the SMS example of End User Messaging's "Messaging events"), with Waymark's tags and context.
 */
import { describe, expect, it } from "vitest";
import { referenceContract, validateDetail } from "../../../events/parse.ts";
import { correlationContext, correlationTags } from "../../../functions/messages/delivery-correlation.ts";
import {
  providerFeedback,
  SMS_FEEDBACK_EVENT_TYPES,
} from "../../../functions/use-cases/provider-feedback.ts";

const correlation = {
  notificationId: "Zq1pG0mJk3t9xV2bN8cR4w",
  customerId: "cust-kr-0001",
  journeyId: "post-purchase",
  instanceId: "post-purchase#o-1001",
};
const SES_MESSAGE_ID = "EXAMPLE7c191be45-e9aedb9a-02f9-4d12-a87d-dd0099a07f8a-000000";
const SMS_MESSAGE_ID = "862a8790-60c0-4430-9b2b-658bdexample";

/** The `mail` object SES puts in every event record, with the tags it publishes for a configuration set. */
function mail(tags: Record<string, string[]> = tagsOf(correlation)) {
  return {
    timestamp: "2017-08-05T00:40:02.012Z",
    source: "Sender Name <sender@example.com>",
    sourceArn: "arn:aws:ses:us-east-1:123456789012:identity/sender@example.com",
    sendingAccountId: "123456789012",
    messageId: SES_MESSAGE_ID,
    destination: ["recipient@example.com"],
    headersTruncated: false,
    headers: [
      { name: "From", value: "Sender Name <sender@example.com>" },
      { name: "To", value: "recipient@example.com" },
      { name: "Subject", value: "Message sent from Amazon SES" },
      { name: "MIME-Version", value: "1.0" },
    ],
    commonHeaders: {
      from: ["Sender Name <sender@example.com>"],
      to: ["recipient@example.com"],
      messageId: SES_MESSAGE_ID,
      subject: "Message sent from Amazon SES",
    },
    tags: {
      "ses:configuration-set": ["waymark-email"],
      "ses:source-ip": ["192.0.2.0"],
      "ses:from-domain": ["example.com"],
      "ses:caller-identity": ["waymark-email-sender"],
      ...tags,
    },
  };
}
const tagsOf = (c: typeof correlation) =>
  Object.fromEntries(correlationTags(c).map((tag) => [tag.Name, [tag.Value]]));

const ses = (eventType: string, body: Record<string, unknown>, tags?: Record<string, string[]>) =>
  JSON.stringify({ eventType, mail: mail(tags), ...body });

const SES = {
  delivery: ses("Delivery", {
    delivery: {
      timestamp: "2016-10-19T23:21:04.133Z",
      processingTimeMillis: 11893,
      recipients: ["recipient@example.com"],
      smtpResponse: "250 2.6.0 Message received",
      reportingMTA: "mta.example.com",
    },
  }),
  bounce: (bounceType: string, bounceSubType: string) =>
    ses("Bounce", {
      bounce: {
        bounceType,
        bounceSubType,
        bouncedRecipients: [
          {
            emailAddress: "recipient@example.com",
            action: "failed",
            status: "5.1.1",
            diagnosticCode: "smtp; 550 5.1.1 user unknown",
          },
        ],
        timestamp: "2017-08-05T00:41:02.669Z",
        feedbackId: "01000157c44f053b-61b59c11-9236-11e6-8f96-7be8aexample-000000",
        reportingMTA: "dsn; mta.example.com",
      },
    }),
  complaint: (complaintFeedbackType?: string) =>
    ses("Complaint", {
      complaint: {
        feedbackId: "01000157c44f053b-61b59c11-9236-11e6-8f96-7be8aexample-000000",
        complaintSubType: null,
        complainedRecipients: [{ emailAddress: "recipient@example.com" }],
        timestamp: "2017-08-05T00:41:02.669Z",
        userAgent: "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36",
        ...(complaintFeedbackType ? { complaintFeedbackType } : {}),
        arrivalDate: "2017-08-05T00:41:02.669Z",
      },
    }),
  open: ses("Open", {
    open: {
      ipAddress: "192.0.2.1",
      timestamp: "2017-08-09T22:00:19.652Z",
      userAgent: "Mozilla/5.0 (iPhone; CPU iPhone OS 10_3_3 like Mac OS X) AppleWebKit/603.3.8",
    },
  }),
  click: (link: string) =>
    ses("Click", {
      click: {
        ipAddress: "192.0.2.1",
        link,
        linkTags: { samplekey0: ["samplevalue0"] },
        timestamp: "2017-08-09T23:51:25.570Z",
        userAgent: "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36",
      },
    }),
  reject: ses("Reject", { reject: { reason: "Bad content" } }),
  renderingFailure: ses("Rendering Failure", {
    failure: {
      errorMessage: "Attribute 'attributeName' is not present in the rendering data.",
      templateName: "MyTemplate",
    },
  }),
  send: ses("Send", { send: {} }),
  deliveryDelay: ses("DeliveryDelay", {
    deliveryDelay: {
      timestamp: "2020-06-16T00:15:40.641Z",
      delayType: "InternalFailure",
      expirationTime: "2020-06-16T00:25:40.914Z",
      delayedRecipients: [
        { emailAddress: "recipient@example.com", status: "4.4.1", diagnosticCode: "smtp; 421" },
      ],
    },
  }),
  subscription: ses("Subscription", {
    subscription: {
      contactList: "ContactListName",
      timestamp: "2022-01-12T01:00:17.910Z",
      source: "UnsubscribeHeader",
      newTopicPreferences: { unsubscribeAll: true, topicSubscriptionStatus: [] },
      oldTopicPreferences: { unsubscribeAll: false, topicSubscriptionStatus: [] },
    },
  }),
};

/** An SMS event as End User Messaging SMS publishes it, with the context the notifier sent. */
const sms = (eventType: string, overrides: Record<string, unknown> = {}) =>
  JSON.stringify({
    eventType,
    eventVersion: "1.0",
    eventTimestamp: 1686975103470,
    isFinal: true,
    originationPhoneNumber: "+12065550152",
    destinationPhoneNumber: "+14255550156",
    isInternationalSend: false,
    mcc: "310",
    mnc: "800",
    messageId: SMS_MESSAGE_ID,
    messageRequestTimestamp: 1686975103170,
    messageEncoding: "GSM",
    messageType: "TRANSACTIONAL",
    messageStatus: eventType.slice("TEXT_".length),
    messageStatusDescription: "Message has been accepted by phone carrier",
    context: correlationContext(correlation),
    totalMessageParts: 1,
    totalMessagePrice: 0.00581,
    totalCarrierFee: 0.0,
    ...overrides,
  });

const identity = {
  customerId: correlation.customerId,
  notificationId: correlation.notificationId,
  journeyId: correlation.journeyId,
  instanceId: correlation.instanceId,
};

/** The event a body maps to; it must be valid by the event contract the bus and ingest enforce. */
function eventOf(body: string) {
  const feedback = providerFeedback(body);
  if (feedback.kind !== "event") throw new Error(`expected an event, got ${JSON.stringify(feedback)}`);
  const descriptor = referenceContract.event(feedback.event.detailType);
  expect(descriptor, feedback.event.detailType).toBeDefined();
  validateDetail(descriptor!, feedback.event.detail, "test");
  return feedback.event;
}

describe("SES events (email)", () => {
  it("Delivery → MessageDelivered", () => {
    expect(eventOf(SES.delivery)).toEqual({
      detailType: "MessageDelivered",
      detail: {
        ...identity,
        channel: "email",
        providerMessageId: SES_MESSAGE_ID,
        eventId: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/),
        occurredAt: "2016-10-19T23:21:04.133Z",
      },
    });
  });

  it("Bounce Permanent → MessageBounced hard; Transient and Undetermined → soft; the subtype is the reason", () => {
    expect(eventOf(SES.bounce("Permanent", "General"))).toEqual({
      detailType: "MessageBounced",
      detail: expect.objectContaining({
        ...identity,
        channel: "email",
        bounceType: "hard",
        reason: "General",
        occurredAt: "2017-08-05T00:41:02.669Z",
      }),
    });
    expect(eventOf(SES.bounce("Transient", "MailboxFull")).detail).toMatchObject({
      bounceType: "soft",
      reason: "MailboxFull",
    });
    expect(eventOf(SES.bounce("Undetermined", "Undetermined")).detail).toMatchObject({
      bounceType: "soft",
      reason: "Undetermined",
    });
  });

  it("Complaint → MessageComplained, with the feedback type when the mailbox provider gave one", () => {
    expect(eventOf(SES.complaint("abuse"))).toEqual({
      detailType: "MessageComplained",
      detail: expect.objectContaining({ ...identity, channel: "email", feedbackType: "abuse" }),
    });
    expect(eventOf(SES.complaint()).detail).not.toHaveProperty("feedbackType");
  });

  it("Open → MessageOpened; Click → MessageClicked with the link", () => {
    expect(eventOf(SES.open)).toEqual({
      detailType: "MessageOpened",
      detail: expect.objectContaining({
        ...identity,
        channel: "email",
        occurredAt: "2017-08-09T22:00:19.652Z",
      }),
    });
    const link = "https://docs.aws.amazon.com/ses/latest/DeveloperGuide/send-email-smtp.html";
    expect(eventOf(SES.click(link))).toEqual({
      detailType: "MessageClicked",
      detail: expect.objectContaining({ ...identity, channel: "email", link }),
    });
    // A link the event contract would refuse is left out rather than losing the click.
    expect(eventOf(SES.click("mailto:someone@example.com")).detail).not.toHaveProperty("link");
  });

  it("Reject and Rendering Failure → MessageFailed, permanent, with what SES said", () => {
    expect(eventOf(SES.reject)).toEqual({
      detailType: "MessageFailed",
      detail: expect.objectContaining({
        ...identity,
        channel: "email",
        permanent: true,
        reason: "Reject: Bad content",
        occurredAt: "2017-08-05T00:40:02.012Z",
      }),
    });
    expect(eventOf(SES.renderingFailure).detail).toMatchObject({
      permanent: true,
      reason: "Rendering Failure: Attribute 'attributeName' is not present in the rendering data.",
    });
  });

  it("Send, DeliveryDelay and Subscription → nothing", () => {
    for (const body of [SES.send, SES.deliveryDelay, SES.subscription]) {
      expect(providerFeedback(body)).toMatchObject({ kind: "ignored", provider: "ses" });
    }
  });
});

describe("End User Messaging SMS events", () => {
  it("TEXT_DELIVERED, and TEXT_SUCCESSFUL when final → MessageDelivered", () => {
    expect(eventOf(sms("TEXT_DELIVERED"))).toEqual({
      detailType: "MessageDelivered",
      detail: {
        ...identity,
        channel: "sms",
        providerMessageId: SMS_MESSAGE_ID,
        eventId: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/),
        occurredAt: "2023-06-17T04:11:43.470Z",
      },
    });
    expect(eventOf(sms("TEXT_SUCCESSFUL")).detailType).toBe("MessageDelivered");
    expect(providerFeedback(sms("TEXT_SUCCESSFUL", { isFinal: false }))).toMatchObject({ kind: "ignored" });
  });

  it("TEXT_INVALID → MessageBounced hard; unreachable and expired → soft, the status as the reason", () => {
    expect(eventOf(sms("TEXT_INVALID"))).toEqual({
      detailType: "MessageBounced",
      detail: expect.objectContaining({ ...identity, channel: "sms", bounceType: "hard", reason: "INVALID" }),
    });
    for (const type of ["TEXT_UNREACHABLE", "TEXT_CARRIER_UNREACHABLE", "TEXT_TTL_EXPIRED"]) {
      expect(eventOf(sms(type)), type).toMatchObject({
        detailType: "MessageBounced",
        detail: { bounceType: "soft", reason: type.slice("TEXT_".length) },
      });
    }
  });

  it("blocked, carrier-blocked, spam, invalid message and protect-blocked → MessageFailed permanent", () => {
    for (const type of [
      "TEXT_BLOCKED",
      "TEXT_CARRIER_BLOCKED",
      "TEXT_SPAM",
      "TEXT_INVALID_MESSAGE",
      "TEXT_PROTECT_BLOCKED",
    ]) {
      expect(eventOf(sms(type)), type).toMatchObject({
        detailType: "MessageFailed",
        detail: { channel: "sms", permanent: true, reason: type.slice("TEXT_".length) },
      });
    }
  });

  it("TEXT_QUEUED, TEXT_PENDING and TEXT_UNKNOWN → nothing, and the configuration set asks only for the mapped types", () => {
    for (const type of ["TEXT_QUEUED", "TEXT_PENDING", "TEXT_UNKNOWN"]) {
      expect(providerFeedback(sms(type, { isFinal: false })), type).toMatchObject({
        kind: "ignored",
        provider: "sms",
      });
      expect(SMS_FEEDBACK_EVENT_TYPES).not.toContain(type);
    }
    expect([...SMS_FEEDBACK_EVENT_TYPES].sort()).toEqual(
      [
        "TEXT_DELIVERED",
        "TEXT_SUCCESSFUL",
        "TEXT_INVALID",
        "TEXT_UNREACHABLE",
        "TEXT_CARRIER_UNREACHABLE",
        "TEXT_TTL_EXPIRED",
        "TEXT_BLOCKED",
        "TEXT_CARRIER_BLOCKED",
        "TEXT_SPAM",
        "TEXT_INVALID_MESSAGE",
        "TEXT_PROTECT_BLOCKED",
      ].sort(),
    );
  });
});

describe("what is not Waymark's, or not a provider's", () => {
  it("a record without Waymark's tags or context is not ours", () => {
    const foreignSes = JSON.stringify({
      eventType: "Delivery",
      mail: { ...mail(), tags: { "ses:configuration-set": ["other"] } },
      delivery: { timestamp: "2016-10-19T23:21:04.133Z" },
    });
    expect(providerFeedback(foreignSes)).toEqual({ kind: "not-ours", provider: "ses", type: "Delivery" });
    expect(providerFeedback(sms("TEXT_DELIVERED", { context: { account: "bar" } }))).toEqual({
      kind: "not-ours",
      provider: "sms",
      type: "TEXT_DELIVERED",
    });
  });

  it("the same record always makes the same event id; another type, time or message another", () => {
    const ids = [
      eventOf(SES.delivery).detail.eventId,
      eventOf(SES.delivery).detail.eventId,
      eventOf(SES.open).detail.eventId,
      eventOf(sms("TEXT_DELIVERED")).detail.eventId,
      eventOf(sms("TEXT_DELIVERED", { eventTimestamp: 1686975109999 })).detail.eventId,
      eventOf(sms("TEXT_DELIVERED", { messageId: "another" })).detail.eventId,
    ];
    expect(ids[0]).toBe(ids[1]);
    expect(new Set(ids).size).toBe(5);
  });

  it("refuses what no provider writes, and fields out of bounds, without throwing", () => {
    expect(providerFeedback("not json")).toMatchObject({ kind: "unreadable" });
    expect(providerFeedback("[1,2]")).toMatchObject({ kind: "unreadable" });
    expect(providerFeedback(JSON.stringify({ eventType: "VOICE_COMPLETED" }))).toMatchObject({
      kind: "unreadable",
    });
    expect(providerFeedback(JSON.stringify({ eventType: "Bounce", mail: mail() }))).toMatchObject({
      kind: "unreadable",
      problems: [expect.stringMatching(/^bounce: /)],
    });
    expect(providerFeedback(sms("TEXT_DELIVERED", { messageId: "m".repeat(300) }))).toMatchObject({
      kind: "unreadable",
      problems: [expect.stringMatching(/^messageId: /)],
    });
    expect(providerFeedback(sms("TEXT_DELIVERED", { pad: "x".repeat(256 * 1024) }))).toMatchObject({
      kind: "unreadable",
      problems: ["body: more than 262144 bytes"],
    });
    // A type SES may add one day is ignored, not refused.
    expect(providerFeedback(ses("Unsubscribe", { unsubscribe: {} }))).toMatchObject({ kind: "ignored" });
  });
});
