/**
 * Fields every event may carry, and the customer id every customer-scoped event must carry
 * (docs/architecture.md, the event contract). Event modules extend these objects rather than repeat the fields.
 *
 * Objects use zod's default "strip" mode on purpose: the contract allows producers to add fields, and
 * Waymark ignores what it does not know instead of rejecting the event.
 */
import * as z from "zod";
import { isoDateTime } from "./fields.ts";

export const customerIdSchema = z
  .string()
  .min(1)
  .max(128)
  .describe("The producer's stable customer id; all of one customer's events are processed in order");

/** Optional metadata any event (customer-scoped or global) may carry. */
export const eventMetadataShape = {
  eventId: z
    .string()
    .min(1)
    .max(256)
    .optional()
    .describe(
      "The producer's idempotency key: a redelivered or re-sent event must carry the same value. " +
        "When absent, the EventBridge envelope id is used.",
    ),
  occurredAt: isoDateTime
    .optional()
    .describe("When it happened in the producing system (ISO-8601). When absent, the envelope time is used."),
};

/** Base for events about one customer. */
export const customerEventBase = z.object({
  customerId: customerIdSchema,
  ...eventMetadataShape,
});

/** Base for events about the world rather than one customer (recalls, restrictions, store stock). */
export const globalEventBase = z.object(eventMetadataShape);
