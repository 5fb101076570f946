/**
 * The events Waymark ships: its own (`builtInEvents`, in every catalog) and the reference journeys'
 * (`referenceEvents`). The lists and types below describe the reference catalog's contract; a team's
 * catalog (`defineCatalog`) brings its own events beside the built-in ones, and everything that runs takes
 * that catalog — see functions/core/catalog/catalog.ts.
 */

import type { DetailInputOf, DetailOf } from "../functions/core/catalog/define-event.ts";
import { agentEscalationRequested } from "./agent-escalation-requested.ts";
import { audienceEntryRequested } from "./audience-entry-requested.ts";
import { customerLocationUpdated } from "./customer-location-updated.ts";
import { customerProfileUpdated } from "./customer-profile-updated.ts";
import { dataUsageUpdated } from "./data-usage-updated.ts";
import { journeyCompleted } from "./journey-completed.ts";
import { journeyGoalReached } from "./journey-goal-reached.ts";
import { journeyStarted } from "./journey-started.ts";
import { messageFeedbackEvents } from "./message-feedback.ts";
import { notificationOptOut } from "./notification-opt-out.ts";
import { notificationSent } from "./notification-sent.ts";
import { notificationSuppressed } from "./notification-suppressed.ts";
import { orderDelivered } from "./order-delivered.ts";
import { orderPlaced } from "./order-placed.ts";
import { orderReturned } from "./order-returned.ts";
import { productRecallIssued } from "./product-recall-issued.ts";
import { recallResolved } from "./recall-resolved.ts";
import { storeInventoryUpdated } from "./store-inventory-updated.ts";
import { surveyResponded } from "./survey-responded.ts";
import { travelRestrictionIssued } from "./travel-restriction-issued.ts";

/** Default name of the EventBridge bus Waymark listens on. */
export const DEFAULT_BUS_NAME = "waymark";

/** `source` of every event Waymark itself puts on the bus. */
export const WAYMARK_SOURCE = "waymark";

/** Events Waymark puts on the bus (source `waymark`): the same in every catalog but for custom emitted events. */
export const emittedEvents = [
  notificationSent,
  notificationSuppressed,
  agentEscalationRequested,
  journeyStarted,
  journeyCompleted,
  journeyGoalReached,
] as const;

/**
 * Waymark's own events, in every catalog: contact points, consent and opt-outs are Waymark's concern, and
 * these are what it emits. `defineCatalog` adds them to whatever a catalog lists.
 */
export const builtInEvents = [
  customerProfileUpdated,
  notificationOptOut,
  ...messageFeedbackEvents,
  audienceEntryRequested,
  ...emittedEvents,
] as const;

/** The reference journeys' events (orders, surveys, usage, recalls, travel, stock): `waymark/reference`. */
export const referenceEvents = [
  orderPlaced,
  orderDelivered,
  orderReturned,
  dataUsageUpdated,
  productRecallIssued,
  travelRestrictionIssued,
  customerLocationUpdated,
  storeInventoryUpdated,
  surveyResponded,
  recallResolved,
] as const;

/** Events upstream systems put on the bus, in the reference catalog: Waymark's own and the reference journeys'. */
export const inboundEvents = [
  customerProfileUpdated,
  ...referenceEvents,
  notificationOptOut,
  ...messageFeedbackEvents,
  audienceEntryRequested,
] as const;

export const allEvents = [...inboundEvents, ...emittedEvents] as const;

export type InboundEventDescriptor = (typeof inboundEvents)[number];
export type EmittedEventDescriptor = (typeof emittedEvents)[number];
export type EventDescriptorOf = (typeof allEvents)[number];

export type InboundDetailType = InboundEventDescriptor["detailType"];
export type EmittedDetailType = EmittedEventDescriptor["detailType"];
export type DetailType = InboundDetailType | EmittedDetailType;

/** detail-type → parsed detail of every inbound event. */
export type InboundDetails = { [D in InboundEventDescriptor as D["detailType"]]: DetailOf<D> };

/** detail-type → parsed detail of every emitted event. */
export type EmittedDetails = { [D in EmittedEventDescriptor as D["detailType"]]: DetailOf<D> };

/** detail-type → parsed detail of every event. */
export type EventDetails = { [D in EventDescriptorOf as D["detailType"]]: DetailOf<D> };

/** detail-type → detail as a producer writes it (the schema's input type); what the publisher accepts. */
export type EventDetailInputs = { [D in EventDescriptorOf as D["detailType"]]: DetailInputOf<D> };

/** detail-type → descriptor. */
export type EventByDetailType = { [D in EventDescriptorOf as D["detailType"]]: D };

/**
 * A validated inbound event, reduced to what Waymark needs. `eventId` and `occurredAt` already have their
 * fallbacks applied, so consumers never repeat that rule.
 */
export type InboundEvent = {
  [K in keyof InboundDetails]: {
    detailType: K;
    detail: InboundDetails[K];
    source: string;
    /** The EventBridge envelope id. */
    envelopeId: string;
    /** detail.eventId ?? envelope id: the idempotency key. */
    eventId: string;
    /** detail.occurredAt ?? envelope time, ISO-8601. */
    occurredAt: string;
  };
}[keyof InboundDetails];

/** An inbound event about one customer (processed in per-customer order). */
export type CustomerInboundEvent = Extract<InboundEvent, { detail: { customerId: string } }>;

/**
 * detail-type → descriptor. A null-prototype object, so looking up an arbitrary string from the wire
 * ("constructor", "__proto__") finds nothing rather than an inherited property.
 */
export const eventByDetailType: Readonly<EventByDetailType> = Object.freeze(
  Object.assign(Object.create(null) as object, Object.fromEntries(allEvents.map((e) => [e.detailType, e]))),
) as EventByDetailType;

/** The descriptor for a detail-type, or `undefined` when the contract has no such event. */
export function findEvent(detailType: string): EventDescriptorOf | undefined {
  return Object.hasOwn(eventByDetailType, detailType)
    ? eventByDetailType[detailType as DetailType]
    : undefined;
}

export const emittedDetailTypes: readonly string[] = Object.freeze(emittedEvents.map((e) => e.detailType));

/** Detail-types whose detail carries a customerId (inbound and emitted). */
export const customerScopedDetailTypes: readonly string[] = Object.freeze(
  allEvents.filter((e) => e.scope === "customer").map((e) => e.detailType),
);

export function isEmittedDetailType(detailType: string): detailType is EmittedDetailType {
  return emittedDetailTypes.includes(detailType);
}

/** Narrows an inbound event to a customer-scoped one. */
export function isCustomerEvent(event: InboundEvent): event is CustomerInboundEvent {
  return customerScopedDetailTypes.includes(event.detailType);
}
