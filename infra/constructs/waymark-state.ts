import { ArnFormat, Duration, RemovalPolicy, Stack, Token } from "aws-cdk-lib";
import * as dynamodb from "aws-cdk-lib/aws-dynamodb";
import * as events from "aws-cdk-lib/aws-events";
import * as eventschemas from "aws-cdk-lib/aws-eventschemas";
import * as iam from "aws-cdk-lib/aws-iam";
import * as kms from "aws-cdk-lib/aws-kms";
import * as logs from "aws-cdk-lib/aws-logs";
import * as scheduler from "aws-cdk-lib/aws-scheduler";
import * as sns from "aws-cdk-lib/aws-sns";
import { EmailSubscription } from "aws-cdk-lib/aws-sns-subscriptions";
import { Construct } from "constructs";
import { DEFAULT_BUS_NAME, emittedEvents } from "../../events/catalog.ts";
import { jsonSchemaDocuments, SCHEMA_REGISTRY_TYPE } from "../../events/json-schema.ts";
import { table as tableDefinition } from "../../functions/config/table.ts";
import type { AnyEventDescriptor } from "../../functions/core/catalog/define-event.ts";
import { MeasurementStore, type WaymarkFactsSettings } from "./measurement-store.ts";
import type { AlarmTarget } from "./queues.ts";

export interface WaymarkStateProps {
  /** Its events' JSON Schemas are published to the schema registry. @default the reference catalog's events */
  catalog?: { readonly events: readonly AnyEventDescriptor[] };
  /**
   * Name of the EventBridge bus upstream systems put events on. It also names the schedule group,
   * the schema registry, key aliases and alarms, so it must be unique per account and region.
   * @default "waymark"
   */
  busName?: string;
  /** Accounts (12-digit ids) allowed to put events on the bus. */
  allowedAccounts?: readonly string[];
  /** An AWS Organizations id (`o-…`) whose accounts may put events on the bus. */
  organizationId?: string;
  /**
   * What happens to the data (table, keys, archive, pending timers, topics) when the construct is
   * removed from the app or the stack is deleted.
   * @default RemovalPolicy.RETAIN
   */
  removalPolicy?: RemovalPolicy;
  /** @default true unless removalPolicy is DESTROY */
  deletionProtection?: boolean;
  /** @default 30 days */
  archiveRetention?: Duration;
  /** An address subscribed to the alarm topic (it must confirm the subscription). */
  alarmEmail?: string;
  /** How long lifecycle facts are kept, when they tier, what one measurement query may scan. */
  facts?: WaymarkFactsSettings;
}

/**
 * What the runtime needs from the stateful part. `WaymarkState` provides it; the interface lets the
 * runtime live in another stack (CDK turns the references into exports) or sit on resources imported
 * from elsewhere.
 */
export interface WaymarkStateResources {
  /** The bus name as a plain string: it is also used to name runtime resources. */
  readonly busName: string;
  readonly bus: events.IEventBus;
  /** The single table; its `encryptionKey` is granted along with it. */
  readonly table: dynamodb.ITable;
  /** Email notifications are published here; its `masterKey` is granted along with it. */
  readonly emailTopic: sns.ITopic;
  /**
   * What SES and End User Messaging SMS report about each message (their configuration sets' event
   * destination), for the feedback function. Its policy, and its key's, let them publish for the configuration
   * sets in `configurationSetNames` only.
   */
  readonly feedbackTopic: sns.ITopic;
  /** Where dead-letter alarms go, and the alarm-name prefix the topic's key trusts. */
  readonly alarms: AlarmTarget;
  /** The EventBridge Scheduler group that holds pending journey timers. */
  readonly scheduleGroupName: string;
  /** The HMAC key that signs one-click unsubscribe links. */
  readonly unsubscribeKey: kms.IKey;
  /**
   * The customer-data key: the runtime encrypts its queues and the rejected events' claim checks with it. Its
   * policy must let EventBridge use it for the bus's rules, as WaymarkState's does, so that a runtime in
   * another stack needs nothing added to it (a key imported from elsewhere needs the same statement).
   */
  readonly dataKey: kms.IKey;
  /**
   * The names the runtime gives its SES and End User Messaging SMS configuration sets (`deliveryConfigurationSets`):
   * the state names them, so that what may report to its feedback topic never depends on the runtime.
   */
  readonly configurationSetNames: DeliveryConfigurationSetNames;
  /** The Firehose stream the engine puts lifecycle facts on (it needs `firehose:PutRecordBatch` on it, no key). */
  readonly factsStream: { readonly streamName: string; readonly streamArn: string };
}

export interface DeliveryConfigurationSetNames {
  /** The SES configuration set every email is sent with. */
  readonly email: string;
  /** The End User Messaging SMS configuration set every SMS is sent with. */
  readonly sms: string;
}

/** One bus, one pair of configuration sets, named after it (the bus name is unique per account and region). */
export function deliveryConfigurationSets(busName: string): DeliveryConfigurationSetNames {
  return { email: `${busName}-email`, sms: `${busName}-sms` };
}

const NAME_PATTERN = /^[A-Za-z0-9_-]{1,40}$/;
const ACCOUNT_PATTERN = /^\d{12}$/;
const ORGANIZATION_PATTERN = /^o-[a-z0-9]{10,32}$/;

/**
 * Everything in Waymark that holds data or identity: keys, the table, the bus with its archive and
 * policy, the topics, the schema registry, the schedule group with the pending timers, and the lifecycle facts
 * with the Glue table and Athena workgroup that read them. Keeping these apart from the functions and queues
 * means the runtime can be torn down and redeployed freely without losing a customer, a pending timer, a
 * confirmed alarm subscription or a day of measurement.
 */
export class WaymarkState extends Construct implements WaymarkStateResources {
  readonly busName: string;
  /**
   * Encrypts customer data at rest: the table, the email and feedback topics, the bus archive, and in the runtime every
   * queue and the rejected events' claim checks.
   */
  readonly dataKey: kms.Key;
  /** Encrypts the alarm topic; its policy lets CloudWatch use it for Waymark's alarms only. */
  readonly alarmKey: kms.Key;
  /**
   * HMAC-SHA-256 key that signs and verifies one-click unsubscribe links. It is state: every link in an
   * email already sent stops working if this key is replaced.
   */
  readonly unsubscribeKey: kms.Key;
  readonly table: dynamodb.Table;
  readonly bus: events.EventBus;
  readonly archive: events.CfnArchive;
  readonly busPolicies: events.CfnEventBusPolicy[];
  readonly emailTopic: sns.Topic;
  readonly feedbackTopic: sns.Topic;
  readonly alarmTopic: sns.Topic;
  readonly alarms: AlarmTarget;
  readonly scheduleGroup: scheduler.ScheduleGroup;
  readonly scheduleGroupName: string;
  readonly schemaRegistry: eventschemas.CfnRegistry;
  readonly schemas: eventschemas.CfnSchema[];
  readonly configurationSetNames: DeliveryConfigurationSetNames;
  /** Lifecycle facts at rest and how they are read: the bucket, the Glue table, the Athena workgroup and queries. */
  readonly measurement: MeasurementStore;
  readonly factsStream: { readonly streamName: string; readonly streamArn: string };

  constructor(scope: Construct, id: string, props: WaymarkStateProps = {}) {
    super(scope, id);
    const busName = props.busName ?? DEFAULT_BUS_NAME;
    validateProps(busName, props);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const stack = Stack.of(this);
    this.busName = busName;
    this.configurationSetNames = deliveryConfigurationSets(busName);

    this.dataKey = new kms.Key(this, "DataKey", {
      description: `Waymark (${busName}): customer data at rest (table, topics, archive, queues, claim checks)`,
      alias: `alias/${busName}/data`,
      enableKeyRotation: true,
      pendingWindow: Duration.days(30),
      removalPolicy,
    });
    this.alarmKey = new kms.Key(this, "AlarmKey", {
      description: `Waymark (${busName}): operational alarm notifications`,
      alias: `alias/${busName}/alarms`,
      enableKeyRotation: true,
      pendingWindow: Duration.days(30),
      removalPolicy,
    });

    // KMS rotates only symmetric encryption keys automatically. An HMAC key is rotated by replacing it,
    // which invalidates every unsubscribe link signed with the old one: do that only if it is compromised.
    this.unsubscribeKey = new kms.Key(this, "UnsubscribeKey", {
      description: `Waymark (${busName}): signs one-click unsubscribe links (HMAC-SHA-256)`,
      alias: `alias/${busName}/unsubscribe-links`,
      keySpec: kms.KeySpec.HMAC_256,
      keyUsage: kms.KeyUsage.GENERATE_VERIFY_MAC,
      pendingWindow: Duration.days(30),
      removalPolicy,
    });

    this.table = new dynamodb.Table(this, "Table", {
      partitionKey: { name: tableDefinition.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: tableDefinition.sortKey, type: dynamodb.AttributeType.STRING },
      // On-demand: traffic follows campaigns and recalls, with nothing to pay for between them.
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.dataKey,
      // Items that lose their use on their own (the sending-rate counters) are deleted by DynamoDB, for free.
      timeToLiveAttribute: tableDefinition.timeToLiveAttribute,
      deletionProtection: props.deletionProtection ?? removalPolicy !== RemovalPolicy.DESTROY,
      removalPolicy,
    });

    this.bus = new events.EventBus(this, "Bus", {
      eventBusName: busName,
      description: "Customer events for Waymark journeys, and the events Waymark emits",
    });
    this.bus.applyRemovalPolicy(removalPolicy);
    // L1 resources for the policy and the archive: the L2 `addToResourcePolicy` sets a deprecated property,
    // and the L2 `Archive` renders `KmsKeyIdentifier: ""`, which CloudFormation rejects in some regions
    // (aws/aws-cdk#37847).
    this.busPolicies = busPolicyStatements(stack, this.bus.eventBusArn, props).map(
      (statement) =>
        new events.CfnEventBusPolicy(this, `BusPolicy${statement.sid}`, {
          eventBusName: this.bus.eventBusName,
          statementId: statement.sid!,
          statement: statement.toStatementJson(),
        }),
    );
    this.allowEventBridgeToUseDataKey(stack, busName);
    // Every event, inbound and emitted, so that a journey bug can be fixed and the affected events replayed.
    // Encrypted with the data key like the rest of the customer data, rather than with an AWS owned key.
    this.archive = new events.CfnArchive(this, "Archive", {
      sourceArn: this.bus.eventBusArn,
      description: `Every event on ${busName}, for replay`,
      eventPattern: { source: [{ prefix: "" }] },
      retentionDays: (props.archiveRetention ?? Duration.days(30)).toDays(),
      kmsKeyIdentifier: this.dataKey.keyArn,
    });
    this.archive.applyRemovalPolicy(removalPolicy);

    this.emailTopic = new sns.Topic(this, "EmailTopic", {
      displayName: "Waymark email notifications",
      masterKey: this.dataKey,
      enforceSSL: true,
    });
    this.emailTopic.applyRemovalPolicy(removalPolicy);
    this.allowTopicsToDeliverToQueues(stack);

    // Provider reports name customers' addresses and numbers: encrypted with the data key like the rest.
    this.feedbackTopic = new sns.Topic(this, "FeedbackTopic", {
      displayName: "Waymark delivery feedback (SES and End User Messaging SMS events)",
      masterKey: this.dataKey,
      enforceSSL: true,
    });
    this.feedbackTopic.applyRemovalPolicy(removalPolicy);
    this.allowProvidersToReport(stack);

    const alarmNamePrefix = `${busName}-`;
    this.alarmTopic = new sns.Topic(this, "AlarmTopic", {
      displayName: "Waymark alarms",
      masterKey: this.alarmKey,
      enforceSSL: true,
    });
    this.alarmTopic.applyRemovalPolicy(removalPolicy);
    this.allowAlarmsToPublish(stack, alarmNamePrefix);
    if (props.alarmEmail) this.alarmTopic.addSubscription(new EmailSubscription(props.alarmEmail));
    this.alarms = { topic: this.alarmTopic, namePrefix: alarmNamePrefix };

    // Timers are journey state: deleting a schedule group deletes the schedules in it.
    this.scheduleGroupName = `${busName}-timers`;
    this.scheduleGroup = new scheduler.ScheduleGroup(this, "Timers", {
      scheduleGroupName: this.scheduleGroupName,
      removalPolicy,
    });

    this.measurement = new MeasurementStore(this, "Measurement", {
      ...props.facts,
      busName,
      encryptionKey: this.dataKey,
      accessLogRetention: Duration.days(90),
      logRetention: logs.RetentionDays.ONE_MONTH,
      removalPolicy,
    });
    this.factsStream = this.measurement.stream;

    this.schemaRegistry = new eventschemas.CfnRegistry(this, "SchemaRegistry", {
      registryName: busName,
      description: `Waymark event contract: JSON Schema of every event on the ${busName} bus`,
    });
    this.schemaRegistry.applyRemovalPolicy(removalPolicy);
    this.schemas = jsonSchemaDocuments(props.catalog?.events).map((document) => {
      const schema = new eventschemas.CfnSchema(this, `Schema${document.detailType}`, {
        registryName: this.schemaRegistry.attrRegistryName,
        schemaName: document.schemaName,
        type: SCHEMA_REGISTRY_TYPE,
        content: document.content,
        description: `The ${document.detailType} event`,
      });
      schema.applyRemovalPolicy(removalPolicy);
      return schema;
    });
  }

  /**
   * EventBridge uses the data key as a service, in two roles, each limited to Waymark's own bus:
   * - its rules deliver to SQS queues encrypted with the key (the ingest queue, and the rules' dead-letter
   *   queue), which makes SQS ask KMS for a data key on EventBridge's behalf: allowed for the rules of this
   *   account's bus only. The runtime (another stack, perhaps) creates the rules, so they are named by the
   *   pattern of their ARNs (`rule/<bus>/*`) rather than one by one: the state never depends on the runtime.
   * - the archive encrypts the events it keeps: allowed only under the encryption context EventBridge binds
   *   to this bus's archive (AWS's "Encrypting EventBridge archives with AWS KMS keys"). `kms:ReEncrypt*`
   *   is written out as its two actions. `kms:DescribeKey`, with which EventBridge resolves the key's ARN
   *   and checks that it is symmetric, carries no encryption context to condition on and reveals only the
   *   key's metadata.
   */
  private allowEventBridgeToUseDataKey(stack: Stack, busName: string): void {
    const eventBridge = new iam.ServicePrincipal("events.amazonaws.com");
    this.dataKey.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: "EventBridgeRulesDeliverToQueues",
        principals: [eventBridge],
        actions: ["kms:GenerateDataKey", "kms:Decrypt"],
        // In a key policy, "*" is the key itself.
        resources: ["*"],
        conditions: {
          StringEquals: { "aws:SourceAccount": stack.account },
          ArnLike: {
            "aws:SourceArn": stack.formatArn({
              service: "events",
              resource: "rule",
              resourceName: `${busName}/*`,
              arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
            }),
          },
        },
      }),
    );
    this.dataKey.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: "EventBridgeArchiveDescribeKey",
        principals: [eventBridge],
        actions: ["kms:DescribeKey"],
        resources: ["*"],
      }),
    );
    this.dataKey.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: "EventBridgeArchiveUseKey",
        principals: [eventBridge],
        actions: ["kms:GenerateDataKey", "kms:Decrypt", "kms:ReEncryptFrom", "kms:ReEncryptTo"],
        resources: ["*"],
        conditions: {
          StringEquals: { "kms:EncryptionContext:aws:events:event-bus:arn": this.bus.eventBusArn },
        },
      }),
    );
  }

  /**
   * SNS delivers Waymark's topics to queues encrypted with the data key (the runtime's email queue), and SQS then
   * asks KMS for a data key on SNS's behalf: allowed for topics of this account and region. The topics are named
   * by the pattern of their ARNs, not one by one: a topic encrypted with this key cannot be named in its policy
   * (a cycle). Which topic may send to which queue is each queue's policy, which names its one topic; the runtime
   * subscribes its queues without adding anything here, so the state never depends on it.
   */
  private allowTopicsToDeliverToQueues(stack: Stack): void {
    this.dataKey.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: "TopicsDeliverToQueues",
        principals: [new iam.ServicePrincipal("sns.amazonaws.com")],
        actions: ["kms:GenerateDataKey", "kms:Decrypt"],
        // In a key policy, "*" is the key itself.
        resources: ["*"],
        conditions: {
          StringEquals: { "aws:SourceAccount": stack.account },
          ArnLike: {
            "aws:SourceArn": stack.formatArn({
              service: "sns",
              resource: "*",
              arnFormat: ArnFormat.NO_RESOURCE_NAME,
            }),
          },
        },
      }),
    );
  }

  /**
   * SES and End User Messaging SMS publish their configuration sets' events to the feedback topic as services:
   * the topic policy lets each publish, and the key policy lets it encrypt, only for this account's
   * configuration set of its own, named by the state (`aws:SourceAccount`, `aws:SourceArn`). The runtime
   * creates the configuration sets under those names, so nothing here refers to it.
   */
  private allowProvidersToReport(stack: Stack): void {
    const providers = [
      { sid: "Ses", service: "ses", configurationSet: this.configurationSetNames.email },
      { sid: "SmsVoice", service: "sms-voice", configurationSet: this.configurationSetNames.sms },
    ];
    for (const { sid, service, configurationSet } of providers) {
      const principal = new iam.ServicePrincipal(`${service}.amazonaws.com`);
      const conditions = {
        StringEquals: {
          "aws:SourceAccount": stack.account,
          "aws:SourceArn": stack.formatArn({
            service,
            resource: "configuration-set",
            resourceName: configurationSet,
            arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
          }),
        },
      };
      this.feedbackTopic.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: `${sid}PublishesFeedback`,
          principals: [principal],
          actions: ["sns:Publish"],
          resources: [this.feedbackTopic.topicArn],
          conditions,
        }),
      );
      this.dataKey.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: `${sid}EncryptsFeedback`,
          principals: [principal],
          actions: ["kms:GenerateDataKey", "kms:Decrypt"],
          // In a key policy, "*" is the key itself.
          resources: ["*"],
          conditions,
        }),
      );
    }
  }

  /**
   * CloudWatch publishes alarm notifications as a service: it needs the topic policy to let it publish and
   * the key policy to let it encrypt. Both are limited to this account's alarms whose names carry the prefix.
   */
  private allowAlarmsToPublish(stack: Stack, alarmNamePrefix: string): void {
    const cloudwatch = new iam.ServicePrincipal("cloudwatch.amazonaws.com");
    const conditions = {
      StringEquals: { "aws:SourceAccount": stack.account },
      ArnLike: {
        "aws:SourceArn": stack.formatArn({
          service: "cloudwatch",
          resource: "alarm",
          resourceName: `${alarmNamePrefix}*`,
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
      },
    };
    this.alarmTopic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: "CloudWatchAlarmsPublish",
        principals: [cloudwatch],
        actions: ["sns:Publish"],
        resources: [this.alarmTopic.topicArn],
        conditions,
      }),
    );
    this.alarmKey.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: "CloudWatchAlarmsUseKey",
        principals: [cloudwatch],
        actions: ["kms:Decrypt", "kms:GenerateDataKey"],
        // In a key policy, "*" is the key itself.
        resources: ["*"],
        conditions,
      }),
    );
  }
}

/**
 * Who may put events on the bus: the listed accounts, the organisation, or — when neither is configured —
 * only the account Waymark is deployed in. Principals in that account still need `events:PutEvents` in
 * their own IAM policies; the bus policy only decides which accounts can be let in at all.
 */
function busPolicyStatements(stack: Stack, busArn: string, props: WaymarkStateProps): iam.PolicyStatement[] {
  const statements: iam.PolicyStatement[] = [];
  const accounts = props.allowedAccounts ?? [];
  if (accounts.length > 0 || !props.organizationId) {
    statements.push(
      new iam.PolicyStatement({
        sid: accounts.length > 0 ? "PutEventsFromAllowedAccounts" : "PutEventsFromOwnAccount",
        principals: (accounts.length > 0 ? accounts : [stack.account]).map(
          (account) => new iam.AccountPrincipal(account),
        ),
        actions: ["events:PutEvents"],
        resources: [busArn],
      }),
    );
  }
  // What only Waymark may say: its own sources (waymark, waymark.notifier, waymark.unsubscribe) and the
  // events it emits. Another account allowed on the bus could otherwise forge an escalation, a
  // NotificationSent or an unsubscribe; an explicit Deny wins over every Allow above.
  const denyFromOtherAccounts = (sid: string, condition: Record<string, Record<string, string[]>>) =>
    new iam.PolicyStatement({
      sid,
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: ["events:PutEvents"],
      resources: [busArn],
      conditions: { StringNotEquals: { "aws:PrincipalAccount": stack.account }, ...condition },
    });
  statements.push(
    denyFromOtherAccounts("DenyWaymarkSourcesFromOtherAccounts", {
      StringLike: { "events:source": ["waymark", "waymark.*"] },
    }),
    denyFromOtherAccounts("DenyWaymarkEventsFromOtherAccounts", {
      "ForAnyValue:StringEquals": { "events:detail-type": emittedDetailTypes(props) },
    }),
  );
  if (props.organizationId) {
    statements.push(
      new iam.PolicyStatement({
        sid: "PutEventsFromOrganization",
        principals: [new iam.AnyPrincipal()],
        actions: ["events:PutEvents"],
        resources: [busArn],
        conditions: { StringEquals: { "aws:PrincipalOrgID": props.organizationId } },
      }),
    );
  }
  return statements;
}

/** The detail-types Waymark emits for the catalog (its own and the catalog's custom emitted events). */
function emittedDetailTypes(props: WaymarkStateProps): string[] {
  const events = props.catalog?.events ?? emittedEvents;
  return events.filter((event) => event.direction === "emitted").map((event) => event.detailType);
}

function validateProps(busName: string, props: WaymarkStateProps): void {
  if (Token.isUnresolved(busName) || !NAME_PATTERN.test(busName)) {
    throw new Error(
      `busName must be a literal of 1-40 letters, digits, '-' or '_' (it also names the schedule group, ` +
        `registry, key aliases and alarms); got ${JSON.stringify(busName)}`,
    );
  }
  for (const account of props.allowedAccounts ?? []) {
    if (!Token.isUnresolved(account) && !ACCOUNT_PATTERN.test(account)) {
      throw new Error(`allowedAccounts: ${JSON.stringify(account)} is not a 12-digit AWS account id`);
    }
  }
  const organizationId = props.organizationId;
  if (organizationId !== undefined && !Token.isUnresolved(organizationId)) {
    if (!ORGANIZATION_PATTERN.test(organizationId)) {
      throw new Error(
        `organizationId: ${JSON.stringify(organizationId)} is not an AWS Organizations id (o-…)`,
      );
    }
  }
}
