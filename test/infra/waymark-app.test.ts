import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type App, Stack, Validations } from "aws-cdk-lib";
import { Annotations, Match, Template } from "aws-cdk-lib/assertions";
import * as sqs from "aws-cdk-lib/aws-sqs";
import { AwsSolutionsChecks } from "cdk-nag";
import type { IConstruct } from "constructs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allEvents, DEFAULT_BUS_NAME } from "../../events/catalog.ts";
import { allSampleEnvelopes } from "../../events/envelope-samples.ts";
import { SCHEMA_REGISTRY_TYPE, schemaNameFor } from "../../events/json-schema.ts";
import { routesFor } from "../../events/routing.ts";
import { EnvName } from "../../functions/config/env-names.ts";
import { table as tableDefinition } from "../../functions/config/table.ts";
import { SMS_FEEDBACK_EVENT_TYPES } from "../../functions/use-cases/provider-feedback.ts";
import { buildApp, type WaymarkApp } from "../../infra/build-app.ts";
import { packageRoot as projectRoot } from "../../infra/constructs/catalog-module.ts";
import { compileEventPattern } from "../../infra/local/event-pattern.ts";
import { LocalRouter } from "../../infra/local/local-routing.ts";
import { referenceCatalog } from "../../journeys/registry.ts";

/** The reference catalog's routes: what the app (this repository's waymark.config.ts) deploys. */
const routes = routesFor(referenceCatalog);
const localRouter = new LocalRouter(routes);

import {
  allowedActions,
  allPolicyStatements,
  asArray,
  getAtt,
  logicalIdOf,
  mentions,
  type PolicyStatement,
  props,
  resource,
  resourcesOfType,
  roleStatements,
} from "./template.ts";

const SYNTH_TIMEOUT = 120_000;
const FROM_ADDRESS = "no-reply@mail.example.com";

let outdir: string;
let built: WaymarkApp;
let state: Template;
let runtime: Template;

beforeAll(() => {
  outdir = mkdtempSync(join(tmpdir(), "waymark-infra-"));
  // Environment-agnostic on purpose: the templates must not depend on who runs the tests. With an email
  // sender (issue 10); without one, see waymark-construct.test.ts.
  built = buildApp({ app: { outdir }, env: {}, waymark: { email: { fromAddress: FROM_ADDRESS } } });
  // Bundles the functions and runs cdk-nag: throws on any unacknowledged finding.
  built.app.synth();
  state = Template.fromStack(built.state);
  runtime = Template.fromStack(built.runtime);
}, SYNTH_TIMEOUT);

afterAll(() => {
  if (outdir) rmSync(outdir, { recursive: true, force: true });
});

/** Keyed by handler entry name (`functions/handlers/<name>.ts`). */
const functions = () => {
  const { ingest, engine, notifier, unsubscribe, fanOut, emailSender, feedback } = built.runtime.runtime;
  return {
    ingest,
    engine,
    notifier,
    unsubscribe: unsubscribe.function,
    "fan-out": fanOut,
    "email-sender": emailSender!,
    feedback,
  };
};
const idIn = (construct: IConstruct) => logicalIdOf(built.runtime, construct);
const stateId = (construct: IConstruct) => logicalIdOf(built.state, construct);

describe("Waymark CDK app", { timeout: SYNTH_TIMEOUT }, () => {
  describe("cdk-nag (AwsSolutions)", () => {
    it("reports no finding, error or warning, for either stack", () => {
      for (const stack of [built.state, built.runtime]) {
        const report = new AwsSolutionsChecks(undefined, { verbose: true }).validateScope(stack);
        expect(report.violations, stack.stackName).toEqual([]);
        expect(report.success).toBe(true);
      }
    });

    it("leaves synth free of errors and warnings of any kind", () => {
      for (const stack of [built.state, built.runtime]) {
        const annotations = Annotations.fromStack(stack);
        expect(annotations.findError("*", Match.anyValue()), stack.stackName).toEqual([]);
        expect(annotations.findWarning("*", Match.anyValue()), stack.stackName).toEqual([]);
      }
    });

    it("is live: the same checks reject a queue without encryption, TLS or DLQ", () => {
      const scratch = new Stack();
      new sqs.Queue(scratch, "Bare", { encryption: sqs.QueueEncryption.UNENCRYPTED });
      const report = new AwsSolutionsChecks(undefined).validateScope(scratch);
      expect(report.violations.map((v) => v.ruleName).sort()).toEqual([
        "AwsSolutions-SQS2",
        "AwsSolutions-SQS3",
        "AwsSolutions-SQS4",
      ]);
    });

    it("acknowledges only the expected findings, each with a reason", () => {
      const acknowledged = collectAcknowledgements(built.app);
      for (const { reason } of acknowledged) expect(reason.length).toBeGreaterThan(40);
      const ids = acknowledged.map(({ path, id }) => `${path} ${id}`).sort();
      expect(ids).toEqual(
        [
          "Waymark-Runtime/Runtime/EmailSender/Role AwsSolutions-IAM5[Resource::*]",
          "Waymark-Runtime/Runtime/Engine/Role AwsSolutions-IAM5[Resource::*]",
          "Waymark-Runtime/Runtime/Feedback/Role AwsSolutions-IAM5[Resource::*]",
          "Waymark-Runtime/Runtime/Engine/TimerPolicy AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:" +
            "scheduler:<AWS::Region>:<AWS::AccountId>:schedule/waymark-timers/*]",
          "Waymark-Runtime/Runtime/FanOut/AudiencePolicy AwsSolutions-IAM5[Resource::" +
            `<${idIn(built.runtime.runtime.audiences.bucket)}.Arn>/*]`,
          "Waymark-Runtime/Runtime/FanOut/Role AwsSolutions-IAM5[Resource::*]",
          ...["facts", "facts-errors"].map(
            (prefix) =>
              "Waymark-State/State/Measurement/Stream/Role AwsSolutions-IAM5[Resource::" +
              `<${stateId(built.state.state.measurement.factsBucket)}.Arn>/${prefix}/*]`,
          ),
          "Waymark-Runtime/Runtime/Ingest/ClaimCheckPolicy AwsSolutions-IAM5[Resource::" +
            `<${idIn(built.runtime.runtime.rejectedClaimChecks.bucket)}.Arn>/rejected/*]`,
          "Waymark-Runtime/Runtime/Ingest/Role AwsSolutions-IAM5[Resource::*]",
          "Waymark-Runtime/Runtime/Notifier/Role AwsSolutions-IAM5[Resource::*]",
          ...["phone-number", "sender-id", "pool", "opt-out-list"].map(
            (kind) =>
              "Waymark-Runtime/Runtime/Notifier/SendSmsPolicy AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:" +
              `sms-voice:<AWS::Region>:<AWS::AccountId>:${kind}/*]`,
          ),
          "Waymark-Runtime/Runtime/RuleDeadLetter/Queue AwsSolutions-SQS3",
          "Waymark-Runtime/Runtime/TimerDeadLetter/Queue AwsSolutions-SQS3",
          "Waymark-Runtime/Runtime/Unsubscribe/Api AwsSolutions-APIG4",
          "Waymark-Runtime/Runtime/Unsubscribe/Api AwsSolutions-COG4",
          "Waymark-Runtime/Runtime/Unsubscribe/Api/DeploymentStage.v1 AwsSolutions-APIG6",
          "Waymark-Runtime/Runtime/Unsubscribe/Function/Role AwsSolutions-IAM5[Resource::*]",
          ...(
            [
              [built.state.state.measurement.factsBucket, "facts"],
              [built.state.state.measurement.queryResults, "results"],
            ] as const
          ).map(
            ([bucket, prefix]) =>
              `Waymark-State/State/Measurement/QueryPolicy AwsSolutions-IAM5[Resource::<${stateId(bucket)}.Arn>/${prefix}/*]`,
          ),
        ].sort(),
      );
    });
  });

  describe("event bus", () => {
    it(`is named ${DEFAULT_BUS_NAME}`, () => {
      state.hasResourceProperties("AWS::Events::EventBus", { Name: DEFAULT_BUS_NAME });
    });

    it("archives every event for 30 days, encrypted with the data key", () => {
      const busId = stateId(built.state.state.bus);
      const archives = resourcesOfType(state, "AWS::Events::Archive");
      expect(archives).toHaveLength(1);
      const archive = props(archives[0]![1]);
      expect(archive.SourceArn).toEqual(getAtt(busId, "Arn"));
      expect(archive.EventPattern).toEqual({ source: [{ prefix: "" }] });
      expect(archive.RetentionDays).toBe(30);
      expect(archive.KmsKeyIdentifier).toEqual(getAtt(stateId(built.state.state.dataKey), "Arn"));
    });

    it("lets EventBridge use the data key for its archive, under this bus's encryption context only", () => {
      const statements = dataKeyPolicy().filter((s) => JSON.stringify(s.Principal).includes("events."));
      const describe = statements.find((s) => s.Sid === "EventBridgeArchiveDescribeKey");
      expect(describe).toEqual({
        Sid: "EventBridgeArchiveDescribeKey",
        Effect: "Allow",
        Principal: { Service: "events.amazonaws.com" },
        Action: "kms:DescribeKey",
        Resource: "*",
      });
      const archive = statements.find((s) => s.Sid === "EventBridgeArchiveUseKey");
      expect(archive).toEqual({
        Sid: "EventBridgeArchiveUseKey",
        Effect: "Allow",
        Principal: { Service: "events.amazonaws.com" },
        Action: ["kms:GenerateDataKey", "kms:Decrypt", "kms:ReEncryptFrom", "kms:ReEncryptTo"],
        Resource: "*",
        Condition: {
          StringEquals: {
            "kms:EncryptionContext:aws:events:event-bus:arn": getAtt(stateId(built.state.state.bus), "Arn"),
          },
        },
      });
    });

    it("lets EventBridge use the data key to deliver to queues for the rules of this bus only, with no reference to the runtime", () => {
      const rules = dataKeyPolicy().find((s) => s.Sid === "EventBridgeRulesDeliverToQueues");
      expect(rules).toEqual({
        Sid: "EventBridgeRulesDeliverToQueues",
        Effect: "Allow",
        Principal: { Service: "events.amazonaws.com" },
        Action: ["kms:GenerateDataKey", "kms:Decrypt"],
        Resource: "*",
        Condition: {
          StringEquals: { "aws:SourceAccount": { Ref: "AWS::AccountId" } },
          ArnLike: {
            "aws:SourceArn": {
              "Fn::Join": [
                "",
                [
                  "arn:",
                  { Ref: "AWS::Partition" },
                  ":events:",
                  { Ref: "AWS::Region" },
                  ":",
                  { Ref: "AWS::AccountId" },
                  `:rule/${DEFAULT_BUS_NAME}/*`,
                ],
              ],
            },
          },
        },
      });
      // Every statement for EventBridge is one of the three above: nothing lets it use the key unconditioned.
      const forEventBridge = dataKeyPolicy().filter((s) => JSON.stringify(s.Principal).includes("events."));
      expect(forEventBridge.map((s) => s.Sid).sort()).toEqual([
        "EventBridgeArchiveDescribeKey",
        "EventBridgeArchiveUseKey",
        "EventBridgeRulesDeliverToQueues",
      ]);
      // The state stack never depends on the runtime (which imports from it): no cycle, either can be alone.
      expect(JSON.stringify(state.toJSON())).not.toContain("Fn::ImportValue");
      // And the rules really are on this bus, so the pattern covers them.
      for (const [, rule] of resourcesOfType(runtime, "AWS::Events::Rule")) {
        expect(mentions(props(rule).EventBusName, stateId(built.state.state.bus))).toBe(true);
      }
    });

    it("accepts PutEvents only from its own account by default", () => {
      const allows = resourcesOfType(state, "AWS::Events::EventBusPolicy")
        .map(([, policy]) => props(policy).Statement as Record<string, unknown>)
        .filter((statement) => statement.Effect === "Allow");
      expect(allows).toHaveLength(1);
      const statement = allows[0]!;
      expect(statement.Action).toBe("events:PutEvents");
      expect(statement.Effect).toBe("Allow");
      expect(JSON.stringify(statement.Principal)).toContain('{"Ref":"AWS::AccountId"},":root"');
      expect(statement.Resource).toEqual(getAtt(stateId(built.state.state.bus), "Arn"));
    });
  });

  describe("functions", () => {
    it("run Node.js 24 on arm64 with active tracing and JSON logs", () => {
      const lambdas = resourcesOfType(runtime, "AWS::Lambda::Function");
      expect(lambdas).toHaveLength(7);
      for (const [, fn] of lambdas) {
        expect(props(fn)).toMatchObject({
          Runtime: "nodejs24.x",
          Architectures: ["arm64"],
          Handler: "index.handler",
          TracingConfig: { Mode: "Active" },
          LoggingConfig: { LogFormat: "JSON" },
        });
      }
    });

    it("log to a log group of their own that has a retention", () => {
      for (const fn of Object.values(functions())) {
        const lambda = props(resource(runtime, idIn(fn.function)));
        const logGroupId = idIn(fn.logGroup);
        expect((lambda.LoggingConfig as Record<string, unknown>).LogGroup).toEqual({ Ref: logGroupId });
        expect(props(resource(runtime, logGroupId)).RetentionInDays).toBe(30);
      }
    });

    it("use no AWS managed policy", () => {
      for (const template of [state, runtime]) {
        for (const [id, role] of resourcesOfType(template, "AWS::IAM::Role")) {
          expect(props(role).ManagedPolicyArns, id).toBeUndefined();
        }
      }
    });

    it("get exactly the settings their handlers load, under the EnvName names", () => {
      const known = new Set<string>(Object.values(EnvName));
      for (const [name, fn] of Object.entries(functions())) {
        const variables = Object.keys(environmentOf(idIn(fn.function)));
        for (const variable of variables) expect(known, variable).toContain(variable);
        // Every setting a handler requires is set; every variable set is one the handler reads.
        const required = loadedSettings(name).map((key) => EnvName[key]);
        const read = [...required, ...optionalSettings(name).map((key) => EnvName[key])];
        for (const variable of required) expect(variables, name).toContain(variable);
        for (const variable of variables) expect(read, name).toContain(variable);
      }
      // Every SMS names the stack's configuration set, whose events are the delivery receipts.
      expect(environmentOf(idIn(functions().notifier.function))[EnvName.smsConfigurationSetName]).toEqual({
        Ref: idIn(built.runtime.runtime.smsConfigurationSet),
      });
    });

    it("may call every AWS service whose client their handler imports", () => {
      const servicePrefix: Record<string, string> = {
        "client-dynamodb": "dynamodb",
        "client-eventbridge": "events",
        "client-firehose": "firehose",
        "client-kms": "kms",
        "client-pinpoint-sms-voice-v2": "sms-voice",
        "client-s3": "s3",
        "client-scheduler": "scheduler",
        "client-sesv2": "ses",
        "client-sns": "sns",
        "client-sqs": "sqs",
      };
      for (const [name, fn] of Object.entries(functions())) {
        const actions = [...allowedActions(roleStatements(runtime, idIn(fn.role)))];
        for (const client of importedClients(name)) {
          const prefix = servicePrefix[client];
          expect(prefix, `${name} imports @aws-sdk/${client}: map it to its IAM prefix`).toBeDefined();
          expect(
            actions.some((action) => action.startsWith(`${prefix}:`)),
            `${name} imports @aws-sdk/${client} but may not call ${prefix}`,
          ).toBe(true);
        }
      }
    });

    it("give the notifier no sending rate when the catalog sets none", () => {
      expect(referenceCatalog.delivery.sendingRate).toEqual({});
      expect(environmentOf(idIn(functions().notifier.function))).not.toHaveProperty(EnvName.sendingRate);
    });

    it("set the optional SMS origination identity and sender ID only when one is configured", () => {
      expect(environmentOf(idIn(functions().notifier.function))).not.toHaveProperty(
        EnvName.smsOriginationIdentity,
      );
      expect(props(resource(runtime, idIn(built.runtime.runtime.smsConfigurationSet)))).not.toHaveProperty(
        "DefaultSenderId",
      );
    });

    it("bundle as minified ESM with the AWS SDK inside", () => {
      for (const fn of Object.values(functions())) {
        const bundle = readBundle(fn.function);
        // Booleans, not the bundle itself: a failure should not print a megabyte of JavaScript.
        expect(bundle.startsWith('import{createRequire as __waymarkCreateRequire}from"node:module";')).toBe(
          true,
        );
        expect(/\bexport\s*\{[^}]*\bas handler\b/.test(bundle)).toBe(true);
        expect(/from\s*"@aws-sdk\//.test(bundle), "SDK imported from the runtime").toBe(false);
        expect(bundle.includes("aws-sdk-js"), "SDK bundled").toBe(true);
        // Minified: a few long lines (template literals keep their newlines), not one line per statement.
        expect(bundle.length / bundle.split("\n").length, "minified").toBeGreaterThan(2_000);
      }
    });

    it("take credentials from the environment only, and assume no role", () => {
      for (const [name, fn] of Object.entries(functions())) {
        const bundle = readBundle(fn.function);
        expect(bundle.includes("AWS_SECRET_ACCESS_KEY"), `${name}: the environment provider`).toBe(true);
        // The default chain's web-identity, process and SSO providers are aliased away (lambda-credentials).
        for (const marker of ["AWS_WEB_IDENTITY_TOKEN_FILE", "credential_process", "sso_start_url"]) {
          expect(bundle.includes(marker), `${name}: ${marker}`).toBe(false);
        }
      }
      // SMS goes out under the notifier's own role: nothing assumes another one any more.
      expect(readBundle(functions().notifier.function).includes('"AssumeRole"')).toBe(false);
      expect(readBundle(functions().notifier.function).includes('"SendTextMessage"')).toBe(true);
    });
  });

  describe("table", () => {
    it("is on-demand, point-in-time recoverable and encrypted with the data key", () => {
      const tables = resourcesOfType(state, "AWS::DynamoDB::Table");
      expect(tables).toHaveLength(1);
      const [, table] = tables[0]!;
      expect(props(table)).toMatchObject({
        BillingMode: "PAY_PER_REQUEST",
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: {
          SSEEnabled: true,
          SSEType: "KMS",
          KMSMasterKeyId: getAtt(stateId(built.state.state.dataKey), "Arn"),
        },
        DeletionProtectionEnabled: true,
        KeySchema: [
          { AttributeName: tableDefinition.partitionKey, KeyType: "HASH" },
          { AttributeName: tableDefinition.sortKey, KeyType: "RANGE" },
        ],
        AttributeDefinitions: [
          { AttributeName: tableDefinition.partitionKey, AttributeType: "S" },
          { AttributeName: tableDefinition.sortKey, AttributeType: "S" },
        ],
      });
      expect(table.DeletionPolicy).toBe("Retain");
    });

    it("expires items by the attribute the sending-rate counters set (issue 10)", () => {
      const [, table] = resourcesOfType(state, "AWS::DynamoDB::Table")[0]!;
      expect(props(table).TimeToLiveSpecification).toEqual({
        AttributeName: tableDefinition.timeToLiveAttribute,
        Enabled: true,
      });
      expect(tableDefinition.timeToLiveAttribute).toBe("expiresAt");
    });

    it("uses keys that rotate and are retained, and an HMAC key for unsubscribe links", () => {
      const keys = resourcesOfType(state, "AWS::KMS::Key");
      expect(keys).toHaveLength(3);
      for (const [id, key] of keys) {
        expect(key.DeletionPolicy, id).toBe("Retain");
        // KMS rotates symmetric encryption keys only; the HMAC key is rotated by replacement.
        if (props(key).KeySpec === undefined) expect(props(key).EnableKeyRotation, id).toBe(true);
      }
      expect(props(resource(state, stateId(built.state.state.unsubscribeKey)))).toMatchObject({
        KeySpec: "HMAC_256",
        KeyUsage: "GENERATE_VERIFY_MAC",
      });
    });
  });

  describe("queues", () => {
    it("all have a dead-letter queue or are one", () => {
      const deadLetters = deadLetterQueueIds();
      for (const [id, queue] of resourcesOfType(runtime, "AWS::SQS::Queue")) {
        const isDeadLetter = deadLetters.has(id);
        expect(props(queue).RedrivePolicy !== undefined || isDeadLetter, id).toBe(true);
        if (isDeadLetter) expect(props(queue).MessageRetentionPeriod, id).toBe(14 * 24 * 3600);
      }
      // ingest, engine, outbound, email, feedback, global, rejected, plus the rule and timer dead-letter queues
      expect(deadLetters.size).toBe(9);
    });

    it("are all encrypted with the data key, reuse a data key 5 minutes, and refuse requests without TLS", () => {
      const policies = resourcesOfType(runtime, "AWS::SQS::QueuePolicy");
      const queues = resourcesOfType(runtime, "AWS::SQS::Queue");
      // ingest, engine, outbound, email, feedback, global, rejected, their seven dead-letter queues, the rules'
      // and the timers'
      expect(queues).toHaveLength(16);
      for (const [id, queue] of queues) {
        expect(props(queue), id).not.toHaveProperty("SqsManagedSseEnabled");
        expect(mentions(props(queue).KmsMasterKeyId, stateId(built.state.state.dataKey)), id).toBe(true);
        expect(JSON.stringify(props(queue).KmsMasterKeyId), id).toContain("DataKey");
        expect(props(queue).KmsDataKeyReusePeriodSeconds, id).toBe(300);
        const policy = policies.find(([, p]) => asArray(props(p).Queues).some((q) => mentions(q, id)));
        expect(policy, id).toBeDefined();
        expect(JSON.stringify(props(policy![1]).PolicyDocument)).toContain('"aws:SecureTransport":"false"');
      }
    });

    it("are read by their consumers with the key only through SQS, and without sqs:GetQueueUrl", () => {
      for (const [id, mapping] of resourcesOfType(runtime, "AWS::Lambda::EventSourceMapping")) {
        const source = props(mapping);
        const queueId = (source.EventSourceArn as { "Fn::GetAtt": [string, string] })["Fn::GetAtt"][0];
        const functionId = (source.FunctionName as { Ref: string }).Ref;
        const roleId = (props(resource(runtime, functionId)).Role as { "Fn::GetAtt": [string, string] })[
          "Fn::GetAtt"
        ][0];
        const statements = roleStatements(runtime, roleId);
        const receive = statements.find((s) => asArray(s.Action).includes("sqs:ReceiveMessage"));
        expect(receive?.Action, id).toEqual([
          "sqs:ReceiveMessage",
          "sqs:ChangeMessageVisibility",
          "sqs:DeleteMessage",
          "sqs:GetQueueAttributes",
        ]);
        expect(mentions(receive?.Resource, queueId), id).toBe(true);
        expect([...allowedActions(statements)], id).not.toContain("sqs:GetQueueUrl");
        const decrypt = statements.filter((s) => asArray(s.Action).includes("kms:Decrypt"));
        expect(decrypt.length, id).toBeGreaterThan(0);
        for (const statement of decrypt) {
          expect(mentions(statement.Resource, stateId(built.state.state.dataKey)), id).toBe(true);
          expect(Object.keys(statement.Condition?.StringEquals ?? {}), id).toEqual(["kms:ViaService"]);
        }
      }
    });

    it("give the engine a high-throughput FIFO queue with a FIFO dead-letter queue", () => {
      const engine = built.runtime.runtime.engineQueue;
      expect(props(resource(runtime, idIn(engine.queue)))).toMatchObject({
        FifoQueue: true,
        ContentBasedDeduplication: true,
        DeduplicationScope: "messageGroup",
        FifoThroughputLimit: "perMessageGroupId",
      });
      expect(props(resource(runtime, idIn(engine.deadLetter.queue))).FifoQueue).toBe(true);
    });

    it("hide a message for at least six times its consumer's timeout", () => {
      const mappings = resourcesOfType(runtime, "AWS::Lambda::EventSourceMapping");
      expect(mappings).toHaveLength(6);
      for (const [id, mapping] of mappings) {
        const source = props(mapping);
        expect(source.FunctionResponseTypes, id).toEqual(["ReportBatchItemFailures"]);
        const queueId = (source.EventSourceArn as { "Fn::GetAtt": [string, string] })["Fn::GetAtt"][0];
        const functionId = (source.FunctionName as { Ref: string }).Ref;
        const timeout = props(resource(runtime, functionId)).Timeout as number;
        expect(props(resource(runtime, queueId)).VisibilityTimeout as number, id).toBeGreaterThanOrEqual(
          6 * timeout,
        );
      }
      const engineMapping = mappings.find(([, m]) =>
        mentions(props(m).EventSourceArn, idIn(built.runtime.runtime.engineQueue.queue)),
      );
      expect(props(engineMapping![1]).BatchSize).toBe(10);
    });

    it("keep rejected events 14 days, and nothing consumes them", () => {
      const rejected = idIn(built.runtime.runtime.rejectedQueue.queue);
      expect(props(resource(runtime, rejected)).MessageRetentionPeriod).toBe(14 * 24 * 3600);
      for (const [, mapping] of resourcesOfType(runtime, "AWS::Lambda::EventSourceMapping")) {
        expect(mentions(props(mapping).EventSourceArn, rejected)).toBe(false);
      }
    });
  });

  describe("rejected events' claim-check bucket", () => {
    const claimChecks = () => built.runtime.runtime.rejectedClaimChecks;

    it("encrypts with the data key (a bucket key), blocks public access, expires objects after 14 days", () => {
      const bucket = props(resource(runtime, idIn(claimChecks().bucket)));
      const [rule] = (
        bucket.BucketEncryption as { ServerSideEncryptionConfiguration: Record<string, unknown>[] }
      ).ServerSideEncryptionConfiguration;
      expect(rule).toMatchObject({
        BucketKeyEnabled: true,
        ServerSideEncryptionByDefault: { SSEAlgorithm: "aws:kms" },
      });
      const byDefault = rule!.ServerSideEncryptionByDefault as Record<string, unknown>;
      expect(mentions(byDefault.KMSMasterKeyID, stateId(built.state.state.dataKey))).toBe(true);
      expect(bucket.PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
      expect(bucket.LifecycleConfiguration).toEqual({
        Rules: [
          expect.objectContaining({
            ExpirationInDays: 14,
            AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
            Status: "Enabled",
          }),
        ],
      });
      expect(bucket).not.toHaveProperty("VersioningConfiguration");
      expect(resource(runtime, idIn(claimChecks().bucket)).DeletionPolicy).toBe("Retain");
    });

    it("refuses requests without TLS and logs access to a bucket of its own", () => {
      for (const bucket of [claimChecks().bucket, claimChecks().accessLogs]) {
        const policy = resourcesOfType(runtime, "AWS::S3::BucketPolicy").find(([, p]) =>
          mentions(props(p).Bucket, idIn(bucket)),
        );
        const statements = (props(policy![1]).PolicyDocument as { Statement: PolicyStatement[] }).Statement;
        expect(statements).toContainEqual(
          expect.objectContaining({
            Effect: "Deny",
            Action: "s3:*",
            Condition: { Bool: { "aws:SecureTransport": "false" } },
          }),
        );
      }
      const logging = props(resource(runtime, idIn(claimChecks().bucket))).LoggingConfiguration as Record<
        string,
        unknown
      >;
      expect(logging.DestinationBucketName).toEqual({ Ref: idIn(claimChecks().accessLogs) });
      const logPolicy = resourcesOfType(runtime, "AWS::S3::BucketPolicy").find(([, p]) =>
        mentions(props(p).Bucket, idIn(claimChecks().accessLogs)),
      )!;
      const delivery = (
        props(logPolicy[1]).PolicyDocument as { Statement: PolicyStatement[] }
      ).Statement.find((s) => s.Sid === "ServerAccessLogsFromClaimChecks");
      expect(delivery).toMatchObject({
        Effect: "Allow",
        Principal: { Service: "logging.s3.amazonaws.com" },
        Action: "s3:PutObject",
        Condition: {
          ArnLike: { "aws:SourceArn": getAtt(idIn(claimChecks().bucket), "Arn") },
          StringEquals: { "aws:SourceAccount": { Ref: "AWS::AccountId" } },
        },
      });
      expect(
        props(resource(runtime, idIn(claimChecks().accessLogs))).BucketEncryption,
        "S3 delivers access logs to SSE-S3 buckets only",
      ).toEqual({
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" } }],
      });
    });

    it("lets ingest, and no other function, put objects under rejected/ only, encrypting through S3", () => {
      // The fan-out reads the audience bucket (its own test below), and no claim check.
      const bucketId = idIn(claimChecks().bucket);
      expect(environmentOf(idIn(functions().ingest.function))[EnvName.rejectedBucketName]).toEqual({
        Ref: bucketId,
      });
      const statements = roleStatements(runtime, idIn(functions().ingest.role));
      const s3Statements = statements.filter((s) => asArray(s.Action).some((a) => a.startsWith("s3:")));
      expect(s3Statements).toEqual([
        {
          Sid: "PutClaimChecks",
          Effect: "Allow",
          Action: "s3:PutObject",
          Resource: { "Fn::Join": ["", [getAtt(bucketId, "Arn"), "/rejected/*"]] },
        },
      ]);
      const key = statements.find((s) => s.Sid === "ClaimCheckKey");
      expect(key).toMatchObject({ Effect: "Allow", Action: "kms:GenerateDataKey" });
      expect(mentions(key?.Resource, stateId(built.state.state.dataKey))).toBe(true);
      expect(JSON.stringify(key?.Condition)).toContain('"kms:ViaService":{"Fn::Join":["",["s3.",');
      for (const [name, fn] of Object.entries(functions())) {
        if (name === "ingest") continue;
        const statements = roleStatements(runtime, idIn(fn.role)).filter(
          (s) => !mentions(s.Resource, idIn(built.runtime.runtime.audiences.bucket)),
        );
        const actions = [...allowedActions(statements)];
        expect(
          actions.filter((a) => a.startsWith("s3:")),
          name,
        ).toEqual([]);
      }
    });

    it("is an output of the runtime stack", () => {
      expect(runtime.toJSON().Outputs.RejectedBucketName.Value).toEqual({ Ref: idIn(claimChecks().bucket) });
    });
  });

  describe("audience bucket (AudienceEntryRequested's lists)", () => {
    const audiences = () => built.runtime.runtime.audiences.bucket;

    it("encrypts with the data key, blocks public access, refuses plain HTTP, logs access, expires lists after 30 days", () => {
      const bucket = props(resource(runtime, idIn(audiences())));
      const [rule] = (
        bucket.BucketEncryption as { ServerSideEncryptionConfiguration: Record<string, unknown>[] }
      ).ServerSideEncryptionConfiguration;
      expect(rule).toMatchObject({
        BucketKeyEnabled: true,
        ServerSideEncryptionByDefault: { SSEAlgorithm: "aws:kms" },
      });
      const byDefault = rule!.ServerSideEncryptionByDefault as Record<string, unknown>;
      expect(mentions(byDefault.KMSMasterKeyID, stateId(built.state.state.dataKey))).toBe(true);
      expect(bucket.LifecycleConfiguration).toEqual({
        Rules: [expect.objectContaining({ ExpirationInDays: 30, Status: "Enabled" })],
      });
      expect((bucket.LoggingConfiguration as Record<string, unknown>).DestinationBucketName).toEqual({
        Ref: idIn(built.runtime.runtime.rejectedClaimChecks.accessLogs),
      });
      const policy = resourcesOfType(runtime, "AWS::S3::BucketPolicy").find(([, p]) =>
        mentions(props(p).Bucket, idIn(audiences())),
      );
      expect((props(policy![1]).PolicyDocument as { Statement: PolicyStatement[] }).Statement).toContainEqual(
        expect.objectContaining({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } }),
      );
    });

    it("lets the fan-out, and no other function, read its objects and decrypt them through S3", () => {
      const bucketId = idIn(audiences());
      expect(environmentOf(idIn(functions()["fan-out"].function))[EnvName.audienceBucketName]).toEqual({
        Ref: bucketId,
      });
      const statements = roleStatements(runtime, idIn(functions()["fan-out"].role));
      expect(statements.filter((s) => asArray(s.Action).some((a) => a.startsWith("s3:")))).toEqual([
        {
          Sid: "ReadAudiences",
          Effect: "Allow",
          Action: "s3:GetObject",
          Resource: { "Fn::Join": ["", [getAtt(bucketId, "Arn"), "/*"]] },
        },
      ]);
      expect(statements.find((s) => s.Sid === "AudienceKey")).toMatchObject({
        Effect: "Allow",
        Action: "kms:Decrypt",
      });
      for (const [name, fn] of Object.entries(functions())) {
        if (name === "fan-out") continue;
        const reads = roleStatements(runtime, idIn(fn.role)).filter((s) => mentions(s.Resource, bucketId));
        expect(reads, name).toEqual([]);
      }
    });

    it("is an output of the runtime stack", () => {
      expect(runtime.toJSON().Outputs.AudienceBucketName.Value).toEqual({ Ref: idIn(audiences()) });
    });
  });

  describe("bus rules", () => {
    it("exist once per declared route, with the declared pattern verbatim", () => {
      const rules = resourcesOfType(runtime, "AWS::Events::Rule");
      expect(rules).toHaveLength(routes.length);
      for (const route of routes) {
        const rule = rules.find(([, r]) => props(r).Description === route.description);
        expect(rule, route.id).toBeDefined();
        expect(props(rule![1]).EventPattern).toEqual(route.pattern);
        expect(mentions(props(rule![1]).EventBusName, stateId(built.state.state.bus))).toBe(true);
      }
    });

    it("route every sample event exactly as the local runtime does", () => {
      const rules = resourcesOfType(runtime, "AWS::Events::Rule").map(([, r]) =>
        compileEventPattern(props(r).EventPattern),
      );
      const envelopes = [
        ...allSampleEnvelopes(),
        ...["waymark", "waymark.notifier", "waymark.unsubscribe", "shop.orders"].map((source) => ({
          ...allSampleEnvelopes()[0]!,
          source,
        })),
      ];
      let routedToIngest = 0;
      for (const envelope of envelopes) {
        const deployed = rules.some((rule) => rule.matches(envelope));
        expect(deployed, `${envelope.source} ${envelope["detail-type"]}`).toBe(
          localRouter.matchingRoutes(envelope).length > 0,
        );
        if (deployed) routedToIngest++;
      }
      expect(routedToIngest).toBe(envelopes.filter((e) => e.source !== "waymark").length);
    });

    it("deliver to the ingest queue with retries and a dead-letter queue", () => {
      const ingestQueue = idIn(built.runtime.runtime.ingestQueue.queue);
      const ruleDeadLetter = idIn(built.runtime.runtime.ruleDeadLetter.queue);
      for (const [id, rule] of resourcesOfType(runtime, "AWS::Events::Rule")) {
        const targets = props(rule).Targets as Record<string, unknown>[];
        expect(targets.length, id).toBeGreaterThan(0);
        for (const target of targets) {
          expect(target.Arn).toEqual(getAtt(ingestQueue, "Arn"));
          expect(target.DeadLetterConfig).toEqual({ Arn: getAtt(ruleDeadLetter, "Arn") });
          expect(target.RetryPolicy).toEqual({ MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86_400 });
        }
      }
    });

    it("are the only senders EventBridge may act for on those queues", () => {
      for (const queue of [
        built.runtime.runtime.ingestQueue.queue,
        built.runtime.runtime.ruleDeadLetter.queue,
      ]) {
        const statements = queuePolicyStatements(idIn(queue)).filter((s) => s.Effect === "Allow");
        expect(statements).toHaveLength(routes.length);
        for (const statement of statements) {
          expect(statement.Principal).toEqual({ Service: "events.amazonaws.com" });
          expect(statement.Action).toBe("sqs:SendMessage");
          expect(Object.keys(statement.Condition?.ArnEquals ?? {})).toEqual(["aws:SourceArn"]);
        }
      }
    });
  });

  describe("topics", () => {
    it("are all encrypted with a customer-managed key and enforce TLS", () => {
      const topics = resourcesOfType(state, "AWS::SNS::Topic");
      // email, feedback, alarms
      expect(topics).toHaveLength(3);
      const policies = resourcesOfType(state, "AWS::SNS::TopicPolicy");
      for (const [id, topic] of topics) {
        expect(props(topic).KmsMasterKeyId, id).toBeDefined();
        const policy = policies.find(([, p]) => asArray(props(p).Topics).some((t) => mentions(t, id)));
        expect(JSON.stringify(props(policy![1]).PolicyDocument)).toContain('"aws:SecureTransport":"false"');
      }
      expect(resourcesOfType(runtime, "AWS::SNS::Topic")).toEqual([]);
    });

    it("let CloudWatch publish alarms, and only Waymark's, through the alarm key", () => {
      const keyPolicy = props(resource(state, stateId(built.state.state.alarmKey))).KeyPolicy as {
        Statement: { Sid?: string; Principal?: unknown; Condition?: unknown; Action: unknown }[];
      };
      const cloudwatch = keyPolicy.Statement.find((s) => s.Sid === "CloudWatchAlarmsUseKey");
      expect(cloudwatch?.Principal).toEqual({ Service: "cloudwatch.amazonaws.com" });
      expect(cloudwatch?.Action).toEqual(["kms:Decrypt", "kms:GenerateDataKey"]);
      expect(JSON.stringify(cloudwatch?.Condition)).toContain(":alarm:waymark-*");
    });
  });

  describe("schema registry", () => {
    it("publishes one JSON Schema per event in the catalog", () => {
      const registries = resourcesOfType(state, "AWS::EventSchemas::Registry");
      expect(registries).toHaveLength(1);
      const schemas = resourcesOfType(state, "AWS::EventSchemas::Schema");
      expect(schemas).toHaveLength(allEvents.length);
      expect(schemas.map(([, s]) => props(s).SchemaName).sort()).toEqual(
        allEvents.map((event) => schemaNameFor(event.detailType)).sort(),
      );
      for (const [id, schema] of schemas) {
        const properties = props(schema);
        expect(properties.Type, id).toBe(SCHEMA_REGISTRY_TYPE);
        expect(properties.RegistryName).toEqual(getAtt(registries[0]![0], "RegistryName"));
        const content = JSON.parse(properties.Content as string) as { title: string };
        expect(properties.SchemaName).toBe(schemaNameFor(content.title));
      }
    });
  });

  describe("alarms", () => {
    it("watch every dead-letter queue and notify the alarm topic", () => {
      const alarms = resourcesOfType(runtime, "AWS::CloudWatch::Alarm").map(([, a]) => props(a));
      const alarmTopic = stateId(built.state.state.alarmTopic);
      for (const queueId of deadLetterQueueIds()) {
        const alarm = alarms.find((a) =>
          asArray(a.Dimensions as unknown[]).some((d) => mentions(d, queueId)),
        );
        expect(alarm, queueId).toMatchObject({
          Namespace: "AWS/SQS",
          MetricName: "ApproximateNumberOfMessagesVisible",
          ComparisonOperator: "GreaterThanOrEqualToThreshold",
          Threshold: 1,
          TreatMissingData: "notBreaching",
        });
        expect(alarm!.AlarmName as string).toMatch(/^waymark-/);
        expect(mentions(alarm!.AlarmActions, alarmTopic)).toBe(true);
      }
    });
  });

  describe("IAM", () => {
    it("grants no wildcard action in any policy", () => {
      for (const template of [state, runtime]) {
        for (const { owner, statement } of allPolicyStatements(template)) {
          for (const action of asArray(statement.Action)) expect(action, owner).not.toContain("*");
        }
      }
    });

    it("keeps ingest away from the table, the bus and SNS, and lets it use the data key only through SQS and S3", () => {
      const statements = roleStatements(runtime, idIn(functions().ingest.role));
      const actions = [...allowedActions(statements)];
      expect(actions.filter((a) => /^(dynamodb|events|sns|scheduler):/.test(a))).toEqual([]);
      expect(actions).toContain("sqs:SendMessage");
      for (const statement of statements.filter((s) => asArray(s.Action).some((a) => a.startsWith("kms:")))) {
        expect(mentions(statement.Resource, stateId(built.state.state.dataKey))).toBe(true);
        expect(JSON.stringify(statement.Condition?.StringEquals?.["kms:ViaService"])).toMatch(/"(sqs|s3)\./);
      }
    });

    it("lets the engine read and write items, batch-write the owner index and query stock, but never delete", () => {
      const statements = roleStatements(runtime, idIn(functions().engine.role));
      const table = statements.find((s) => s.Sid === "TableItems");
      expect(table?.Action).toEqual([
        "dynamodb:GetItem",
        "dynamodb:PutItem",
        "dynamodb:UpdateItem",
        "dynamodb:Query",
        "dynamodb:BatchWriteItem",
      ]);
      expect(mentions(table?.Resource, stateId(built.state.state.table))).toBe(true);
    });

    it("lets the engine manage schedules in its own group and pass only the scheduler role", () => {
      const statements = roleStatements(runtime, idIn(functions().engine.role));
      const timers = statements.find((s) => s.Sid === "ManageTimers");
      expect(timers?.Action).toEqual(["scheduler:CreateSchedule", "scheduler:DeleteSchedule"]);
      expect(JSON.stringify(timers?.Resource)).toMatch(/:schedule\/waymark-timers\/\*"\]\]\}$/);
      const pass = statements.find((s) => s.Sid === "PassSchedulerRole");
      expect(pass?.Resource).toEqual(getAtt(idIn(built.runtime.runtime.schedulerRole), "Arn"));
      expect(pass?.Condition).toEqual({ StringEquals: { "iam:PassedToService": "scheduler.amazonaws.com" } });
    });

    it("lets the notifier publish to its email topic only, and no role publish to '*' or assume another", () => {
      const statements = roleStatements(runtime, idIn(functions().notifier.role));
      const publish = statements.filter((s) => asArray(s.Action).includes("sns:Publish"));
      expect(publish).toEqual([expect.objectContaining({ Sid: "PublishEmail", Effect: "Allow" })]);
      expect(mentions(publish[0]?.Resource, stateId(built.state.state.emailTopic))).toBe(true);
      for (const [id] of resourcesOfType(runtime, "AWS::IAM::Role")) {
        const actions = [...allowedActions(roleStatements(runtime, id))];
        expect(
          actions.filter((a) => a.startsWith("sts:")),
          id,
        ).toEqual([]);
        for (const statement of roleStatements(runtime, id).filter((s) => s.Effect === "Allow")) {
          if (asArray(statement.Action).some((a) => a.startsWith("sns:")))
            expect(asArray(statement.Resource), id).not.toContain("*");
        }
      }
    });

    it("lets the notifier, and no other function, send SMS: its configuration set, and the identities it cannot name", () => {
      const statements = roleStatements(runtime, idIn(functions().notifier.role));
      const send = statements.filter((s) => asArray(s.Action).some((a) => a.startsWith("sms-voice:")));
      const identities = (kind: string) => inAccount("sms-voice", `${kind}/*`);
      expect(send).toEqual([
        {
          Sid: "SendSms",
          Effect: "Allow",
          Action: "sms-voice:SendTextMessage",
          Resource: [
            getAtt(idIn(built.runtime.runtime.smsConfigurationSet), "Arn"),
            identities("phone-number"),
            identities("sender-id"),
            identities("pool"),
            identities("opt-out-list"),
          ],
        },
      ]);
      for (const [name, fn] of Object.entries(functions())) {
        if (name === "notifier") continue;
        const actions = [...allowedActions(roleStatements(runtime, idIn(fn.role)))];
        expect(
          actions.filter((a) => a.startsWith("sms-voice:")),
          name,
        ).toEqual([]);
      }
    });

    it("creates the SMS configuration set under the state's name for it", () => {
      const sets = resourcesOfType(runtime, "AWS::SMSVOICE::ConfigurationSet");
      expect(sets).toHaveLength(1);
      expect(props(sets[0]![1]).ConfigurationSetName).toBe(built.state.state.configurationSetNames.sms);
      expect(props(sets[0]![1])).not.toHaveProperty("DefaultSenderId");
      expect(built.state.state.configurationSetNames).toEqual({ email: "waymark-email", sms: "waymark-sms" });
    });

    it("uses encryption keys only through the service that needs them", () => {
      for (const fn of Object.values(functions())) {
        for (const statement of roleStatements(runtime, idIn(fn.role))) {
          const actions = asArray(statement.Action);
          if (!actions.some((a) => a.startsWith("kms:"))) continue;
          const mac = actions.every((a) => a === "kms:GenerateMac" || a === "kms:VerifyMac");
          expect(Object.keys(statement.Condition?.StringEquals ?? {})).toEqual([
            mac ? "kms:MacAlgorithm" : "kms:ViaService",
          ]);
        }
      }
    });

    it("lets the notifier and the endpoint derive the links' sealing key, and only the endpoint verify old links", () => {
      const key = stateId(built.state.state.unsubscribeKey);
      const macActions = (fn: { role: IConstruct }) =>
        roleStatements(runtime, idIn(fn.role))
          .filter((s) => mentions(s.Resource, key))
          .flatMap((s) => asArray(s.Action));
      expect(macActions(functions().notifier)).toEqual(["kms:GenerateMac"]);
      expect(macActions(functions().unsubscribe)).toEqual(["kms:GenerateMac", "kms:VerifyMac"]);
      expect(macActions(functions().engine)).toEqual([]);
      expect(macActions(functions().ingest)).toEqual([]);
    });

    it("lets the scheduler role only send to the engine queue and the timer dead-letter queue, with their key through SQS", () => {
      const role = built.runtime.runtime.schedulerRole;
      const statements = roleStatements(runtime, idIn(role));
      expect([...allowedActions(statements)].sort()).toEqual([
        "kms:Decrypt",
        "kms:GenerateDataKey",
        "sqs:SendMessage",
      ]);
      const send = statements.filter((s) => asArray(s.Action).includes("sqs:SendMessage"));
      expect(send.flatMap((s) => asArray(s.Resource)).sort(byJson)).toEqual(
        [
          getAtt(idIn(built.runtime.runtime.engineQueue.queue), "Arn"),
          getAtt(idIn(built.runtime.runtime.timerDeadLetter.queue), "Arn"),
        ].sort(byJson),
      );
      const key = statements.find((s) => s.Sid === "DeliverTimersKey");
      expect(key?.Action).toEqual(["kms:GenerateDataKey", "kms:Decrypt"]);
      expect(mentions(key?.Resource, stateId(built.state.state.dataKey))).toBe(true);
      expect(JSON.stringify(key?.Condition)).toContain('"kms:ViaService":{"Fn::Join":["",["sqs.",');
      const trust = props(resource(runtime, idIn(role))).AssumeRolePolicyDocument as {
        Statement: { Principal: unknown; Condition: unknown }[];
      };
      expect(trust.Statement).toEqual([
        expect.objectContaining({
          Principal: { Service: "scheduler.amazonaws.com" },
          Condition: { StringEquals: { "aws:SourceAccount": { Ref: "AWS::AccountId" } } },
        }),
      ]);
    });
  });

  describe("email sender (issue 10)", () => {
    const emailQueue = () => built.runtime.runtime.emailQueue!;

    it("reads a queue subscribed to the email topic with raw delivery, which only that topic may send to", () => {
      const subscriptions = resourcesOfType(runtime, "AWS::SNS::Subscription").filter(([, s]) =>
        mentions(props(s).Endpoint, idIn(emailQueue().queue)),
      );
      expect(subscriptions).toHaveLength(1);
      const subscription = props(subscriptions[0]![1]);
      expect(subscription).toMatchObject({
        Protocol: "sqs",
        RawMessageDelivery: true,
        Endpoint: getAtt(idIn(emailQueue().queue), "Arn"),
      });
      expect(mentions(subscription.TopicArn, stateId(built.state.state.emailTopic))).toBe(true);
      const fromSns = queuePolicyStatements(idIn(emailQueue().queue)).filter((s) => s.Effect === "Allow");
      expect(fromSns).toEqual([
        expect.objectContaining({
          Principal: { Service: "sns.amazonaws.com" },
          Action: "sqs:SendMessage",
          Resource: getAtt(idIn(emailQueue().queue), "Arn"),
          Condition: { ArnEquals: { "aws:SourceArn": subscription.TopicArn } },
        }),
      ]);
      const mapping = resourcesOfType(runtime, "AWS::Lambda::EventSourceMapping").find(([, m]) =>
        mentions(props(m).EventSourceArn, idIn(emailQueue().queue)),
      );
      expect(mentions(props(mapping![1]).FunctionName, idIn(functions()["email-sender"].function))).toBe(
        true,
      );
    });

    it("lets SNS use the data key to deliver topics of this account and region to queues, and no others", () => {
      const statement = dataKeyPolicy().find((s) => s.Sid === "TopicsDeliverToQueues");
      expect(statement).toEqual({
        Sid: "TopicsDeliverToQueues",
        Effect: "Allow",
        Principal: { Service: "sns.amazonaws.com" },
        Action: ["kms:GenerateDataKey", "kms:Decrypt"],
        Resource: "*",
        Condition: {
          StringEquals: { "aws:SourceAccount": { Ref: "AWS::AccountId" } },
          ArnLike: { "aws:SourceArn": inAccount("sns", "*") },
        },
      });
    });

    it("may send only from the configured address, as the from-address's domain, on the stack's configuration set", () => {
      const statements = roleStatements(runtime, idIn(functions()["email-sender"].role));
      expect(statements.filter((s) => asArray(s.Action).some((a) => a.startsWith("ses:")))).toEqual([
        {
          Sid: "SendEmail",
          Effect: "Allow",
          Action: "ses:SendEmail",
          Resource: [
            inAccount("ses", "identity/mail.example.com"),
            {
              "Fn::Join": [
                "",
                [
                  ...arnParts("ses", "configuration-set/"),
                  { Ref: idIn(built.runtime.runtime.emailConfigurationSet) },
                ],
              ],
            },
          ],
          Condition: { StringEquals: { "ses:FromAddress": FROM_ADDRESS } },
        },
      ]);
      expect(environmentOf(idIn(functions()["email-sender"].function))).toMatchObject({
        [EnvName.emailFromAddress]: FROM_ADDRESS,
        [EnvName.emailConfigurationSetName]: { Ref: idIn(built.runtime.runtime.emailConfigurationSet) },
      });
      for (const [name, fn] of Object.entries(functions())) {
        if (name === "email-sender") continue;
        const actions = [...allowedActions(roleStatements(runtime, idIn(fn.role)))];
        expect(
          actions.filter((a) => a.startsWith("ses:")),
          name,
        ).toEqual([]);
      }
    });

    it("claims each email on the table and puts what SES refused on the bus, nothing more", () => {
      const statements = roleStatements(runtime, idIn(functions()["email-sender"].role));
      expect(statements.find((s) => s.Sid === "TableItems")?.Action).toEqual([
        "dynamodb:PutItem",
        "dynamodb:GetItem",
        "dynamodb:UpdateItem",
        "dynamodb:DeleteItem",
      ]);
      expect(
        mentions(statements.find((s) => s.Sid === "PutEvents")?.Resource, stateId(built.state.state.bus)),
      ).toBe(true);
      expect([...allowedActions(statements)].filter((a) => /^(sns|sms-voice|s3|scheduler):/.test(a))).toEqual(
        [],
      );
    });

    it("sends with an SES configuration set that delivers over TLS only", () => {
      const sets = resourcesOfType(runtime, "AWS::SES::ConfigurationSet");
      expect(sets).toHaveLength(1);
      expect(props(sets[0]![1])).toMatchObject({
        Name: "waymark-email",
        DeliveryOptions: { TlsPolicy: "REQUIRE" },
        ReputationOptions: { ReputationMetricsEnabled: true },
      });
    });

    it("names the configuration sets and the email dead-letter queue in the runtime's outputs", () => {
      const outputs = runtime.toJSON().Outputs as Record<string, { Value: unknown }>;
      expect(outputs.EmailConfigurationSetName?.Value).toEqual({
        Ref: idIn(built.runtime.runtime.emailConfigurationSet),
      });
      expect(outputs.SmsConfigurationSetName?.Value).toEqual({
        Ref: idIn(built.runtime.runtime.smsConfigurationSet),
      });
      expect(outputs.EmailDeadLetterQueueUrl?.Value).toEqual({ Ref: idIn(emailQueue().deadLetter.queue) });
    });
  });

  describe("provider feedback (issue 10)", () => {
    const feedbackTopic = () => stateId(built.state.state.feedbackTopic);
    const only = (service: string, name: string) => ({
      StringEquals: {
        "aws:SourceAccount": { Ref: "AWS::AccountId" },
        "aws:SourceArn": inAccount(service, `configuration-set/${name}`),
      },
    });

    it("has a feedback topic in the stateful stack, encrypted with the data key, refusing plain HTTP", () => {
      const topic = props(resource(state, feedbackTopic()));
      expect(topic.KmsMasterKeyId).toEqual(getAtt(stateId(built.state.state.dataKey), "Arn"));
      expect(resource(state, feedbackTopic()).DeletionPolicy).toBe("Retain");
    });

    it("lets SES and End User Messaging SMS publish to it for this account's configuration sets only", () => {
      const policy = resourcesOfType(state, "AWS::SNS::TopicPolicy").find(([, p]) =>
        asArray(props(p).Topics).some((t) => mentions(t, feedbackTopic())),
      )!;
      const statements = (props(policy[1]).PolicyDocument as { Statement: PolicyStatement[] }).Statement;
      const allows = statements.filter((s) => s.Effect === "Allow");
      expect(allows).toEqual([
        {
          Sid: "SesPublishesFeedback",
          Effect: "Allow",
          Principal: { Service: "ses.amazonaws.com" },
          Action: "sns:Publish",
          Resource: { Ref: feedbackTopic() },
          Condition: only("ses", "waymark-email"),
        },
        {
          Sid: "SmsVoicePublishesFeedback",
          Effect: "Allow",
          Principal: { Service: "sms-voice.amazonaws.com" },
          Action: "sns:Publish",
          Resource: { Ref: feedbackTopic() },
          Condition: only("sms-voice", "waymark-sms"),
        },
      ]);
      expect(JSON.stringify(statements)).toContain('"aws:SecureTransport":"false"');
      for (const [sid, service, name] of [
        ["SesEncryptsFeedback", "ses", "waymark-email"],
        ["SmsVoiceEncryptsFeedback", "sms-voice", "waymark-sms"],
      ] as const) {
        expect(dataKeyPolicy().find((s) => s.Sid === sid)).toEqual({
          Sid: sid,
          Effect: "Allow",
          Principal: { Service: `${service}.amazonaws.com` },
          Action: ["kms:GenerateDataKey", "kms:Decrypt"],
          Resource: "*",
          Condition: only(service, name),
        });
      }
    });

    it("has the SES configuration set publish the events the feedback function maps to the topic", () => {
      const destinations = resourcesOfType(runtime, "AWS::SES::ConfigurationSetEventDestination");
      expect(destinations).toHaveLength(1);
      const destination = props(destinations[0]![1]);
      expect(destination.ConfigurationSetName).toEqual({
        Ref: idIn(built.runtime.runtime.emailConfigurationSet),
      });
      expect(destination.EventDestination).toEqual({
        Name: "waymark-feedback",
        Enabled: true,
        MatchingEventTypes: [
          "delivery",
          "bounce",
          "complaint",
          "open",
          "click",
          "reject",
          "renderingFailure",
        ],
        SnsDestination: { TopicARN: expect.anything() },
      });
      const topicArn = (destination.EventDestination as { SnsDestination: { TopicARN: unknown } })
        .SnsDestination.TopicARN;
      expect(mentions(topicArn, feedbackTopic())).toBe(true);
    });

    it("has the SMS configuration set publish the delivery events the feedback function maps to the topic", () => {
      const [, set] = resourcesOfType(runtime, "AWS::SMSVOICE::ConfigurationSet")[0]!;
      const [destination, ...others] = props(set).EventDestinations as Record<string, unknown>[];
      expect(others).toEqual([]);
      expect(destination).toMatchObject({
        EventDestinationName: "waymark-feedback",
        Enabled: true,
        MatchingEventTypes: SMS_FEEDBACK_EVENT_TYPES,
      });
      expect(mentions((destination!.SnsDestination as { TopicArn: unknown }).TopicArn, feedbackTopic())).toBe(
        true,
      );
    });

    it("reads a queue subscribed to the topic with raw delivery, and may only claim emits and put events", () => {
      const queue = built.runtime.runtime.feedbackQueue.queue;
      const subscription = resourcesOfType(runtime, "AWS::SNS::Subscription").find(([, s]) =>
        mentions(props(s).Endpoint, idIn(queue)),
      )!;
      expect(props(subscription[1])).toMatchObject({ Protocol: "sqs", RawMessageDelivery: true });
      expect(mentions(props(subscription[1]).TopicArn, feedbackTopic())).toBe(true);
      const statements = roleStatements(runtime, idIn(functions().feedback.role));
      expect([...allowedActions(statements)].sort()).toEqual(
        [
          "dynamodb:DeleteItem",
          "dynamodb:GetItem",
          "dynamodb:PutItem",
          "dynamodb:UpdateItem",
          "events:PutEvents",
          "kms:Decrypt",
          "kms:DescribeKey",
          "kms:Encrypt",
          "kms:GenerateDataKey",
          "logs:CreateLogStream",
          "logs:PutLogEvents",
          "sqs:ChangeMessageVisibility",
          "sqs:DeleteMessage",
          "sqs:GetQueueAttributes",
          "sqs:ReceiveMessage",
          "xray:PutTelemetryRecords",
          "xray:PutTraceSegments",
        ].sort(),
      );
      expect(runtime.toJSON().Outputs.FeedbackDeadLetterQueueUrl.Value).toEqual({
        Ref: idIn(built.runtime.runtime.feedbackQueue.deadLetter.queue),
      });
    });
  });

  describe("unsubscribe endpoint", () => {
    const endpoint = () => built.runtime.runtime.unsubscribe;

    it("is a regional REST API (AWS WAF attaches to REST API stages, not to HTTP APIs)", () => {
      expect(resourcesOfType(runtime, "AWS::ApiGatewayV2::Api")).toEqual([]);
      const apis = resourcesOfType(runtime, "AWS::ApiGateway::RestApi");
      expect(apis).toHaveLength(1);
      expect(props(apis[0]![1])).toMatchObject({
        Name: "waymark-unsubscribe",
        EndpointConfiguration: { Types: ["REGIONAL"] },
      });
      // No account-wide CloudWatch role taken over, and no output the app did not ask for.
      expect(resourcesOfType(runtime, "AWS::ApiGateway::Account")).toEqual([]);
      expect(Object.keys(runtime.toJSON().Outputs).filter((id) => id.includes("Endpoint"))).toEqual([]);
    });

    it("routes GET and POST /unsubscribe to the unsubscribe function, and refuses a request without a token", () => {
      const methods = resourcesOfType(runtime, "AWS::ApiGateway::Method").map(([, m]) => props(m));
      expect(methods.map((m) => m.HttpMethod).sort()).toEqual(["GET", "POST"]);
      const [, unsubscribe] = resourcesOfType(runtime, "AWS::ApiGateway::Resource")[0]!;
      expect(props(unsubscribe).PathPart).toBe("unsubscribe");
      const validators = resourcesOfType(runtime, "AWS::ApiGateway::RequestValidator");
      expect(validators).toHaveLength(1);
      expect(props(validators[0]![1])).toMatchObject({
        ValidateRequestParameters: true,
        ValidateRequestBody: true,
      });
      const unsubscribeFn = idIn(functions().unsubscribe.function);
      for (const method of methods) {
        expect(method).toMatchObject({
          AuthorizationType: "NONE",
          RequestParameters: { "method.request.querystring.token": true },
          RequestValidatorId: { Ref: validators[0]![0] },
          Integration: { Type: "AWS_PROXY", IntegrationHttpMethod: "POST" },
        });
        expect(mentions((method.Integration as { Uri: unknown }).Uri, unsubscribeFn)).toBe(true);
      }
      // API Gateway may invoke the function for this stage's two methods, and for nothing else.
      const permissions = resourcesOfType(runtime, "AWS::Lambda::Permission").filter(([, p]) =>
        mentions(props(p).FunctionName, unsubscribeFn),
      );
      expect(permissions).toHaveLength(2);
      for (const [, permission] of permissions) {
        expect(props(permission).Principal).toBe("apigateway.amazonaws.com");
        expect(JSON.stringify(props(permission).SourceArn)).not.toContain("test-invoke-stage");
      }
    });

    it("throttles the stage, traces it and logs access without the query string", () => {
      const stages = resourcesOfType(runtime, "AWS::ApiGateway::Stage");
      expect(stages).toHaveLength(1);
      const stage = props(stages[0]![1]);
      expect(stage).toMatchObject({
        StageName: "v1",
        TracingEnabled: true,
        MethodSettings: [
          expect.objectContaining({
            HttpMethod: "*",
            ResourcePath: "/*",
            ThrottlingRateLimit: 20,
            ThrottlingBurstLimit: 40,
            CachingEnabled: false,
          }),
        ],
      });
      expect(stage.CacheClusterEnabled ?? false).toBe(false);
      const access = stage.AccessLogSetting as { DestinationArn: unknown; Format: string };
      expect(access.DestinationArn).toEqual(getAtt(idIn(endpoint().accessLogs), "Arn"));
      expect(access.Format).toContain("$context.resourcePath");
      expect(access.Format).toContain("$context.wafResponseCode");
      expect(access.Format, "the query carries the customer's token").not.toMatch(
        /\$context\.(path|querystring|requestOverride)/i,
      );
    });

    it("sits behind a regional AWS WAF web ACL: a rate limit per client IP, IP reputation, request size", () => {
      const acls = resourcesOfType(runtime, "AWS::WAFv2::WebACL");
      expect(acls).toHaveLength(1);
      const [aclId, acl] = acls[0]!;
      expect(props(acl)).toMatchObject({
        Scope: "REGIONAL",
        DefaultAction: { Allow: {} },
        VisibilityConfig: { CloudWatchMetricsEnabled: true, SampledRequestsEnabled: false },
      });
      const rules = props(acl).Rules as Record<string, unknown>[];
      const rule = (name: string) => rules.find((r) => r.Name === name);
      expect(rule("RatePerClientIp")).toMatchObject({
        Action: { Block: { CustomResponse: { ResponseCode: 429 } } },
        Statement: { RateBasedStatement: { AggregateKeyType: "IP", Limit: 100, EvaluationWindowSec: 300 } },
      });
      expect(rule("AmazonIpReputationList")).toMatchObject({
        OverrideAction: { None: {} },
        Statement: {
          ManagedRuleGroupStatement: { VendorName: "AWS", Name: "AWSManagedRulesAmazonIpReputationList" },
        },
      });
      expect(rule("RequestSize")).toMatchObject({
        Action: { Block: { CustomResponse: { ResponseCode: 413 } } },
        Statement: {
          OrStatement: {
            Statements: [
              {
                SizeConstraintStatement: expect.objectContaining({
                  FieldToMatch: { QueryString: {} },
                  ComparisonOperator: "GT",
                  Size: 2048,
                }),
              },
              {
                SizeConstraintStatement: expect.objectContaining({
                  FieldToMatch: { Body: { OversizeHandling: "MATCH" } },
                  ComparisonOperator: "GT",
                  Size: 2048,
                }),
              },
            ],
          },
        },
      });
      for (const r of rules) {
        expect(r.VisibilityConfig, String(r.Name)).toMatchObject({
          CloudWatchMetricsEnabled: true,
          SampledRequestsEnabled: false,
        });
      }
      const associations = resourcesOfType(runtime, "AWS::WAFv2::WebACLAssociation");
      expect(associations).toHaveLength(1);
      const association = props(associations[0]![1]);
      expect(association.WebACLArn).toEqual(getAtt(aclId, "Arn"));
      expect(mentions(association.ResourceArn, idIn(endpoint().api))).toBe(true);
      expect(mentions(association.ResourceArn, idIn(endpoint().stage))).toBe(true);
      expect(JSON.stringify(association.ResourceArn)).toContain("/stages/");
    });

    it("gives the notifier and the endpoint the same link base, the stage's own URL + unsubscribe", () => {
      const api = idIn(endpoint().api);
      const origin: unknown[] = [
        "https://",
        { Ref: api },
        ".execute-api.",
        { Ref: "AWS::Region" },
        ".",
        { Ref: "AWS::URLSuffix" },
      ];
      const expected = { "Fn::Join": ["", [...origin, "/v1/unsubscribe"]] };
      for (const fn of [functions().notifier, functions().unsubscribe]) {
        expect(environmentOf(idIn(fn.function))[EnvName.unsubscribeUrl]).toEqual(expected);
      }
      // The same URL API Gateway gives the stage, without depending on the stage (that would be a cycle).
      const stageUrl = built.runtime.resolve(endpoint().api.urlForPath("/unsubscribe")) as {
        "Fn::Join": [string, unknown[]];
      };
      expect(
        stageUrl["Fn::Join"][1].map((part) => (JSON.stringify(part).includes("Stage") ? "v1" : part)),
      ).toEqual([...origin, "/", "v1", "/unsubscribe"]);
    });
  });

  it("keeps pending timers in a schedule group of the stateful stack", () => {
    state.hasResourceProperties("AWS::Scheduler::ScheduleGroup", { Name: "waymark-timers" });
    expect(environmentOf(idIn(functions().engine.function))[EnvName.scheduleGroupName]).toBe(
      "waymark-timers",
    );
  });
});

/** The parts of `arn:<partition>:<service>:<region>:<account>:<resource>` as CDK renders them. */
function arnParts(service: string, resource: string): unknown[] {
  return [
    "arn:",
    { Ref: "AWS::Partition" },
    `:${service}:`,
    { Ref: "AWS::Region" },
    ":",
    { Ref: "AWS::AccountId" },
    `:${resource}`,
  ];
}

/** An ARN in the stack's own account and region. */
function inAccount(service: string, resource: string) {
  return { "Fn::Join": ["", arnParts(service, resource)] };
}

/** The statements of the customer-data key's policy, in the state stack. */
function dataKeyPolicy(): PolicyStatement[] {
  const key = props(resource(state, stateId(built.state.state.dataKey)));
  return (key.KeyPolicy as { Statement: PolicyStatement[] }).Statement;
}

function environmentOf(functionLogicalId: string): Record<string, unknown> {
  const environment = props(resource(runtime, functionLogicalId)).Environment as
    | { Variables: Record<string, unknown> }
    | undefined;
  return environment?.Variables ?? {};
}

/** The settings a handler entry loads at cold start: the keys of its `loadConfig([...])`. */
function loadedSettings(handler: string): (keyof typeof EnvName)[] {
  const source = readFileSync(join(projectRoot, "functions", "handlers", `${handler}.ts`), "utf8");
  const call = /loadConfig\(\[([^\]]*)\]/.exec(source);
  if (!call) throw new Error(`${handler}.ts does not call loadConfig`);
  return [...call[1]!.matchAll(/"(\w+)"/g)].map((m) => m[1] as keyof typeof EnvName);
}

/** The settings a handler entry reads when they are set: its `process.env[EnvName.<key>]`. */
function optionalSettings(handler: string): (keyof typeof EnvName)[] {
  const source = readFileSync(join(projectRoot, "functions", "handlers", `${handler}.ts`), "utf8");
  return [...source.matchAll(/process\.env\[EnvName\.(\w+)\]/g)].map((m) => m[1] as keyof typeof EnvName);
}

/** The AWS SDK clients a handler entry imports (`@aws-sdk/client-*`). */
function importedClients(handler: string): string[] {
  const source = readFileSync(join(projectRoot, "functions", "handlers", `${handler}.ts`), "utf8");
  return [...source.matchAll(/from "@aws-sdk\/(client-[a-z0-9-]+)"/g)].map((m) => m[1]!);
}

/** Queues something else dead-letters into: a redrive target, a rule target's DLQ, or the timers' DLQ. */
function deadLetterQueueIds(): Set<string> {
  const ids = new Set<string>();
  const queues = resourcesOfType(runtime, "AWS::SQS::Queue");
  const references: unknown[] = [
    ...queues.map(
      ([, q]) =>
        (props(q).RedrivePolicy as { deadLetterTargetArn?: unknown } | undefined)?.deadLetterTargetArn,
    ),
    ...resourcesOfType(runtime, "AWS::Events::Rule").flatMap(([, r]) =>
      (props(r).Targets as { DeadLetterConfig?: unknown }[]).map((t) => t.DeadLetterConfig),
    ),
    environmentOf(idIn(functions().engine.function))[EnvName.timerDeadLetterQueueArn],
  ];
  for (const [id] of queues) if (references.some((r) => r !== undefined && mentions(r, id))) ids.add(id);
  return ids;
}

function queuePolicyStatements(queueLogicalId: string): PolicyStatement[] {
  const policy = resourcesOfType(runtime, "AWS::SQS::QueuePolicy").find(([, p]) =>
    asArray(props(p).Queues).some((q) => mentions(q, queueLogicalId)),
  );
  if (!policy) throw new Error(`no queue policy for ${queueLogicalId}`);
  return (props(policy[1]).PolicyDocument as { Statement: PolicyStatement[] }).Statement;
}

function readBundle(fn: IConstruct): string {
  const code = props(resource(runtime, idIn(fn))).Code as { S3Key: string };
  const hash = code.S3Key.replace(/\.zip$/, "");
  return readFileSync(join(outdir, `asset.${hash}`, "index.mjs"), "utf8");
}

const byJson = (a: unknown, b: unknown) => JSON.stringify(a).localeCompare(JSON.stringify(b));

/** Every `Validations.of(x).acknowledge()` in the app: where, which rule, and why. */
function collectAcknowledgements(app: App): { path: string; id: string; reason: string }[] {
  const found: { path: string; id: string; reason: string }[] = [];
  for (const construct of app.node.findAll()) {
    for (const entry of construct.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
      for (const [id, reason] of Object.entries(entry.data as Record<string, string>)) {
        found.push({ path: construct.node.path, id: id.replace(/^annotation::/i, ""), reason });
      }
    }
  }
  return found;
}
