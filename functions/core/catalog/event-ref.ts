/**
 * Refs to an event's fields that the compiler checks and an editor completes: `eventRef(cartAbandoned,
 * "cartId")` is `ref("event.cartId")`, but a misspelt field is a type error where it is written, not a
 * catalog error at build. Paths follow the detail's parsed type (objects by key, arrays by index).
 */
import type { ValueRef } from "../journey/definition.ts";
import type { AnyEventDescriptor, DetailOf } from "./define-event.ts";

type Depth = [never, 0, 1, 2, 3];

/** Dot paths into `T`, four levels deep: `cartId`, `items`, `items.0`, `items.0.sku`, `store.id`… */
export type FieldPath<T, D extends number = 4> = [D] extends [never]
  ? never
  : T extends readonly (infer E)[]
    ? `${number}` | `${number}.${FieldPath<E, Depth[D]>}`
    : T extends object
      ? {
          [K in keyof T & string]-?:
            | K
            | (NonNullable<T[K]> extends object ? `${K}.${FieldPath<NonNullable<T[K]>, Depth[D]>}` : never);
        }[keyof T & string]
      : never;

/** What every event in a journey's scope carries besides its detail. */
export type EventMetaField = "eventId" | "occurredAt" | "detailType";

export function eventRef<E extends AnyEventDescriptor>(
  _event: E,
  ...paths: [FieldPath<DetailOf<E>> | EventMetaField, ...(FieldPath<DetailOf<E>> | EventMetaField)[]]
): ValueRef {
  const refs = paths.map((path) => `event.${path}`);
  return { $ref: refs.length === 1 ? refs[0]! : refs };
}
