/**
 * A typed EventBridge publisher for upstream teams and for Waymark's own emitted events. It validates every
 * detail against the contract before anything is sent, batches within PutEvents limits, and never ignores
 * a partial failure: failed entries — and only those — are retried with exponential backoff and full
 * jitter, and whatever still fails is reported entry by entry.
 */
import { randomUUID } from "node:crypto";
import {
  type EventBridgeClient,
  PutEventsCommand,
  type PutEventsRequestEntry,
  type PutEventsResultEntry,
} from "@aws-sdk/client-eventbridge";
import type { AnyEventDescriptor, DetailInputOf } from "../functions/core/catalog/define-event.ts";
import type { EventDescriptorOf } from "./catalog.ts";
import { type EventLookup, EventValidationError, referenceContract, validateDetail } from "./parse.ts";

/** PutEvents accepts at most 10 entries per request. */
export const MAX_ENTRIES_PER_REQUEST = 10;

/** PutEvents entries of one request must total less than 256 KB, as AWS computes entry size. */
export const MAX_REQUEST_BYTES = 256 * 1024;

/** Entry error codes AWS documents as non-retryable: sending the same entry again cannot succeed. */
const PERMANENT_ENTRY_ERRORS: ReadonlySet<string> = new Set([
  "AccessDeniedException",
  "InvalidAccountIdException",
  "InvalidArgument",
  "MalformedDetail",
  "RedactionFailure",
  "NotAuthorizedForSourceException",
  "NotAuthorizedForDetailTypeException",
]);

const THROTTLING_ERRORS: ReadonlySet<string> = new Set([
  "ThrottlingException",
  "Throttling",
  "ThrottledException",
  "TooManyRequestsException",
  "RequestLimitExceeded",
  "RequestThrottled",
  "RequestThrottledException",
]);

const MAX_BACKOFF_MS = 20_000;

/**
 * One event to publish; `detail` must match `detailType` (checked by the compiler, from the events the
 * publisher was given, and at run time).
 */
export type PublishEntryOf<E extends AnyEventDescriptor> = {
  [D in E as D["detailType"]]: {
    detailType: D["detailType"];
    detail: DetailInputOf<D>;
    /** Event time; when absent EventBridge (or the local runtime's virtual clock) stamps it. */
    time?: Date;
    resources?: string[];
  };
}[E["detailType"]];

/** An entry of the reference catalog's contract. */
export type PublishEntry = PublishEntryOf<EventDescriptorOf>;

export interface PublishResult {
  /** EventBridge event ids, in input order. */
  eventIds: string[];
}

export interface PublishFailure {
  /** Position of the entry in the `publish` input. */
  index: number;
  detailType: string;
  errorCode: string;
  errorMessage: string;
}

export interface EventPublisherOptions<E extends AnyEventDescriptor = EventDescriptorOf> {
  /**
   * The events this publisher may put, e.g. your catalog's `events` (types `publish` by them). @default
   * the reference catalog's events; pass `catalog` instead to validate against a built catalog.
   */
  events?: readonly E[];
  /** A built catalog to validate against (`defineCatalog(...)`). */
  catalog?: EventLookup;
  /** Bus name or ARN, e.g. `DEFAULT_BUS_NAME`. */
  busName: string;
  /** `source` of every event, e.g. `shop.orders`; `WAYMARK_SOURCE` for Waymark's own events. */
  source: string;
  /** Attempts per entry, the first included. Default 5. */
  maxAttempts?: number;
  /** Backoff base: the n-th retry waits a random time in [0, baseDelayMs × 2^(n-1)]. Default 100. */
  baseDelayMs?: number;
  /** Injected in tests so retries do not wait. */
  sleep?: (ms: number) => Promise<void>;
}

/** Some entries were still failing after every attempt. Entries not listed in `failures` were put. */
export class PublishError extends Error {
  override readonly name = "PublishError";
  readonly failures: readonly PublishFailure[];
  /** EventBridge ids by input position; `undefined` where the entry failed. */
  readonly eventIds: readonly (string | undefined)[];

  constructor(failures: readonly PublishFailure[], eventIds: readonly (string | undefined)[]) {
    const first = failures[0];
    super(
      `${failures.length} of ${eventIds.length} events could not be published` +
        (first
          ? ` (first: entry ${first.index} ${first.detailType}: ${first.errorCode} ${first.errorMessage})`
          : ""),
    );
    this.failures = failures;
    this.eventIds = eventIds;
  }
}

interface PreparedEntry {
  index: number;
  detailType: string;
  request: PutEventsRequestEntry;
  size: number;
}

interface EntryFailure {
  errorCode: string;
  errorMessage: string;
  retryable: boolean;
}

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export class EventPublisher<E extends AnyEventDescriptor = EventDescriptorOf> {
  readonly #events: EventLookup;
  readonly #client: EventBridgeClient;
  readonly #busName: string;
  readonly #source: string;
  readonly #maxAttempts: number;
  readonly #baseDelayMs: number;
  readonly #sleep: (ms: number) => Promise<void>;

  constructor(client: EventBridgeClient, options: EventPublisherOptions<E>) {
    if (options.busName.length === 0) throw new RangeError("busName must not be empty");
    if (options.source.length === 0) throw new RangeError("source must not be empty");
    const maxAttempts = options.maxAttempts ?? 5;
    if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
      throw new RangeError("maxAttempts must be an integer ≥ 1");
    }
    const baseDelayMs = options.baseDelayMs ?? 100;
    if (!(baseDelayMs >= 0)) throw new RangeError("baseDelayMs must be ≥ 0");
    this.#client = client;
    this.#events = options.catalog ?? (options.events ? lookupOf(options.events) : referenceContract);
    this.#busName = options.busName;
    this.#source = options.source;
    this.#maxAttempts = maxAttempts;
    this.#baseDelayMs = baseDelayMs;
    this.#sleep = options.sleep ?? defaultSleep;
  }

  /**
   * Validates every entry, then puts them in as few PutEvents calls as the limits allow. Resolves with the
   * event ids in input order; throws `EventValidationError` (nothing sent) for an invalid entry and
   * `PublishError` when entries still fail after `maxAttempts`.
   */
  async publish(entries: readonly PublishEntryOf<E>[]): Promise<PublishResult> {
    const prepared = entries.map((entry, index) => this.#prepare(entry, index));
    const eventIds: (string | undefined)[] = new Array(entries.length).fill(undefined);
    const failures: PublishFailure[] = [];
    // Batches go one after another: a failing batch does not stop the others, so the caller learns the
    // fate of every entry and only has to re-publish the ones listed in the PublishError.
    for (const batch of toBatches(prepared)) {
      await this.#putWithRetries(batch, eventIds, failures);
    }
    if (failures.length > 0) {
      failures.sort((a, b) => a.index - b.index);
      throw new PublishError(failures, eventIds);
    }
    return { eventIds: eventIds as string[] };
  }

  #prepare(typed: PublishEntryOf<E>, index: number): PreparedEntry {
    // Generic mapped types cannot be indexed; every entry has this shape whatever E is.
    const entry = typed as unknown as {
      detailType: string;
      detail: unknown;
      time?: Date;
      resources?: string[];
    };
    const descriptor = this.#events.event(entry.detailType);
    if (descriptor === undefined) {
      throw new EventValidationError(
        String(entry.detailType),
        [{ path: "detail-type", message: `unknown detail-type ${JSON.stringify(entry.detailType)}` }],
        `at index ${index}`,
      );
    }
    validateDetail(descriptor, entry.detail, `at index ${index}`);
    // The detail is sent as the producer wrote it (extra fields are part of the contract), plus an eventId
    // when it has none: SDK-level and our own retries may deliver an entry twice under different envelope
    // ids, and Waymark deduplicates on detail.eventId.
    const given = entry.detail as Record<string, unknown>;
    const detail = given.eventId === undefined ? { ...given, eventId: randomUUID() } : given;
    const request: PutEventsRequestEntry = {
      EventBusName: this.#busName,
      Source: this.#source,
      DetailType: entry.detailType,
      Detail: JSON.stringify(detail),
      ...(entry.time ? { Time: entry.time } : {}),
      ...(entry.resources ? { Resources: entry.resources } : {}),
    };
    const size = entrySize(request);
    if (size >= MAX_REQUEST_BYTES) {
      throw new EventValidationError(
        entry.detailType,
        [
          {
            path: "detail",
            message: `event is ${size} bytes; EventBridge accepts less than ${MAX_REQUEST_BYTES}`,
          },
        ],
        `at index ${index}`,
      );
    }
    return { index, detailType: entry.detailType, request, size };
  }

  async #putWithRetries(
    batch: readonly PreparedEntry[],
    eventIds: (string | undefined)[],
    failures: PublishFailure[],
  ): Promise<void> {
    let pending = batch;
    let lastFailure = new Map<PreparedEntry, EntryFailure>();
    for (let attempt = 1; pending.length > 0; attempt++) {
      const outcome = await this.#putOnce(pending);
      lastFailure = new Map();
      const retry: PreparedEntry[] = [];
      pending.forEach((entry, position) => {
        const result = outcome[position];
        if (result?.kind === "ok") {
          eventIds[entry.index] = result.eventId;
          return;
        }
        const failure = result?.failure ?? missingResult();
        lastFailure.set(entry, failure);
        if (failure.retryable) retry.push(entry);
        else failures.push(toPublishFailure(entry, failure));
      });
      if (retry.length === 0) return;
      if (attempt >= this.#maxAttempts) {
        for (const entry of retry)
          failures.push(toPublishFailure(entry, lastFailure.get(entry) ?? missingResult()));
        return;
      }
      await this.#sleep(this.#backoff(attempt));
      pending = retry;
    }
  }

  /** One PutEvents call; a thrown error becomes a failure of every entry in the request. */
  async #putOnce(
    entries: readonly PreparedEntry[],
  ): Promise<({ kind: "ok"; eventId: string } | { kind: "failed"; failure: EntryFailure })[]> {
    let results: PutEventsResultEntry[];
    try {
      const response = await this.#client.send(
        new PutEventsCommand({ Entries: entries.map((e) => e.request) }),
      );
      results = response.Entries ?? [];
    } catch (error) {
      const failure = thrownFailure(error);
      return entries.map(() => ({ kind: "failed", failure }));
    }
    return entries.map((_, position) => {
      const result = results[position];
      if (result?.EventId && !result.ErrorCode) return { kind: "ok", eventId: result.EventId };
      if (result?.ErrorCode) {
        return {
          kind: "failed",
          failure: {
            errorCode: result.ErrorCode,
            errorMessage: result.ErrorMessage ?? "",
            retryable: !PERMANENT_ENTRY_ERRORS.has(result.ErrorCode),
          },
        };
      }
      return { kind: "failed", failure: missingResult() };
    });
  }

  /**
   * Full jitter (AWS Architecture Blog, "Exponential Backoff And Jitter"): a random wait up to the
   * exponential ceiling spreads the retries of many throttled producers instead of synchronising them.
   */
  #backoff(attempt: number): number {
    const ceiling = Math.min(MAX_BACKOFF_MS, this.#baseDelayMs * 2 ** (attempt - 1));
    return Math.floor(Math.random() * (ceiling + 1));
  }
}

/**
 * Entry size as AWS computes it for the PutEvents limit (EventBridge user guide, "Calculating PutEvents
 * event entry size"): UTF-8 bytes of Source, DetailType, Detail and each resource, plus 14 for Time.
 */
export function entrySize(entry: PutEventsRequestEntry): number {
  let size = entry.Time ? 14 : 0;
  size += Buffer.byteLength(entry.Source ?? "", "utf8");
  size += Buffer.byteLength(entry.DetailType ?? "", "utf8");
  size += Buffer.byteLength(entry.Detail ?? "", "utf8");
  for (const resource of entry.Resources ?? []) size += Buffer.byteLength(resource, "utf8");
  return size;
}

/** Splits entries, in order, into requests of at most 10 entries and less than 256 KB. */
function toBatches(entries: readonly PreparedEntry[]): PreparedEntry[][] {
  const batches: PreparedEntry[][] = [];
  let current: PreparedEntry[] = [];
  let currentBytes = 0;
  for (const entry of entries) {
    if (current.length === MAX_ENTRIES_PER_REQUEST || currentBytes + entry.size >= MAX_REQUEST_BYTES) {
      batches.push(current);
      current = [];
      currentBytes = 0;
    }
    current.push(entry);
    currentBytes += entry.size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

function toPublishFailure(entry: PreparedEntry, failure: EntryFailure): PublishFailure {
  return {
    index: entry.index,
    detailType: entry.detailType,
    errorCode: failure.errorCode,
    errorMessage: failure.errorMessage,
  };
}

function missingResult(): EntryFailure {
  return {
    errorCode: "MissingResultEntry",
    errorMessage: "PutEvents returned no result for this entry",
    retryable: true,
  };
}

/**
 * Thrown SDK errors are retried when they are throttling, server faults, or have no service response at
 * all (network errors, timeouts); other client faults (access denied, bus not found) cannot succeed later.
 */
function thrownFailure(error: unknown): EntryFailure {
  const err = error as { name?: unknown; message?: unknown; $fault?: unknown; $retryable?: unknown };
  const errorCode = typeof err?.name === "string" ? err.name : "Error";
  const errorMessage = typeof err?.message === "string" ? err.message : String(error);
  const retryable =
    THROTTLING_ERRORS.has(errorCode) ||
    Boolean(err?.$retryable) ||
    err?.$fault === "server" ||
    err?.$fault === undefined;
  return { errorCode, errorMessage, retryable };
}

function lookupOf(events: readonly AnyEventDescriptor[]): EventLookup {
  const byType = new Map(events.map((event) => [event.detailType, event]));
  return { event: (detailType) => byType.get(detailType) };
}
