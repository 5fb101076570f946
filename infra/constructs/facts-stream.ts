import { ArnFormat, type Duration, type RemovalPolicy, Stack } from "aws-cdk-lib";
import * as cloudwatch from "aws-cdk-lib/aws-cloudwatch";
import * as iam from "aws-cdk-lib/aws-iam";
import * as firehose from "aws-cdk-lib/aws-kinesisfirehose";
import type * as kms from "aws-cdk-lib/aws-kms";
import * as logs from "aws-cdk-lib/aws-logs";
import type * as s3 from "aws-cdk-lib/aws-s3";
import { Construct } from "constructs";
import { FACTS_ERROR_PREFIX, FACTS_PREFIX, PARTITION_COLUMN } from "./facts-layout.ts";
import { acknowledgeWildcardResource } from "./nag.ts";

export interface FactsStreamProps {
  /** Names the stream (`<bus>-facts`), unique per account and region like the bus. */
  busName: string;
  /** The facts bucket: SSE-KMS by default with `encryptionKey`. */
  bucket: s3.IBucket;
  /** The customer-data key: the stream encrypts what it buffers with it, and the bucket the objects. */
  encryptionKey: kms.IKey;
  /**
   * How long the stream gathers facts before it writes an object per day partition (60 s to 15 min). Longer:
   * fewer, larger objects (cheaper to store, list and query); shorter: fresher facts in Athena.
   */
  bufferingInterval: Duration;
  logRetention: logs.RetentionDays;
  removalPolicy: RemovalPolicy;
}

/** The JQ query that takes each fact's partition from the fact itself: its UTC `day`. */
const PARTITION_QUERY = `{${PARTITION_COLUMN}: .${PARTITION_COLUMN}}`;
const DELIVERY_LOG_STREAM = "S3Delivery";

/**
 * The lifecycle facts' Amazon Data Firehose stream (DirectPut): the engine puts them with PutRecordBatch, packed
 * as JSON lines in records of up to 5 KB (functions/adapters/firehose-fact-sink.ts); the stream unpacks them
 * (record deaggregation, JSON), reads each fact's `day` (inline JQ), and writes gzipped JSON lines under
 * `facts/day=<day>/`, one newline after each fact. The partition is the day the fact was recorded, not the day
 * it arrived: a transition replayed or redriven days later puts the same facts again under the same `factId`,
 * and they must land beside the first copies for the queries' DISTINCT to count them once. Records it cannot
 * partition or deliver go under `facts-errors/<error type>/`, and its delivery errors to a log group.
 *
 * It lives beside the bucket and the Glue table (MeasurementStore), in the stateful stack: the layout it writes
 * is the one the table projects, so they change together, and the role's per-object permissions name a bucket of
 * its own stack. The runtime only puts records on it.
 *
 * The L1 resource and a role written out, rather than the L2 `DeliveryStream` and `S3Bucket`: their grants
 * give the role `s3:GetObject*`, `s3:DeleteObject*`, `kms:ReEncrypt*` and the like on the whole bucket, where
 * writing under two prefixes is all it does.
 */
export class FactsStream extends Construct {
  readonly deliveryStream: firehose.CfnDeliveryStream;
  readonly streamName: string;
  readonly streamArn: string;
  /** The role Firehose writes to the bucket and the log group with. */
  readonly role: iam.Role;
  /** Delivery errors (S3 refusing a write, the key unusable…). */
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: FactsStreamProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const interval = props.bufferingInterval.toSeconds();
    if (interval < 60 || interval > 900) {
      throw new Error(`the facts stream's buffering interval must be 60 to 900 seconds, got ${interval}`);
    }
    this.logGroup = new logs.LogGroup(this, "Logs", {
      retention: props.logRetention,
      removalPolicy: props.removalPolicy,
    });
    const logStream = new logs.LogStream(this, "DeliveryLogs", {
      logGroup: this.logGroup,
      logStreamName: DELIVERY_LOG_STREAM,
      removalPolicy: props.removalPolicy,
    });

    this.role = new iam.Role(this, "Role", {
      description: `Assumed by Amazon Data Firehose to write ${props.busName}'s lifecycle facts to S3`,
      assumedBy: new iam.ServicePrincipal("firehose.amazonaws.com", {
        conditions: { StringEquals: { "sts:ExternalId": stack.account } },
      }),
    });
    const objects = [FACTS_PREFIX, FACTS_ERROR_PREFIX].map((prefix) =>
      props.bucket.arnForObjects(`${prefix}*`),
    );
    // The S3 destination's documented permissions, with the objects narrowed to the two prefixes it writes.
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: "FactsBucket",
        actions: ["s3:GetBucketLocation", "s3:ListBucket", "s3:ListBucketMultipartUploads"],
        resources: [props.bucket.bucketArn],
      }),
    );
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: "FactsObjects",
        actions: ["s3:PutObject", "s3:GetObject", "s3:AbortMultipartUpload"],
        resources: objects,
      }),
    );
    // The bucket encrypts with the data key by default: S3 asks KMS for it as this role.
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: "FactsKey",
        actions: ["kms:GenerateDataKey", "kms:Decrypt"],
        resources: [props.encryptionKey.keyArn],
        conditions: { StringEquals: { "kms:ViaService": `s3.${stack.region}.amazonaws.com` } },
      }),
    );
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: "DeliveryLogs",
        actions: ["logs:PutLogEvents"],
        resources: [
          stack.formatArn({
            service: "logs",
            resource: "log-group",
            resourceName: `${this.logGroup.logGroupName}:log-stream:${logStream.logStreamName}`,
            arnFormat: ArnFormat.COLON_RESOURCE_NAME,
          }),
        ],
      }),
    );
    for (const wildcard of objects) {
      acknowledgeWildcardResource(
        this.role,
        wildcard,
        "Firehose names each object it delivers at delivery time (<prefix>day=<day>/<stream>-<time>-<uuid>.gz), " +
          "so writing them is scoped to the facts/ and facts-errors/ prefixes of the one bucket rather than to " +
          "named objects.",
      );
    }

    this.deliveryStream = new firehose.CfnDeliveryStream(this, "Stream", {
      deliveryStreamName: `${props.busName}-facts`,
      deliveryStreamType: "DirectPut",
      // What the stream buffers is customer data: encrypted with the data key (Firehose holds a grant on it).
      deliveryStreamEncryptionConfigurationInput: {
        keyType: "CUSTOMER_MANAGED_CMK",
        keyArn: props.encryptionKey.keyArn,
      },
      extendedS3DestinationConfiguration: {
        bucketArn: props.bucket.bucketArn,
        roleArn: this.role.roleArn,
        prefix: `${FACTS_PREFIX}${PARTITION_COLUMN}=!{partitionKeyFromQuery:${PARTITION_COLUMN}}/`,
        errorOutputPrefix: `${FACTS_ERROR_PREFIX}!{firehose:error-output-type}/day=!{timestamp:yyyy-MM-dd}/`,
        compressionFormat: "GZIP",
        // Dynamic partitioning needs at least 64 MiB; the most, 128, gives the fewest objects.
        bufferingHints: { intervalInSeconds: interval, sizeInMBs: 128 },
        dynamicPartitioningConfiguration: { enabled: true, retryOptions: { durationInSeconds: 300 } },
        processingConfiguration: {
          enabled: true,
          processors: [
            {
              type: "RecordDeAggregation",
              parameters: [{ parameterName: "SubRecordType", parameterValue: "JSON" }],
            },
            {
              type: "MetadataExtraction",
              parameters: [
                { parameterName: "MetadataExtractionQuery", parameterValue: PARTITION_QUERY },
                { parameterName: "JsonParsingEngine", parameterValue: "JQ-1.6" },
              ],
            },
            { type: "AppendDelimiterToRecord", parameters: [] },
          ],
        },
        cloudWatchLoggingOptions: {
          enabled: true,
          logGroupName: this.logGroup.logGroupName,
          logStreamName: logStream.logStreamName,
        },
      },
    });
    // Firehose checks it may use the role when the stream is created: the role's policy first.
    this.deliveryStream.node.addDependency(this.role);
    this.streamName = this.deliveryStream.ref;
    this.streamArn = this.deliveryStream.attrArn;
  }

  /** One of the stream's metrics (namespace AWS/Firehose): `DeliveryToS3.DataFreshness`, `IncomingRecords`… */
  metric(metricName: string, options: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: "AWS/Firehose",
      metricName,
      dimensionsMap: { DeliveryStreamName: this.streamName },
      ...options,
    });
  }
}
