import { randomUUID } from "node:crypto";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import {
  CreateTableCommand,
  DeleteTableCommand,
  DynamoDBClient,
  waitUntilTableExists,
  waitUntilTableNotExists,
} from "@aws-sdk/client-dynamodb";
import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { type DynamoDBDocumentClient, ScanCommand } from "@aws-sdk/lib-dynamodb";
import type { Context, SQSEvent } from "aws-lambda";
import dynalite from "dynalite";
import { DEFAULT_BUS_NAME, WAYMARK_SOURCE } from "../../events/catalog.ts";
import { MAX_EVENT_DEPTH, nestsDeeperThan } from "../../events/json-depth.ts";
import { EventPublisher, entrySize, MAX_REQUEST_BYTES } from "../../events/publisher.ts";
import { NOTIFIER_SOURCE, routesFor, UNSUBSCRIBE_SOURCE } from "../../events/routing.ts";
import type { DynamoDbCustomerRepository } from "../../functions/adapters/dynamodb-customer-repository.ts";
import type { DynamoDbFanOutCheckpoints } from "../../functions/adapters/dynamodb-fan-out-checkpoints.ts";
import type { DynamoDbNotificationStore } from "../../functions/adapters/dynamodb-notification-store.ts";
import type { DynamoDbOwnerIndex } from "../../functions/adapters/dynamodb-owner-index.ts";
import type { DynamoDbStoreDirectory } from "../../functions/adapters/dynamodb-store-directory.ts";
import { EventBridgeEventEmitter } from "../../functions/adapters/eventbridge-event-emitter.ts";
import { HmacTokenSigner } from "../../functions/adapters/hmac-token-signer.ts";
import { createTableInput } from "../../functions/config/create-table-input.ts";
import { table as tableLayout } from "../../functions/config/table.ts";
import type { Catalog } from "../../functions/core/catalog/catalog.ts";
import type { JourneyMeasurements } from "../../functions/core/measurement/report.ts";
import { FEEDBACK_SOURCE, MESSAGE_FEEDBACK } from "../../functions/core/message-feedback.ts";
import { durationMs } from "../../functions/core/time/duration.ts";
import { makeEngineHandler } from "../../functions/handlers/engine-handler.ts";
import { makeFanOutHandler } from "../../functions/handlers/fan-out-handler.ts";
import { makeIngestHandler } from "../../functions/handlers/ingest-handler.ts";
import { makeNotifierHandler } from "../../functions/handlers/notifier-handler.ts";
import { handleUnsubscribe, type UnsubscribeResponse } from "../../functions/use-cases/handle-unsubscribe.ts";
import { UnsubscribeLinks } from "../../functions/use-cases/unsubscribe-links.ts";
import {
  documentClient,
  engineDependencies,
  fanOutDependencies,
  ingestDependencies,
  notifierDependencies,
  type TablePorts,
  tablePorts,
} from "../../functions/wiring/pipeline.ts";
import { referenceCatalog } from "../../journeys/registry.ts";
import { serveHttpApi } from "./http-api.ts";
import {
  LocalEngineQueue,
  LocalNotificationQueue,
  LocalQueue,
  LocalRejectedSink,
  LocalTimers,
  LocalWorkQueue,
  type OutboxEntry,
  OutboxRecordingStore,
  OutboxSender,
  type QueuedMessage,
} from "./local-adapters.ts";
import {
  ClockConflictError,
  type DeadLetter,
  type FeedbackRequest,
  type LocalApi,
  type PutEventsEntry,
  type PutEventsResultEntry,
  UnknownNotificationError,
} from "./local-api.ts";
import { FileAudienceLists } from "./local-audience-lists.ts";
import { DEFAULT_PORT } from "./local-defaults.ts";
import { LocalMeasurements } from "./local-measurements.ts";
import { LocalRouter } from "./local-routing.ts";
import { LocalStateStore } from "./local-state-store.ts";
import { TerminalReporter, type Writer } from "./terminal.ts";
import { VirtualClock } from "./virtual-clock.ts";

const TABLE = "waymark";
const LOCAL_TABLE = "waymark-local";
/** As SQS's maxReceiveCount: a message that keeps failing is set aside, not retried forever. */
const MAX_RECEIVES = 3;

export interface LocalRuntimeOptions {
  /** HTTP port; 0 picks a free one. @default WAYMARK_PORT or 4010 */
  port?: number;
  /** Keep state on disk here (dynalite's LevelDB store); in memory when absent. */
  dataDir?: string;
  /** Where the readable one-line-per-thing story goes. @default nowhere */
  write?: Writer;
  colour?: boolean;
  /** The catalog to run. @default the reference catalog */
  catalog?: Catalog;
  /** How often due timers are checked in real time. @default 1000 ms; 0 disables the ticker */
  tickMs?: number;
  /** Where AudienceEntryRequested's relative file paths start. @default the working directory */
  audienceDir?: string;
}

interface Delivery extends QueuedMessage {
  receives: number;
}

type QueueName = "ingest" | "engine" | "outbound" | "global";

const TABLE_WAIT = (client: DynamoDBClient) => ({ client, maxWaitTime: 30, minDelay: 0.02, maxDelay: 0.1 });

// Locally a fan-out never runs out of time: it has the whole process.
const lambdaContext = {
  functionName: "waymark-local",
  awsRequestId: "local",
  getRemainingTimeInMillis: () => 900_000,
} as unknown as Context;

/**
 * All of Waymark on one machine: the same handler modules Lambda runs, DynamoDB on dynalite,
 * an EventBridge-compatible endpoint routing with the stack's own rules, timers on a virtual
 * clock, and an outbox instead of SMS and email.
 */
export class LocalRuntime implements LocalApi {
  readonly clock = new VirtualClock();
  readonly #reporter: TerminalReporter;
  readonly #dynamoServer: Server;
  readonly #dynamo: DynamoDBClient;
  readonly #documents: DynamoDBDocumentClient;
  readonly state: LocalStateStore;
  readonly customers: DynamoDbCustomerRepository;
  readonly notifications: DynamoDbNotificationStore;
  readonly owners: DynamoDbOwnerIndex;
  readonly stores: DynamoDbStoreDirectory;
  /** The events, journeys and templates this runtime runs. */
  readonly catalog: Catalog;
  readonly #checkpoints: DynamoDbFanOutCheckpoints;
  readonly #emitClaims: TablePorts["emitClaims"];
  readonly #router: LocalRouter;
  readonly #inbox: Record<string, unknown>[] = [];
  readonly #ingestQueue: Delivery[] = [];
  readonly #engineQueue: LocalQueue;
  readonly #outboundQueue: LocalQueue;
  readonly #globalQueue: LocalQueue;
  readonly #retries: (Delivery & { queue: QueueName })[] = [];
  readonly deadLetters: DeadLetter[] = [];
  #http: Server | undefined;
  #url = "";
  #draining: Promise<void> | undefined;
  #exclusive: Promise<unknown> = Promise.resolve();
  #ticker: NodeJS.Timeout | undefined;
  readonly #watchers = new Set<() => void>();
  #handlers:
    | {
        ingest: ReturnType<typeof makeIngestHandler>;
        engine: ReturnType<typeof makeEngineHandler>;
        notifier: ReturnType<typeof makeNotifierHandler>;
        fanOut: ReturnType<typeof makeFanOutHandler>;
      }
    | undefined;
  /** Signed with a per-run key (in AWS a KMS HMAC key), pointing at this runtime's own /unsubscribe. */
  #unsubscribeLinks: UnsubscribeLinks | undefined;
  #unsubscribeEmitter: EventBridgeEventEmitter | undefined;
  /** What the notifier handed to the (local) provider, for the outbox and feedback. */
  readonly #sender = new OutboxSender();
  readonly #audienceDir: string;

  get unsubscribeLinks(): UnsubscribeLinks {
    if (!this.#unsubscribeLinks) throw new Error("the local runtime is not listening yet");
    return this.#unsubscribeLinks;
  }

  /** Lifecycle facts in DuckDB: the numbers of GET /analytics/journeys/{id} and `waymark report`. */
  readonly measurements: LocalMeasurements;

  private constructor(
    dynamoServer: Server,
    dynamoEndpoint: string,
    options: LocalRuntimeOptions,
    measurements: LocalMeasurements,
  ) {
    this.measurements = measurements;
    this.#reporter = new TerminalReporter(options.write ?? (() => {}), options.colour ?? false);
    this.#dynamoServer = dynamoServer;
    this.#dynamo = new DynamoDBClient({
      endpoint: dynamoEndpoint,
      region: "us-east-1",
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
    });
    this.#documents = documentClient(this.#dynamo);
    this.catalog = options.catalog ?? referenceCatalog;
    this.#audienceDir = options.audienceDir ?? process.cwd();
    this.#router = new LocalRouter(routesFor(this.catalog));
    this.state = new LocalStateStore(this.#dynamo, this.#documents, LOCAL_TABLE);
    const table = tablePorts(this.#documents, TABLE, () => this.clock.now());
    this.customers = table.customers;
    this.notifications = table.notificationStore;
    this.owners = table.owners;
    this.stores = table.stores;
    this.#checkpoints = table.checkpoints;
    this.#emitClaims = table.emitClaims;
    this.#engineQueue = new LocalQueue(() => this.#kick());
    this.#outboundQueue = new LocalQueue(() => this.#kick());
    this.#globalQueue = new LocalQueue(() => this.#kick());
  }

  static async start(options: LocalRuntimeOptions = {}): Promise<LocalRuntime> {
    const server = dynalite({
      createTableMs: 0,
      deleteTableMs: 0,
      updateTableMs: 0,
      ...(options.dataDir ? { path: options.dataDir } : {}),
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
    const { port } = server.address() as AddressInfo;
    const runtime = new LocalRuntime(
      server,
      `http://127.0.0.1:${port}`,
      options,
      await LocalMeasurements.open(options.dataDir),
    );
    await runtime.#createTables();
    const clock = await runtime.state.clock();
    if (clock) runtime.clock.restore(clock);
    await runtime.#listen(options.port ?? Number(process.env.WAYMARK_PORT ?? DEFAULT_PORT));
    const tickMs = options.tickMs ?? 1000;
    if (tickMs > 0) {
      runtime.#ticker = setInterval(() => void runtime.fireDueTimers().catch(() => {}), tickMs);
      runtime.#ticker.unref();
    }
    return runtime;
  }

  get url(): string {
    return this.#url;
  }

  async #listen(port: number): Promise<void> {
    this.#http = await serveHttpApi(this, port);
    const { port: actual } = this.#http.address() as AddressInfo;
    this.#url = `http://127.0.0.1:${actual}`;
    this.#wireHandlers();
  }

  /** The real handler cores, with AWS clients pointed at local endpoints or swapped for local adapters. */
  #wireHandlers(): void {
    const clock = () => this.clock.now();
    const eventBridge = new EventBridgeClient({
      endpoint: this.#url,
      region: "us-east-1",
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
    });
    const emitter = (source: string) =>
      new EventBridgeEventEmitter(
        new EventPublisher(eventBridge, { busName: DEFAULT_BUS_NAME, source, catalog: this.catalog }),
      );
    const catalog = this.catalog;
    // The links in local emails work: they point at this runtime's POST /unsubscribe.
    this.#unsubscribeLinks = new UnsubscribeLinks(
      new HmacTokenSigner(Buffer.from(randomUUID().repeat(2))),
      `${this.#url}/unsubscribe`,
    );
    this.#unsubscribeEmitter = emitter(UNSUBSCRIBE_SOURCE);
    const table = {
      customers: this.customers,
      owners: this.owners,
      stores: this.stores,
      checkpoints: this.#checkpoints,
      emitClaims: this.#emitClaims,
    };
    const engineQueue = new LocalEngineQueue(this.#engineQueue);
    const globalQueue = new LocalWorkQueue(this.#globalQueue);
    this.#handlers = {
      ingest: makeIngestHandler(
        ingestDependencies({
          catalog,
          clock,
          engineQueue,
          globalQueue,
          rejected: new LocalRejectedSink(this.state, (event) =>
            this.#reporter.rejected(this.clock.now().toISOString(), event),
          ),
        }),
      ),
      engine: makeEngineHandler(
        engineDependencies({
          catalog,
          clock,
          table,
          timers: new LocalTimers(this.state),
          outbound: new LocalNotificationQueue(this.#outboundQueue),
          events: emitter(WAYMARK_SOURCE),
          facts: this.measurements,
        }),
      ),
      fanOut: makeFanOutHandler(
        fanOutDependencies({
          catalog,
          clock,
          table,
          engineQueue,
          globalQueue,
          paced: false,
          audiences: new FileAudienceLists(this.#audienceDir),
        }),
      ),
      notifier: makeNotifierHandler(
        notifierDependencies({
          clock,
          store: new OutboxRecordingStore(
            this.notifications,
            this.state,
            (record) => this.#reporter.decision(record),
            this.#sender.delivered,
          ),
          sender: this.#sender,
          events: emitter(WAYMARK_SOURCE),
          feedback: emitter(NOTIFIER_SOURCE),
          emitClaims: this.#emitClaims,
          unsubscribe: this.#unsubscribeLinks,
        }),
      ),
    };
  }

  async #createTables(): Promise<void> {
    try {
      await this.#dynamo.send(new CreateTableCommand(createTableInput(TABLE)));
    } catch (error) {
      if ((error as Error).name !== "ResourceInUseException") throw error;
    }
    // A new table is CREATING for a moment, and DynamoDB answers "not found" until it is ACTIVE.
    await waitUntilTableExists(TABLE_WAIT(this.#dynamo), { TableName: TABLE });
    await this.state.ensureTable();
  }

  /** EventBridge PutEvents: stamps, logs and routes each entry; processing continues in the background. */
  async putEvents(
    entries: readonly PutEventsEntry[],
  ): Promise<{ FailedEntryCount: number; Entries: PutEventsResultEntry[] }> {
    const results: PutEventsResultEntry[] = [];
    for (const entry of entries) {
      const problem = validateEntry(entry);
      if (problem) {
        results.push(problem);
        continue;
      }
      const id = randomUUID();
      const time = entry.Time !== undefined ? toDate(entry.Time) : this.clock.now();
      const envelope = {
        version: "0",
        id,
        "detail-type": entry.DetailType,
        source: entry.Source,
        account: "000000000000",
        time: time.toISOString().replace(/\.\d{3}Z$/, "Z"),
        region: "us-east-1",
        resources: entry.Resources ?? [],
        detail: JSON.parse(entry.Detail!),
      };
      await this.state.append("EVENT", envelope);
      this.#reporter.eventIn(this.clock.now().toISOString(), envelope);
      this.#inbox.push(envelope);
      results.push({ EventId: id });
    }
    this.#kick();
    return { FailedEntryCount: results.filter((r) => "ErrorCode" in r).length, Entries: results };
  }

  /** RFC 8058 one-click unsubscribe, as the deployed endpoint answers it (the opt-out goes through the bus). */
  async unsubscribe(method: string, token: string | undefined): Promise<UnsubscribeResponse> {
    const response = await handleUnsubscribe(
      { method, token, requestId: randomUUID() },
      { links: this.unsubscribeLinks, optOuts: this.#unsubscribeEmitter!, clock: () => this.clock.now() },
    );
    await this.settle();
    return response;
  }

  /**
   * What the provider would report about a message (delivered, bounced, opened…), put on the bus as the
   * feedback function puts it in AWS (source waymark.feedback): ingest, the engine and journeys see it the same.
   */
  async feedback(request: FeedbackRequest): Promise<{ eventId: string }> {
    await this.settle();
    const record = (await this.state.list<OutboxEntry>("OUTBOX")).find(
      (entry) => entry.id === request.notificationId && entry.status === "sent",
    );
    if (!record?.channel)
      throw new UnknownNotificationError(`no sent message ${request.notificationId} in the outbox`);
    const eventId = `local-feedback-${randomUUID()}`;
    const detail = {
      customerId: record.customerId,
      notificationId: record.id,
      channel: record.channel,
      journeyId: record.journeyId,
      ...(record.instanceId ? { instanceId: record.instanceId } : {}),
      ...(this.#sender.delivered.get(record.id)
        ? { providerMessageId: this.#sender.delivered.get(record.id)!.messageId }
        : {}),
      eventId,
      ...(request.type === "bounced" ? { bounceType: request.bounceType } : {}),
      ...(request.link !== undefined ? { link: request.link } : {}),
      ...(request.reason !== undefined ? { reason: request.reason } : {}),
    };
    const result = await this.putEvents([
      { Source: FEEDBACK_SOURCE, DetailType: MESSAGE_FEEDBACK[request.type], Detail: JSON.stringify(detail) },
    ]);
    const [entry] = result.Entries;
    if (!entry || "ErrorCode" in entry) throw new Error(`feedback not accepted: ${JSON.stringify(entry)}`);
    await this.settle();
    return { eventId };
  }

  /** Resolves when every queue is empty and nothing is running. */
  async settle(): Promise<void> {
    while (this.#draining) await this.#draining;
  }

  #kick(): void {
    if (!this.#draining) {
      this.#draining = this.#drain().finally(() => {
        this.#draining = undefined;
        this.#changed();
      });
    }
  }

  /** Bus → rules → ingest → engine → notifier, ten messages at a time, until all is quiet. */
  async #drain(): Promise<void> {
    const handlers = this.#handlers!;
    for (;;) {
      // Let in-flight HTTP PutEvents from the handlers land before deciding the system is idle.
      await new Promise((resolve) => setImmediate(resolve));
      for (const envelope of this.#inbox.splice(0)) {
        // Every declared route targets ingest today; a route is a rule, and the rule's target is the queue.
        if (this.#router.matchingRoutes(envelope).some((route) => route.target === "ingest")) {
          this.#ingestQueue.push({ body: JSON.stringify(envelope), receives: 0 });
        }
      }
      const ingest = this.#ingestQueue.splice(0, 10);
      const engine = this.#engineQueue.take(10).map(asDelivery);
      const outbound = this.#outboundQueue.take(10).map(asDelivery);
      // One at a time, as the fan-out function is configured (batch size 1).
      const global = this.#globalQueue.take(1).map(asDelivery);
      if (ingest.length + engine.length + outbound.length + global.length === 0) {
        if (this.#retries.length === 0 && this.#inbox.length === 0) return await this.state.flush();
        this.#requeueRetries();
        continue;
      }
      if (ingest.length > 0) await this.#deliver("ingest", ingest, (e) => handlers.ingest(e));
      if (engine.length > 0) await this.#deliver("engine", engine, (e) => handlers.engine(e, lambdaContext));
      if (outbound.length > 0)
        await this.#deliver("outbound", outbound, (e) => handlers.notifier(e, lambdaContext));
      if (global.length > 0) await this.#deliver("global", global, (e) => handlers.fanOut(e, lambdaContext));
    }
  }

  async #deliver(
    queue: QueueName,
    messages: Delivery[],
    handler: (event: SQSEvent) => Promise<{ batchItemFailures: { itemIdentifier: string }[] }>,
  ): Promise<void> {
    const event = toSqsEvent(messages);
    let failed: Set<string>;
    try {
      const result = await handler(event);
      failed = new Set(result.batchItemFailures.map((f) => f.itemIdentifier));
    } catch {
      failed = new Set(event.Records.map((r) => r.messageId));
    }
    event.Records.forEach((record, index) => {
      if (!failed.has(record.messageId)) return;
      const message = messages[index]!;
      const receives = message.receives + 1;
      if (receives >= MAX_RECEIVES) {
        this.deadLetters.push({
          id: randomUUID(),
          queue,
          body: message.body,
          ...(message.groupId ? { groupId: message.groupId } : {}),
          receives,
          at: this.clock.now().toISOString(),
        });
        this.#reporter.info(
          `✗ ${queue}: a message failed ${receives} times and was set aside (dead-letter queue)`,
        );
      } else {
        this.#retries.push({ ...message, receives, queue });
      }
    });
  }

  /** Puts set-aside messages back on their queues, as a dead-letter redrive does, and runs them. */
  async replayDeadLetters(ids?: readonly string[]): Promise<number> {
    await this.settle();
    const chosen = this.deadLetters.filter((letter) => ids === undefined || ids.includes(letter.id));
    for (const letter of chosen) {
      this.deadLetters.splice(this.deadLetters.indexOf(letter), 1);
      this.#retries.push({
        body: letter.body,
        receives: 0,
        queue: letter.queue as QueueName,
        ...(letter.groupId ? { groupId: letter.groupId } : {}),
      });
    }
    this.#kick();
    await this.settle();
    return chosen.length;
  }

  #requeueRetries(): void {
    for (const { queue, ...delivery } of this.#retries.splice(0)) {
      if (queue === "ingest") this.#ingestQueue.push(delivery);
      else {
        const target = {
          engine: this.#engineQueue,
          outbound: this.#outboundQueue,
          global: this.#globalQueue,
        }[queue];
        target.messages.push(delivery);
      }
    }
  }

  /** Runs `task` alone: clock moves and timer firing never interleave. */
  #alone<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#exclusive.then(task, task);
    this.#exclusive = run.catch(() => {});
    return run;
  }

  /** Fires every timer due by the clock's now (the real-time ticker calls this). */
  fireDueTimers(): Promise<number> {
    return this.#alone(() => this.#fireUntil(this.clock.now(), false));
  }

  /** Moves virtual time forward; due timers fire in order, each at its own due time. */
  advance(duration: string): Promise<Date> {
    return this.#alone(async () => {
      await this.settle();
      const moved = new Date(this.clock.now().getTime() + durationMs(duration));
      await this.#fireUntil(moved, true);
      await this.#setClock(moved);
      await this.state.flush();
      return moved;
    });
  }

  /** Sets virtual time; going back is only allowed while no timer is pending. */
  set(instant: Date): Promise<Date> {
    return this.#alone(async () => {
      await this.settle();
      if (instant < this.clock.now() && this.state.pendingTimerCount > 0) {
        throw new ClockConflictError("the clock cannot go back while timers are pending; POST /reset first");
      }
      if (instant > this.clock.now()) await this.#fireUntil(instant, true);
      await this.#setClock(instant);
      await this.state.flush();
      return instant;
    });
  }

  async #fireUntil(until: Date, moveClock: boolean): Promise<number> {
    let fired = 0;
    for (;;) {
      await this.settle();
      const next = this.state.nextTimer();
      if (!next || new Date(next.dueAt) > until) return fired;
      await this.state.deleteTimer(next.name);
      if (moveClock && new Date(next.dueAt) > this.clock.now()) await this.#setClock(new Date(next.dueAt));
      this.#engineQueue.push({ body: next.body, groupId: next.groupId });
      fired++;
    }
  }

  async #setClock(instant: Date): Promise<void> {
    this.clock.set(instant);
    await this.state.saveClock(this.clock.state);
    this.#changed();
  }

  watch(listener: () => void): () => void {
    this.#watchers.add(listener);
    return () => this.#watchers.delete(listener);
  }

  #changed(): void {
    for (const listener of this.#watchers) listener();
  }

  /** Every customer with a state item, by a Scan: fine for one machine's worth of customers. */
  async customerIds(): Promise<string[]> {
    const ids: string[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.#documents.send(
        new ScanCommand({
          TableName: TABLE,
          FilterExpression: "#sk = :state",
          ExpressionAttributeNames: { "#sk": tableLayout.sortKey, "#id": "customerId" },
          ExpressionAttributeValues: { ":state": tableLayout.keys.customerState("").sk },
          ProjectionExpression: "#id",
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) if (typeof item.customerId === "string") ids.push(item.customerId);
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return ids.sort();
  }

  /** One journey's measurements; undefined when the catalog has no such journey. */
  async journeyMeasurements(journeyId: string): Promise<JourneyMeasurements | undefined> {
    if (!this.catalog.journeys.some((journey) => journey.id === journeyId)) return undefined;
    await this.settle();
    return this.measurements.journey(journeyId, this.catalog);
  }

  async pendingTimers(): Promise<number> {
    return this.state.pendingTimerCount;
  }

  async reset(): Promise<void> {
    await this.#alone(async () => {
      await this.settle();
      this.#inbox.length = 0;
      this.#ingestQueue.length = 0;
      this.#engineQueue.messages.length = 0;
      this.#outboundQueue.messages.length = 0;
      this.#globalQueue.messages.length = 0;
      this.#retries.length = 0;
      this.deadLetters.length = 0;
      await this.measurements.reset();
      await this.state.flush();
      for (const name of [TABLE, LOCAL_TABLE]) {
        await this.#dynamo.send(new DeleteTableCommand({ TableName: name }));
        // DeleteTable returns while the table is still DELETING; creating it again must wait.
        await waitUntilTableNotExists(TABLE_WAIT(this.#dynamo), { TableName: name });
      }
      await this.#createTables();
      // The clock is not customer state: it stays where it was.
      await this.state.saveClock(this.clock.state);
    });
    this.#changed();
  }

  async stop(): Promise<void> {
    if (this.#ticker) clearInterval(this.#ticker);
    await this.settle();
    await this.state.flush();
    await new Promise<void>((resolve) => {
      if (!this.#http) return resolve();
      this.#http.close(() => resolve());
      // Open streams (the console's live updates) never end by themselves.
      this.#http.closeAllConnections();
    });
    this.#dynamo.destroy();
    this.measurements.close();
    await new Promise<void>((resolve) => this.#dynamoServer.close(() => resolve()));
  }
}

function validateEntry(entry: PutEventsEntry): PutEventsResultEntry | undefined {
  for (const field of ["Source", "DetailType", "Detail"] as const) {
    if (typeof entry[field] !== "string" || entry[field] === "") {
      return {
        ErrorCode: "InvalidArgument",
        ErrorMessage: `Parameter ${field} is not valid. Reason: ${field} is required.`,
      };
    }
  }
  // As EventBridge: an entry (with the others of its request) must stay under 256 KB.
  const size = entrySize({ ...entry, Time: entry.Time === undefined ? undefined : new Date() });
  if (size >= MAX_REQUEST_BYTES) {
    return {
      ErrorCode: "InvalidArgument",
      ErrorMessage: `Entry is ${size} bytes; EventBridge accepts less than ${MAX_REQUEST_BYTES}.`,
    };
  }
  if (entry.Time !== undefined && Number.isNaN(toDate(entry.Time).getTime())) {
    return { ErrorCode: "InvalidArgument", ErrorMessage: "Parameter Time is not valid." };
  }
  let detail: unknown;
  try {
    detail = JSON.parse(entry.Detail!);
  } catch {
    return { ErrorCode: "MalformedDetail", ErrorMessage: "Detail is malformed: it must be a JSON object." };
  }
  if (typeof detail !== "object" || detail === null || Array.isArray(detail)) {
    return { ErrorCode: "MalformedDetail", ErrorMessage: "Detail is malformed: it must be a JSON object." };
  }
  if (nestsDeeperThan(detail, MAX_EVENT_DEPTH)) {
    return {
      ErrorCode: "MalformedDetail",
      ErrorMessage: `Detail is malformed: it nests more than ${MAX_EVENT_DEPTH} levels deep.`,
    };
  }
  return undefined;
}

function asDelivery(message: QueuedMessage): Delivery {
  return { receives: 0, ...message };
}

function toDate(time: number | string): Date {
  return typeof time === "number" ? new Date(time * 1000) : new Date(time);
}

function toSqsEvent(messages: readonly QueuedMessage[]): SQSEvent {
  return {
    Records: messages.map((message, index) => ({
      messageId: `local-${index}-${randomUUID()}`,
      receiptHandle: "local",
      body: message.body,
      attributes: {
        ApproximateReceiveCount: "1",
        SentTimestamp: "0",
        SenderId: "local",
        ApproximateFirstReceiveTimestamp: "0",
        ...(message.groupId ? { MessageGroupId: message.groupId } : {}),
      },
      messageAttributes: {},
      md5OfBody: "",
      eventSource: "aws:sqs",
      eventSourceARN: "arn:aws:sqs:us-east-1:000000000000:waymark-local",
      awsRegion: "us-east-1",
    })),
  };
}

export { ClockConflictError, DEFAULT_PORT, type PutEventsEntry, type PutEventsResultEntry };
