import { Duration, type RemovalPolicy, Stack } from "aws-cdk-lib";
import * as iam from "aws-cdk-lib/aws-iam";
import type * as kms from "aws-cdk-lib/aws-kms";
import * as s3 from "aws-cdk-lib/aws-s3";
import { Construct } from "constructs";

export interface AudienceBucketProps {
  /** The customer-data key the lists are encrypted with. */
  encryptionKey: kms.IKey;
  /** The bucket the lists' server access logs go to (the claim checks' log bucket). */
  accessLogs: s3.Bucket;
  /** How long a list is kept after it was uploaded. */
  expiration: Duration;
  removalPolicy: RemovalPolicy;
}

/** Where S3 writes the bucket's access logs, in the log bucket. */
const ACCESS_LOG_PREFIX = "audiences/";

/**
 * The customer lists of audience entries (AudienceEntryRequested: a Pinpoint segment export, a campaign's
 * list): uploaded by the team, read by the fan-out a slice at a time. Customer ids are customer data, so the
 * bucket is like the claim checks': SSE-KMS with the customer-data key (a bucket key), every kind of public
 * access blocked, TLS only, server access logs, and each list gone after `expiration`.
 */
export class AudienceBucket extends Construct {
  readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: AudienceBucketProps) {
    super(scope, id);
    this.bucket = new s3.Bucket(this, "Bucket", {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: props.encryptionKey,
      bucketKeyEnabled: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      lifecycleRules: [
        {
          id: "expire-audience-lists",
          expiration: props.expiration,
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
      removalPolicy: props.removalPolicy,
    });
    // As for the claim checks: the logging configuration and the log bucket's policy written out.
    (this.bucket.node.defaultChild as s3.CfnBucket).loggingConfiguration = {
      destinationBucketName: props.accessLogs.bucketName,
      logFilePrefix: ACCESS_LOG_PREFIX,
    };
    props.accessLogs.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: "ServerAccessLogsFromAudiences",
        principals: [new iam.ServicePrincipal("logging.s3.amazonaws.com")],
        actions: ["s3:PutObject"],
        resources: [props.accessLogs.arnForObjects(`${ACCESS_LOG_PREFIX}*`)],
        conditions: {
          ArnLike: { "aws:SourceArn": this.bucket.bucketArn },
          StringEquals: { "aws:SourceAccount": Stack.of(this).account },
        },
      }),
    );
  }
}
