/**
 * Wraps sample details in full EventBridge envelopes, for tests, the demo and the docs. Samples themselves
 * live in each event module's `samples`, next to the schema they must satisfy.
 */
import { randomUUID } from "node:crypto";
import type { AnyEventDescriptor, DetailInputOf } from "../functions/core/catalog/define-event.ts";
import { FEEDBACK_SOURCE } from "../functions/core/message-feedback.ts";
import { allEvents, type InboundDetailType, WAYMARK_SOURCE } from "./catalog.ts";
import type { EventBridgeEnvelope } from "./envelope.ts";

/** The upstream system that typically produces each inbound event, as its `source`. */
export const SAMPLE_SOURCES: Readonly<Record<InboundDetailType, string>> = Object.freeze({
  CustomerProfileUpdated: "crm.profiles",
  OrderPlaced: "shop.orders",
  OrderDelivered: "logistics.deliveries",
  OrderReturned: "shop.returns",
  DataUsageUpdated: "billing.usage",
  ProductRecallIssued: "safety.recalls",
  TravelRestrictionIssued: "regulatory.travel",
  CustomerLocationUpdated: "app.location",
  StoreInventoryUpdated: "stores.inventory",
  SurveyResponded: "surveys.nps",
  RecallResolved: "stores.service",
  NotificationOptOut: "messaging.opt-outs",
  MessageDelivered: FEEDBACK_SOURCE,
  MessageBounced: FEEDBACK_SOURCE,
  MessageComplained: FEEDBACK_SOURCE,
  MessageOpened: FEEDBACK_SOURCE,
  MessageClicked: FEEDBACK_SOURCE,
  MessageFailed: FEEDBACK_SOURCE,
  AudienceEntryRequested: "marketing.audiences",
});

export const SAMPLE_ACCOUNT = "123456789012";
export const SAMPLE_REGION = "ap-northeast-2";

/** The `source` a sample envelope of this event gets: `waymark` for emitted events. */
export function sampleSource(descriptor: AnyEventDescriptor): string {
  if (descriptor.direction === "emitted") return WAYMARK_SOURCE;
  return SAMPLE_SOURCES[descriptor.detailType as InboundDetailType] ?? "upstream.unknown";
}

/** EventBridge stamps `time` to the second, without milliseconds. */
function eventBridgeTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/**
 * A complete EventBridge envelope around `detail`, as a rule target would receive it. `overrides` replace
 * envelope fields (e.g. a fixed `id` or `time` to test the eventId/occurredAt fallbacks).
 */
export function sampleEnvelope<D extends AnyEventDescriptor>(
  descriptor: D,
  detail: DetailInputOf<D>,
  overrides: Partial<Omit<EventBridgeEnvelope, "detail-type" | "detail">> = {},
): EventBridgeEnvelope<D["detailType"], DetailInputOf<D>> {
  return {
    version: "0",
    id: randomUUID(),
    source: sampleSource(descriptor),
    account: SAMPLE_ACCOUNT,
    time: eventBridgeTime(new Date()),
    region: SAMPLE_REGION,
    resources: [],
    ...overrides,
    "detail-type": descriptor.detailType,
    detail,
  };
}

/** Every sample of every event, wrapped in an envelope. */
export function allSampleEnvelopes(): EventBridgeEnvelope[] {
  return allEvents.flatMap((descriptor: AnyEventDescriptor) =>
    descriptor.samples.map((detail) => sampleEnvelope(descriptor, detail)),
  );
}
