/**
 * Validation at the edge: turns an untrusted EventBridge event into a typed `InboundEvent`, or into issues
 * a producer can act on ("detail.items[0].quantity: expected a positive integer"). Never throws on bad
 * input, because the ingest step must record the reason and move on.
 */
import type { z } from "zod";
import type { CatalogEvent } from "../functions/core/catalog/catalog.ts";
import type { AnyEventDescriptor } from "../functions/core/catalog/define-event.ts";
import {
  allEvents,
  type DetailType,
  type EmittedDetails,
  type EmittedDetailType,
  type EventDetails,
  findEvent,
  type InboundEvent,
  isEmittedDetailType,
} from "./catalog.ts";
import { genericEnvelopeSchema } from "./envelope.ts";
import { MAX_EVENT_DEPTH, nestsDeeperThan } from "./json-depth.ts";

/** One problem with an event: where (from the event root) and what, in plain English. */
export interface ValidationIssue {
  /** e.g. `detail.items[0].sku`, `detail-type`, `time`; `event` for the event as a whole. */
  path: string;
  message: string;
}

export type ParseInboundResult<E extends CatalogEvent = InboundEvent> =
  | { ok: true; event: E }
  | { ok: false; issues: ValidationIssue[]; summary: string };

/** The events a parse accepts: a catalog (`Catalog` is one). */
export interface EventLookup {
  event(detailType: string): AnyEventDescriptor | undefined;
}

/** The reference catalog's events, for callers that parse the reference contract (its tests, its tools). */
export const referenceContract: EventLookup = {
  event: (detailType) => findEvent(detailType),
};

/** A detail did not match its schema. Thrown by the publisher and `parseEventDetail`. */
export class EventValidationError extends Error {
  override readonly name = "EventValidationError";
  readonly issues: readonly ValidationIssue[];
  readonly detailType: string;

  constructor(detailType: string, issues: readonly ValidationIssue[], context?: string) {
    super(`Invalid ${detailType} event${context ? ` ${context}` : ""}: ${formatIssues(issues)}`);
    this.detailType = detailType;
    this.issues = issues;
  }
}

/** `detail.customerId: required; detail.items[0].quantity: expected a positive integer` */
export function formatIssues(issues: readonly ValidationIssue[]): string {
  return issues.map((issue) => `${issue.path}: ${issue.message}`).join("; ");
}

/**
 * Validates an EventBridge event from the bus: the envelope, then the detail-type (one the catalog accepts
 * as input), then the detail against its schema.
 */
export function parseInboundEvent(raw: unknown): ParseInboundResult<InboundEvent>;
export function parseInboundEvent(raw: unknown, catalog: EventLookup): ParseInboundResult<CatalogEvent>;
export function parseInboundEvent(
  raw: unknown,
  catalog: EventLookup = referenceContract,
): ParseInboundResult<CatalogEvent> {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    return failure([
      { path: "event", message: `expected an EventBridge event object, got ${describeValue(raw)}` },
    ]);
  }
  if (nestsDeeperThan(raw, MAX_EVENT_DEPTH + 1)) {
    return failure([{ path: "detail", message: `nests more than ${MAX_EVENT_DEPTH} levels deep` }]);
  }
  const envelope = genericEnvelopeSchema.safeParse(raw, { error: plainEnglish });
  const issues: ValidationIssue[] = envelope.success ? [] : toValidationIssues(envelope.error.issues);

  // The detail is checked even when other envelope fields are wrong, so a producer sees every problem in
  // one rejection instead of fixing them one round-trip at a time.
  const record = raw as Record<string, unknown>;
  const detailType = record["detail-type"];
  const detail = record.detail;
  let parsedDetail: unknown;
  if (typeof detailType === "string" && detailType.length > 0) {
    const found = catalog.event(detailType);
    const descriptor = found?.direction === "inbound" ? found : undefined;
    if (descriptor === undefined) {
      issues.push({ path: "detail-type", message: unknownDetailTypeMessage(detailType, found, catalog) });
    } else if (descriptor.sources && !descriptor.sources.includes(String(record.source))) {
      // Waymark's own feedback (a bounce closes a channel): nobody else may say it.
      issues.push({
        path: "source",
        message: `${JSON.stringify(record.source)} may not put ${detailType} (only ${descriptor.sources.join(", ")})`,
      });
    } else if (isPlainObject(detail)) {
      const result = descriptor.detail.safeParse(detail, { error: plainEnglish });
      if (result.success) parsedDetail = result.data;
      else issues.push(...toValidationIssues(result.error.issues, ["detail"]));
    }
  }

  if (issues.length > 0 || !envelope.success || parsedDetail === undefined) return failure(issues);

  const { data } = envelope;
  const meta = parsedDetail as { eventId?: string; occurredAt?: string };
  return {
    ok: true,
    event: {
      detailType: data["detail-type"],
      detail: parsedDetail,
      source: data.source,
      envelopeId: data.id,
      eventId: meta.eventId ?? data.id,
      occurredAt: meta.occurredAt ?? data.time,
    } as CatalogEvent,
  };
}

/**
 * Validates a detail of any event in the contract and returns it parsed (unknown fields stripped, locale
 * and time zone canonicalised). Throws `EventValidationError` with issues at `detail.…` paths.
 */
export function parseEventDetail<K extends DetailType>(detailType: K, detail: unknown): EventDetails[K] {
  const descriptor = findEvent(detailType);
  if (descriptor === undefined) {
    throw new EventValidationError(detailType, [
      { path: "detail-type", message: `unknown detail-type ${JSON.stringify(detailType)}` },
    ]);
  }
  return validateDetail(descriptor, detail) as EventDetails[K];
}

/** Validates the detail of an event Waymark emits; used before anything is put on the bus. */
export function parseEmittedDetail<K extends EmittedDetailType>(
  detailType: K,
  detail: unknown,
): EmittedDetails[K] {
  if (!isEmittedDetailType(detailType)) {
    throw new EventValidationError(detailType, [
      { path: "detail-type", message: `${JSON.stringify(detailType)} is not an event Waymark emits` },
    ]);
  }
  return parseEventDetail(detailType, detail) as EmittedDetails[K];
}

/** Validates `detail` against a descriptor's schema; throws `EventValidationError`. */
export function validateDetail(descriptor: AnyEventDescriptor, detail: unknown, context?: string): unknown {
  const result = descriptor.detail.safeParse(detail, { error: plainEnglish });
  if (result.success) return result.data;
  throw new EventValidationError(
    descriptor.detailType,
    toValidationIssues(result.error.issues, ["detail"]),
    context,
  );
}

/** Converts zod issues to `ValidationIssue`s, with paths rendered from the event root. */
export function toValidationIssues(
  issues: readonly z.core.$ZodIssue[],
  prefix: readonly PropertyKey[] = [],
): ValidationIssue[] {
  return issues.map((issue) => ({ path: formatPath([...prefix, ...issue.path]), message: issue.message }));
}

/** `["detail", "items", 0, "sku"]` → `detail.items[0].sku`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else if (typeof segment === "string" && /^[A-Za-z_$][\w$-]*$/.test(segment)) {
      out += out === "" ? segment : `.${segment}`;
    } else out += `[${JSON.stringify(String(segment))}]`;
  }
  return out === "" ? "event" : out;
}

function failure(issues: ValidationIssue[]): ParseInboundResult<CatalogEvent> {
  return { ok: false, issues, summary: formatIssues(issues) };
}

function unknownDetailTypeMessage(
  detailType: string,
  found: AnyEventDescriptor | undefined,
  catalog: EventLookup,
): string {
  if (found?.direction === "emitted") {
    return `${JSON.stringify(detailType)} is emitted by Waymark and is not accepted as input`;
  }
  const listed =
    "inboundEvents" in catalog && typeof catalog.inboundEvents === "function"
      ? (catalog.inboundEvents as () => AnyEventDescriptor[])()
      : allEvents.filter((e) => e.direction === "inbound");
  const accepted = listed.map((e) => e.detailType).join(", ");
  return `unknown detail-type ${JSON.stringify(detailType)}; expected one of ${accepted}`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const TYPE_NAMES: Record<string, string> = {
  string: "a string",
  number: "a number",
  int: "an integer",
  bigint: "an integer",
  boolean: "true or false",
  object: "an object",
  array: "a list",
  date: "a date",
  null: "null",
};

function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "nothing";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "number" && !Number.isFinite(value)) return String(value);
  return TYPE_NAMES[typeof value] ?? typeof value;
}

function plural(count: number | bigint, noun: string): string {
  return `${count} ${noun}${count === 1 || count === 1n ? "" : "s"}`;
}

/**
 * Per-parse zod error map: plain-English messages for the issues a schema does not word itself. Messages
 * set on a field (e.g. "expected an E.164 phone number like …") take precedence over this map.
 */
function plainEnglish(issue: z.core.$ZodRawIssue): string {
  switch (issue.code) {
    case "invalid_type":
      if (issue.input === undefined) return "required";
      return `expected ${TYPE_NAMES[issue.expected] ?? issue.expected}, got ${describeValue(issue.input)}`;
    case "too_small":
      return tooSmall(issue.origin, issue.minimum, issue.inclusive !== false);
    case "too_big":
      return tooBig(issue.origin, issue.maximum, issue.inclusive !== false);
    case "invalid_format":
      return invalidFormat(issue.format, issue.pattern);
    case "invalid_value":
      return issue.values.length === 1
        ? `expected ${JSON.stringify(issue.values[0])}`
        : `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
    case "invalid_union":
      return "does not match any of the accepted forms";
    case "not_multiple_of":
      return `must be a multiple of ${issue.divisor}`;
    case "unrecognized_keys":
      return `unknown ${issue.keys.length === 1 ? "field" : "fields"} ${issue.keys.join(", ")}`;
    case "invalid_key":
      return "has an invalid key";
    case "invalid_element":
      return "has an invalid element";
    case "custom":
      return issue.message ?? "is invalid";
  }
}

function tooSmall(origin: string, minimum: number | bigint, inclusive: boolean): string {
  switch (origin) {
    case "string":
      return minimum === 1 ? "must not be empty" : `must be at least ${plural(minimum, "character")}`;
    case "array":
    case "set":
      return minimum === 1 ? "must have at least one item" : `must have at least ${plural(minimum, "item")}`;
    default:
      return inclusive ? `must be at least ${minimum}` : `must be greater than ${minimum}`;
  }
}

function tooBig(origin: string, maximum: number | bigint, inclusive: boolean): string {
  switch (origin) {
    case "string":
      return `must be at most ${plural(maximum, "character")}`;
    case "array":
    case "set":
      return `must have at most ${plural(maximum, "item")}`;
    default:
      return inclusive ? `must be at most ${maximum}` : `must be less than ${maximum}`;
  }
}

function invalidFormat(format: string, pattern: string | undefined): string {
  switch (format) {
    case "email":
      return "expected an email address";
    case "datetime":
      return "expected an ISO-8601 date-time with a time zone, like 2025-03-01T09:30:00Z";
    case "date":
      return "expected a date like 2025-03-01";
    case "uuid":
      return "expected a UUID";
    case "regex":
      return pattern === undefined ? "has an invalid format" : `must match the pattern ${pattern}`;
    default:
      return `expected a valid ${format}`;
  }
}
