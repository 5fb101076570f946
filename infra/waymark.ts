import { CfnOutput, Duration, type RemovalPolicy } from "aws-cdk-lib";
import type * as logs from "aws-cdk-lib/aws-logs";
import { Construct } from "constructs";
import type { Catalog } from "../functions/core/catalog/catalog.ts";
import { loadCatalogModule, resolveCatalogFile } from "./constructs/catalog-module.ts";
import { measurementOutputs, type WaymarkFactsSettings } from "./constructs/measurement-store.ts";
import {
  type WaymarkEmailSettings,
  WaymarkRuntime,
  type WaymarkSmsSettings,
} from "./constructs/waymark-runtime.ts";
import { WaymarkState } from "./constructs/waymark-state.ts";

export { CatalogModuleError, loadCatalogModule, resolveCatalogFile } from "./constructs/catalog-module.ts";
export type { WaymarkFactsSettings } from "./constructs/measurement-store.ts";
export {
  type WaymarkEmailSettings,
  WaymarkRuntime,
  type WaymarkRuntimeProps,
  type WaymarkSmsSettings,
} from "./constructs/waymark-runtime.ts";
export {
  type DeliveryConfigurationSetNames,
  WaymarkState,
  type WaymarkStateProps,
  type WaymarkStateResources,
} from "./constructs/waymark-state.ts";

export interface WaymarkProps {
  /**
   * Path of the catalog module (`waymark.config.ts`): its events are routed and published to the schema
   * registry, and it is bundled into the functions that run it. Relative paths start at the working
   * directory. @default the nearest waymark.config.ts in the working directory or above
   */
  catalog?: string;
  /** @default "waymark" */
  busName?: string;
  /** Accounts (12-digit ids) allowed to put events on the bus. @default only this stack's account */
  allowedAccounts?: readonly string[];
  /** An AWS Organizations id (`o-…`) whose accounts may put events on the bus. */
  organizationId?: string;
  /**
   * Applies to the data (table, keys, archive, timers, topics, the rejected events' claim-check bucket) and
   * to the log groups. @default RETAIN
   */
  removalPolicy?: RemovalPolicy;
  /** The table's deletion protection. @default true unless removalPolicy is DESTROY */
  deletionProtection?: boolean;
  /** How long the bus archive keeps every event for replay. @default 30 days */
  archiveRetention?: Duration;
  /** An address subscribed to the alarm topic (it must confirm the subscription). */
  alarmEmail?: string;
  /**
   * Lifecycle facts in S3: `retention` (@default 400 days), `intelligentTieringAfter` (@default 30 days),
   * `queryScanLimit` of one Athena query (@default 100 GiB), the Firehose stream's `bufferingInterval`
   * (@default 5 minutes).
   */
  facts?: WaymarkFactsSettings;
  /**
   * Alphanumeric SMS sender ID, where the destination country supports one: the default sender ID of the SMS
   * configuration set (1–11 letters, digits, `-` or `_`).
   */
  smsSenderId?: string;
  /** How SMS goes out through AWS End User Messaging SMS: `originationIdentity`. */
  sms?: WaymarkSmsSettings;
  /**
   * How email goes out through Amazon SES: `fromAddress` and `identityArn`. Without it no email sender is
   * deployed, and emails wait on the email topic for a sender of your own.
   */
  email?: WaymarkEmailSettings;
  /**
   * Public base URL of one-click unsubscribe links, when a domain you own routes to the unsubscribe
   * endpoint (recommended: links must outlive any redeployment). @default the endpoint's own URL
   */
  unsubscribeBaseUrl?: string;
  /**
   * The base of customer-facing links in messages: a short https domain you own (every SMS character
   * counts). @default the catalog's `linkBaseUrl`
   */
  linkBaseUrl?: string;
  /**
   * The sources allowed to put global events that reach owners (recalls, travel restrictions).
   * @default any source the bus admits
   */
  globalEventSources?: readonly string[];
  /** Concurrent notifier invocations, so a recall does not outrun the account's SMS throughput. @default 5 */
  notifierMaxConcurrency?: number;
  /** How long the functions' logs are kept. @default one month */
  logRetention?: logs.RetentionDays;
}

/**
 * All of Waymark in one construct, for a CDK app that wants to embed it in a stack of its own:
 *
 *   new Waymark(stack, "Waymark", { catalog: "waymark.config.ts", alarmEmail: "ops@example.com" });
 *
 * To deploy data and runtime separately, use `WaymarkState` and `WaymarkRuntime` in two stacks instead
 * (as `infra/app.ts` does); this construct composes exactly those two, and adds the outputs an operator
 * needs.
 */
export class Waymark extends Construct {
  readonly state: WaymarkState;
  readonly runtime: WaymarkRuntime;
  /** The catalog the stack was built for, and the module it came from. */
  readonly catalog: Catalog;
  readonly catalogFile: string;

  constructor(scope: Construct, id: string, props: WaymarkProps = {}) {
    super(scope, id);
    this.catalogFile = resolveCatalogFile(props.catalog);
    this.catalog = loadCatalogModule(this.catalogFile);
    this.state = new WaymarkState(this, "State", {
      catalog: this.catalog,
      busName: props.busName,
      allowedAccounts: props.allowedAccounts,
      organizationId: props.organizationId,
      removalPolicy: props.removalPolicy,
      deletionProtection: props.deletionProtection,
      archiveRetention: props.archiveRetention ?? Duration.days(30),
      alarmEmail: props.alarmEmail,
      facts: props.facts,
    });
    this.runtime = new WaymarkRuntime(this, "Runtime", {
      state: this.state,
      catalog: { file: this.catalogFile, catalog: this.catalog },
      smsSenderId: props.smsSenderId,
      sms: props.sms,
      email: props.email,
      unsubscribeBaseUrl: props.unsubscribeBaseUrl,
      notifierMaxConcurrency: props.notifierMaxConcurrency,
      removalPolicy: props.removalPolicy,
      logRetention: props.logRetention,
      linkBaseUrl: props.linkBaseUrl,
      globalEventSources: props.globalEventSources,
    });

    new CfnOutput(this, "BusName", {
      description: "Put customer events here (EventBridge PutEvents)",
      value: this.state.bus.eventBusName,
    });
    new CfnOutput(this, "BusArn", { value: this.state.bus.eventBusArn });
    new CfnOutput(this, "UnsubscribeUrl", {
      description: "One-click unsubscribe links start with this",
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
    new CfnOutput(this, "DeadLetterQueueNames", {
      description: "Every dead-letter queue (each has an alarm): inputs set aside after repeated failure",
      value: [
        this.runtime.ingestQueue.deadLetter.queue.queueName,
        this.runtime.engineQueue.deadLetter.queue.queueName,
        this.runtime.outboundQueue.deadLetter.queue.queueName,
        ...(this.runtime.emailQueue ? [this.runtime.emailQueue.deadLetter.queue.queueName] : []),
        this.runtime.feedbackQueue.deadLetter.queue.queueName,
        this.runtime.globalQueue.deadLetter.queue.queueName,
        this.runtime.rejectedQueue.deadLetter.queue.queueName,
        this.runtime.ruleDeadLetter.queue.queueName,
        this.runtime.timerDeadLetter.queue.queueName,
      ].join(","),
    });
    new CfnOutput(this, "EmailConfigurationSetName", {
      description: "The SES configuration set every email is sent with",
      value: this.runtime.emailConfigurationSet.configurationSetName,
    });
    new CfnOutput(this, "SmsConfigurationSetName", {
      description: "The End User Messaging SMS configuration set every SMS is sent with",
      value: this.runtime.smsConfigurationSet.ref,
    });
    new CfnOutput(this, "AlarmTopicArn", { value: this.state.alarmTopic.topicArn });
    new CfnOutput(this, "OperationsDashboardName", {
      description: "The CloudWatch dashboard of journeys, messages, queues, dead letters and errors",
      value: this.runtime.operations.dashboard.dashboardName,
    });
    measurementOutputs(this, this.state.measurement);
  }
}
