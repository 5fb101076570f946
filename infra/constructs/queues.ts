import { Duration } from "aws-cdk-lib";
import * as cloudwatch from "aws-cdk-lib/aws-cloudwatch";
import { SnsAction } from "aws-cdk-lib/aws-cloudwatch-actions";
import * as iam from "aws-cdk-lib/aws-iam";
import type * as kms from "aws-cdk-lib/aws-kms";
import * as sns from "aws-cdk-lib/aws-sns";
import * as sqs from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";

/** Where an alarm goes, and the prefix every alarm name carries (the alarm topic's key trusts only those). */
export interface AlarmTarget {
  topic: sns.ITopic;
  namePrefix: string;
}

/**
 * How long SQS reuses a data key before it asks KMS again. SQS calls KMS once per reuse period for each
 * principal that sends to or receives from a queue, never per message, so five minutes (the SQS default,
 * stated here on purpose) keeps KMS requests to a few thousand a month per queue and principal whatever
 * the traffic, while disabling the key reaches every queue within five minutes. Longer saves almost
 * nothing more.
 */
export const DATA_KEY_REUSE = Duration.minutes(5);

/**
 * Every Waymark queue holds customer data (events with contact points and orders, notifications with
 * their text), so each is encrypted with the project's customer-data key (SSE-KMS) and refuses plain-HTTP
 * requests. A customer-managed key rather than SSE-SQS: the key policy then decides, with IAM, who can
 * read a message; CloudTrail records every use; and disabling the key makes the queues as unreadable as
 * the table. EventBridge and Scheduler deliver to some of these queues, so the key policy (WaymarkState)
 * and the scheduler role let them use the key, each for that purpose only.
 */
function encryptedQueueProps(key: kms.IKey) {
  return {
    encryption: sqs.QueueEncryption.KMS,
    encryptionMasterKey: key,
    dataKeyReuse: DATA_KEY_REUSE,
    enforceSSL: true,
  } as const;
}

export interface DeadLetterQueueProps {
  /** Short name used in the alarm's name and description, e.g. `engine`. */
  name: string;
  /** What ends up here, for whoever is paged. */
  purpose: string;
  fifo?: boolean;
  alarm: AlarmTarget;
  /** The customer-data key the queue is encrypted with. */
  encryptionKey: kms.IKey;
}

/**
 * A dead-letter queue that keeps messages for the SQS maximum of 14 days and raises an alarm as soon as one
 * arrives: a message here is a customer input or notification that did not go through.
 */
export class DeadLetterQueue extends Construct {
  readonly queue: sqs.Queue;
  readonly alarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: DeadLetterQueueProps) {
    super(scope, id);
    this.queue = new sqs.Queue(this, "Queue", {
      ...encryptedQueueProps(props.encryptionKey),
      retentionPeriod: Duration.days(14),
      ...(props.fifo ? { fifo: true } : {}),
    });
    this.alarm = new cloudwatch.Alarm(this, "NotEmpty", {
      alarmName: `${props.alarm.namePrefix}${props.name}-dead-letters`,
      alarmDescription:
        `Messages in the ${props.name} dead-letter queue: ${props.purpose} ` +
        "Inspect them, fix the cause, then redrive them to their source.",
      metric: this.queue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(1),
        statistic: cloudwatch.Stats.MAXIMUM,
      }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      // An idle queue stops emitting metrics; no data means nothing arrived.
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    const action = new SnsAction(props.alarm.topic);
    this.alarm.addAlarmAction(action);
    this.alarm.addOkAction(action);
  }
}

export interface WorkQueueProps {
  name: string;
  /** What a dead-lettered message from this queue means. */
  deadLetterPurpose: string;
  /**
   * Must be at least six times the consumer's timeout (AWS's guidance for Lambda event sources), so a
   * message is not handed to a second invocation while the first is still working on it.
   */
  visibilityTimeout: Duration;
  /** Receives before a message is moved to the dead-letter queue. */
  maxReceiveCount: number;
  /** @default four days (the SQS default) */
  retentionPeriod?: Duration;
  /**
   * A FIFO queue in high-throughput mode: deduplication and the throughput limit are per message group,
   * so different customers never share a 300-transactions-per-second budget.
   */
  fifo?: boolean;
  alarm: AlarmTarget;
  /** The customer-data key the queue and its dead-letter queue are encrypted with. */
  encryptionKey: kms.IKey;
}

/** A queue with its own dead-letter queue (FIFO for a FIFO queue, as SQS requires) and that queue's alarm. */
export class WorkQueue extends Construct {
  readonly queue: sqs.Queue;
  readonly deadLetter: DeadLetterQueue;

  constructor(scope: Construct, id: string, props: WorkQueueProps) {
    super(scope, id);
    this.deadLetter = new DeadLetterQueue(this, "DeadLetter", {
      name: props.name,
      purpose: props.deadLetterPurpose,
      fifo: props.fifo ?? false,
      alarm: props.alarm,
      encryptionKey: props.encryptionKey,
    });
    this.queue = new sqs.Queue(this, "Queue", {
      ...encryptedQueueProps(props.encryptionKey),
      visibilityTimeout: props.visibilityTimeout,
      ...(props.retentionPeriod ? { retentionPeriod: props.retentionPeriod } : {}),
      deadLetterQueue: { queue: this.deadLetter.queue, maxReceiveCount: props.maxReceiveCount },
      ...(props.fifo
        ? {
            fifo: true,
            // Messages without an explicit deduplication id (timers from Scheduler) are deduplicated by
            // content; ingest always sends one derived from the event id.
            contentBasedDeduplication: true,
            deduplicationScope: sqs.DeduplicationScope.MESSAGE_GROUP,
            fifoThroughputLimit: sqs.FifoThroughputLimit.PER_MESSAGE_GROUP_ID,
          }
        : {}),
    });
  }
}

/**
 * Subscribes `queue` to `topic` with raw message delivery (the body is the published message itself), and lets
 * SNS send to the queue for that topic only. Written out rather than taken from `SqsSubscription`, which would
 * also add a statement for SNS to the queue's key policy: the key lives in the stateful stack, whose policy
 * already lets SNS use it for Waymark's topics (WaymarkState), so the runtime adds nothing to it.
 */
export function subscribeQueue(
  scope: Construct,
  id: string,
  topic: sns.ITopic,
  queue: sqs.IQueue,
): sns.Subscription {
  const { policyDependable } = queue.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: id,
      principals: [new iam.ServicePrincipal("sns.amazonaws.com")],
      actions: ["sqs:SendMessage"],
      resources: [queue.queueArn],
      conditions: { ArnEquals: { "aws:SourceArn": topic.topicArn } },
    }),
  );
  const subscription = new sns.Subscription(scope, id, {
    topic,
    protocol: sns.SubscriptionProtocol.SQS,
    endpoint: queue.queueArn,
    rawMessageDelivery: true,
  });
  if (policyDependable) subscription.node.addDependency(policyDependable);
  return subscription;
}
