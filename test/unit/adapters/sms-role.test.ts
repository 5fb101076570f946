/**
 * SMS under a role of its own (issue 9: the notifier may publish SMS and to its own email topic only): the
 * credentials come from assuming that role, are renewed before they expire, and SMS and email each go
 * through their own SNS client.
 */
import "aws-sdk-client-mock-vitest/extend";
import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { AssumeRoleCommand, STSClient, STSServiceException } from "@aws-sdk/client-sts";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { SnsMessageSender } from "../../../functions/adapters/sns-message-sender.ts";
import {
  assumeRoleCredentials,
  REFRESH_BEFORE_EXPIRY_MS,
  RoleCredentialsError,
} from "../../../functions/adapters/sts-role-credentials.ts";
import { isAmbiguousPublishError } from "../../../functions/use-cases/deliver-notification.ts";

const ROLE = "arn:aws:iam::123456789012:role/waymark-sms";
const sts = mockClient(STSClient);
afterEach(() => sts.reset());

const t0 = new Date("2026-12-04T10:00:00Z");
const credentials = (key: string, expiresAt: Date) => ({
  AccessKeyId: key,
  SecretAccessKey: `${key}-secret`,
  SessionToken: `${key}-token`,
  Expiration: expiresAt,
});
const minutes = (at: Date, n: number) => new Date(at.getTime() + n * 60_000);

describe("assumeRoleCredentials", () => {
  it("assumes the role under a named session and returns the temporary credentials", async () => {
    sts.on(AssumeRoleCommand).resolves({ Credentials: credentials("k1", minutes(t0, 60)) });
    const provider = assumeRoleCredentials(new STSClient({}), {
      roleArn: ROLE,
      sessionName: "waymark-notifier-sms",
      clock: () => t0,
    });
    expect(await provider()).toEqual({
      accessKeyId: "k1",
      secretAccessKey: "k1-secret",
      sessionToken: "k1-token",
      expiration: minutes(t0, 60),
    });
    expect(sts).toHaveReceivedCommandWith(AssumeRoleCommand, {
      RoleArn: ROLE,
      RoleSessionName: "waymark-notifier-sms",
      DurationSeconds: 3600,
    });
  });

  it("keeps the credentials until five minutes before they expire, then renews them once", async () => {
    sts
      .on(AssumeRoleCommand)
      .resolvesOnce({ Credentials: credentials("k1", minutes(t0, 60)) })
      .resolvesOnce({ Credentials: credentials("k2", minutes(t0, 115)) });
    let now = t0;
    const provider = assumeRoleCredentials(new STSClient({}), {
      roleArn: ROLE,
      sessionName: "s",
      clock: () => now,
    });
    expect((await provider()).accessKeyId).toBe("k1");
    now = new Date(minutes(t0, 60).getTime() - REFRESH_BEFORE_EXPIRY_MS - 1);
    expect((await provider()).accessKeyId).toBe("k1");
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(1);
    now = new Date(minutes(t0, 60).getTime() - REFRESH_BEFORE_EXPIRY_MS);
    // Concurrent callers during the renewal share one AssumeRole.
    const renewed = await Promise.all([provider(), provider(), provider()]);
    expect(renewed.map((c) => c.accessKeyId)).toEqual(["k2", "k2", "k2"]);
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(2);
    expect((await provider()).accessKeyId).toBe("k2");
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(2);
  });

  it("tries again on the next call after a failure, and says the role could not be assumed", async () => {
    const throttled = new STSServiceException({
      name: "ServiceUnavailable",
      $fault: "server",
      $metadata: { httpStatusCode: 503 },
      message: "try later",
    });
    sts
      .on(AssumeRoleCommand)
      .rejectsOnce(throttled)
      .resolvesOnce({ Credentials: undefined })
      .resolves({ Credentials: credentials("k3", minutes(t0, 60)) });
    const provider = assumeRoleCredentials(new STSClient({}), {
      roleArn: ROLE,
      sessionName: "s",
      clock: () => t0,
    });
    const first = await provider().catch((error: unknown) => error);
    expect(first).toBeInstanceOf(RoleCredentialsError);
    expect((first as Error).message).toContain(ROLE);
    expect((first as Error).cause).toBe(throttled);
    await expect(provider()).rejects.toThrow(/returned no credentials/);
    expect((await provider()).accessKeyId).toBe("k3");
  });

  it("makes an SMS whose role could not be assumed a definite 'not sent', even when STS timed out", async () => {
    // A real SNS client: the provider runs inside its signing step, before any request would leave.
    const timeout = Object.assign(new Error("socket hang up"), { name: "TimeoutError", code: "ETIMEDOUT" });
    sts.on(AssumeRoleCommand).rejects(timeout);
    const smsClient = new SNSClient({
      region: "ap-northeast-2",
      maxAttempts: 1,
      credentials: assumeRoleCredentials(new STSClient({}), { roleArn: ROLE, sessionName: "s" }),
      requestHandler: {
        handle: () => {
          throw new Error("no request may be sent without credentials");
        },
      },
    });
    const sender = new SnsMessageSender(smsClient, { emailTopicArn: "arn:aws:sns:ap-northeast-2:1:email" });
    const error = await sender
      .sendSms({ to: "+821012345678", body: "x", marketing: true, notificationId: "n-1" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RoleCredentialsError);
    expect(isAmbiguousPublishError(timeout), "the STS error alone would read as ambiguous").toBe(true);
    expect(isAmbiguousPublishError(error), "so a marketing SMS is retried, not left uncertain").toBe(false);
  });
});

describe("SnsMessageSender with a client per channel", () => {
  it("publishes SMS with the SMS client and email with the email client, never the other way round", async () => {
    const smsClient = new SNSClient({});
    const emailClient = new SNSClient({});
    const sms = mockClient(smsClient);
    const email = mockClient(emailClient);
    sms.on(PublishCommand).resolves({ MessageId: "sms-1" });
    email.on(PublishCommand).resolves({ MessageId: "email-1" });
    const sender = new SnsMessageSender(
      { sms: smsClient, email: emailClient },
      { emailTopicArn: "arn:aws:sns:ap-northeast-2:123456789012:waymark-email" },
    );

    await sender.sendSms({
      to: "+821012345678",
      body: "안녕하세요",
      marketing: false,
      notificationId: "n-1",
    });
    await sender.sendEmail({
      to: "jiwoo@example.com",
      subject: "s",
      body: "b",
      notificationId: "n-2",
      customerId: "c-1",
      template: "t",
      locale: "ko-KR",
      marketing: false,
    });

    expect(sms).toHaveReceivedCommandTimes(PublishCommand, 1);
    expect(sms).toHaveReceivedCommandWith(PublishCommand, { PhoneNumber: "+821012345678" });
    expect(email).toHaveReceivedCommandTimes(PublishCommand, 1);
    expect(email).toHaveReceivedCommandWith(PublishCommand, {
      TopicArn: "arn:aws:sns:ap-northeast-2:123456789012:waymark-email",
    });
    sms.restore();
    email.restore();
  });
});
