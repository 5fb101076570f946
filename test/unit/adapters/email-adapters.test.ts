/**
 * Email that is really delivered (issue 10): the SES v2 request the email sender makes, how it reads SES's
 * answers, the HTML part it makes from the text, and the document it accepts from the email topic.
 */
import "aws-sdk-client-mock-vitest/extend";
import {
  AccountSuspendedException,
  BadRequestException,
  InternalServiceErrorException,
  LimitExceededException,
  MailFromDomainNotVerifiedException,
  MessageRejected,
  NotFoundException,
  SESv2Client,
  SendEmailCommand,
  SendingPausedException,
  TooManyRequestsException,
} from "@aws-sdk/client-sesv2";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { emailHtml } from "../../../functions/adapters/email-html.ts";
import { SesEmailTransport } from "../../../functions/adapters/ses-email-transport.ts";
import { type EmailDocument, emailDocumentSchema } from "../../../functions/messages/email-document.ts";
import { EmailRejectedError } from "../../../functions/ports/email-transport.ts";
import { isAmbiguousPublishError } from "../../../functions/use-cases/deliver-notification.ts";

const ses = mockClient(SESv2Client);
afterEach(() => ses.reset());

const b64 = (value: string) => Buffer.from(value, "utf8").toString("base64url");
const UNSUBSCRIBE = "<https://u.example.com/v1/unsubscribe?token=abc.def>";

const document: EmailDocument = {
  notificationId: "Zq1pG0mJk3t9xV2bN8cR4w",
  customerId: "cust-kr-0001",
  journeyId: "post-purchase",
  instanceId: "post-purchase#o-1001",
  template: "post-purchase.review-request",
  locale: "ko-KR",
  priority: "marketing",
  marketing: true,
  to: "jiwoo@example.com",
  subject: "(광고) 리뷰를 남겨 주세요",
  body: "지우님, <Galaxy> 어떠세요?\n리뷰: https://go.example.com/r/o-1001.\n\n수신거부: https://u.example.com/v1/unsubscribe?token=abc.def",
  headers: { "List-Unsubscribe": UNSUBSCRIBE, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" },
};

const transport = new SesEmailTransport(new SESv2Client({}), {
  fromAddress: "no-reply@mail.example.com",
  configurationSetName: "waymark-email",
});

describe("SesEmailTransport (SES v2 SendEmail)", () => {
  it("sends a simple UTF-8 message with both parts, the RFC 8058 headers, the configuration set and the correlation tags", async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: "0100019a-ses-1" });
    expect(await transport.send(document)).toEqual({ messageId: "0100019a-ses-1" });
    expect(ses.commandCalls(SendEmailCommand).map((call) => call.args[0].input)).toEqual([
      {
        FromEmailAddress: "no-reply@mail.example.com",
        Destination: { ToAddresses: ["jiwoo@example.com"] },
        Content: {
          Simple: {
            Subject: { Data: "(광고) 리뷰를 남겨 주세요", Charset: "UTF-8" },
            Body: {
              Text: { Data: document.body, Charset: "UTF-8" },
              Html: { Data: emailHtml(document), Charset: "UTF-8" },
            },
            Headers: [
              { Name: "List-Unsubscribe", Value: UNSUBSCRIBE },
              { Name: "List-Unsubscribe-Post", Value: "List-Unsubscribe=One-Click" },
            ],
          },
        },
        EmailTags: [
          { Name: "waymark-notification", Value: "Zq1pG0mJk3t9xV2bN8cR4w" },
          { Name: "waymark-customer", Value: b64("cust-kr-0001") },
          { Name: "waymark-journey", Value: b64("post-purchase") },
          { Name: "waymark-instance", Value: b64("post-purchase#o-1001") },
        ],
        ConfigurationSetName: "waymark-email",
      },
    ]);
  });

  it("sends no headers for an email that has none (service and safety email)", async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: "m" });
    const { headers: _, ...service } = document;
    await transport.send({ ...service, priority: "service", marketing: false });
    expect(ses.commandCalls(SendEmailCommand)[0]!.args[0].input.Content?.Simple).not.toHaveProperty(
      "Headers",
    );
  });

  it.each([
    ["MessageRejected", new MessageRejected({ message: "Email address is not verified.", $metadata: {} })],
    [
      "MailFromDomainNotVerifiedException",
      new MailFromDomainNotVerifiedException({ message: "MAIL FROM domain not verified", $metadata: {} }),
    ],
    [
      "NotFoundException",
      new NotFoundException({ message: "Configuration set does not exist", $metadata: {} }),
    ],
    [
      "BadRequestException",
      new BadRequestException({ message: "Missing final '@domain' in jiwoo@", $metadata: {} }),
    ],
    ["AccountSuspendedException", new AccountSuspendedException({ message: "suspended", $metadata: {} })],
    ["SendingPausedException", new SendingPausedException({ message: "paused", $metadata: {} })],
  ])("reads %s as a permanent refusal, with the reason masked", async (name, error) => {
    ses.on(SendEmailCommand).rejects(error);
    const refused = await transport.send(document).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(EmailRejectedError);
    expect((refused as EmailRejectedError).reason).toMatch(new RegExp(`^${name}: `));
    expect((refused as EmailRejectedError).cause).toBe(error);
  });

  it("masks the addresses SES quotes in a refusal", async () => {
    ses
      .on(SendEmailCommand)
      .rejects(
        new MessageRejected({ message: "Email address is not verified: jiwoo@example.com", $metadata: {} }),
      );
    const refused = (await transport.send(document).catch((e: unknown) => e)) as EmailRejectedError;
    expect(refused.reason).toBe("MessageRejected: Email address is not verified: j***@example.com");
  });

  it("lets throttling surface as a definite 'not sent' (retried), and a 5xx as an unknown outcome", async () => {
    const throttled = new TooManyRequestsException({
      message: "slow down",
      $metadata: { httpStatusCode: 429 },
    });
    const limited = new LimitExceededException({ message: "limit", $metadata: { httpStatusCode: 400 } });
    const broken = new InternalServiceErrorException({ message: "oops", $metadata: { httpStatusCode: 500 } });
    ses.on(SendEmailCommand).rejectsOnce(throttled).rejectsOnce(limited).rejectsOnce(broken);
    for (const expected of [throttled, limited, broken]) {
      const error = await transport.send(document).catch((e: unknown) => e);
      expect(error).toBe(expected);
      expect(error).not.toBeInstanceOf(EmailRejectedError);
      expect(isAmbiguousPublishError(error)).toBe(expected === broken);
    }
  });

  it("refuses a send that returned no message id", async () => {
    ses.on(SendEmailCommand).resolves({});
    await expect(transport.send(document)).rejects.toThrow(document.notificationId);
  });
});

describe("the HTML part", () => {
  it("escapes everything, makes paragraphs of blank-line blocks and links of https URLs", () => {
    expect(emailHtml(document)).toBe(
      '<!DOCTYPE html>\n<html lang="ko-KR">\n<head>\n<meta charset="utf-8">\n' +
        "<title>(광고) 리뷰를 남겨 주세요</title>\n</head>\n<body>\n" +
        "<p>지우님, &lt;Galaxy&gt; 어떠세요?<br>\n" +
        '리뷰: <a href="https://go.example.com/r/o-1001">https://go.example.com/r/o-1001</a>.</p>\n' +
        '<p>수신거부: <a href="https://u.example.com/v1/unsubscribe?token=abc.def">' +
        "https://u.example.com/v1/unsubscribe?token=abc.def</a></p>\n</body>\n</html>\n",
    );
  });

  it("never lets the text make markup: attributes, scripts and non-https links stay text", () => {
    const html = emailHtml({
      locale: 'en"><script>',
      subject: "<b>hi</b>",
      body: 'Jane "<script>alert(1)</script>" & co\r\n\r\nhttp://plain.example https://x.example/?a=1&b="2"',
    });
    expect(html).not.toMatch(/<script|<b>/);
    expect(html).toContain('<html lang="en&quot;&gt;&lt;script&gt;">');
    expect(html).toContain("<p>Jane &quot;&lt;script&gt;alert(1)&lt;/script&gt;&quot; &amp; co</p>");
    expect(html).toContain(
      'http://plain.example <a href="https://x.example/?a=1&amp;b=">https://x.example/?a=1&amp;b=</a>&quot;2&quot;',
    );
  });
});

describe("the email document (what the email sender accepts from the topic)", () => {
  it("accepts what the notifier writes", () => {
    expect(emailDocumentSchema.parse(document)).toEqual(document);
  });

  it.each([
    ["an unknown header", { headers: { ...document.headers, Bcc: "all@example.com" } }],
    [
      "an unsubscribe link that is not https",
      { headers: { ...document.headers, "List-Unsubscribe": "<http://u.example/x>" } },
    ],
    [
      "a header value with a line break",
      { headers: { ...document.headers, "List-Unsubscribe": "<https://u.example/x>\r\nBcc: x@example.com" } },
    ],
    ["a notification id that cannot be a tag", { notificationId: "n#1" }],
    ["a customer id longer than the contract's", { customerId: "c".repeat(129) }],
    ["an address that is not one", { to: "jiwoo" }],
    ["an empty body", { body: "" }],
    ["a body larger than SNS carries", { body: "가".repeat(64 * 1024 + 1) }],
    ["an unknown priority", { priority: "urgent" }],
  ])("refuses %s", (_, change) => {
    expect(emailDocumentSchema.safeParse({ ...document, ...change }).success).toBe(false);
  });
});
