import { Duration, type RemovalPolicy, Stack } from "aws-cdk-lib";
import * as iam from "aws-cdk-lib/aws-iam";
import type * as kms from "aws-cdk-lib/aws-kms";
import * as s3 from "aws-cdk-lib/aws-s3";
import { Construct } from "constructs";

export interface ClaimCheckBucketProps {
  /** The customer-data key the documents are encrypted with. */
  encryptionKey: kms.IKey;
  /** How long a document is kept: as long as the queue message that points at it. */
  expiration: Duration;
  /** How long the bucket's server access logs are kept. */
  accessLogRetention: Duration;
  removalPolicy: RemovalPolicy;
}

/** Where S3 writes the bucket's access logs, in the log bucket. */
const ACCESS_LOG_PREFIX = "claim-checks/";

/**
 * Documents too large for a queue message, kept whole while the message that points at them (a claim
 * check) is on its queue: today the rejected events ingest cannot fit on the `rejected` queue. They are
 * customer data, so: SSE-KMS with the customer-data key (a bucket key, so S3 asks KMS once per bucket key
 * rather than once per object), every kind of public access blocked, TLS only, no versioning (a document
 * is written once, under a key derived from its content), and gone after `expiration`, like the message.
 *
 * Who read or wrote a document is kept in server access logs, in a bucket of their own: S3 delivers
 * access logs only to a bucket encrypted with S3-managed keys, and the logs name requesters and object
 * keys (`rejected/<date>/<digest>.json`), not customer data.
 */
export class ClaimCheckBucket extends Construct {
  readonly bucket: s3.Bucket;
  readonly accessLogs: s3.Bucket;

  constructor(scope: Construct, id: string, props: ClaimCheckBucketProps) {
    super(scope, id);
    this.accessLogs = new s3.Bucket(this, "AccessLogs", {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      lifecycleRules: [{ id: "expire-access-logs", expiration: props.accessLogRetention }],
      removalPolicy: props.removalPolicy,
    });
    this.bucket = new s3.Bucket(this, "Bucket", {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: props.encryptionKey,
      bucketKeyEnabled: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      lifecycleRules: [
        {
          id: "expire-claim-checks",
          expiration: props.expiration,
          // Waymark writes with single PutObjects; a multipart upload left behind is nobody's.
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
      removalPolicy: props.removalPolicy,
    });
    // Access logs through the log bucket's policy, not its ACL. The L2 `serverAccessLogsBucket` picks between
    // the two by a feature flag of the app embedding Waymark, and ACLs are off on buckets whose objects the
    // bucket owner owns; so the logging configuration and the policy are written out.
    (this.bucket.node.defaultChild as s3.CfnBucket).loggingConfiguration = {
      destinationBucketName: this.accessLogs.bucketName,
      logFilePrefix: ACCESS_LOG_PREFIX,
    };
    this.accessLogs.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: "ServerAccessLogsFromClaimChecks",
        principals: [new iam.ServicePrincipal("logging.s3.amazonaws.com")],
        actions: ["s3:PutObject"],
        resources: [this.accessLogs.arnForObjects(`${ACCESS_LOG_PREFIX}*`)],
        conditions: {
          ArnLike: { "aws:SourceArn": this.bucket.bucketArn },
          StringEquals: { "aws:SourceAccount": Stack.of(this).account },
        },
      }),
    );
  }
}
