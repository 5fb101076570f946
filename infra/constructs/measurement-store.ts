import { ArnFormat, CfnOutput, Duration, type RemovalPolicy, Size, Stack } from "aws-cdk-lib";
import * as athena from "aws-cdk-lib/aws-athena";
import * as glue from "aws-cdk-lib/aws-glue";
import * as iam from "aws-cdk-lib/aws-iam";
import type * as kms from "aws-cdk-lib/aws-kms";
import type * as logs from "aws-cdk-lib/aws-logs";
import * as s3 from "aws-cdk-lib/aws-s3";
import { Construct } from "constructs";
import { FACT_COLUMNS } from "../../functions/core/measurement/lifecycle-facts.ts";
import { measurementQueries } from "../../functions/core/measurement/queries.ts";
import { ABORT_INCOMPLETE_UPLOADS, accessLogBucket, customerDataBucket, logAccess } from "./buckets.ts";
import { FACTS_PREFIX, FACTS_TABLE, FIRST_FACT_DAY, PARTITION_COLUMN } from "./facts-layout.ts";
import { FactsStream } from "./facts-stream.ts";
import { acknowledgeWildcardResource } from "./nag.ts";

/** Query results are derived and can be run again: a month keeps them for whoever shares a link to one. */
const QUERY_RESULT_RETENTION = Duration.days(30);
/** Where the workgroup writes query results, in the results bucket. */
const QUERY_RESULTS_PREFIX = "results/";

export interface WaymarkFactsSettings {
  /**
   * How long lifecycle facts are kept before S3 deletes them. They name customers (ids, not contact points).
   * @default 400 days: a year to compare with the last, and a month to spare
   */
  retention?: Duration;
  /**
   * When facts move to S3 Intelligent-Tiering. Not Standard-IA: the queries read every day of the table, and IA
   * would charge a retrieval fee per GB at every query; Intelligent-Tiering has none, and moves objects no query
   * touched for a month to its cheaper tiers. @default 30 days
   */
  intelligentTieringAfter?: Duration;
  /**
   * The most data one query in the measurement workgroup may scan: Athena cancels a query past it (a guard on
   * the $5 a TB Athena charges). @default 100 GiB
   */
  queryScanLimit?: Size;
  /**
   * How long the Firehose stream gathers facts before writing them to S3 (60 s to 15 min): how fresh the Athena
   * queries are, against how many objects the facts make. @default 5 minutes
   */
  bufferingInterval?: Duration;
}

export interface MeasurementStoreProps extends WaymarkFactsSettings {
  /** Names the Glue database and the Athena workgroup, which are unique per account and region like it. */
  busName: string;
  /** The customer-data key: facts and query results are encrypted with it. */
  encryptionKey: kms.IKey;
  /** How long the buckets' server access logs are kept. */
  accessLogRetention: Duration;
  /** How long the stream's delivery errors are kept. */
  logRetention: logs.RetentionDays;
  removalPolicy: RemovalPolicy;
}

/**
 * The lifecycle facts at rest and how they are read (docs/measurement.md, "In AWS"): the Firehose stream the
 * engine puts them on, the facts bucket it writes them to, a Glue database and table over it with partition projection (no crawler, no
 * partitions to add), an Athena workgroup that encrypts its results into a results bucket of its own, one named
 * query per measurement query (functions/core/measurement/queries.ts, the SQL the local runtime runs on DuckDB),
 * and a managed policy for the people who run them.
 *
 * The buckets follow the state's removal policy (their facts are customer data); the database, table, workgroup
 * and queries are descriptions of those facts, made again from code, and go with the stack.
 */
export class MeasurementStore extends Construct {
  readonly factsBucket: s3.Bucket;
  /** The engine puts the facts here; it writes them to `factsBucket` by day. */
  readonly stream: FactsStream;
  readonly queryResults: s3.Bucket;
  /** Server access logs of both buckets (under `facts/` and `query-results/`). */
  readonly accessLogs: s3.Bucket;
  readonly databaseName: string;
  readonly database: glue.CfnDatabase;
  readonly tableName: string;
  readonly table: glue.CfnTable;
  readonly workGroupName: string;
  readonly workGroup: athena.CfnWorkGroup;
  /** One per measurement query, by its name (`funnel`, `experiments`…). */
  readonly namedQueries: Record<string, athena.CfnNamedQuery>;
  /** Attach to the people and roles that run the measurement queries: the workgroup, the table, the facts. */
  readonly queryPolicy: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, props: MeasurementStoreProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.accessLogs = accessLogBucket(this, "AccessLogs", {
      retention: props.accessLogRetention,
      removalPolicy: props.removalPolicy,
    });
    this.factsBucket = customerDataBucket(this, "Facts", {
      encryptionKey: props.encryptionKey,
      lifecycleRules: [
        {
          id: "tier-and-expire-facts",
          transitions: [
            {
              storageClass: s3.StorageClass.INTELLIGENT_TIERING,
              transitionAfter: props.intelligentTieringAfter ?? Duration.days(30),
            },
          ],
          expiration: props.retention ?? Duration.days(400),
          abortIncompleteMultipartUploadAfter: ABORT_INCOMPLETE_UPLOADS,
        },
      ],
      removalPolicy: props.removalPolicy,
    });
    logAccess(this.factsBucket, this.accessLogs, "facts/", "ServerAccessLogsFromFacts");
    this.stream = new FactsStream(this, "Stream", {
      busName: props.busName,
      bucket: this.factsBucket,
      encryptionKey: props.encryptionKey,
      bufferingInterval: props.bufferingInterval ?? Duration.minutes(5),
      logRetention: props.logRetention,
      removalPolicy: props.removalPolicy,
    });
    this.queryResults = customerDataBucket(this, "QueryResults", {
      encryptionKey: props.encryptionKey,
      lifecycleRules: [
        {
          id: "expire-query-results",
          expiration: QUERY_RESULT_RETENTION,
          abortIncompleteMultipartUploadAfter: ABORT_INCOMPLETE_UPLOADS,
        },
      ],
      removalPolicy: props.removalPolicy,
    });
    logAccess(this.queryResults, this.accessLogs, "query-results/", "ServerAccessLogsFromQueryResults");

    // Glue database names are lower case, letters, digits and underscores (what Athena reads unquoted).
    this.databaseName = `${props.busName.toLowerCase().replace(/-/g, "_")}_measurement`;
    this.database = new glue.CfnDatabase(this, "Database", {
      catalogId: stack.account,
      databaseInput: {
        name: this.databaseName,
        description: `Waymark (${props.busName}): lifecycle facts, for the measurement queries`,
      },
    });
    this.tableName = FACTS_TABLE;
    this.table = new glue.CfnTable(this, "FactsTable", {
      catalogId: stack.account,
      databaseName: this.databaseName,
      tableInput: factsTableInput(this.factsBucket.bucketName),
    });
    this.table.node.addDependency(this.database);

    this.workGroupName = `${props.busName}-measurement`;
    this.workGroup = new athena.CfnWorkGroup(this, "WorkGroup", {
      name: this.workGroupName,
      description: `Waymark (${props.busName}): the measurement queries over the lifecycle facts`,
      state: "ENABLED",
      workGroupConfiguration: {
        // Every query here writes where, and encrypted how, the workgroup says, whatever a client asks for.
        enforceWorkGroupConfiguration: true,
        publishCloudWatchMetricsEnabled: true,
        bytesScannedCutoffPerQuery: (props.queryScanLimit ?? Size.gibibytes(100)).toBytes(),
        engineVersion: { selectedEngineVersion: "Athena engine version 3" },
        resultConfiguration: {
          outputLocation: this.queryResults.s3UrlForObject(QUERY_RESULTS_PREFIX),
          encryptionConfiguration: { encryptionOption: "SSE_KMS", kmsKey: props.encryptionKey.keyArn },
          expectedBucketOwner: stack.account,
        },
      },
    });

    const facts = `${this.databaseName}.${this.tableName}`;
    this.namedQueries = Object.fromEntries(
      measurementQueries.map((query) => {
        const named = new athena.CfnNamedQuery(this, `Query${capitalized(query.name)}`, {
          name: query.name,
          description: query.description,
          database: this.databaseName,
          workGroup: this.workGroupName,
          queryString: query.sql(facts),
        });
        named.node.addDependency(this.workGroup);
        named.node.addDependency(this.table);
        return [query.name, named];
      }),
    );

    this.queryPolicy = this.queryPolicyFor(stack, props.encryptionKey);
  }

  /**
   * What running the named queries takes: the workgroup's queries and saved queries; the Glue database and table
   * (read only); the facts (read only, under `facts/`); the results (read and write under the workgroup's
   * prefix); and the data key, only through S3.
   */
  private queryPolicyFor(stack: Stack, key: kms.IKey): iam.ManagedPolicy {
    const glueArn = (resource: string, resourceName?: string) =>
      stack.formatArn({
        service: "glue",
        resource,
        ...(resourceName ? { resourceName, arnFormat: ArnFormat.SLASH_RESOURCE_NAME } : {}),
      });
    const factObjects = this.factsBucket.arnForObjects(`${FACTS_PREFIX}*`);
    const resultObjects = this.queryResults.arnForObjects(`${QUERY_RESULTS_PREFIX}*`);
    const policy = new iam.ManagedPolicy(this, "QueryPolicy", {
      description: `Run Waymark's measurement queries in the ${this.workGroupName} Athena workgroup`,
      statements: [
        new iam.PolicyStatement({
          sid: "RunQueries",
          actions: [
            "athena:GetWorkGroup",
            "athena:StartQueryExecution",
            "athena:StopQueryExecution",
            "athena:GetQueryExecution",
            "athena:GetQueryResults",
            "athena:ListQueryExecutions",
            "athena:ListNamedQueries",
            "athena:GetNamedQuery",
            "athena:BatchGetNamedQuery",
          ],
          resources: [
            stack.formatArn({
              service: "athena",
              resource: "workgroup",
              resourceName: this.workGroupName,
              arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
            }),
          ],
        }),
        new iam.PolicyStatement({
          sid: "ReadFactsTable",
          actions: ["glue:GetDatabase", "glue:GetTable", "glue:GetPartitions"],
          resources: [
            glueArn("catalog"),
            glueArn("database", this.databaseName),
            glueArn("table", `${this.databaseName}/${this.tableName}`),
          ],
        }),
        new iam.PolicyStatement({
          sid: "ListFactsAndResults",
          actions: ["s3:ListBucket", "s3:GetBucketLocation"],
          resources: [this.factsBucket.bucketArn, this.queryResults.bucketArn],
        }),
        new iam.PolicyStatement({ sid: "ReadFacts", actions: ["s3:GetObject"], resources: [factObjects] }),
        new iam.PolicyStatement({
          sid: "WriteResults",
          actions: ["s3:GetObject", "s3:PutObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"],
          resources: [resultObjects],
        }),
        new iam.PolicyStatement({
          sid: "DataKeyThroughS3",
          actions: ["kms:Decrypt", "kms:GenerateDataKey"],
          resources: [key.keyArn],
          conditions: { StringEquals: { "kms:ViaService": `s3.${stack.region}.amazonaws.com` } },
        }),
      ],
    });
    acknowledgeWildcardResource(
      policy,
      factObjects,
      "Firehose names the fact objects at delivery time (facts/day=<day>/<stream>-<time>-<uuid>.gz), so reading " +
        "them (s3:GetObject only) is scoped to the facts/ prefix of the one bucket rather than to named objects.",
    );
    acknowledgeWildcardResource(
      policy,
      resultObjects,
      "Athena names each query's result objects after its execution id, so writing and reading results is scoped " +
        "to the workgroup's prefix of the results bucket rather than to named objects.",
    );
    return policy;
  }
}

/** Where lifecycle facts land and where to query them: outputs of whichever stack holds the state. */
export function measurementOutputs(scope: Construct, measurement: MeasurementStore): void {
  new CfnOutput(scope, "FactsStreamName", {
    description: "The Firehose stream the engine puts lifecycle facts on",
    value: measurement.stream.streamName,
  });
  new CfnOutput(scope, "FactsBucketName", {
    description: "Lifecycle facts from Firehose (facts/day=YYYY-MM-DD/, gzipped JSON lines)",
    value: measurement.factsBucket.bucketName,
  });
  new CfnOutput(scope, "FactsTable", {
    description: "The Glue table over the facts (database.table), with partition projection on day",
    value: `${measurement.databaseName}.${measurement.tableName}`,
  });
  new CfnOutput(scope, "MeasurementWorkGroupName", {
    description: "The Athena workgroup with the measurement queries as named queries",
    value: measurement.workGroupName,
  });
  new CfnOutput(scope, "MeasurementQueryPolicyArn", {
    description: "Attach to whoever runs the measurement queries",
    value: measurement.queryPolicy.managedPolicyArn,
  });
}

/**
 * The Glue table over the facts: gzipped JSON lines (OpenX JSON SerDe, keys matched to columns regardless of
 * case), one column per fact field but the partition, and the partition `day` projected from `FIRST_FACT_DAY`
 * to today, so that no crawler runs and no partition is ever added.
 */
export function factsTableInput(bucketName: string): glue.CfnTable.TableInputProperty {
  const location = `s3://${bucketName}/${FACTS_PREFIX}`;
  return {
    name: FACTS_TABLE,
    description: "Waymark lifecycle facts (functions/core/measurement/lifecycle-facts.ts), one row per fact",
    tableType: "EXTERNAL_TABLE",
    parameters: {
      EXTERNAL: "TRUE",
      classification: "json",
      compressionType: "gzip",
      "projection.enabled": "true",
      [`projection.${PARTITION_COLUMN}.type`]: "date",
      [`projection.${PARTITION_COLUMN}.format`]: "yyyy-MM-dd",
      [`projection.${PARTITION_COLUMN}.range`]: `${FIRST_FACT_DAY},NOW`,
      [`projection.${PARTITION_COLUMN}.interval`]: "1",
      [`projection.${PARTITION_COLUMN}.interval.unit`]: "DAYS",
      "storage.location.template": `${location}${PARTITION_COLUMN}=\${${PARTITION_COLUMN}}/`,
    },
    partitionKeys: [{ name: PARTITION_COLUMN, type: FACT_COLUMNS[PARTITION_COLUMN] }],
    storageDescriptor: {
      location,
      compressed: true,
      inputFormat: "org.apache.hadoop.mapred.TextInputFormat",
      outputFormat: "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat",
      serdeInfo: {
        serializationLibrary: "org.openx.data.jsonserde.JsonSerDe",
        parameters: { "case.insensitive": "true" },
      },
      // Athena reads identifiers in lower case; the SerDe matches `factId` in the JSON to `factid`.
      columns: Object.entries(FACT_COLUMNS)
        .filter(([name]) => name !== PARTITION_COLUMN)
        .map(([name, type]) => ({ name: name.toLowerCase(), type })),
    },
  };
}

function capitalized(name: string): string {
  return `${name.charAt(0).toUpperCase()}${name.slice(1)}`;
}
