import { Duration, type RemovalPolicy, Stack } from "aws-cdk-lib";
import * as iam from "aws-cdk-lib/aws-iam";
import type * as kms from "aws-cdk-lib/aws-kms";
import * as s3 from "aws-cdk-lib/aws-s3";
import type { Construct } from "constructs";

/**
 * A bucket of customer data: SSE-KMS with the customer-data key (a bucket key, so S3 asks KMS once per bucket
 * key rather than once per object), every kind of public access blocked, objects owned by the bucket owner
 * (no ACLs), TLS only. No versioning: Waymark writes each object once, under a name of its own.
 */
export function customerDataBucket(
  scope: Construct,
  id: string,
  props: {
    encryptionKey: kms.IKey;
    lifecycleRules: s3.LifecycleRule[];
    removalPolicy: RemovalPolicy;
  },
): s3.Bucket {
  return new s3.Bucket(scope, id, {
    encryption: s3.BucketEncryption.KMS,
    encryptionKey: props.encryptionKey,
    bucketKeyEnabled: true,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    enforceSSL: true,
    lifecycleRules: props.lifecycleRules,
    removalPolicy: props.removalPolicy,
  });
}

/** A writer that leaves an interrupted multipart upload behind leaves nobody to finish it: gone after a day. */
export const ABORT_INCOMPLETE_UPLOADS = Duration.days(1);

/**
 * Where S3 writes server access logs: a bucket of their own, encrypted with S3-managed keys (S3 delivers access
 * logs only to such a bucket), the logs expiring after `retention`. They name requesters and object keys, not
 * customer data.
 */
export function accessLogBucket(
  scope: Construct,
  id: string,
  props: { retention: Duration; removalPolicy: RemovalPolicy },
): s3.Bucket {
  return new s3.Bucket(scope, id, {
    encryption: s3.BucketEncryption.S3_MANAGED,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    enforceSSL: true,
    lifecycleRules: [{ id: "expire-access-logs", expiration: props.retention }],
    removalPolicy: props.removalPolicy,
  });
}

/**
 * `bucket`'s server access logs go to `logs` under `prefix`, through the log bucket's policy rather than its
 * ACL. The L2 `serverAccessLogsBucket` picks between the two by a feature flag of the app embedding Waymark,
 * and ACLs are off on buckets whose objects the bucket owner owns; so the logging configuration and the policy
 * are written out: only S3's logging service may write there, for this bucket of this account.
 */
export function logAccess(bucket: s3.Bucket, logs: s3.Bucket, prefix: string, sid: string): void {
  (bucket.node.defaultChild as s3.CfnBucket).loggingConfiguration = {
    destinationBucketName: logs.bucketName,
    logFilePrefix: prefix,
  };
  logs.addToResourcePolicy(
    new iam.PolicyStatement({
      sid,
      principals: [new iam.ServicePrincipal("logging.s3.amazonaws.com")],
      actions: ["s3:PutObject"],
      resources: [logs.arnForObjects(`${prefix}*`)],
      conditions: {
        ArnLike: { "aws:SourceArn": bucket.bucketArn },
        StringEquals: { "aws:SourceAccount": Stack.of(bucket).account },
      },
    }),
  );
}
