import { Duration } from "aws-cdk-lib";
import * as cloudwatch from "aws-cdk-lib/aws-cloudwatch";
import { SnsAction } from "aws-cdk-lib/aws-cloudwatch-actions";
import type * as sns from "aws-cdk-lib/aws-sns";
import * as sqs from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";

/** Where an alarm goes, and the prefix every alarm name carries (the alarm topic's key trusts only those). */
export interface AlarmTarget {
  topic: sns.ITopic;
  namePrefix: string;
}

/**
 * Every Waymark queue is encrypted with SQS-managed keys (SSE-SQS) and refuses plain-HTTP requests.
 * SSE-SQS rather than a customer-managed key: messages are transient (14 days at most); EventBridge
 * delivers to the ingest queue and the rules' dead-letter queue as a service principal, which a CMK's key
 * policy would have to trust; and SSE-SQS costs no KMS request per message. Who may read a queue is
 * decided by IAM and the queue policies.
 */
const secureQueueDefaults = {
  encryption: sqs.QueueEncryption.SQS_MANAGED,
  enforceSSL: true,
} as const;

export interface DeadLetterQueueProps {
  /** Short name used in the alarm's name and description, e.g. `engine`. */
  name: string;
  /** What ends up here, for whoever is paged. */
  purpose: string;
  fifo?: boolean;
  alarm: AlarmTarget;
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
      ...secureQueueDefaults,
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
    });
    this.queue = new sqs.Queue(this, "Queue", {
      ...secureQueueDefaults,
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
