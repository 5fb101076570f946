import { ArnFormat, Duration, RemovalPolicy, Stack, Token } from "aws-cdk-lib";
import * as events from "aws-cdk-lib/aws-events";
import * as iam from "aws-cdk-lib/aws-iam";
import type * as logs from "aws-cdk-lib/aws-logs";
import * as ses from "aws-cdk-lib/aws-ses";
import * as smsvoice from "aws-cdk-lib/aws-smsvoice";
import type * as sqs from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import { type Route, routesFor } from "../../events/routing.ts";
import type { Catalog } from "../../functions/core/catalog/catalog.ts";
import {
  SES_FEEDBACK_EVENT_TYPES,
  SMS_FEEDBACK_EVENT_TYPES,
} from "../../functions/use-cases/provider-feedback.ts";
import { AudienceBucket } from "./audience-bucket.ts";
import { bundlingProject, type CatalogHandler, catalogEntry } from "./catalog-module.ts";
import { ClaimCheckBucket } from "./claim-check-bucket.ts";
import {
  consumeQueue,
  grantClaimCheck,
  grantPublishEmail,
  grantPutEvents,
  grantPutFacts,
  grantReadAudiences,
  grantSendEmail,
  grantSendMessages,
  grantSendSms,
  grantTable,
  grantTimers,
  grantUnsubscribeLinks,
} from "./grants.ts";
import { acknowledge } from "./nag.ts";
import { OperationsDashboard } from "./operations-dashboard.ts";
import { DeadLetterQueue, subscribeQueue, WorkQueue } from "./queues.ts";
import { UnsubscribeEndpoint } from "./unsubscribe-endpoint.ts";
import { handlerEntry, WaymarkFunction } from "./waymark-function.ts";
import type { WaymarkStateResources } from "./waymark-state.ts";

export interface WaymarkRuntimeProps {
  state: WaymarkStateResources;
  /**
   * The catalog the functions run: the module's path (what is bundled into the ingest, engine and fan-out
   * functions) and the catalog it exports (what the bus rules route).
   */
  catalog: { file: string; catalog: Catalog };
  /**
   * Alphanumeric SMS sender ID, where the destination country supports one: the SMS configuration set's default
   * sender ID (1–11 letters, digits, `-` or `_`).
   */
  smsSenderId?: string;
  /** How SMS goes out through AWS End User Messaging SMS. */
  sms?: WaymarkSmsSettings;
  /**
   * How email goes out through Amazon SES. Without it no email sender is deployed: the notifier still publishes
   * every email to the email topic, for a sender of your own to deliver.
   */
  email?: WaymarkEmailSettings;
  /**
   * Public base URL of one-click unsubscribe links, when a domain you own routes to the unsubscribe
   * endpoint. @default the endpoint's execute-api URL
   */
  unsubscribeBaseUrl?: string;
  /**
   * Caps concurrent notifier invocations so that a recall fan-out does not outrun the account's SMS
   * throughput and spend its receives on throttling.
   * @default 5
   */
  notifierMaxConcurrency?: number;
  /**
   * What happens to the functions' log groups and the rejected events' claim-check buckets when the runtime is
   * removed (CloudFormation deletes a bucket only once it is empty). @default RETAIN
   */
  removalPolicy?: RemovalPolicy;
  /** @default the catalog's routes (`routesFor` in `events/routing.ts`) */
  routes?: readonly Route[];
  /** How long the functions' logs are kept. @default one month */
  logRetention?: logs.RetentionDays;
  /**
   * The base of customer-facing links in messages (`context.linkBaseUrl` in templates): a short https
   * domain you own. @default the catalog's `linkBaseUrl`
   */
  linkBaseUrl?: string;
  /**
   * The sources allowed to put global events that reach owners (recalls, travel restrictions): a
   * critical recall goes to every owner on every channel, day or night. @default any source the bus admits
   */
  globalEventSources?: readonly string[];
}

export interface WaymarkSmsSettings {
  /**
   * The phone number, sender ID or pool every SMS is sent from, by id or ARN (an ARN also scopes the
   * notifier's permission to it). @default none: the service picks one of the account's identities for the
   * destination country
   */
  originationIdentity?: string;
}

export interface WaymarkEmailSettings {
  /** The address every email comes from (`no-reply@example.com`), verified in SES as itself or its domain. */
  fromAddress: string;
  /**
   * The SES identity the sender is verified as. @default the from-address's domain in the stack's account and
   * region (`arn:<partition>:ses:<region>:<account>:identity/<domain>`)
   */
  identityArn?: string;
}

/** Every function's timeout; queue visibility timeouts are derived from it. */
const FUNCTION_TIMEOUT = Duration.seconds(30);
/**
 * The fan-out worker pages through a recall's owners for up to this long per invocation, then
 * re-queues itself (it stops 20 s early), so a million owners never need a long-running function.
 */
export const FAN_OUT_TIMEOUT = Duration.minutes(5);
/** The fan-out function's memory, and so its share of a vCPU (bench/recall.ts models it from this). */
export const FAN_OUT_MEMORY_MB = 512;
/** How long a rejected event is kept for operators: the SQS maximum, and its claim-check document as long. */
const REJECTED_RETENTION = Duration.days(14);
/** How long an uploaded audience list is kept: long enough to run and re-run a month's campaign. */
const AUDIENCE_RETENTION = Duration.days(30);
/** Six times the consumer's timeout: AWS's guidance for queues that feed Lambda. */
const VISIBILITY_TIMEOUT = Duration.seconds(FUNCTION_TIMEOUT.toSeconds() * 6);

/**
 * EventBridge's limits for delivering to a target: 185 attempts over 24 hours before an event goes to the
 * rule's dead-letter queue. An event is only given up on after a day of ingest being unreachable.
 */
const RULE_RETRY_POLICY = { maximumRetryAttempts: 185, maximumEventAgeInSeconds: 86_400 };

/**
 * The stateless part of Waymark (docs/architecture.md): bus rules → ingest queue → ingest → engine FIFO queue
 * (grouped by customer) → engine ⇄ table, timers through EventBridge Scheduler back into the engine queue,
 * lifecycle facts onto the state's Firehose stream, outbound queue → notifier → End User Messaging
 * SMS and the email topic, and the public one-click unsubscribe endpoint. Every queue and asynchronous target has
 * a dead-letter queue with an alarm; every function has only the permissions its adapters use. An operations
 * dashboard graphs the journeys, messages, queues and errors, with alarms on engine errors and suppression spikes.
 */
export class WaymarkRuntime extends Construct {
  readonly ingestQueue: WorkQueue;
  readonly engineQueue: WorkQueue;
  readonly outboundQueue: WorkQueue;
  /** Global events (recalls, travel restrictions, store stock) and fan-out continuations. */
  readonly globalQueue: WorkQueue;
  /** Invalid events with their reasons, kept 14 days for operators to inspect and replay. Not consumed. */
  readonly rejectedQueue: WorkQueue;
  /**
   * Rejected events too large for a queue message, kept whole for as long as the rejected queue keeps the
   * claim check that points at them (`rejected/…`), and that bucket's access logs.
   */
  readonly rejectedClaimChecks: ClaimCheckBucket;
  /** The customer lists of audience entries (AudienceEntryRequested), read by the fan-out. */
  readonly audiences: AudienceBucket;
  /** Events EventBridge could not deliver to the ingest queue. */
  readonly ruleDeadLetter: DeadLetterQueue;
  /** Timers EventBridge Scheduler could not deliver to the engine queue. */
  readonly timerDeadLetter: DeadLetterQueue;
  /** The role EventBridge Scheduler assumes to deliver timers. */
  readonly schedulerRole: iam.Role;
  readonly ingest: WaymarkFunction;
  readonly engine: WaymarkFunction;
  readonly notifier: WaymarkFunction;
  /** Store stock, and the fan-out of recalls and travel restrictions to the affected owners. */
  readonly fanOut: WaymarkFunction;
  /** The public one-click unsubscribe endpoint and its function. */
  readonly unsubscribe: UnsubscribeEndpoint;
  /** Every SMS is sent with it: its events are the SMS delivery receipts. */
  readonly smsConfigurationSet: smsvoice.CfnConfigurationSet;
  /** Every email is sent with it: its events are the email feedback. */
  readonly emailConfigurationSet: ses.ConfigurationSet;
  /** The email topic's messages, for the email sender; absent without `email` settings. */
  readonly emailQueue?: WorkQueue;
  /** Sends each email of the email topic through SES, once; absent without `email` settings. */
  readonly emailSender?: WaymarkFunction;
  /** Publishes the email configuration set's events to the feedback topic. */
  readonly emailFeedback: ses.CfnConfigurationSetEventDestination;
  /** The feedback topic's messages: what SES and End User Messaging SMS report about each message. */
  readonly feedbackQueue: WorkQueue;
  /** Puts what the providers report on the bus as feedback events (source `waymark.feedback`). */
  readonly feedback: WaymarkFunction;
  readonly rules: events.CfnRule[];
  /** The operations dashboard (`<bus>-operations`) and the engine-errors and suppression-spike alarms. */
  readonly operations: OperationsDashboard;

  constructor(scope: Construct, id: string, props: WaymarkRuntimeProps) {
    super(scope, id);
    const { state } = props;
    validateSmsSettings(props);
    const email = emailSettings(this, props.email);
    const alarm = state.alarms;
    // Every queue holds customer data: all of them, dead-letter queues included, use the customer-data key.
    const encryptionKey = state.dataKey;
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const project = bundlingProject(props.catalog.file);
    const catalogHandler = (handler: CatalogHandler) =>
      catalogEntry(handler, props.catalog.file, project.projectRoot);
    const functionDefaults = {
      project,
      removalPolicy,
      ...(props.logRetention ? { logRetention: props.logRetention } : {}),
    };

    this.ingestQueue = new WorkQueue(this, "IngestQueue", {
      name: "ingest",
      deadLetterPurpose: "bus events that ingest failed to forward or reject five times.",
      visibilityTimeout: VISIBILITY_TIMEOUT,
      maxReceiveCount: 5,
      alarm,
      encryptionKey,
    });
    this.engineQueue = new WorkQueue(this, "EngineQueue", {
      name: "engine",
      deadLetterPurpose:
        "engine inputs (events, timers) that failed five times; the customer's later inputs went ahead.",
      visibilityTimeout: VISIBILITY_TIMEOUT,
      maxReceiveCount: 5,
      fifo: true,
      alarm,
      encryptionKey,
    });
    this.outboundQueue = new WorkQueue(this, "OutboundQueue", {
      name: "outbound",
      deadLetterPurpose: "notifications that could not be handed to the SMS provider or the email topic.",
      visibilityTimeout: VISIBILITY_TIMEOUT,
      // Throttled SMS during a recall fan-out is expected and retrying is safe (sends are claimed first).
      maxReceiveCount: 10,
      alarm,
      encryptionKey,
    });
    this.globalQueue = new WorkQueue(this, "GlobalQueue", {
      name: "global",
      deadLetterPurpose:
        "global events or fan-out jobs that failed five times (a recall may be only partly sent).",
      visibilityTimeout: Duration.seconds(FAN_OUT_TIMEOUT.toSeconds() * 6),
      maxReceiveCount: 5,
      alarm,
      encryptionKey,
    });
    this.rejectedQueue = new WorkQueue(this, "RejectedQueue", {
      name: "rejected",
      deadLetterPurpose: "rejected events that operators' tools received repeatedly without deleting.",
      visibilityTimeout: Duration.minutes(5),
      // Nothing consumes this queue: operators browse it, and every look counts as a receive.
      maxReceiveCount: 50,
      retentionPeriod: REJECTED_RETENTION,
      alarm,
      encryptionKey,
    });
    // Beside the rejected queue, in the runtime: a claim check and its document are one record, kept as long.
    this.rejectedClaimChecks = new ClaimCheckBucket(this, "RejectedClaimChecks", {
      encryptionKey: state.dataKey,
      expiration: REJECTED_RETENTION,
      accessLogRetention: Duration.days(90),
      removalPolicy,
    });
    this.audiences = new AudienceBucket(this, "Audiences", {
      encryptionKey: state.dataKey,
      accessLogs: this.rejectedClaimChecks.accessLogs,
      expiration: AUDIENCE_RETENTION,
      removalPolicy,
    });
    this.ruleDeadLetter = new DeadLetterQueue(this, "RuleDeadLetter", {
      name: "bus-rules",
      purpose: "events EventBridge could not deliver to the ingest queue within 24 hours.",
      alarm,
      encryptionKey,
    });
    this.timerDeadLetter = new DeadLetterQueue(this, "TimerDeadLetter", {
      name: "timers",
      purpose: "journey timers EventBridge Scheduler could not deliver to the engine queue.",
      alarm,
      encryptionKey,
    });
    // Neither queue is anyone's redrive target: EventBridge and Scheduler write to them as dead-letter
    // queues of their own, which cdk-nag cannot see.
    for (const [deadLetter, writer] of [
      [this.ruleDeadLetter, "the bus rules' SQS target (DeadLetterConfig)"],
      [this.timerDeadLetter, "EventBridge Scheduler timers (each schedule's DeadLetterConfig)"],
    ] as const) {
      acknowledge(
        deadLetter.queue,
        "AwsSolutions-SQS3",
        `This queue is itself a dead-letter queue, for ${writer}; it is alarmed and keeps messages 14 days.`,
      );
    }

    this.schedulerRole = new iam.Role(this, "SchedulerRole", {
      description: "Assumed by EventBridge Scheduler to deliver Waymark journey timers to the engine queue",
      assumedBy: new iam.ServicePrincipal("scheduler.amazonaws.com", {
        conditions: { StringEquals: { "aws:SourceAccount": Stack.of(this).account } },
      }),
    });
    this.schedulerRole.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: "DeliverTimers",
        actions: ["sqs:SendMessage"],
        resources: [this.engineQueue.queue.queueArn, this.timerDeadLetter.queue.queueArn],
      }),
    );
    // Scheduler sends as this role, and SQS then asks KMS for the queue's data key as this role too: the key,
    // only through SQS. (SQS asks a sender for kms:Decrypt as well as kms:GenerateDataKey.)
    this.schedulerRole.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: "DeliverTimersKey",
        actions: ["kms:GenerateDataKey", "kms:Decrypt"],
        resources: [encryptionKey.keyArn],
        conditions: {
          StringEquals: { "kms:ViaService": `sqs.${Stack.of(this).region}.amazonaws.com` },
        },
      }),
    );

    this.ingest = new WaymarkFunction(this, "Ingest", {
      entry: catalogHandler("ingest"),
      description: "Waymark ingest: validates bus events, forwards them to the engine grouped by customer",
      timeout: FUNCTION_TIMEOUT,
      ...functionDefaults,
    });
    if (props.globalEventSources !== undefined) {
      this.ingest.setEnvironment("globalEventSources", props.globalEventSources.join(","));
    }
    grantSendMessages(this.ingest, this.engineQueue.queue, "engineQueueUrl");
    grantSendMessages(this.ingest, this.rejectedQueue.queue, "rejectedQueueUrl");
    grantClaimCheck(this.ingest, this.rejectedClaimChecks.bucket);
    grantSendMessages(this.ingest, this.globalQueue.queue, "globalQueueUrl");
    consumeQueue(this.ingest, this.ingestQueue.queue, { batchSize: 10 });

    this.engine = new WaymarkFunction(this, "Engine", {
      entry: catalogHandler("engine"),
      description: "Waymark journey engine: advances each customer's journeys, one input at a time",
      memorySize: 512,
      timeout: FUNCTION_TIMEOUT,
      ...functionDefaults,
    });
    // BatchWriteItem keeps the owner index (model → owners) in step with orders and returns; Query and
    // UpdateItem find the nearest store with a replacement in stock and reserve a unit there.
    grantTable(this.engine, state.table, [
      "dynamodb:GetItem",
      "dynamodb:PutItem",
      "dynamodb:UpdateItem",
      "dynamodb:Query",
      "dynamodb:BatchWriteItem",
    ]);
    grantPutEvents(this.engine, state.bus);
    grantSendMessages(this.engine, this.outboundQueue.queue, "outboundQueueUrl");
    grantTimers(this.engine, {
      scheduleGroupName: state.scheduleGroupName,
      schedulerRole: this.schedulerRole,
      targetQueue: this.engineQueue.queue,
      deadLetterQueue: this.timerDeadLetter.queue,
    });
    if (props.linkBaseUrl !== undefined)
      this.engine.setEnvironment("linkBaseUrl", checkedLinkBase(props.linkBaseUrl));
    grantPutFacts(this.engine, state.factsStream);
    // FIFO: a batch never holds two messages of one customer out of order; ten is the FIFO maximum.
    consumeQueue(this.engine, this.engineQueue.queue, { batchSize: 10 });

    this.fanOut = new WaymarkFunction(this, "FanOut", {
      entry: catalogHandler("fan-out"),
      description: "Waymark fan-out: store stock, and global events to every affected owner",
      memorySize: FAN_OUT_MEMORY_MB,
      timeout: FAN_OUT_TIMEOUT,
      ...functionDefaults,
    });
    grantTable(this.fanOut, state.table, [
      "dynamodb:GetItem",
      "dynamodb:PutItem",
      "dynamodb:UpdateItem",
      "dynamodb:DeleteItem",
      "dynamodb:Query",
    ]);
    grantSendMessages(this.fanOut, this.engineQueue.queue, "engineQueueUrl");
    grantSendMessages(this.fanOut, this.globalQueue.queue, "globalQueueUrl");
    grantReadAudiences(this.fanOut, this.audiences.bucket);
    // One message per invocation: a fan-out job gets the whole invocation's time to page through owners.
    consumeQueue(this.fanOut, this.globalQueue.queue, { batchSize: 1 });

    this.unsubscribe = new UnsubscribeEndpoint(this, "Unsubscribe", {
      state,
      publicBaseUrl: props.unsubscribeBaseUrl,
      ...functionDefaults,
    });

    this.smsConfigurationSet = new smsvoice.CfnConfigurationSet(this, "SmsConfigurationSet", {
      configurationSetName: state.configurationSetNames.sms,
      ...(props.smsSenderId !== undefined ? { defaultSenderId: props.smsSenderId } : {}),
      // Each message's delivery events, with the context the notifier attached, for the feedback function: the
      // types it maps, no others (QUEUED, PENDING and UNKNOWN would only cost SNS messages).
      eventDestinations: [
        {
          eventDestinationName: "waymark-feedback",
          enabled: true,
          matchingEventTypes: [...SMS_FEEDBACK_EVENT_TYPES],
          snsDestination: { topicArn: state.feedbackTopic.topicArn },
        },
      ],
    });

    this.notifier = new WaymarkFunction(this, "Notifier", {
      entry: handlerEntry("notifier"),
      description:
        "Waymark notifier: claims, sends (SMS through End User Messaging, email to the email topic), records",
      timeout: FUNCTION_TIMEOUT,
      ...functionDefaults,
    });
    grantTable(this.notifier, state.table, [
      "dynamodb:PutItem",
      "dynamodb:GetItem",
      "dynamodb:UpdateItem",
      "dynamodb:DeleteItem",
      "dynamodb:Query",
    ]);
    grantPutEvents(this.notifier, state.bus);
    grantPublishEmail(this.notifier, state.emailTopic);
    grantSendSms(this.notifier, {
      // By reference, so the notifier's settings wait for the configuration set to exist.
      configurationSet: {
        name: this.smsConfigurationSet.ref,
        arn: this.smsConfigurationSet.attrArn,
      },
      ...(props.sms?.originationIdentity !== undefined
        ? { originationIdentity: props.sms.originationIdentity }
        : {}),
    });
    grantUnsubscribeLinks(this.notifier, state.unsubscribeKey, this.unsubscribe.linkBaseUrl, "seal");
    // The catalog's sending rate, held by every notifier together: its counters are table items the notifier
    // already may write (UpdateItem above), and they expire by the table's TTL.
    const sendingRate = props.catalog.catalog.delivery.sendingRate;
    if (Object.keys(sendingRate).length > 0)
      this.notifier.setEnvironment("sendingRate", JSON.stringify(sendingRate));
    consumeQueue(this.notifier, this.outboundQueue.queue, {
      batchSize: 10,
      maxConcurrency: props.notifierMaxConcurrency ?? 5,
    });

    this.emailConfigurationSet = new ses.ConfigurationSet(this, "EmailConfigurationSet", {
      configurationSetName: state.configurationSetNames.email,
      // Customer email is delivered only over TLS; reputation metrics (bounce, complaint rates) go to CloudWatch.
      tlsPolicy: ses.ConfigurationSetTlsPolicy.REQUIRE,
      reputationMetrics: true,
    });
    // Opens and clicks are tracked because they are among the events published (SES adds the pixel and links).
    this.emailFeedback = new ses.CfnConfigurationSetEventDestination(this, "EmailFeedback", {
      configurationSetName: this.emailConfigurationSet.configurationSetName,
      eventDestination: {
        name: "waymark-feedback",
        enabled: true,
        matchingEventTypes: [...SES_FEEDBACK_EVENT_TYPES],
        snsDestination: { topicArn: state.feedbackTopic.topicArn },
      },
    });
    if (email) {
      this.emailQueue = new WorkQueue(this, "EmailQueue", {
        name: "email",
        deadLetterPurpose:
          "emails that could not be handed to SES ten times (throttling or errors that lasted); refusals are " +
          "recorded and announced, not dead-lettered.",
        visibilityTimeout: VISIBILITY_TIMEOUT,
        maxReceiveCount: 10,
        alarm,
        encryptionKey,
      });
      subscribeQueue(this, "EmailTopicToEmailQueue", state.emailTopic, this.emailQueue.queue);
      this.emailSender = new WaymarkFunction(this, "EmailSender", {
        entry: handlerEntry("email-sender"),
        description: "Waymark email sender: sends each email of the email topic through SES, once",
        timeout: FUNCTION_TIMEOUT,
        ...functionDefaults,
      });
      grantTable(this.emailSender, state.table, [
        "dynamodb:PutItem",
        "dynamodb:GetItem",
        "dynamodb:UpdateItem",
        "dynamodb:DeleteItem",
      ]);
      grantPutEvents(this.emailSender, state.bus);
      grantSendEmail(this.emailSender, {
        fromAddress: email.fromAddress,
        identityArn: email.identityArn,
        configurationSet: {
          name: this.emailConfigurationSet.configurationSetName,
          arn: Stack.of(this).formatArn({
            service: "ses",
            resource: "configuration-set",
            resourceName: this.emailConfigurationSet.configurationSetName,
            arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
          }),
        },
      });
      consumeQueue(this.emailSender, this.emailQueue.queue, { batchSize: 10 });
    }

    this.feedbackQueue = new WorkQueue(this, "FeedbackQueue", {
      name: "feedback",
      deadLetterPurpose:
        "provider reports (deliveries, bounces, complaints…) that could not be put on the bus five times; " +
        "the engine has not heard of them.",
      visibilityTimeout: VISIBILITY_TIMEOUT,
      maxReceiveCount: 5,
      alarm,
      encryptionKey,
    });
    subscribeQueue(this, "FeedbackTopicToFeedbackQueue", state.feedbackTopic, this.feedbackQueue.queue);
    this.feedback = new WaymarkFunction(this, "Feedback", {
      entry: handlerEntry("feedback"),
      description: "Waymark feedback: puts what SES and End User Messaging SMS report on the bus as events",
      timeout: FUNCTION_TIMEOUT,
      ...functionDefaults,
    });
    // Emit claims only: a record delivered again puts nothing twice.
    grantTable(this.feedback, state.table, [
      "dynamodb:PutItem",
      "dynamodb:GetItem",
      "dynamodb:UpdateItem",
      "dynamodb:DeleteItem",
    ]);
    grantPutEvents(this.feedback, state.bus);
    consumeQueue(this.feedback, this.feedbackQueue.queue, { batchSize: 10 });

    this.rules = (props.routes ?? routesFor(props.catalog.catalog)).map((route) =>
      this.addRoute(route, state),
    );
    // Last: it graphs every queue and function above.
    this.operations = new OperationsDashboard(this, "Operations", this, {
      busName: state.busName,
      alarm,
      engine: this.engine,
      factsStreamName: state.factsStream.streamName,
    });
  }

  /**
   * One bus rule per declared route. The pattern is passed to CloudFormation verbatim: the declaration is
   * raw EventBridge JSON (`detail-type`, `anything-but`…), the same document the local runtime matches with.
   */
  private addRoute(route: Route, state: WaymarkStateResources): events.CfnRule {
    const target = this.targetQueue(route.target);
    const rule = new events.CfnRule(this, `Route${route.id}`, {
      eventBusName: state.bus.eventBusName,
      description: route.description,
      eventPattern: route.pattern,
      state: "ENABLED",
      targets: [
        {
          id: route.target,
          arn: target.queueArn,
          deadLetterConfig: { arn: this.ruleDeadLetter.queue.queueArn },
          retryPolicy: RULE_RETRY_POLICY,
        },
      ],
    });
    // EventBridge delivers as a service; only this rule may send, to its target and to its dead-letter queue.
    for (const queue of [target, this.ruleDeadLetter.queue]) {
      queue.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: `Route${route.id}`,
          principals: [new iam.ServicePrincipal("events.amazonaws.com")],
          actions: ["sqs:SendMessage"],
          resources: [queue.queueArn],
          conditions: { ArnEquals: { "aws:SourceArn": rule.attrArn } },
        }),
      );
    }
    return rule;
  }

  private targetQueue(target: Route["target"]): sqs.IQueue {
    switch (target) {
      case "ingest":
        return this.ingestQueue.queue;
      default:
        return assertNever(target);
    }
  }
}

function assertNever(value: never): never {
  throw new Error(`unhandled route target: ${String(value)}`);
}

const EMAIL_ADDRESS = /^[^\s@<>()"',;:]+@((?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,})$/;
const SES_IDENTITY_ARN = /^arn:aws[a-z-]*:ses:[a-z0-9-]+:\d{12}:identity\/[^\s/]+$/;

/** The email settings checked, with the identity ARN derived when it is not given; undefined without them. */
function emailSettings(
  scope: Construct,
  settings: WaymarkEmailSettings | undefined,
): Required<WaymarkEmailSettings> | undefined {
  if (settings === undefined) return undefined;
  const { fromAddress, identityArn } = settings;
  if (identityArn !== undefined && !Token.isUnresolved(identityArn) && !SES_IDENTITY_ARN.test(identityArn)) {
    throw new Error(
      "email.identityArn must be an SES identity ARN (arn:<partition>:ses:<region>:<account>:identity/<name>), " +
        `got ${JSON.stringify(identityArn)}`,
    );
  }
  if (Token.isUnresolved(fromAddress)) {
    if (identityArn === undefined)
      throw new Error("email.identityArn is required when email.fromAddress is only known at deploy time");
    return { fromAddress, identityArn };
  }
  const domain = EMAIL_ADDRESS.exec(fromAddress)?.[1];
  if (domain === undefined) {
    throw new Error(
      `email.fromAddress must be an email address like no-reply@example.com (no display name), got ${JSON.stringify(fromAddress)}`,
    );
  }
  return {
    fromAddress,
    identityArn:
      identityArn ??
      Stack.of(scope).formatArn({
        service: "ses",
        resource: "identity",
        resourceName: domain.toLowerCase(),
        arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
      }),
  };
}

/** End User Messaging SMS's own limits, checked at synth rather than at the first SMS. */
function validateSmsSettings(props: WaymarkRuntimeProps): void {
  const senderId = props.smsSenderId;
  if (senderId !== undefined && !Token.isUnresolved(senderId) && !/^[A-Za-z0-9_-]{1,11}$/.test(senderId)) {
    throw new Error(
      `smsSenderId must be 1-11 letters, digits, '-' or '_' (a sender ID), got ${JSON.stringify(senderId)}`,
    );
  }
  const identity = props.sms?.originationIdentity;
  if (
    identity !== undefined &&
    !Token.isUnresolved(identity) &&
    !/^[A-Za-z0-9_:/+-]{1,256}$/.test(identity)
  ) {
    throw new Error(
      "sms.originationIdentity must be a phone number (E.164), a sender ID, or a phone number, sender ID or " +
        `pool id or ARN, got ${JSON.stringify(identity)}`,
    );
  }
}

/** Links go to customers: https only, no trailing slash (templates append `/path`). */
function checkedLinkBase(url: string): string {
  if (!/^https:\/\/[^/\s]+(\/[^\s]*)?$/.test(url)) {
    throw new Error(
      `linkBaseUrl must be an https URL like https://go.example.com, got ${JSON.stringify(url)}`,
    );
  }
  return url.replace(/\/+$/, "");
}
