/**
 * Permission helpers for `WaymarkFunction`. Each sets the environment variable the handler reads together
 * with exactly the IAM actions that the adapter behind it calls, so settings and permissions cannot drift
 * apart. The statements are written out rather than taken from CDK's `grant*` methods because those add
 * wildcard actions (`kms:GenerateDataKey*`, `kms:ReEncrypt*`, `dynamodb:BatchGet*`…) that Waymark's
 * functions never need.
 */
import { ArnFormat, type Duration, Names, Stack } from "aws-cdk-lib";
import type * as dynamodb from "aws-cdk-lib/aws-dynamodb";
import type * as events from "aws-cdk-lib/aws-events";
import * as iam from "aws-cdk-lib/aws-iam";
import type * as kms from "aws-cdk-lib/aws-kms";
import type * as s3 from "aws-cdk-lib/aws-s3";
import type * as sns from "aws-cdk-lib/aws-sns";
import type * as sqs from "aws-cdk-lib/aws-sqs";
import { acknowledgeWildcardResource } from "./nag.ts";
import type { WaymarkFunction } from "./waymark-function.ts";

/** The DynamoDB calls Waymark's adapters make: item-level, and batched writes for the owner index only; nothing scans. */
export type TableAction =
  | "dynamodb:GetItem"
  | "dynamodb:PutItem"
  | "dynamodb:UpdateItem"
  | "dynamodb:DeleteItem"
  | "dynamodb:Query"
  | "dynamodb:BatchWriteItem";

const TABLE_READS: readonly TableAction[] = ["dynamodb:GetItem", "dynamodb:Query"];

/**
 * Table access. With a customer-managed key DynamoDB calls KMS as the caller, so the role also needs the key,
 * but only through DynamoDB (`kms:ViaService`): the role cannot use the key to decrypt anything directly.
 */
export function grantTable(
  fn: WaymarkFunction,
  table: dynamodb.ITable,
  actions: readonly TableAction[],
): void {
  fn.setEnvironment("tableName", table.tableName);
  fn.addToRolePolicy(
    new iam.PolicyStatement({ sid: "TableItems", actions: [...actions], resources: [table.tableArn] }),
  );
  if (table.encryptionKey) {
    const writes = actions.some((action) => !TABLE_READS.includes(action));
    fn.addToRolePolicy(
      keyViaService(
        fn,
        "TableKey",
        table.encryptionKey,
        "dynamodb",
        writes
          ? ["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey"]
          : ["kms:Decrypt", "kms:DescribeKey"],
      ),
    );
  }
}

/** `events:PutEvents` on the one bus; the publisher names the bus in every entry. */
export function grantPutEvents(fn: WaymarkFunction, bus: events.IEventBus): void {
  fn.setEnvironment("busName", bus.eventBusName);
  fn.addToRolePolicy(
    new iam.PolicyStatement({
      sid: "PutEvents",
      actions: ["events:PutEvents"],
      resources: [bus.eventBusArn],
    }),
  );
}

/**
 * `firehose:PutRecordBatch` on the lifecycle facts' stream only (FirehoseFactSink's one call). The stream
 * encrypts with a key of its own grant, so the putter needs no KMS permission.
 */
export function grantPutFacts(fn: WaymarkFunction, stream: { streamName: string; streamArn: string }): void {
  fn.setEnvironment("factsStreamName", stream.streamName);
  fn.addToRolePolicy(
    new iam.PolicyStatement({
      sid: "PutFacts",
      actions: ["firehose:PutRecordBatch"],
      resources: [stream.streamArn],
    }),
  );
}

export type QueueUrlSetting = "engineQueueUrl" | "outboundQueueUrl" | "rejectedQueueUrl" | "globalQueueUrl";

/** `sqs:SendMessage` (which also authorises SendMessageBatch) on one queue, and its key if it has one. */
export function grantSendMessages(fn: WaymarkFunction, queue: sqs.IQueue, setting: QueueUrlSetting): void {
  fn.setEnvironment(setting, queue.queueUrl);
  fn.addToRolePolicy(new iam.PolicyStatement({ actions: ["sqs:SendMessage"], resources: [queue.queueArn] }));
  if (queue.encryptionMasterKey) {
    fn.addToRolePolicy(
      keyViaService(fn, undefined, queue.encryptionMasterKey, "sqs", ["kms:Decrypt", "kms:GenerateDataKey"]),
    );
  }
}

/** `sns:Publish` to the email topic, and its key through SNS: publishing to an encrypted one needs both. */
export function grantPublishEmail(fn: WaymarkFunction, topic: sns.ITopic): void {
  fn.setEnvironment("emailTopicArn", topic.topicArn);
  fn.addToRolePolicy(
    new iam.PolicyStatement({ sid: "PublishEmail", actions: ["sns:Publish"], resources: [topic.topicArn] }),
  );
  if (topic.masterKey) {
    fn.addToRolePolicy(
      keyViaService(fn, "EmailTopicKey", topic.masterKey, "sns", ["kms:Decrypt", "kms:GenerateDataKey"]),
    );
  }
}

/**
 * Where ingest keeps a rejected event too large for the rejected queue (`SqsRejectedEventSink` writes
 * `rejected/<date>/<digest>.json`).
 */
export const REJECTED_CLAIM_CHECK_PREFIX = "rejected/";

/**
 * Claim checks for rejected events: `s3:PutObject` under `rejected/` and nothing else (no read, list or
 * delete: operators read them, the lifecycle rule deletes them), and the bucket's key only through S3 and
 * only to encrypt (`kms:GenerateDataKey`; a single PutObject needs no Decrypt). In a policy of its own, so
 * that the acknowledgement of its per-object wildcard covers this statement and nothing else.
 */
export function grantClaimCheck(fn: WaymarkFunction, bucket: s3.IBucket): void {
  fn.setEnvironment("rejectedBucketName", bucket.bucketName);
  const objects = bucket.arnForObjects(`${REJECTED_CLAIM_CHECK_PREFIX}*`);
  const policy = new iam.Policy(fn, "ClaimCheckPolicy", {
    statements: [
      new iam.PolicyStatement({ sid: "PutClaimChecks", actions: ["s3:PutObject"], resources: [objects] }),
    ],
  });
  policy.attachToRole(fn.role);
  acknowledgeWildcardResource(
    policy,
    objects,
    "Claim-check objects are named per rejected event at run time (rejected/<date>/<digest>.json), so the " +
      "single action s3:PutObject is scoped to the rejected/ prefix of the one bucket rather than to named objects.",
  );
  if (bucket.encryptionKey) {
    fn.addToRolePolicy(
      keyViaService(fn, "ClaimCheckKey", bucket.encryptionKey, "s3", ["kms:GenerateDataKey"]),
    );
  }
}

export interface SendSmsGrant {
  /** The stack's End User Messaging SMS configuration set, which every SMS names. */
  configurationSet: { name: string; arn: string };
  /**
   * What SMS is sent from: a phone number, sender ID or pool, by id or ARN. Only an ARN scopes the permission
   * to it; absent, the service chooses among the account's identities.
   */
  originationIdentity?: string;
}

/** An End User Messaging SMS origination identity given by its ARN: a phone number, a sender ID or a pool. */
export const ORIGINATION_IDENTITY_ARN =
  /^arn:aws[a-z-]*:sms-voice:[a-z0-9-]+:\d{12}:(phone-number|sender-id|pool)\/[A-Za-z0-9_:/+-]+$/;

/**
 * Audience lists: `s3:GetObject` on the audience bucket's objects (ranged reads; the size of a list read to
 * its end comes from HeadObject, which GetObject allows) and the bucket's key only through S3, to decrypt.
 * Nothing else: teams upload the lists, the lifecycle rule deletes them.
 */
export function grantReadAudiences(fn: WaymarkFunction, bucket: s3.IBucket): void {
  fn.setEnvironment("audienceBucketName", bucket.bucketName);
  const objects = bucket.arnForObjects("*");
  const policy = new iam.Policy(fn, "AudiencePolicy", {
    statements: [
      new iam.PolicyStatement({ sid: "ReadAudiences", actions: ["s3:GetObject"], resources: [objects] }),
    ],
  });
  policy.attachToRole(fn.role);
  acknowledgeWildcardResource(
    policy,
    objects,
    "Audience lists are named by the team that uploads them (AudienceEntryRequested's source), so the single " +
      "action s3:GetObject is scoped to the objects of the one audience bucket rather than to named objects.",
  );
  if (bucket.encryptionKey) {
    fn.addToRolePolicy(keyViaService(fn, "AudienceKey", bucket.encryptionKey, "s3", ["kms:Decrypt"]));
  }
}

/**
 * `sms-voice:SendTextMessage`, which End User Messaging SMS authorises against the configuration set and the
 * origination identity of the send (phone number, sender ID or pool) and the opt-out list that applies: the
 * stack's configuration set by its ARN; the origination identity by its ARN when the setting is one. What
 * cannot be named at synth is this account's and region's identities of each kind (when the service picks the
 * identity, or the setting is an id, a number or a sender ID, none of which spell their ARN) and its opt-out
 * lists (the identity's own setting, never named in the request). No `sns:Publish` at all: SMS no longer goes
 * through SNS, so nothing here can reach a topic or a phone number outside the configuration set's sends.
 * In a policy of its own, so that its acknowledgements cover this statement and nothing else.
 */
export function grantSendSms(fn: WaymarkFunction, grant: SendSmsGrant): void {
  fn.setEnvironment("smsConfigurationSetName", grant.configurationSet.name);
  const identity = grant.originationIdentity;
  if (identity !== undefined) fn.setEnvironment("smsOriginationIdentity", identity);
  const stack = Stack.of(fn);
  const inAccount = (resource: string) =>
    stack.formatArn({
      service: "sms-voice",
      resource,
      resourceName: "*",
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });
  const identities =
    identity !== undefined && ORIGINATION_IDENTITY_ARN.test(identity)
      ? [identity]
      : ["phone-number", "sender-id", "pool"].map(inAccount);
  const optOutLists = inAccount("opt-out-list");
  const policy = new iam.Policy(fn, "SendSmsPolicy", {
    statements: [
      new iam.PolicyStatement({
        sid: "SendSms",
        actions: ["sms-voice:SendTextMessage"],
        resources: [grant.configurationSet.arn, ...identities, optOutLists],
      }),
    ],
  });
  policy.attachToRole(fn.role);
  for (const wildcard of [...identities.filter((arn) => arn.endsWith("/*")), optOutLists]) {
    acknowledgeWildcardResource(
      policy,
      wildcard,
      wildcard === optOutLists
        ? "SendTextMessage is also authorised against the opt-out list that applies to the send, which is a " +
            "setting of the origination identity and never named in the request: only the single action " +
            "sms-voice:SendTextMessage may use this account's and region's opt-out lists."
        : "No origination identity ARN is configured (sms.originationIdentity is absent, an id, a number or a " +
            "sender ID), so the identity SendTextMessage is authorised against is known only at send time: only " +
            "the single action sms-voice:SendTextMessage may use this account's and region's identities of the kind.",
    );
  }
}

export interface SendEmailGrant {
  /** The verified address every email comes from. */
  fromAddress: string;
  /** The SES identity SendEmail is authorised against: the from-address's domain, or the address itself. */
  identityArn: string;
  /** The stack's SES configuration set, which every email names. */
  configurationSet: { name: string; arn: string };
}

/**
 * `ses:SendEmail`, which SES authorises against the sending identity and the configuration set the email
 * names: those two resources, and only with the configured From address (`ses:FromAddress`), so the function
 * cannot send as anyone else even where the identity is a whole domain.
 */
export function grantSendEmail(fn: WaymarkFunction, grant: SendEmailGrant): void {
  fn.setEnvironment("emailFromAddress", grant.fromAddress);
  fn.setEnvironment("emailConfigurationSetName", grant.configurationSet.name);
  fn.addToRolePolicy(
    new iam.PolicyStatement({
      sid: "SendEmail",
      actions: ["ses:SendEmail"],
      resources: [grant.identityArn, grant.configurationSet.arn],
      conditions: { StringEquals: { "ses:FromAddress": grant.fromAddress } },
    }),
  );
}

/**
 * One-click unsubscribe links (RFC 8058): the notifier seals them, the unsubscribe endpoint opens them. Both
 * derive the sealing key from the HMAC key with one `kms:GenerateMac` of a fixed label per cold start
 * (functions/core/unsubscribe-token.ts); the endpoint also verifies the signed links issued before sealed
 * ones with `kms:VerifyMac`. Only those operations, on that key, with the algorithm the links use.
 */
export function grantUnsubscribeLinks(
  fn: WaymarkFunction,
  key: kms.IKey,
  baseUrl: string,
  use: "seal" | "open",
): void {
  fn.setEnvironment("unsubscribeUrl", baseUrl);
  fn.setEnvironment("unsubscribeKeyId", key.keyArn);
  fn.addToRolePolicy(
    new iam.PolicyStatement({
      sid: use === "seal" ? "SealUnsubscribeLinks" : "OpenUnsubscribeLinks",
      actions: use === "seal" ? ["kms:GenerateMac"] : ["kms:GenerateMac", "kms:VerifyMac"],
      resources: [key.keyArn],
      conditions: { StringEquals: { "kms:MacAlgorithm": "HMAC_SHA_256" } },
    }),
  );
}

export interface TimerGrant {
  /** The schedule group every timer is created in. */
  scheduleGroupName: string;
  /** The role EventBridge Scheduler assumes to deliver a timer. */
  schedulerRole: iam.IRole;
  /** Where a timer is delivered: the engine's own input queue. */
  targetQueue: sqs.IQueue;
  /** Where Scheduler puts a timer it could not deliver. */
  deadLetterQueue: sqs.IQueue;
}

/**
 * Timers as one-time EventBridge Scheduler schedules: create and delete schedules in Waymark's group only,
 * and pass the scheduler role to Scheduler only. Schedule names are derived per timer at run time, hence the
 * `/*` on the group's schedules.
 */
export function grantTimers(fn: WaymarkFunction, grant: TimerGrant): void {
  fn.setEnvironment("scheduleGroupName", grant.scheduleGroupName);
  fn.setEnvironment("schedulerRoleArn", grant.schedulerRole.roleArn);
  fn.setEnvironment("engineQueueArn", grant.targetQueue.queueArn);
  fn.setEnvironment("timerDeadLetterQueueArn", grant.deadLetterQueue.queueArn);
  const schedules = Stack.of(fn).formatArn({
    service: "scheduler",
    resource: "schedule",
    resourceName: `${grant.scheduleGroupName}/*`,
    arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
  });
  const policy = new iam.Policy(fn, "TimerPolicy", {
    statements: [
      new iam.PolicyStatement({
        sid: "ManageTimers",
        actions: ["scheduler:CreateSchedule", "scheduler:DeleteSchedule"],
        resources: [schedules],
      }),
      new iam.PolicyStatement({
        sid: "PassSchedulerRole",
        actions: ["iam:PassRole"],
        resources: [grant.schedulerRole.roleArn],
        conditions: { StringEquals: { "iam:PassedToService": "scheduler.amazonaws.com" } },
      }),
    ],
  });
  policy.attachToRole(fn.role);
  acknowledgeWildcardResource(
    policy,
    schedules,
    "Timer schedules are named per customer and timer at run time (wm-<hash>), so CreateSchedule and " +
      "DeleteSchedule are scoped to the schedules of Waymark's own schedule group rather than to named ones.",
  );
}

export interface ConsumeOptions {
  batchSize: number;
  /** Caps concurrent invocations, e.g. to stay under a downstream rate limit. @default no cap */
  maxConcurrency?: number;
  /** @default no batching window */
  maxBatchingWindow?: Duration;
}

/**
 * The function is invoked with batches from `queue` and reports failed records individually, so one bad
 * record is retried (and eventually dead-lettered) without its batch-mates.
 *
 * The event source mapping polls with the function's role. Its permissions are written out instead of
 * taken from `SqsEventSource`, whose `grantConsumeMessages` also grants `sqs:GetQueueUrl` (the mapping names
 * the queue by ARN) and `kms:Decrypt` on the queue's key for any use: here the key may decrypt only through
 * SQS, for the messages the mapping receives.
 */
export function consumeQueue(fn: WaymarkFunction, queue: sqs.IQueue, options: ConsumeOptions): void {
  // The id SqsEventSource gives its mapping, so that switching to this did not replace the deployed ones.
  fn.function.addEventSourceMapping(`SqsEventSource:${Names.nodeUniqueId(queue.node)}`, {
    eventSourceArn: queue.queueArn,
    batchSize: options.batchSize,
    reportBatchItemFailures: true,
    maxConcurrency: options.maxConcurrency,
    maxBatchingWindow: options.maxBatchingWindow,
  });
  fn.addToRolePolicy(
    new iam.PolicyStatement({
      actions: [
        "sqs:ReceiveMessage",
        "sqs:ChangeMessageVisibility",
        "sqs:DeleteMessage",
        "sqs:GetQueueAttributes",
      ],
      resources: [queue.queueArn],
    }),
  );
  if (queue.encryptionMasterKey) {
    fn.addToRolePolicy(keyViaService(fn, undefined, queue.encryptionMasterKey, "sqs", ["kms:Decrypt"]));
  }
}

function keyViaService(
  fn: WaymarkFunction,
  sid: string | undefined,
  key: kms.IKey,
  service: "dynamodb" | "s3" | "sns" | "sqs",
  actions: string[],
): iam.PolicyStatement {
  return new iam.PolicyStatement({
    ...(sid ? { sid } : {}),
    actions,
    resources: [key.keyArn],
    conditions: { StringEquals: { "kms:ViaService": `${service}.${Stack.of(fn).region}.amazonaws.com` } },
  });
}
