/**
 * `defineEvent` declares one event of the contract: its EventBridge `detail-type`, its zod detail schema and
 * its sample payloads. Descriptors are the single source for the catalog, the parser, the JSON Schema export
 * and the publisher, so each event is written down exactly once.
 */
import type { z } from "zod";

/** `customer` events carry a customerId and are processed in per-customer order; `global` ones do not. */
export type EventScope = "customer" | "global";

/** `inbound` events are put on the bus by upstream systems; `emitted` ones by Waymark (source `waymark`). */
export type EventDirection = "inbound" | "emitted";

/** A detail schema: always a zod object, so producers may add fields and Waymark strips what it ignores. */
export type DetailSchema = z.ZodObject;

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
}

/** Any descriptor, whatever its detail type. */
export type AnyEventDescriptor = EventDescriptor<string, DetailSchema, EventScope, EventDirection>;

/** The parsed (output) detail type of a descriptor. */
export type DetailOf<D extends AnyEventDescriptor> = z.output<D["detail"]>;

/** The detail type a producer writes (input to the schema). */
export type DetailInputOf<D extends AnyEventDescriptor> = z.input<D["detail"]>;

export function defineEvent<
  const TDetailType extends string,
  TDetail extends DetailSchema,
  const TScope extends EventScope,
  const TDirection extends EventDirection,
>(
  definition: EventDescriptor<TDetailType, TDetail, TScope, TDirection>,
): EventDescriptor<TDetailType, TDetail, TScope, TDirection> {
  // Per-customer ordering and idempotency hang off customerId; a customer-scoped event without one is a
  // programming error that must fail at module load, not when the first event arrives.
  if (definition.scope === "customer" && !("customerId" in definition.detail.shape)) {
    throw new Error(`Event ${definition.detailType} is customer-scoped but its detail has no customerId`);
  }
  return Object.freeze({ ...definition, samples: Object.freeze([...definition.samples]) }) as EventDescriptor<
    TDetailType,
    TDetail,
    TScope,
    TDirection
  >;
}
