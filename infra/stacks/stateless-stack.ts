import { CfnOutput, CrossStackReferences, ReferenceStrength, Stack, type StackProps } from "aws-cdk-lib";
import type { Construct } from "constructs";
import { WaymarkRuntime, type WaymarkRuntimeProps } from "../constructs/waymark-runtime.ts";

export interface WaymarkStatelessStackProps extends StackProps, WaymarkRuntimeProps {}

/**
 * Waymark's functions, queues, rules, unsubscribe endpoint and alarms. Everything here can be destroyed and redeployed without
 * losing data: what must survive lives in the stateful stack it takes `state` from.
 */
export class WaymarkStatelessStack extends Stack {
  readonly runtime: WaymarkRuntime;

  constructor(scope: Construct, id: string, props: WaymarkStatelessStackProps) {
    super(scope, id, props);
    // Exports/imports: CloudFormation then refuses to delete the stateful stack (table, keys) while this
    // stack still uses it, which is exactly the protection wanted for customer data.
    CrossStackReferences.of(this).consume(ReferenceStrength.STRONG);
    this.runtime = new WaymarkRuntime(this, "Runtime", props);

    new CfnOutput(this, "UnsubscribeLinkBase", {
      description:
        "One-click unsubscribe links start with this (point a domain you own at it for production)",
      value: this.runtime.unsubscribe.linkBaseUrl,
    });
    new CfnOutput(this, "RejectedQueueUrl", {
      description: "Invalid events with their reasons (kept 14 days)",
      value: this.runtime.rejectedQueue.queue.queueUrl,
    });
    new CfnOutput(this, "RejectedBucketName", {
      description: "Rejected events too large for the rejected queue, kept whole (14 days) under rejected/",
      value: this.runtime.rejectedClaimChecks.bucket.bucketName,
    });
    new CfnOutput(this, "AudienceBucketName", {
      description:
        "Upload customer lists here for AudienceEntryRequested (s3://<this bucket>/<key>; kept 30 days)",
      value: this.runtime.audiences.bucket.bucketName,
    });
    new CfnOutput(this, "EmailConfigurationSetName", {
      description: "The SES configuration set every email is sent with",
      value: this.runtime.emailConfigurationSet.configurationSetName,
    });
    new CfnOutput(this, "SmsConfigurationSetName", {
      description: "The End User Messaging SMS configuration set every SMS is sent with",
      value: this.runtime.smsConfigurationSet.ref,
    });
    new CfnOutput(this, "OperationsDashboardName", {
      description: "The CloudWatch dashboard of journeys, messages, queues, dead letters and errors",
      value: this.runtime.operations.dashboard.dashboardName,
    });
    const emailDeadLetter = this.runtime.emailQueue?.deadLetter.queue;
    for (const [name, queue] of [
      ["IngestDeadLetterQueueUrl", this.runtime.ingestQueue.deadLetter.queue],
      ["EngineDeadLetterQueueUrl", this.runtime.engineQueue.deadLetter.queue],
      ["OutboundDeadLetterQueueUrl", this.runtime.outboundQueue.deadLetter.queue],
      ["GlobalDeadLetterQueueUrl", this.runtime.globalQueue.deadLetter.queue],
      ["RejectedDeadLetterQueueUrl", this.runtime.rejectedQueue.deadLetter.queue],
      ["RuleDeadLetterQueueUrl", this.runtime.ruleDeadLetter.queue],
      ["TimerDeadLetterQueueUrl", this.runtime.timerDeadLetter.queue],
      ["FeedbackDeadLetterQueueUrl", this.runtime.feedbackQueue.deadLetter.queue],
      ...(emailDeadLetter ? ([["EmailDeadLetterQueueUrl", emailDeadLetter]] as const) : []),
    ] as const) {
      new CfnOutput(this, name, { value: queue.queueUrl });
    }
  }
}
