import { App, RemovalPolicy, Stack, Validations } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import { AwsSolutionsChecks } from "cdk-nag";
import { describe, expect, it } from "vitest";
import { referenceEvents } from "../../events/catalog.ts";
import { defineCatalog } from "../../events/define-catalog.ts";
import { EnvName } from "../../functions/config/env-names.ts";
import { buildApp, settingsFromContext } from "../../infra/build-app.ts";
import { resolveCatalogFile, Waymark, WaymarkRuntime, WaymarkState } from "../../infra/waymark.ts";
import {
  referenceCalculators,
  referenceDelivery,
  referenceJourneys,
  referenceTemplates,
} from "../../journeys/registry.ts";
import { logicalIdOf, props, resource, resourcesOfType } from "./template.ts";

/** These tests look at templates, not bundles: skip esbuild for every stack. */
const NO_BUNDLING = { "aws:cdk:bundling-stacks": [] };

function hostApp() {
  const app = new App({ context: NO_BUNDLING });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  const stack = new Stack(app, "ShopPlatform");
  return { app, stack };
}

describe("Waymark construct embedded in another app", { timeout: 60_000 }, () => {
  it("synthesizes in a single stack of a fresh app and passes cdk-nag", () => {
    const { app, stack } = hostApp();
    const waymark = new Waymark(stack, "Journeys", {
      busName: "shop-journeys",
      removalPolicy: RemovalPolicy.DESTROY,
      alarmEmail: "ops@example.com",
      smsSenderId: "ShopCo",
      sms: {
        originationIdentity: "arn:aws:sms-voice:ap-northeast-2:111122223333:pool/pool-0123456789abcdef",
      },
      unsubscribeBaseUrl: "https://links.example.com/unsubscribe",
      linkBaseUrl: "https://go.shop.example",
      globalEventSources: ["safety.recalls", "regulator.feed"],
    });
    expect(() => app.synth()).not.toThrow();
    expect(new AwsSolutionsChecks(undefined).validateScope(stack).violations).toEqual([]);

    const template = Template.fromStack(stack);
    // One stack: references are plain Ref/GetAtt, nothing is exported.
    expect(JSON.stringify(template.toJSON())).not.toContain("Fn::ImportValue");
    template.hasResourceProperties("AWS::Events::EventBus", { Name: "shop-journeys" });
    template.hasResourceProperties("AWS::Scheduler::ScheduleGroup", { Name: "shop-journeys-timers" });
    template.hasResourceProperties("AWS::EventSchemas::Registry", { RegistryName: "shop-journeys" });
    template.hasResourceProperties("AWS::SNS::Subscription", {
      Protocol: "email",
      Endpoint: "ops@example.com",
    });
    for (const [, alarm] of resourcesOfType(template, "AWS::CloudWatch::Alarm")) {
      expect(props(alarm).AlarmName as string).toMatch(/^shop-journeys-/);
    }
    expect(JSON.stringify(template.toJSON())).toContain(":alarm:shop-journeys-*");

    // Operators find rejected events in two places: the queue, and the bucket for those too large for it.
    const outputs = template.toJSON().Outputs as Record<string, { Value: unknown }>;
    const outputValue = (suffix: string) =>
      Object.entries(outputs).find(([id]) => id.startsWith(`Journeys${suffix}`))?.[1].Value;
    expect(outputValue("RejectedQueueUrl")).toEqual({
      Ref: logicalIdOf(stack, waymark.runtime.rejectedQueue.queue),
    });
    expect(outputValue("RejectedBucketName")).toEqual({
      Ref: logicalIdOf(stack, waymark.runtime.rejectedClaimChecks.bucket),
    });
    // The dashboard is named after the bus like the alarms, so two Waymarks in one account do not collide.
    expect(outputValue("OperationsDashboardName")).toEqual({
      Ref: logicalIdOf(stack, waymark.runtime.operations.dashboard),
    });
    template.hasResourceProperties("AWS::CloudWatch::Dashboard", {
      DashboardName: "shop-journeys-operations",
    });
    expect(
      resource(template, logicalIdOf(stack, waymark.runtime.rejectedClaimChecks.bucket)).DeletionPolicy,
    ).toBe("Delete");

    const [, table] = resourcesOfType(template, "AWS::DynamoDB::Table")[0]!;
    expect(props(table).DeletionProtectionEnabled).toBe(false);
    expect(table.DeletionPolicy).toBe("Delete");

    const notifier = props(resource(template, logicalIdOf(stack, waymark.runtime.notifier.function)));
    const variables = (notifier.Environment as { Variables: Record<string, unknown> }).Variables;
    // The sender ID is the SMS configuration set's default; an origination identity ARN scopes the permission.
    const [, smsSet] = resourcesOfType(template, "AWS::SMSVOICE::ConfigurationSet")[0]!;
    expect(props(smsSet)).toMatchObject({
      ConfigurationSetName: "shop-journeys-sms",
      DefaultSenderId: "ShopCo",
    });
    expect(variables[EnvName.smsOriginationIdentity]).toBe(
      "arn:aws:sms-voice:ap-northeast-2:111122223333:pool/pool-0123456789abcdef",
    );
    const sendSms = resourcesOfType(template, "AWS::IAM::Policy")
      .flatMap(([, policy]) => (props(policy).PolicyDocument as { Statement: { Sid?: string }[] }).Statement)
      .find((statement) => statement.Sid === "SendSms") as { Resource: unknown[] };
    expect(sendSms.Resource).toHaveLength(3);
    expect(sendSms.Resource[1]).toBe(
      "arn:aws:sms-voice:ap-northeast-2:111122223333:pool/pool-0123456789abcdef",
    );
    expect(JSON.stringify(sendSms.Resource)).not.toMatch(/(phone-number|sender-id|pool)\/\*/);
    expect(JSON.stringify(sendSms.Resource[2])).toContain(":opt-out-list/*");
    expect(variables[EnvName.unsubscribeUrl]).toBe("https://links.example.com/unsubscribe");
    const engine = props(resource(template, logicalIdOf(stack, waymark.runtime.engine.function)));
    expect(
      (engine.Environment as { Variables: Record<string, unknown> }).Variables[EnvName.linkBaseUrl],
    ).toBe("https://go.shop.example");
    expect(() => new Waymark(new Stack(app, "Other"), "J", { linkBaseUrl: "http://plain.example" })).toThrow(
      /linkBaseUrl must be an https URL/,
    );
  });

  it("can be embedded twice in one account under different bus names", () => {
    const { app, stack } = hostApp();
    new Waymark(stack, "Retail", { busName: "retail" });
    new Waymark(stack, "Telecom", { busName: "telecom" });
    expect(() => app.synth()).not.toThrow();
    const names = resourcesOfType(Template.fromStack(stack), "AWS::Events::EventBus").map(
      ([, bus]) => props(bus).Name,
    );
    expect(names.sort()).toEqual(["retail", "telecom"]);
  });

  it("rejects names and ids that would produce invalid resources", () => {
    const stack = new Stack(new App({ context: NO_BUNDLING }), "Host");
    expect(() => new Waymark(stack, "A", { busName: "has spaces" })).toThrow(/busName/);
    expect(() => new Waymark(stack, "B", { allowedAccounts: ["12345"] })).toThrow(/12-digit/);
    expect(() => new Waymark(stack, "C", { organizationId: "org-1" })).toThrow(/Organizations/);
    expect(() => new Waymark(stack, "D", { busName: "d", unsubscribeBaseUrl: "http://x.example" })).toThrow(
      /https/,
    );
    expect(() => new Waymark(stack, "E", { busName: "e", smsSenderId: "Shop Co Ltd" })).toThrow(
      /smsSenderId/,
    );
    expect(
      () => new Waymark(stack, "F", { busName: "f", sms: { originationIdentity: "+82 10 1234 5678" } }),
    ).toThrow(/sms\.originationIdentity/);
  });
});

describe("email through SES (issue 10)", { timeout: 60_000 }, () => {
  it("deploys no email sender without email settings: the notifier still publishes to the email topic", () => {
    const { app, stack } = hostApp();
    const waymark = new Waymark(stack, "Journeys", { busName: "no-mail" });
    expect(() => app.synth()).not.toThrow();
    expect(waymark.runtime.emailSender).toBeUndefined();
    expect(waymark.runtime.emailQueue).toBeUndefined();
    const template = Template.fromStack(stack);
    const emailTopic = logicalIdOf(stack, waymark.state.emailTopic);
    expect(
      resourcesOfType(template, "AWS::SNS::Subscription").filter(([, s]) =>
        JSON.stringify(props(s).TopicArn).includes(emailTopic),
      ),
    ).toEqual([]);
    expect(JSON.stringify(template.toJSON())).not.toContain("ses:SendEmail");
    // The configuration sets are there all the same: a sender of your own may use the SES one.
    template.hasResourceProperties("AWS::SES::ConfigurationSet", { Name: "no-mail-email" });
    template.hasResourceProperties("AWS::SMSVOICE::ConfigurationSet", {
      ConfigurationSetName: "no-mail-sms",
    });
  });

  it("sends as the configured identity, lists the email dead-letter queue among the outputs", () => {
    const { app, stack } = hostApp();
    const waymark = new Waymark(stack, "Journeys", {
      busName: "mail",
      email: {
        fromAddress: "news@Shop.Example.com",
        identityArn: "arn:aws:ses:ap-northeast-2:111122223333:identity/news@shop.example.com",
      },
    });
    expect(() => app.synth()).not.toThrow();
    expect(new AwsSolutionsChecks(undefined).validateScope(stack).violations).toEqual([]);
    const template = Template.fromStack(stack);
    const send = resourcesOfType(template, "AWS::IAM::Policy")
      .flatMap(([, policy]) => (props(policy).PolicyDocument as { Statement: { Sid?: string }[] }).Statement)
      .find((statement) => statement.Sid === "SendEmail") as { Resource: unknown[]; Condition: unknown };
    expect(send.Resource[0]).toBe("arn:aws:ses:ap-northeast-2:111122223333:identity/news@shop.example.com");
    expect(send.Condition).toEqual({ StringEquals: { "ses:FromAddress": "news@Shop.Example.com" } });
    const outputs = template.toJSON().Outputs as Record<string, { Value: unknown }>;
    const deadLetters = Object.entries(outputs).find(([id]) =>
      id.startsWith("JourneysDeadLetterQueueNames"),
    )![1];
    expect(JSON.stringify(deadLetters.Value)).toContain(
      logicalIdOf(stack, waymark.runtime.emailQueue!.deadLetter.queue),
    );
  });

  it("derives the identity from the from-address's domain, and refuses settings SES would refuse", () => {
    const { stack } = hostApp();
    const waymark = new Waymark(stack, "Derived", {
      busName: "derived",
      email: { fromAddress: "hi@Mail.Example.com" },
    });
    const send = resourcesOfType(Template.fromStack(stack), "AWS::IAM::Policy")
      .flatMap(([, policy]) => (props(policy).PolicyDocument as { Statement: { Sid?: string }[] }).Statement)
      .find((statement) => statement.Sid === "SendEmail") as { Resource: unknown[] };
    expect(JSON.stringify(send.Resource[0])).toContain(":identity/mail.example.com");
    expect(waymark.runtime.emailSender).toBeDefined();
    const host = new Stack(new App({ context: NO_BUNDLING }), "Host");
    expect(
      () => new Waymark(host, "A", { busName: "a", email: { fromAddress: "Shop <hi@shop.example>" } }),
    ).toThrow(/email\.fromAddress must be an email address/);
    expect(
      () =>
        new Waymark(host, "B", {
          busName: "b",
          email: { fromAddress: "hi@shop.example", identityArn: "shop.example" },
        }),
    ).toThrow(/email\.identityArn must be an SES identity ARN/);
  });
});

describe("the catalog's sending rate (issue 10)", { timeout: 60_000 }, () => {
  it("reaches the notifier as JSON, the rate every notifier holds together", () => {
    const { stack } = hostApp();
    const catalog = defineCatalog({
      events: referenceEvents,
      journeys: referenceJourneys,
      templates: referenceTemplates,
      calculators: referenceCalculators,
      delivery: { ...referenceDelivery, sendingRate: { sms: 20, email: 14 } },
    });
    const state = new WaymarkState(stack, "State", { busName: "paced" });
    const runtime = new WaymarkRuntime(stack, "Runtime", {
      state,
      catalog: { file: resolveCatalogFile(undefined), catalog },
    });
    const notifier = props(
      resource(Template.fromStack(stack), logicalIdOf(stack, runtime.notifier.function)),
    );
    const variables = (notifier.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(JSON.parse(variables[EnvName.sendingRate] as string)).toEqual({ sms: 20, email: 14 });
  });
});

describe("bus policy", { timeout: 60_000 }, () => {
  const allStatements = (options: { allowedAccounts?: string[]; organizationId?: string }) => {
    const built = buildApp({ app: { context: NO_BUNDLING }, env: {}, waymark: options });
    built.app.synth();
    return resourcesOfType(Template.fromStack(built.state), "AWS::Events::EventBusPolicy").map(
      ([, policy]) => props(policy).Statement as Record<string, unknown>,
    );
  };
  /** Who is let in at all: the Allow statements. */
  const policyStatements = (options: { allowedAccounts?: string[]; organizationId?: string }) =>
    allStatements(options).filter((statement) => statement.Effect === "Allow");

  it("denies other accounts Waymark's own sources and the events it emits (issue 9: a trusted bus)", () => {
    const denies = allStatements({ allowedAccounts: ["111111111111"] }).filter((s) => s.Effect === "Deny");
    expect(denies).toEqual([
      expect.objectContaining({
        Action: "events:PutEvents",
        Principal: { AWS: "*" },
        Condition: {
          StringNotEquals: { "aws:PrincipalAccount": { Ref: "AWS::AccountId" } },
          StringLike: { "events:source": ["waymark", "waymark.*"] },
        },
      }),
      expect.objectContaining({
        Action: "events:PutEvents",
        Condition: {
          StringNotEquals: { "aws:PrincipalAccount": { Ref: "AWS::AccountId" } },
          "ForAnyValue:StringEquals": {
            "events:detail-type": [
              "NotificationSent",
              "NotificationSuppressed",
              "AgentEscalationRequested",
              "JourneyStarted",
              "JourneyCompleted",
              "JourneyGoalReached",
            ],
          },
        },
      }),
    ]);
  });

  it("admits exactly the configured accounts", () => {
    const statements = policyStatements({ allowedAccounts: ["111111111111", "222222222222"] });
    expect(statements).toHaveLength(1);
    expect(JSON.stringify(statements[0]!.Principal)).toContain(":iam::111111111111:root");
    expect(JSON.stringify(statements[0]!.Principal)).toContain(":iam::222222222222:root");
    expect(JSON.stringify(statements[0]!.Principal)).not.toContain("AWS::AccountId");
  });

  it("admits an organisation only through an aws:PrincipalOrgID condition", () => {
    const statements = policyStatements({ organizationId: "o-a1b2c3d4e5" });
    expect(statements).toEqual([
      expect.objectContaining({
        Action: "events:PutEvents",
        Principal: { AWS: "*" },
        Condition: { StringEquals: { "aws:PrincipalOrgID": "o-a1b2c3d4e5" } },
      }),
    ]);
  });

  it("can admit accounts and an organisation together", () => {
    expect(
      policyStatements({ allowedAccounts: ["111111111111"], organizationId: "o-a1b2c3d4e5" }),
    ).toHaveLength(2);
  });
});

describe("deploy-time settings from context", () => {
  it("reads waymark:* context values", () => {
    const app = new App({
      context: {
        "waymark:busName": "acme",
        "waymark:allowedAccounts": "111111111111, 222222222222",
        "waymark:removalPolicy": "destroy",
        "waymark:alarmEmail": "ops@example.com",
        "waymark:catalog": "journeys/other.config.ts",
        "waymark:linkBaseUrl": "https://go.acme.example",
        "waymark:notifierMaxConcurrency": "12",
        "waymark:archiveRetentionDays": "90",
        "waymark:factsRetentionDays": "730",
        "waymark:globalEventSources": "safety.recalls, regulator.feed",
        "waymark:smsOriginationIdentity": "pool-0123456789abcdef",
        "waymark:emailFrom": "no-reply@acme.example",
      },
    });
    const settings = settingsFromContext(app);
    expect(settings).toMatchObject({
      busName: "acme",
      allowedAccounts: ["111111111111", "222222222222"],
      removalPolicy: RemovalPolicy.DESTROY,
      alarmEmail: "ops@example.com",
      catalog: "journeys/other.config.ts",
      linkBaseUrl: "https://go.acme.example",
      notifierMaxConcurrency: 12,
      globalEventSources: ["safety.recalls", "regulator.feed"],
      sms: { originationIdentity: "pool-0123456789abcdef" },
      email: { fromAddress: "no-reply@acme.example" },
    });
    expect(settings.archiveRetention?.toDays()).toBe(90);
    expect(settings.facts?.retention?.toDays()).toBe(730);
    expect(settingsFromContext(new App()).facts).toBeUndefined();
    expect(settingsFromContext(new App()).sms).toBeUndefined();
  });

  it("refuses an email identity without the address it is for", () => {
    const app = new App({
      context: { "waymark:emailIdentityArn": "arn:aws:ses:us-east-1:111122223333:identity/x.example" },
    });
    expect(() => settingsFromContext(app)).toThrow(/waymark:emailIdentityArn needs waymark:emailFrom/);
  });

  it("refuses a number that is not one", () => {
    const app = new App({ context: { "waymark:notifierMaxConcurrency": "lots" } });
    expect(() => settingsFromContext(app)).toThrow(
      /notifierMaxConcurrency must be a whole number from 1 to 1000/,
    );
  });

  it("refuses a removal policy it does not know", () => {
    const app = new App({ context: { "waymark:removalPolicy": "snapshot" } });
    expect(() => settingsFromContext(app)).toThrow(/retain.*destroy/);
  });
});
