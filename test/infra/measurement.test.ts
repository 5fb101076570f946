/**
 * Measurement in AWS (issue 11): the lifecycle facts' bucket, Glue table and Athena workgroup in the stateful
 * stack. Templates only: the functions are not bundled here (waymark-app.test.ts bundles them).
 */
import { App, Duration, Size, Stack } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import { AwsSolutionsChecks } from "cdk-nag";
import type { IConstruct } from "constructs";
import { beforeAll, describe, expect, it } from "vitest";
import { EnvName } from "../../functions/config/env-names.ts";
import { FACT_COLUMNS } from "../../functions/core/measurement/lifecycle-facts.ts";
import { measurementQueries } from "../../functions/core/measurement/queries.ts";
import { buildApp, type WaymarkApp } from "../../infra/build-app.ts";
import { FACTS_PREFIX, FIRST_FACT_DAY } from "../../infra/constructs/facts-layout.ts";
import { Waymark } from "../../infra/waymark.ts";
import {
  allowedActions,
  getAtt,
  logicalIdOf,
  mentions,
  type PolicyStatement,
  props,
  resource,
  resourcesOfType,
  roleStatements,
} from "./template.ts";

const NO_BUNDLING = { "aws:cdk:bundling-stacks": [] };

let built: WaymarkApp;
let state: Template;

beforeAll(() => {
  built = buildApp({ app: { context: NO_BUNDLING }, env: {}, nag: false });
  state = Template.fromStack(built.state);
});

const measurement = () => built.state.state.measurement;
const stateId = (construct: IConstruct) => logicalIdOf(built.state, construct);
const dataKey = () => stateId(built.state.state.dataKey);

/** The statements of the bucket policy on `bucketId`. */
function bucketPolicy(template: Template, bucketId: string): PolicyStatement[] {
  const policy = resourcesOfType(template, "AWS::S3::BucketPolicy").find(([, p]) =>
    mentions(props(p).Bucket, bucketId),
  );
  if (!policy) throw new Error(`no bucket policy for ${bucketId}`);
  return (props(policy[1]).PolicyDocument as { Statement: PolicyStatement[] }).Statement;
}

describe("measurement in AWS", { timeout: 60_000 }, () => {
  it("passes cdk-nag", () => {
    for (const stack of [built.state, built.runtime]) {
      expect(new AwsSolutionsChecks(undefined).validateScope(stack).violations, stack.stackName).toEqual([]);
    }
  });

  describe("facts bucket", () => {
    it("encrypts with the data key (a bucket key), blocks public access, refuses plain HTTP, is retained", () => {
      const bucketId = stateId(measurement().factsBucket);
      const bucket = props(resource(state, bucketId));
      expect(bucket.BucketEncryption).toEqual({
        ServerSideEncryptionConfiguration: [
          {
            BucketKeyEnabled: true,
            ServerSideEncryptionByDefault: {
              SSEAlgorithm: "aws:kms",
              KMSMasterKeyID: getAtt(dataKey(), "Arn"),
            },
          },
        ],
      });
      expect(bucket.PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
      expect(bucket.OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: "BucketOwnerEnforced" }] });
      expect(bucketPolicy(state, bucketId)).toContainEqual(
        expect.objectContaining({
          Effect: "Deny",
          Action: "s3:*",
          Condition: { Bool: { "aws:SecureTransport": "false" } },
        }),
      );
      expect(resource(state, bucketId).DeletionPolicy).toBe("Retain");
    });

    it("moves facts to Intelligent-Tiering after 30 days and deletes them after 400", () => {
      expect(props(resource(state, stateId(measurement().factsBucket))).LifecycleConfiguration).toEqual({
        Rules: [
          {
            Id: "tier-and-expire-facts",
            Status: "Enabled",
            Transitions: [{ StorageClass: "INTELLIGENT_TIERING", TransitionInDays: 30 }],
            ExpirationInDays: 400,
            AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
          },
        ],
      });
    });

    it("logs access, like the query results bucket, to an SSE-S3 bucket only S3's logging may write to", () => {
      const logsId = stateId(measurement().accessLogs);
      const logPolicy = bucketPolicy(state, logsId);
      for (const [bucket, prefix, sid] of [
        [measurement().factsBucket, "facts/", "ServerAccessLogsFromFacts"],
        [measurement().queryResults, "query-results/", "ServerAccessLogsFromQueryResults"],
      ] as const) {
        expect(props(resource(state, stateId(bucket))).LoggingConfiguration).toEqual({
          DestinationBucketName: { Ref: logsId },
          LogFilePrefix: prefix,
        });
        expect(logPolicy.find((s) => s.Sid === sid)).toMatchObject({
          Effect: "Allow",
          Principal: { Service: "logging.s3.amazonaws.com" },
          Action: "s3:PutObject",
          Resource: { "Fn::Join": ["", [getAtt(logsId, "Arn"), `/${prefix}*`]] },
          Condition: { ArnLike: { "aws:SourceArn": getAtt(stateId(bucket), "Arn") } },
        });
      }
      expect(props(resource(state, logsId)).BucketEncryption).toEqual({
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" } }],
      });
    });
  });

  describe("Firehose stream", () => {
    const stream = () => measurement().stream;
    const streamProps = () => props(resource(state, stateId(stream().deliveryStream)));
    const destination = () => streamProps().ExtendedS3DestinationConfiguration as Record<string, unknown>;

    it("takes direct puts, encrypts what it buffers with the data key, and writes gzipped facts by their own day", () => {
      expect(streamProps()).toMatchObject({
        DeliveryStreamName: "waymark-facts",
        DeliveryStreamType: "DirectPut",
        DeliveryStreamEncryptionConfigurationInput: {
          KeyType: "CUSTOMER_MANAGED_CMK",
          KeyARN: getAtt(dataKey(), "Arn"),
        },
      });
      expect(destination()).toMatchObject({
        BucketARN: getAtt(stateId(measurement().factsBucket), "Arn"),
        RoleARN: getAtt(stateId(stream().role), "Arn"),
        CompressionFormat: "GZIP",
        Prefix: "facts/day=!{partitionKeyFromQuery:day}/",
        ErrorOutputPrefix: "facts-errors/!{firehose:error-output-type}/day=!{timestamp:yyyy-MM-dd}/",
        BufferingHints: { IntervalInSeconds: 300, SizeInMBs: 128 },
        DynamicPartitioningConfiguration: { Enabled: true, RetryOptions: { DurationInSeconds: 300 } },
        CloudWatchLoggingOptions: {
          Enabled: true,
          LogGroupName: { Ref: stateId(stream().logGroup) },
        },
      });
      // The bucket's default encryption (the data key) applies: the stream asks for nothing else.
      expect(destination()).not.toHaveProperty("EncryptionConfiguration");
    });

    it("unpacks the engine's packed records, reads each fact's day with JQ, and ends each fact with a newline", () => {
      expect(destination().ProcessingConfiguration).toEqual({
        Enabled: true,
        Processors: [
          {
            Type: "RecordDeAggregation",
            Parameters: [{ ParameterName: "SubRecordType", ParameterValue: "JSON" }],
          },
          {
            Type: "MetadataExtraction",
            Parameters: [
              { ParameterName: "MetadataExtractionQuery", ParameterValue: "{day: .day}" },
              { ParameterName: "JsonParsingEngine", ParameterValue: "JQ-1.6" },
            ],
          },
          { Type: "AppendDelimiterToRecord", Parameters: [] },
        ],
      });
    });

    it("writes with a role of its own: under facts/ and facts-errors/ only, the data key only through S3", () => {
      const role = props(resource(state, stateId(stream().role)));
      expect(role.AssumeRolePolicyDocument).toMatchObject({
        Statement: [
          {
            Effect: "Allow",
            Principal: { Service: "firehose.amazonaws.com" },
            Action: "sts:AssumeRole",
            Condition: { StringEquals: { "sts:ExternalId": { Ref: "AWS::AccountId" } } },
          },
        ],
      });
      const bucketArn = getAtt(stateId(measurement().factsBucket), "Arn");
      const statements = roleStatements(state, stateId(stream().role));
      expect(statements.find((s) => s.Sid === "FactsObjects")).toMatchObject({
        Action: ["s3:PutObject", "s3:GetObject", "s3:AbortMultipartUpload"],
        Resource: [
          { "Fn::Join": ["", [bucketArn, "/facts/*"]] },
          { "Fn::Join": ["", [bucketArn, "/facts-errors/*"]] },
        ],
      });
      expect(statements.find((s) => s.Sid === "FactsBucket")?.Resource).toEqual(bucketArn);
      expect(statements.find((s) => s.Sid === "FactsKey")).toMatchObject({
        Action: ["kms:GenerateDataKey", "kms:Decrypt"],
        Resource: getAtt(dataKey(), "Arn"),
        Condition: { StringEquals: { "kms:ViaService": expect.anything() } },
      });
      expect(statements.find((s) => s.Sid === "DeliveryLogs")?.Action).toBe("logs:PutLogEvents");
      expect(statements.map((s) => s.Sid).sort()).toEqual([
        "DeliveryLogs",
        "FactsBucket",
        "FactsKey",
        "FactsObjects",
      ]);
      // The stream waits for its role's policy: Firehose tries the role when the stream is created.
      expect(resource(state, stateId(stream().deliveryStream)).DependsOn).toEqual(
        expect.arrayContaining([stateId(stream().role)]),
      );
    });

    it("is the one the engine puts facts on, with PutRecordBatch on it alone; no other function may", () => {
      const runtime = Template.fromStack(built.runtime);
      const runtimeId = (construct: IConstruct) => logicalIdOf(built.runtime, construct);
      const { engine, ingest, notifier, fanOut, feedback, unsubscribe } = built.runtime.runtime;
      const environment = props(resource(runtime, runtimeId(engine.function))).Environment as {
        Variables: Record<string, unknown>;
      };
      expect(JSON.stringify(environment.Variables[EnvName.factsStreamName])).toContain("Fn::ImportValue");
      const put = roleStatements(runtime, runtimeId(engine.role)).filter((s) =>
        [s.Action].flat().some((a) => a.startsWith("firehose:")),
      );
      expect(put).toEqual([
        { Sid: "PutFacts", Effect: "Allow", Action: "firehose:PutRecordBatch", Resource: expect.anything() },
      ]);
      expect(JSON.stringify(put[0]!.Resource)).toMatch(/Fn::ImportValue.*StateMeasurementStream.*Arn/);
      for (const fn of [ingest, notifier, fanOut, feedback, unsubscribe.function]) {
        const actions = [...allowedActions(roleStatements(runtime, runtimeId(fn.role)))];
        expect(actions.filter((a) => a.startsWith("firehose:"))).toEqual([]);
      }
    });
  });

  describe("Glue table", () => {
    const table = () => props(resource(state, stateId(measurement().table)));
    const input = () => table().TableInput as Record<string, Record<string, unknown>>;

    it("has a column per fact field, in lower case, and the fact's day as its partition", () => {
      const descriptor = input().StorageDescriptor!;
      expect(descriptor.Columns).toEqual(
        Object.entries(FACT_COLUMNS)
          .filter(([name]) => name !== "day")
          .map(([name, type]) => ({ Name: name.toLowerCase(), Type: type })),
      );
      expect(input().PartitionKeys).toEqual([{ Name: "day", Type: "string" }]);
      expect(descriptor).toMatchObject({
        Location: {
          "Fn::Join": ["", ["s3://", { Ref: stateId(measurement().factsBucket) }, `/${FACTS_PREFIX}`]],
        },
        Compressed: true,
        InputFormat: "org.apache.hadoop.mapred.TextInputFormat",
        OutputFormat: "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat",
        SerdeInfo: {
          SerializationLibrary: "org.openx.data.jsonserde.JsonSerDe",
          Parameters: { "case.insensitive": "true" },
        },
      });
    });

    it("projects the day partitions from the first fact day to today: no crawler, no partition to add", () => {
      expect(input().Parameters).toEqual({
        EXTERNAL: "TRUE",
        classification: "json",
        compressionType: "gzip",
        "projection.enabled": "true",
        "projection.day.type": "date",
        "projection.day.format": "yyyy-MM-dd",
        "projection.day.range": `${FIRST_FACT_DAY},NOW`,
        "projection.day.interval": "1",
        "projection.day.interval.unit": "DAYS",
        "storage.location.template": {
          "Fn::Join": ["", ["s3://", { Ref: stateId(measurement().factsBucket) }, `/facts/day=\${day}/`]],
        },
      });
      expect(resourcesOfType(state, "AWS::Glue::Crawler")).toEqual([]);
    });

    it("lives in a database named after the bus", () => {
      expect(table().DatabaseName).toBe("waymark_measurement");
      expect(resource(state, stateId(measurement().table)).DependsOn).toContain(
        stateId(measurement().database),
      );
      expect(props(resource(state, stateId(measurement().database))).DatabaseInput).toMatchObject({
        Name: "waymark_measurement",
      });
    });
  });

  describe("Athena", () => {
    it("has a workgroup that enforces its settings and encrypts results with the data key into its bucket", () => {
      const workGroups = resourcesOfType(state, "AWS::Athena::WorkGroup");
      expect(workGroups).toHaveLength(1);
      expect(props(workGroups[0]![1])).toMatchObject({
        Name: "waymark-measurement",
        State: "ENABLED",
        WorkGroupConfiguration: {
          EnforceWorkGroupConfiguration: true,
          PublishCloudWatchMetricsEnabled: true,
          BytesScannedCutoffPerQuery: 100 * 1024 ** 3,
          EngineVersion: { SelectedEngineVersion: "Athena engine version 3" },
          ResultConfiguration: {
            OutputLocation: {
              "Fn::Join": ["", ["s3://", { Ref: stateId(measurement().queryResults) }, "/results/"]],
            },
            EncryptionConfiguration: { EncryptionOption: "SSE_KMS", KmsKey: getAtt(dataKey(), "Arn") },
            ExpectedBucketOwner: { Ref: "AWS::AccountId" },
          },
        },
      });
    });

    it("keeps query results 30 days in a bucket encrypted like the facts", () => {
      const bucket = props(resource(state, stateId(measurement().queryResults)));
      expect(bucket.LifecycleConfiguration).toEqual({
        Rules: [
          {
            Id: "expire-query-results",
            Status: "Enabled",
            ExpirationInDays: 30,
            AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
          },
        ],
      });
      expect(JSON.stringify(bucket.BucketEncryption)).toContain(dataKey());
      expect(bucket.PublicAccessBlockConfiguration).toMatchObject({ BlockPublicPolicy: true });
    });

    it("saves each measurement query as a named query, its SQL made from the one definition", () => {
      const named = resourcesOfType(state, "AWS::Athena::NamedQuery");
      expect(named.map(([, q]) => props(q).Name).sort()).toEqual(
        measurementQueries.map((q) => q.name).sort(),
      );
      for (const query of measurementQueries) {
        const [id, saved] = named.find(([, q]) => props(q).Name === query.name)!;
        expect(props(saved)).toEqual({
          Name: query.name,
          Description: query.description,
          Database: "waymark_measurement",
          WorkGroup: "waymark-measurement",
          QueryString: query.sql("waymark_measurement.lifecycle_facts"),
        });
        expect(saved.DependsOn, id).toEqual(
          expect.arrayContaining([stateId(measurement().workGroup), stateId(measurement().table)]),
        );
      }
    });

    it("offers a policy to run them: the workgroup, the table read only, the facts read only, the data key through S3", () => {
      const policy = props(resource(state, stateId(measurement().queryPolicy)));
      const statements = (policy.PolicyDocument as { Statement: PolicyStatement[] }).Statement;
      const bySid = Object.fromEntries(statements.map((s) => [s.Sid, s]));
      expect(bySid.RunQueries?.Resource).toEqual({
        "Fn::Join": [
          "",
          [
            "arn:",
            { Ref: "AWS::Partition" },
            ":athena:",
            { Ref: "AWS::Region" },
            ":",
            { Ref: "AWS::AccountId" },
            ":workgroup/waymark-measurement",
          ],
        ],
      });
      expect(bySid.ReadFactsTable?.Action).toEqual([
        "glue:GetDatabase",
        "glue:GetTable",
        "glue:GetPartitions",
      ]);
      expect(bySid.ReadFacts).toMatchObject({
        Action: "s3:GetObject",
        Resource: { "Fn::Join": ["", [getAtt(stateId(measurement().factsBucket), "Arn"), "/facts/*"]] },
      });
      expect(bySid.DataKeyThroughS3?.Condition).toEqual({
        StringEquals: {
          "kms:ViaService": { "Fn::Join": ["", ["s3.", { Ref: "AWS::Region" }, ".amazonaws.com"]] },
        },
      });
      // Nothing in it writes or deletes a fact.
      const actions = statements.flatMap((s) => [s.Action].flat());
      expect(
        actions.filter((a) => /^s3:(Put|Delete)/.test(a) && !JSON.stringify(bySid.WriteResults).includes(a)),
      ).toEqual([]);
      expect(JSON.stringify(bySid.WriteResults?.Resource)).toContain("/results/*");
    });
  });

  it("names the stream, facts bucket, table, workgroup and query policy in the stateful stack's outputs", () => {
    const outputs = state.toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(outputs.FactsStreamName?.Value).toEqual({ Ref: stateId(measurement().stream.deliveryStream) });
    expect(outputs.FactsBucketName?.Value).toEqual({ Ref: stateId(measurement().factsBucket) });
    expect(outputs.FactsTable?.Value).toBe("waymark_measurement.lifecycle_facts");
    expect(outputs.MeasurementWorkGroupName?.Value).toBe("waymark-measurement");
    expect(outputs.MeasurementQueryPolicyArn?.Value).toEqual({ Ref: stateId(measurement().queryPolicy) });
  });

  it("follows the settings: retention, tiering, scan limit and buffering; names from the bus", () => {
    const app = new App({ context: NO_BUNDLING });
    const stack = new Stack(app, "Shop");
    const waymark = new Waymark(stack, "Journeys", {
      busName: "Shop-Journeys",
      facts: {
        retention: Duration.days(800),
        intelligentTieringAfter: Duration.days(60),
        queryScanLimit: Size.gibibytes(10),
        bufferingInterval: Duration.minutes(15),
      },
    });
    const template = Template.fromStack(stack);
    const id = (construct: IConstruct) => logicalIdOf(stack, construct);
    const { measurement: store } = waymark.state;
    expect(props(resource(template, id(store.factsBucket))).LifecycleConfiguration).toMatchObject({
      Rules: [
        {
          ExpirationInDays: 800,
          Transitions: [{ StorageClass: "INTELLIGENT_TIERING", TransitionInDays: 60 }],
        },
      ],
    });
    expect(props(resource(template, id(store.database))).DatabaseInput).toMatchObject({
      Name: "shop_journeys_measurement",
    });
    expect(props(resource(template, id(store.workGroup)))).toMatchObject({
      Name: "Shop-Journeys-measurement",
      WorkGroupConfiguration: { BytesScannedCutoffPerQuery: 10 * 1024 ** 3 },
    });
    expect(props(resource(template, id(store.stream.deliveryStream)))).toMatchObject({
      DeliveryStreamName: "Shop-Journeys-facts",
      ExtendedS3DestinationConfiguration: { BufferingHints: { IntervalInSeconds: 900 } },
    });
    expect(new AwsSolutionsChecks(undefined).validateScope(stack).violations).toEqual([]);
    expect(
      () => new Waymark(new Stack(app, "Fast"), "J", { facts: { bufferingInterval: Duration.seconds(30) } }),
    ).toThrow(/buffering interval must be 60 to 900 seconds, got 30/);
  });
});
