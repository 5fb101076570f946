/**
 * Puts validated events on the bus with the typed `EventPublisher`, so the CLI batches, retries and
 * reports partial failures exactly as upstream producers do.
 */
import { EventBridgeClient, type EventBridgeClientConfig } from "@aws-sdk/client-eventbridge";
import {
  EventPublisher,
  entrySize,
  MAX_REQUEST_BYTES,
  type PublishEntry,
  PublishError,
} from "../events/publisher.ts";
import type { ValidEvent } from "./read-events.ts";

/** `source` of events whose file does not name one. */
export const DEFAULT_SOURCE = "waymark.cli";

/** Region for a local endpoint when none is configured: the local runtime accepts any. */
const LOCAL_DEFAULT_REGION = "us-east-1";

/** The local runtime does not check signatures, but the SDK will not sign without some credentials. */
const LOCAL_CREDENTIALS = { accessKeyId: "local", secretAccessKey: "local" };

export interface ClientSettings {
  /** e.g. `http://127.0.0.1:4010` for the local runtime; absent for AWS. */
  endpoint?: string;
  region?: string;
  env: Readonly<Record<string, string | undefined>>;
}

/**
 * A client for `--endpoint` (the local runtime, LocalStack) or, without one, for AWS through the SDK's
 * normal region and credential chains.
 */
export function createEventBridgeClient(settings: ClientSettings): EventBridgeClient {
  const { endpoint, region, env } = settings;
  if (endpoint === undefined) return new EventBridgeClient(region ? { region } : {});
  const config: EventBridgeClientConfig = {
    endpoint,
    region: region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? LOCAL_DEFAULT_REGION,
    // The publisher retries failed entries itself; SDK retries on top would make "nothing is listening
    // at the endpoint" take many seconds to report.
    maxAttempts: 1,
  };
  if (!hasCredentialsInEnvironment(env)) config.credentials = LOCAL_CREDENTIALS;
  return new EventBridgeClient(config);
}

function hasCredentialsInEnvironment(env: Readonly<Record<string, string | undefined>>): boolean {
  return Boolean(
    (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) ||
      env.AWS_PROFILE ||
      env.AWS_WEB_IDENTITY_TOKEN_FILE ||
      env.AWS_CONTAINER_CREDENTIALS_FULL_URI ||
      env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI,
  );
}

/**
 * The detail as the producer wrote it (the contract allows extra fields), with the file's `id` as
 * `eventId` when the detail has none: Waymark deduplicates on eventId, so sending the same file twice
 * does not process its events twice.
 */
export function detailToSend(event: ValidEvent): Record<string, unknown> {
  const detail = event.raw.detail as Record<string, unknown>;
  if (detail.eventId === undefined && typeof event.raw.id === "string")
    return { ...detail, eventId: event.raw.id };
  return detail;
}

/** `source` the event is put with. */
export function sourceOf(event: ValidEvent): string {
  return typeof event.raw.source === "string" ? event.raw.source : DEFAULT_SOURCE;
}

/**
 * A size problem for an event too big for PutEvents, found before anything is sent. The publisher adds
 * a 36-character eventId to details without one, so a placeholder of that length is measured too.
 */
export function sizeProblem(event: ValidEvent): string | undefined {
  const detail = detailToSend(event);
  const measured = detail.eventId === undefined ? { ...detail, eventId: "0".repeat(36) } : detail;
  const size = entrySize({
    Source: sourceOf(event),
    DetailType: event.event.detailType,
    Detail: JSON.stringify(measured),
    ...(event.timeGiven ? { Time: new Date(event.time) } : {}),
    ...(resourcesOf(event) ? { Resources: resourcesOf(event) } : {}),
  });
  if (size < MAX_REQUEST_BYTES) return undefined;
  return `${event.label}: detail: event is ${size} bytes; EventBridge accepts less than ${MAX_REQUEST_BYTES}`;
}

function resourcesOf(event: ValidEvent): string[] | undefined {
  const { resources } = event.raw;
  return Array.isArray(resources) ? resources.map(String) : undefined;
}

export interface SendOptions {
  client: EventBridgeClient;
  busName: string;
  sleep?: (ms: number) => Promise<void>;
}

export interface SentEvent {
  event: ValidEvent;
  /** The id EventBridge gave the event. */
  eventId: string;
}

export interface FailedEvent {
  event: ValidEvent;
  errorCode: string;
  errorMessage: string;
}

export interface SendOutcome {
  sent: SentEvent[];
  failed: FailedEvent[];
  /** Events after a failed run, held back so that no customer's events arrive out of order. */
  unsent: ValidEvent[];
}

/**
 * Publishes `events` in file order. A publisher puts every event with its own `source`, so the events
 * go in runs of consecutive events with the same source, one run after another: grouping all of a
 * source's events together instead would reorder a customer's timeline (a profile update from the CRM
 * overtaking the order placed before it), and Waymark processes each customer's events in arrival
 * order. For the same reason a run with failures stops the sending: later events are left unsent
 * rather than put on the bus ahead of the ones that failed.
 */
export async function sendEvents(events: readonly ValidEvent[], options: SendOptions): Promise<SendOutcome> {
  const runs: { source: string; group: ValidEvent[] }[] = [];
  for (const event of events) {
    const source = sourceOf(event);
    const last = runs.at(-1);
    if (last?.source === source) last.group.push(event);
    else runs.push({ source, group: [event] });
  }
  const publishers = new Map<string, EventPublisher>();
  const sent: SentEvent[] = [];
  const failed: FailedEvent[] = [];
  for (const [index, { source, group }] of runs.entries()) {
    if (failed.length > 0) {
      return { sent, failed, unsent: runs.slice(index).flatMap((run) => run.group) };
    }
    let publisher = publishers.get(source);
    if (!publisher) {
      publisher = new EventPublisher(options.client, {
        busName: options.busName,
        source,
        ...(options.sleep ? { sleep: options.sleep } : {}),
      });
      publishers.set(source, publisher);
    }
    const entries = group.map(
      (event) =>
        ({
          detailType: event.event.detailType,
          detail: detailToSend(event),
          ...(event.timeGiven ? { time: new Date(event.time) } : {}),
          ...(resourcesOf(event) ? { resources: resourcesOf(event) } : {}),
        }) as PublishEntry,
    );
    try {
      const { eventIds } = await publisher.publish(entries);
      eventIds.forEach((eventId, index) => {
        sent.push({ event: group[index]!, eventId });
      });
    } catch (error) {
      if (!(error instanceof PublishError)) throw error;
      error.eventIds.forEach((eventId, index) => {
        if (eventId !== undefined) sent.push({ event: group[index]!, eventId });
      });
      for (const failure of error.failures) {
        failed.push({
          event: group[failure.index]!,
          errorCode: failure.errorCode,
          errorMessage: failure.errorMessage,
        });
      }
    }
  }
  return { sent, failed, unsent: [] };
}
