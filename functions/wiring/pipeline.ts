/**
 * The one place that wires Waymark's pipeline: which ports each function's use cases get. The Lambda entry
 * modules, the local runtime and the test pipeline all call these, each with the adapters of its world
 * (AWS clients, local queues and timers, mocked clients), so the wiring cannot drift apart between them.
 *
 * One function per Lambda, taking only the ports that function uses: a bundle then contains only the
 * adapters (and SDK clients) its own function needs.
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { DynamoDbCustomerRepository } from "../adapters/dynamodb-customer-repository.ts";
import { DynamoDbEmitClaims } from "../adapters/dynamodb-emit-claims.ts";
import { DynamoDbFanOutCheckpoints } from "../adapters/dynamodb-fan-out-checkpoints.ts";
import { DynamoDbNotificationStore } from "../adapters/dynamodb-notification-store.ts";
import { DynamoDbOwnerIndex } from "../adapters/dynamodb-owner-index.ts";
import { DynamoDbStoreDirectory } from "../adapters/dynamodb-store-directory.ts";
import type { Catalog } from "../core/catalog/catalog.ts";
import type { AudienceLists } from "../ports/audience-lists.ts";
import type { DeliveryClaims } from "../ports/delivery-claims.ts";
import type { EmailTransport } from "../ports/email-transport.ts";
import type { EngineQueue } from "../ports/engine-queue.ts";
import type { EmitClaims, EventEmitter } from "../ports/event-emitter.ts";
import type { FactSink } from "../ports/fact-sink.ts";
import type { EmailSender, MessageSender, SmsSender } from "../ports/message-sender.ts";
import type { NotificationQueue } from "../ports/notification-queue.ts";
import type { NotificationStore } from "../ports/notification-store.ts";
import type { RejectedEventSink } from "../ports/rejected-event-sink.ts";
import type { SendingRateLimiter } from "../ports/sending-rate.ts";
import type { TimerScheduler } from "../ports/timer-scheduler.ts";
import type { WorkQueue } from "../ports/work-queue.ts";
import { ClaimedEventEmitter } from "../use-cases/claimed-event-emitter.ts";
import type { NotifierDependencies } from "../use-cases/deliver-notification.ts";
import { makeNoticeEnricher } from "../use-cases/enrich-notice.ts";
import type { GlobalDependencies } from "../use-cases/handle-global-message.ts";
import type { IngestDependencies } from "../use-cases/ingest-events.ts";
import type { EngineDependencies } from "../use-cases/process-engine-input.ts";
import type { FeedbackDependencies } from "../use-cases/relay-feedback.ts";
import type { EmailSenderDependencies } from "../use-cases/send-email.ts";
import type { UnsubscribeLinks } from "../use-cases/unsubscribe-links.ts";
import { updateStoreInventory } from "../use-cases/update-store-inventory.ts";

/**
 * The document client every DynamoDB adapter uses: `undefined` attributes are dropped rather than
 * rejected (optional fields of the state are left out, not stored as NULL).
 */
export function documentClient(client: DynamoDBClient = new DynamoDBClient({})): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}

/** Waymark's table, behind each port that reads or writes it. */
export interface TablePorts {
  customers: DynamoDbCustomerRepository;
  notificationStore: DynamoDbNotificationStore;
  emitClaims: DynamoDbEmitClaims;
  owners: DynamoDbOwnerIndex;
  stores: DynamoDbStoreDirectory;
  checkpoints: DynamoDbFanOutCheckpoints;
}

/** `clock` is the store directory's (reservations expire by it): the virtual clock locally. */
export function tablePorts(
  documents: DynamoDBDocumentClient,
  tableName: string,
  clock?: () => Date,
): TablePorts {
  return {
    customers: new DynamoDbCustomerRepository(documents, tableName),
    notificationStore: new DynamoDbNotificationStore(documents, tableName),
    emitClaims: new DynamoDbEmitClaims(documents, tableName),
    owners: new DynamoDbOwnerIndex(documents, tableName),
    stores: clock
      ? new DynamoDbStoreDirectory(documents, tableName, clock)
      : new DynamoDbStoreDirectory(documents, tableName),
    checkpoints: new DynamoDbFanOutCheckpoints(documents, tableName),
  };
}

export interface IngestPorts {
  catalog: Catalog;
  /** Who may put global events that reach owners; absent: any source the bus admits. */
  globalSources?: readonly string[];
  clock: () => Date;
  engineQueue: EngineQueue;
  globalQueue: WorkQueue;
  rejected: RejectedEventSink;
}

export function ingestDependencies(ports: IngestPorts): IngestDependencies {
  return {
    catalog: ports.catalog,
    clock: ports.clock,
    engineQueue: ports.engineQueue,
    globalQueue: ports.globalQueue,
    rejected: ports.rejected,
    ...(ports.globalSources ? { globalSources: ports.globalSources } : {}),
  };
}

export interface EnginePorts {
  catalog: Catalog;
  clock: () => Date;
  table: Pick<TablePorts, "customers" | "owners" | "stores" | "emitClaims">;
  timers: TimerScheduler;
  outbound: NotificationQueue;
  /** Emits Waymark's own events (source `waymark`). */
  events: EventEmitter;
  /** Lifecycle facts for measurement (Firehose in AWS, the local store locally). */
  facts?: FactSink;
}

export function engineDependencies(ports: EnginePorts): EngineDependencies {
  return {
    catalog: ports.catalog,
    clock: ports.clock,
    customers: ports.table.customers,
    owners: ports.table.owners,
    enrichNotice: makeNoticeEnricher(ports.table.stores, ports.catalog),
    timers: ports.timers,
    notifications: ports.outbound,
    events: new ClaimedEventEmitter(ports.events, ports.table.emitClaims, ports.clock),
    ...(ports.facts ? { facts: ports.facts } : {}),
  };
}

/** One sender per channel, as the notifier takes them: SMS through one provider, email through another. */
export function messageSender(channels: { sms: SmsSender; email: EmailSender }): MessageSender {
  return {
    sendSms: (message) => channels.sms.sendSms(message),
    sendEmail: (message) => channels.email.sendEmail(message),
  };
}

export interface NotifierPorts {
  clock: () => Date;
  store: NotificationStore;
  sender: MessageSender;
  /** Emits Waymark's own events (source `waymark`). */
  events: EventEmitter;
  /** Puts what the notifier learns (carrier opt-outs) back on the bus as input (source `waymark.notifier`). */
  feedback: EventEmitter;
  /** Where each emitted event is claimed, so a redelivered message emits nothing twice. */
  emitClaims: EmitClaims;
  unsubscribe: UnsubscribeLinks;
  /** The catalog's sending rate, shared by every notifier; absent: no pacing (none configured, or locally). */
  rate?: SendingRateLimiter;
}

export function notifierDependencies(ports: NotifierPorts): NotifierDependencies {
  return {
    clock: ports.clock,
    store: ports.store,
    sender: ports.sender,
    events: new ClaimedEventEmitter(ports.events, ports.emitClaims, ports.clock),
    feedback: new ClaimedEventEmitter(ports.feedback, ports.emitClaims, ports.clock),
    unsubscribe: ports.unsubscribe,
    ...(ports.rate ? { rate: ports.rate } : {}),
  };
}

export interface EmailSenderPorts {
  clock: () => Date;
  /** The email delivery claims (`DELIVERY#email#<notificationId>`): a redelivered document sends nothing. */
  claims: DeliveryClaims;
  transport: EmailTransport;
  /** Puts what the provider refused for good back on the bus as input (source `waymark.feedback`). */
  feedback: EventEmitter;
  emitClaims: EmitClaims;
}

export function emailSenderDependencies(ports: EmailSenderPorts): EmailSenderDependencies {
  return {
    clock: ports.clock,
    claims: ports.claims,
    transport: ports.transport,
    feedback: new ClaimedEventEmitter(ports.feedback, ports.emitClaims, ports.clock),
  };
}

export interface FeedbackPorts {
  clock: () => Date;
  /** Puts the providers' reports on the bus as input (source `waymark.feedback`). */
  events: EventEmitter;
  /** Where each feedback event is claimed, so a record delivered again puts nothing twice. */
  emitClaims: EmitClaims;
}

export function feedbackDependencies(ports: FeedbackPorts): FeedbackDependencies {
  return { events: new ClaimedEventEmitter(ports.events, ports.emitClaims, ports.clock) };
}

export interface FanOutPorts {
  catalog: Catalog;
  clock: () => Date;
  table: Pick<TablePorts, "owners" | "stores" | "checkpoints">;
  engineQueue: EngineQueue;
  /** The global queue: where a fan-out job goes back when the invocation's time is up. */
  globalQueue: WorkQueue;
  /**
   * Pace the fan-out to the catalog's sending rate (SQS holds the next page back). The local runtime
   * does not: its time is virtual and moves only when asked. @default true
   */
  paced?: boolean;
  /** Where audience lists are read (the audience bucket in AWS, files locally); absent: none are. */
  audiences?: AudienceLists;
}

/** The slowest configured sending rate: every owner may be messaged on that channel. */
function paceOf(catalog: Catalog): { ownersPerSecond?: number } {
  const rates = Object.values(catalog.delivery.sendingRate).filter(
    (rate): rate is number => rate !== undefined,
  );
  return rates.length > 0 ? { ownersPerSecond: Math.min(...rates) } : {};
}

export function fanOutDependencies(ports: FanOutPorts): Omit<GlobalDependencies, "remainingMs"> {
  return {
    catalog: ports.catalog,
    clock: ports.clock,
    owners: ports.table.owners,
    checkpoints: ports.table.checkpoints,
    engineQueue: ports.engineQueue,
    workQueue: ports.globalQueue,
    ...(ports.paced === false ? {} : paceOf(ports.catalog)),
    ...(ports.audiences ? { audiences: ports.audiences } : {}),
    applyInventory: async (event) =>
      void (await updateStoreInventory(event, { directory: ports.table.stores })),
  };
}
