/**
 * `defineEvent` declares one event of a catalog: its EventBridge `detail-type`, its zod detail schema, its
 * sample payloads, and — for inbound events — what Waymark does with it beyond running journeys: how it
 * changes what Waymark knows of the customer (`context`), how it reads in the timeline (`describe`), and,
 * for events about the world, how it reaches customers (`reach`). Descriptors are the single source for the
 * catalog, the parser, the JSON Schema export and the publisher, so each event is written down once and the
 * engine needs no edit for a new one.
 */
import type { z } from "zod";
import type { CustomerState } from "../customer-state.ts";

/** `customer` events carry a customerId and are processed in per-customer order; `global` ones do not. */
export type EventScope = "customer" | "global";

/** `inbound` events are put on the bus by upstream systems; `emitted` ones by Waymark (source `waymark`). */
export type EventDirection = "inbound" | "emitted";

/** A detail schema: always a zod object, so producers may add fields and Waymark strips what it ignores. */
export type DetailSchema = z.ZodObject;

/** What a `context` hook is given: the parsed detail and the event's identity and time. */
export interface ContextEvent<TDetail> {
  detailType: string;
  detail: TDetail;
  /** detail.eventId ?? the envelope id. */
  eventId: string;
  /** detail.occurredAt ?? the envelope time, ISO-8601. */
  occurredAt: string;
}

/**
 * How a global event reaches customers:
 * - `owners`: fanned out to every customer who owns one of `models(detail)` (orders minus returns), as a
 *   notice identified by `noticeId(detail)` that journeys enter on. Each owner's notice says which model
 *   they own and, when `replacementSkus` names some, the first one in stock at the nearest store within
 *   50 km (a unit reserved for them) or free delivery. `travellersOnly`: only owners travelling now or
 *   often hear of it, and "nearest" is measured from where they are;
 * - `store-stock`: updates the store stock index (an `StoreInventoryUpdated`-shaped detail);
 * - `audience`: fanned out to every customer on a list (a CSV or JSON Lines file in S3, or on disk for the
 *   local runtime), as a notice identified by `noticeId(detail)` whose detail is the event's plus the
 *   customer's `customerId`: a journey entered for a list of customers (Pinpoint's segment journeys).
 */
export type GlobalReach<TDetail> =
  | {
      kind: "owners";
      noticeId(detail: TDetail): string;
      models(detail: TDetail): readonly string[];
      /** Replacements to offer, most preferred first. @default none */
      replacementSkus?(detail: TDetail): readonly string[];
      /** @default false */
      travellersOnly?: boolean;
    }
  | { kind: "store-stock" }
  | { kind: "audience"; noticeId(detail: TDetail): string; list(detail: TDetail): AudienceList };

/** Where an audience's customer ids are and how to read them. */
export interface AudienceList {
  /** `s3://bucket/key` in AWS; a file path for the local runtime. */
  source: string;
  /** `csv` (a header line, then one customer a line) or `jsonl` (one JSON object a line). */
  format: "csv" | "jsonl";
  /** The column (CSV) or field (JSON Lines; a dotted path like `User.UserId` reads into objects) of the id. */
  customerIdField: string;
}

export interface EventDescriptor<
  TDetailType extends string = string,
  TDetail extends DetailSchema = DetailSchema,
  TScope extends EventScope = EventScope,
  TDirection extends EventDirection = EventDirection,
> {
  /** The EventBridge `detail-type`. */
  readonly detailType: TDetailType;
  readonly scope: TScope;
  readonly direction: TDirection;
  /** One or two sentences for the schema registry and the generated docs. */
  readonly description: string;
  readonly detail: TDetail;
  /**
   * Realistic payloads as a producer would send them (at least a minimal and a full one). Every sample is
   * parsed by the test suite, so they double as executable documentation.
   */
  readonly samples: readonly [z.input<TDetail>, z.input<TDetail>, ...z.input<TDetail>[]];
  /**
   * Customer-scoped inbound events: how the event changes what Waymark knows of the customer (a pure
   * function; return the state unchanged to keep nothing). Absent: journeys see the event, the customer's
   * context does not change. Custom facts belong in `state.attributes`, which journeys read as
   * `customer.attributes.*`.
   */
  context?(state: CustomerState, event: ContextEvent<z.output<TDetail>>): CustomerState;
  /** One line for the customer's timeline and the simulator, free of contact details. @default the detail-type */
  describe?(detail: z.output<TDetail>): string;
  /** Global inbound events: how the event reaches customers (required for them). */
  readonly reach?: GlobalReach<z.output<TDetail>>;
  /**
   * Inbound events only some producers may put (Waymark's own feedback): ingest rejects the event from any
   * other `source`, with the reason. Absent: any source the bus admits.
   */
  readonly sources?: readonly string[];
}

/** Any descriptor, whatever its detail type. */
export type AnyEventDescriptor = EventDescriptor<string, DetailSchema, EventScope, EventDirection>;

/** The parsed (output) detail type of a descriptor. */
export type DetailOf<D extends AnyEventDescriptor> = z.output<D["detail"]>;

/** The detail type a producer writes (input to the schema). */
export type DetailInputOf<D extends AnyEventDescriptor> = z.input<D["detail"]>;

/** An event definition that cannot work (a customer event without customerId, a global one that reaches nobody). */
export class EventDefinitionError extends Error {
  override name = "EventDefinitionError";
}

const DETAIL_TYPE = /^[A-Za-z][A-Za-z0-9.:_-]{0,127}$/;

export function defineEvent<
  const TDetailType extends string,
  TDetail extends DetailSchema,
  const TScope extends EventScope,
  const TDirection extends EventDirection,
>(
  definition: EventDescriptor<TDetailType, TDetail, TScope, TDirection>,
): EventDescriptor<TDetailType, TDetail, TScope, TDirection> {
  const name = String(definition.detailType);
  if (!DETAIL_TYPE.test(name)) {
    throw new EventDefinitionError(
      `Event ${JSON.stringify(name)}: detailType must start with a letter and use letters, digits, . : _ - (at most 128)`,
    );
  }
  // Per-customer ordering and idempotency hang off customerId; a customer-scoped event without one is a
  // programming error that must fail at module load, not when the first event arrives.
  if (definition.scope === "customer" && !("customerId" in definition.detail.shape)) {
    throw new EventDefinitionError(`Event ${name} is customer-scoped but its detail has no customerId`);
  }
  if (definition.scope === "global" && definition.direction === "inbound" && !definition.reach) {
    throw new EventDefinitionError(
      `Event ${name} is global but says nothing about whom it reaches: set reach (owners, audience or store-stock)`,
    );
  }
  if (definition.scope === "global" && definition.context) {
    throw new EventDefinitionError(`Event ${name} is global: it has no customer context to change`);
  }
  return Object.freeze({ ...definition, samples: Object.freeze([...definition.samples]) }) as EventDescriptor<
    TDetailType,
    TDetail,
    TScope,
    TDirection
  >;
}
