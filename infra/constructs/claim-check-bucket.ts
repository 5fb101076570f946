import type { Duration, RemovalPolicy } from "aws-cdk-lib";
import type * as kms from "aws-cdk-lib/aws-kms";
import type * as s3 from "aws-cdk-lib/aws-s3";
import { Construct } from "constructs";
import { ABORT_INCOMPLETE_UPLOADS, accessLogBucket, customerDataBucket, logAccess } from "./buckets.ts";

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
 * customer data (`customerDataBucket`: the data key, no public access, TLS only), written once under a key
 * derived from their content, and gone after `expiration`, like the message.
 *
 * Who read or wrote a document is kept in server access logs, in a bucket of their own (`accessLogBucket`).
 */
export class ClaimCheckBucket extends Construct {
  readonly bucket: s3.Bucket;
  readonly accessLogs: s3.Bucket;

  constructor(scope: Construct, id: string, props: ClaimCheckBucketProps) {
    super(scope, id);
    this.accessLogs = accessLogBucket(this, "AccessLogs", {
      retention: props.accessLogRetention,
      removalPolicy: props.removalPolicy,
    });
    this.bucket = customerDataBucket(this, "Bucket", {
      encryptionKey: props.encryptionKey,
      lifecycleRules: [
        {
          id: "expire-claim-checks",
          expiration: props.expiration,
          // Waymark writes with single PutObjects; a multipart upload left behind is nobody's.
          abortIncompleteMultipartUploadAfter: ABORT_INCOMPLETE_UPLOADS,
        },
      ],
      removalPolicy: props.removalPolicy,
    });
    logAccess(this.bucket, this.accessLogs, ACCESS_LOG_PREFIX, "ServerAccessLogsFromClaimChecks");
  }
}
