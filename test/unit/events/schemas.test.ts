import { describe, expect, it } from "vitest";
import { audienceEntryRequested } from "../../../events/audience-entry-requested.ts";
import {
  type AnyEventDescriptor,
  agentEscalationRequested,
  allEvents,
  customerLocationUpdated,
  customerProfileUpdated,
  customerScopedDetailTypes,
  dataUsageUpdated,
  emittedEvents,
  inboundEvents,
  journeyCompleted,
  notificationOptOut,
  notificationSent,
  notificationSuppressed,
  orderDelivered,
  orderPlaced,
  orderReturned,
  parseEventDetail,
  parseInboundEvent,
  productRecallIssued,
  recallResolved,
  sampleEnvelope,
  storeInventoryUpdated,
  surveyResponded,
  travelRestrictionIssued,
  type ValidationIssue,
} from "../../../events/index.ts";
import { journeyGoalReached } from "../../../events/journey-goal-reached.ts";
import { journeyStarted } from "../../../events/journey-started.ts";
import {
  messageBounced,
  messageClicked,
  messageComplained,
  messageDelivered,
  messageFailed,
  messageOpened,
} from "../../../events/message-feedback.ts";

/** Issues for a detail, whatever the event's direction (emitted events are not accepted inbound). */
function detailIssues(descriptor: AnyEventDescriptor, detail: unknown): ValidationIssue[] {
  if (descriptor.direction === "inbound") {
    const result = parseInboundEvent(sampleEnvelope(descriptor, detail as never));
    return result.ok ? [] : result.issues;
  }
  try {
    parseEventDetail(descriptor.detailType as never, detail);
    return [];
  } catch (error) {
    return (error as { issues: ValidationIssue[] }).issues;
  }
}

describe("samples", () => {
  it("has at least two samples for each of the 25 events", () => {
    expect(allEvents).toHaveLength(25);
    for (const descriptor of allEvents) expect(descriptor.samples.length).toBeGreaterThanOrEqual(2);
  });

  describe.each(allEvents.map((d) => [d.detailType, d] as const))(
    "%s",
    (_, descriptor: AnyEventDescriptor) => {
      it.each(descriptor.samples.map((sample, i) => [i, sample] as const))(
        "sample %i parses against the detail schema",
        (_i, sample) => {
          const result = descriptor.detail.safeParse(sample);
          expect(result.error?.issues).toBeUndefined();
        },
      );
    },
  );

  describe.each(inboundEvents.map((d) => [d.detailType, d] as const))(
    "%s",
    (_, descriptor: AnyEventDescriptor) => {
      it.each(descriptor.samples.map((sample, i) => [i, sample] as const))(
        "sample %i parses as a full EventBridge event",
        (_i, sample) => {
          const result = parseInboundEvent(sampleEnvelope(descriptor, sample));
          // (Feedback samples carry the only source ingest accepts them from: waymark.feedback.)
          if (!result.ok) expect.fail(result.summary);
          expect(result.event.detailType).toBe(descriptor.detailType);
        },
      );
    },
  );

  it("covers Korean and US customers", () => {
    const text = JSON.stringify(allEvents.map((d) => d.samples));
    for (const value of [
      "+821012345678",
      "Asia/Seoul",
      "ko-KR",
      "+12125550123",
      "America/New_York",
      "en-US",
    ]) {
      expect(text).toContain(value);
    }
  });
});

describe("descriptors", () => {
  it("gives every customer-scoped event a required customerId and no global event one", () => {
    for (const descriptor of allEvents as readonly AnyEventDescriptor[]) {
      const customerId = descriptor.detail.shape.customerId;
      const requiresCustomerId = customerId !== undefined && !customerId.safeParse(undefined).success;
      expect([descriptor.detailType, requiresCustomerId]).toEqual([
        descriptor.detailType,
        descriptor.scope === "customer",
      ]);
    }
    expect(customerScopedDetailTypes).not.toContain("ProductRecallIssued");
    expect(customerScopedDetailTypes).toContain("OrderDelivered");
  });

  it("marks emitted events as such", () => {
    expect(emittedEvents.map((d) => d.detailType)).toEqual([
      "NotificationSent",
      "NotificationSuppressed",
      "AgentEscalationRequested",
      "JourneyStarted",
      "JourneyCompleted",
      "JourneyGoalReached",
    ]);
    for (const descriptor of emittedEvents) expect(descriptor.direction).toBe("emitted");
    for (const descriptor of inboundEvents) expect(descriptor.direction).toBe("inbound");
  });
});

const kr = { customerId: "cust-kr-0001" };

/** One rejected payload per event, with the path the issue must name. */
const rejections: [string, AnyEventDescriptor, unknown, string, string | RegExp][] = [
  ["missing customerId", orderDelivered, { orderId: "o-1" }, "detail.customerId", "required"],
  [
    "customerId of 129 characters",
    orderReturned,
    { customerId: "c".repeat(129), orderId: "o-1" },
    "detail.customerId",
    "must be at most 128 characters",
  ],
  [
    "bad phone",
    customerProfileUpdated,
    { ...kr, phone: "010-1234-5678" },
    "detail.phone",
    "expected an E.164 phone number like +821012345678",
  ],
  ["bad email", customerProfileUpdated, { ...kr, email: "minji@" }, "detail.email", /email address/],
  ["unknown time zone", customerProfileUpdated, { ...kr, timeZone: "Asia/Busan" }, "detail.timeZone", /IANA/],
  [
    "UTC offset as time zone",
    customerProfileUpdated,
    { ...kr, timeZone: "+09:00" },
    "detail.timeZone",
    /IANA/,
  ],
  ["malformed locale", customerProfileUpdated, { ...kr, locale: "ko_KR" }, "detail.locale", /BCP-47/],
  [
    "latitude out of range",
    customerProfileUpdated,
    { ...kr, home: { lat: 91, lon: 0 } },
    "detail.home.lat",
    /-90/,
  ],
  [
    "non-boolean consent",
    customerProfileUpdated,
    { ...kr, consent: { marketingSms: "yes" } },
    "detail.consent.marketingSms",
    "expected true or false, got a string",
  ],
  [
    "quantity 0",
    orderPlaced,
    {
      ...kr,
      orderId: "o-1",
      items: [{ sku: "NX2", name: "Nova X2", quantity: 0, unitPrice: 1 }],
      currency: "KRW",
    },
    "detail.items[0].quantity",
    "expected a positive integer",
  ],
  [
    "missing sku",
    orderPlaced,
    { ...kr, orderId: "o-1", items: [{ name: "Nova X2", quantity: 1, unitPrice: 1 }], currency: "KRW" },
    "detail.items[0].sku",
    "required",
  ],
  [
    "lower-case currency",
    orderPlaced,
    {
      ...kr,
      orderId: "o-1",
      items: [{ sku: "NX2", name: "Nova X2", quantity: 1, unitPrice: 1 }],
      currency: "krw",
    },
    "detail.currency",
    /ISO-4217/,
  ],
  [
    "negative price",
    orderPlaced,
    {
      ...kr,
      orderId: "o-1",
      items: [{ sku: "NX2", name: "Nova X2", quantity: 1, unitPrice: -5 }],
      currency: "KRW",
    },
    "detail.items[0].unitPrice",
    "expected a non-negative amount",
  ],
  [
    "non-ISO deliveredAt",
    orderDelivered,
    { ...kr, orderId: "o-1", deliveredAt: "03/03/2025" },
    "detail.deliveredAt",
    /ISO-8601/,
  ],
  [
    "local date-time without offset",
    orderDelivered,
    { ...kr, orderId: "o-1", occurredAt: "2025-03-03T14:00:00" },
    "detail.occurredAt",
    /time zone/,
  ],
  [
    "malformed period date",
    dataUsageUpdated,
    { ...dataUsageUpdated.samples[0], periodStart: "2025/03/01" },
    "detail.periodStart",
    /YYYY-MM-DD|2025-03-01/,
  ],
  [
    "period ending before it starts",
    dataUsageUpdated,
    { ...dataUsageUpdated.samples[0], periodEnd: "2025-02-01" },
    "detail.periodEnd",
    "must be after periodStart",
  ],
  [
    "bad severity",
    productRecallIssued,
    { ...productRecallIssued.samples[0], severity: "low" },
    "detail.severity",
    'expected one of "critical", "high", "medium"',
  ],
  [
    "recall without models",
    productRecallIssued,
    { ...productRecallIssued.samples[0], models: [] },
    "detail.models",
    "must have at least one item",
  ],
  [
    "missing effectiveAt",
    travelRestrictionIssued,
    { ...travelRestrictionIssued.samples[0], effectiveAt: undefined },
    "detail.effectiveAt",
    "required",
  ],
  [
    "longitude out of range",
    customerLocationUpdated,
    { ...kr, lat: 37.5, lon: 181, observedAt: "2025-03-08T19:40:00+09:00" },
    "detail.lon",
    /-180/,
  ],
  [
    "negative stock",
    storeInventoryUpdated,
    { ...storeInventoryUpdated.samples[0], stock: [{ sku: "VP-20K", quantity: -1 }] },
    "detail.stock[0].quantity",
    "expected a non-negative integer",
  ],
  [
    "score 11",
    surveyResponded,
    { ...kr, surveyId: "srv-1", score: 11 },
    "detail.score",
    "expected an integer score from 0 to 10",
  ],
  ["fractional score", surveyResponded, { ...kr, surveyId: "srv-1", score: 7.5 }, "detail.score", /integer/],
  ["missing recallId", recallResolved, { ...kr }, "detail.recallId", "required"],
  [
    "unknown channel",
    notificationOptOut,
    { ...kr, channel: "push" },
    "detail.channel",
    'expected one of "sms", "email"',
  ],
  [
    "zero SMS segments",
    notificationSent,
    { ...notificationSent.samples[1], smsSegments: 0 },
    "detail.smsSegments",
    "expected a positive integer",
  ],
  [
    "unknown suppression reason",
    notificationSuppressed,
    { ...notificationSuppressed.samples[0], reason: "quiet-hours" },
    "detail.reason",
    /expected one of/,
  ],
  [
    "unmasked phone in an escalation",
    agentEscalationRequested,
    {
      ...agentEscalationRequested.samples[0],
      context: { profile: { maskedPhone: "+821012345678" }, timeline: [] },
    },
    "detail.context.profile.maskedPhone",
    /must be masked/,
  ],
  [
    "bad timeline kind",
    agentEscalationRequested,
    {
      ...agentEscalationRequested.samples[0],
      context: { profile: {}, timeline: [{ at: "2025-03-01T00:00:00Z", kind: "call", summary: "x" }] },
    },
    "detail.context.timeline[0].kind",
    /expected one of/,
  ],
  [
    "fractional journey version",
    journeyCompleted,
    { ...journeyCompleted.samples[0], journeyVersion: 1.5 },
    "detail.journeyVersion",
    "expected a non-negative integer",
  ],
  [
    "start without a version",
    journeyStarted,
    { ...journeyStarted.samples[0], journeyVersion: undefined },
    "detail.journeyVersion",
    /expected a non-negative integer|required/,
  ],
  [
    "goal without its event",
    journeyGoalReached,
    { ...journeyGoalReached.samples[0], goal: "" },
    "detail.goal",
    "must not be empty",
  ],
  [
    "delivery without notification id",
    messageDelivered,
    { customerId: "c-1", channel: "email" },
    "detail.notificationId",
    "required",
  ],
  [
    "bounce of no kind",
    messageBounced,
    { ...messageBounced.samples[0], bounceType: "maybe" },
    "detail.bounceType",
    /expected one of/,
  ],
  [
    "complaint on a fax",
    messageComplained,
    { ...messageComplained.samples[0], channel: "fax" },
    "detail.channel",
    /expected one of/,
  ],
  [
    "open without channel",
    messageOpened,
    { customerId: "c-1", notificationId: "n-1" },
    "detail.channel",
    /expected one of/,
  ],
  [
    "click on a javascript: link",
    messageClicked,
    { ...messageClicked.samples[0], link: "javascript:alert(1)" },
    "detail.link",
    /URL/i,
  ],
  [
    "failure reason of 501 characters",
    messageFailed,
    { ...messageFailed.samples[0], reason: "x".repeat(501) },
    "detail.reason",
    /at most 500/,
  ],
  [
    "audience in a format the fan-out cannot read",
    audienceEntryRequested,
    { ...audienceEntryRequested.samples[0], format: "xlsx" },
    "detail.format",
    /expected one of/,
  ],
];

describe("rejections", () => {
  it("has at least one rejected payload for every event", () => {
    const covered = new Set(rejections.map(([, descriptor]) => descriptor.detailType));
    expect([...covered].sort()).toEqual(allEvents.map((d) => d.detailType).sort());
  });

  it.each(rejections)("rejects %s", (_, descriptor, detail, path, message) => {
    const issues = detailIssues(descriptor, detail);
    const issue = issues.find((i) => i.path === path);
    expect(issue, `issues: ${JSON.stringify(issues)}`).toBeDefined();
    if (typeof message === "string") expect(issue?.message).toBe(message);
    else expect(issue?.message).toMatch(message);
  });
});

describe("CustomerProfileUpdated as a merge patch", () => {
  it("accepts null for every field but customerId, and for each consent flag", () => {
    const detail = {
      customerId: "cust-kr-0001",
      name: null,
      locale: null,
      timeZone: null,
      phone: null,
      email: null,
      preferredChannel: null,
      consent: { marketingSms: null, marketingEmail: null, nightTimeMarketing: null },
      home: null,
    };
    expect(customerProfileUpdated.detail.parse(detail)).toEqual(detail);
    expect(customerProfileUpdated.detail.parse({ customerId: "c", consent: null })).toEqual({
      customerId: "c",
      consent: null,
    });
  });

  it("keeps absent fields absent, so they are left unchanged", () => {
    expect(customerProfileUpdated.detail.parse({ customerId: "c", phone: "+12125550123" })).toEqual({
      customerId: "c",
      phone: "+12125550123",
    });
  });

  it("does not accept null for customerId", () => {
    expect(detailIssues(customerProfileUpdated, { customerId: null })).toContainEqual({
      path: "detail.customerId",
      message: "expected a string, got null",
    });
  });

  it("requires lat and lon when home is replaced", () => {
    expect(detailIssues(customerProfileUpdated, { customerId: "c", home: { address: "x" } })).toEqual([
      { path: "detail.home.lat", message: "required" },
      { path: "detail.home.lon", message: "required" },
    ]);
  });

  it("canonicalises locale and time zone spelling", () => {
    expect(
      customerProfileUpdated.detail.parse({ customerId: "c", locale: "ko-kr", timeZone: "asia/seoul" }),
    ).toEqual({ customerId: "c", locale: "ko-KR", timeZone: "Asia/Seoul" });
    expect(customerProfileUpdated.detail.parse({ customerId: "c", timeZone: "UTC" }).timeZone).toBe("UTC");
  });
});

describe("unknown fields", () => {
  it("are accepted and stripped, at the top level and in nested objects", () => {
    const result = parseInboundEvent(
      sampleEnvelope(orderPlaced, {
        customerId: "cust-us-0042",
        orderId: "US-1",
        items: [{ sku: "VP-20K", name: "Volt", quantity: 1, unitPrice: 49.99, colour: "black" }],
        currency: "USD",
        loyaltyTier: "gold",
      } as never),
    );
    if (!result.ok) expect.fail(result.summary);
    expect(result.event.detail).toEqual({
      customerId: "cust-us-0042",
      orderId: "US-1",
      items: [{ sku: "VP-20K", name: "Volt", quantity: 1, unitPrice: 49.99 }],
      currency: "USD",
    });
  });
});

describe("global events", () => {
  it("carry no customerId but may carry eventId and occurredAt", () => {
    const result = parseInboundEvent(
      sampleEnvelope(productRecallIssued, {
        ...productRecallIssued.samples[0],
        eventId: "recall-feed-1",
        occurredAt: "2025-03-10T09:00:00+09:00",
      }),
    );
    if (!result.ok) expect.fail(result.summary);
    expect(result.event).toMatchObject({ eventId: "recall-feed-1", occurredAt: "2025-03-10T09:00:00+09:00" });
    expect(result.event.detail).not.toHaveProperty("customerId");
  });
});
