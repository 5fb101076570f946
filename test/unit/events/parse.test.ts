import { describe, expect, it } from "vitest";
import {
  EventValidationError,
  formatIssues,
  isCustomerEvent,
  notificationSent,
  orderDelivered,
  parseEmittedDetail,
  parseEventDetail,
  parseInboundEvent,
  sampleEnvelope,
  storeInventoryUpdated,
  surveyResponded,
} from "../../../events/index.ts";

const validEnvelope = {
  version: "0",
  id: "7bf73129-1428-4cd3-a780-95db273d1602",
  "detail-type": "OrderDelivered",
  source: "logistics.deliveries",
  account: "123456789012",
  time: "2025-03-03T05:02:11Z",
  region: "ap-northeast-2",
  resources: [],
  detail: { customerId: "cust-kr-0001", orderId: "KR-20250301-000124" },
};

function issuesOf(raw: unknown) {
  const result = parseInboundEvent(raw);
  if (result.ok) expect.fail("expected the event to be rejected");
  return result;
}

describe("parseInboundEvent", () => {
  it("returns a typed event with the envelope id and time as fallbacks", () => {
    const result = parseInboundEvent(validEnvelope);
    expect(result).toEqual({
      ok: true,
      event: {
        detailType: "OrderDelivered",
        detail: { customerId: "cust-kr-0001", orderId: "KR-20250301-000124" },
        source: "logistics.deliveries",
        envelopeId: "7bf73129-1428-4cd3-a780-95db273d1602",
        eventId: "7bf73129-1428-4cd3-a780-95db273d1602",
        occurredAt: "2025-03-03T05:02:11Z",
      },
    });
  });

  it("prefers detail.eventId and detail.occurredAt", () => {
    const result = parseInboundEvent({
      ...validEnvelope,
      detail: { ...validEnvelope.detail, eventId: "delivery-77", occurredAt: "2025-03-03T14:02:11+09:00" },
    });
    if (!result.ok) expect.fail(result.summary);
    expect(result.event.envelopeId).toBe(validEnvelope.id);
    expect(result.event.eventId).toBe("delivery-77");
    expect(result.event.occurredAt).toBe("2025-03-03T14:02:11+09:00");
  });

  it("accepts an envelope without the optional version, account, region and resources", () => {
    const { version: _v, account: _a, region: _r, resources: _res, ...minimal } = validEnvelope;
    expect(parseInboundEvent(minimal).ok).toBe(true);
  });

  it("narrows customer events", () => {
    const customer = parseInboundEvent(validEnvelope);
    const global = parseInboundEvent(sampleEnvelope(storeInventoryUpdated, storeInventoryUpdated.samples[0]));
    if (!customer.ok || !global.ok) expect.fail("samples must parse");
    expect(isCustomerEvent(customer.event)).toBe(true);
    expect(isCustomerEvent(global.event)).toBe(false);
    if (isCustomerEvent(customer.event)) expect(customer.event.detail.customerId).toBe("cust-kr-0001");
  });

  it("rejects an unknown detail-type, naming the accepted ones", () => {
    const result = issuesOf({ ...validEnvelope, "detail-type": "OrderShipped" });
    expect(result.issues).toHaveLength(1);
    expect(result.issues[0]?.path).toBe("detail-type");
    expect(result.issues[0]?.message).toMatch(/^unknown detail-type "OrderShipped"; expected one of /);
    expect(result.issues[0]?.message).toContain("OrderDelivered");
  });

  it("does not accept Waymark's own emitted events as input", () => {
    const result = issuesOf(sampleEnvelope(notificationSent, notificationSent.samples[0]));
    expect(result.issues).toEqual([
      {
        path: "detail-type",
        message: '"NotificationSent" is emitted by Waymark and is not accepted as input',
      },
    ]);
  });

  it("does not resolve inherited property names as detail-types", () => {
    for (const name of ["constructor", "__proto__", "toString"]) {
      expect(issuesOf({ ...validEnvelope, "detail-type": name }).issues[0]?.path).toBe("detail-type");
    }
  });

  it("rejects a missing detail", () => {
    const { detail: _detail, ...withoutDetail } = validEnvelope;
    expect(issuesOf(withoutDetail).issues).toEqual([{ path: "detail", message: "required" }]);
  });

  it("rejects a detail that is not an object", () => {
    expect(issuesOf({ ...validEnvelope, detail: "{}" }).issues).toEqual([
      { path: "detail", message: "expected an object, got a string" },
    ]);
    expect(issuesOf({ ...validEnvelope, detail: [] }).issues).toEqual([
      { path: "detail", message: "expected an object, got a list" },
    ]);
  });

  it("rejects a non-ISO time", () => {
    expect(issuesOf({ ...validEnvelope, time: "Mon, 03 Mar 2025 05:02:11 GMT" }).issues).toEqual([
      {
        path: "time",
        message: "expected an ISO-8601 date-time with a time zone, like 2025-03-01T09:30:00+09:00",
      },
    ]);
  });

  it("rejects missing envelope fields", () => {
    const result = issuesOf({ detail: {} });
    expect(result.issues.map((i) => i.path)).toEqual(["id", "source", "time", "detail-type"]);
    expect(result.issues.every((i) => i.message === "required")).toBe(true);
  });

  it("reports envelope and detail problems together, in a readable summary", () => {
    const result = issuesOf({
      ...validEnvelope,
      source: "",
      detail: { orderId: "KR-1", deliveredAt: "tomorrow" },
    });
    expect(result.summary).toBe(
      "source: must not be empty; detail.customerId: required; " +
        "detail.deliveredAt: expected an ISO-8601 date-time with a time zone, like 2025-03-01T09:30:00+09:00",
    );
  });

  it.each([
    ["a string", "hello", "expected an EventBridge event object, got a string"],
    ["null", null, "expected an EventBridge event object, got null"],
    ["a list", [validEnvelope], "expected an EventBridge event object, got a list"],
    ["nothing", undefined, "expected an EventBridge event object, got nothing"],
  ])("never throws, even for %s", (_, raw, message) => {
    expect(issuesOf(raw).issues).toEqual([{ path: "event", message }]);
  });
});

describe("formatIssues", () => {
  it("joins path and message pairs", () => {
    expect(
      formatIssues([
        { path: "detail.customerId", message: "required" },
        { path: "detail.items[0].quantity", message: "expected a positive integer" },
      ]),
    ).toBe("detail.customerId: required; detail.items[0].quantity: expected a positive integer");
  });
});

describe("parseEmittedDetail", () => {
  it("returns the parsed detail", () => {
    expect(parseEmittedDetail("NotificationSent", notificationSent.samples[0])).toEqual(
      notificationSent.samples[0],
    );
  });

  it("throws an EventValidationError naming the field", () => {
    const attempt = () =>
      parseEmittedDetail("NotificationSent", { ...notificationSent.samples[0], channel: "fax" });
    expect(attempt).toThrow(EventValidationError);
    expect(attempt).toThrow('Invalid NotificationSent event: detail.channel: expected one of "sms", "email"');
    try {
      attempt();
    } catch (error) {
      expect((error as EventValidationError).issues).toEqual([
        { path: "detail.channel", message: 'expected one of "sms", "email"' },
      ]);
    }
  });

  it("refuses inbound detail-types", () => {
    expect(() => parseEmittedDetail("OrderDelivered" as never, orderDelivered.samples[0])).toThrow(
      /not an event Waymark emits/,
    );
  });
});

describe("parseEventDetail", () => {
  it("validates any event in the contract", () => {
    expect(parseEventDetail("SurveyResponded", surveyResponded.samples[0])).toEqual(
      surveyResponded.samples[0],
    );
    expect(() => parseEventDetail("SurveyResponded", { customerId: "c", surveyId: "s", score: -1 })).toThrow(
      "Invalid SurveyResponded event: detail.score: expected an integer score from 0 to 10",
    );
  });
});

describe("parseInboundEvent: depth", () => {
  it("rejects an event nested deeper than 32 levels with a reason, without recursing into it", () => {
    let nested: unknown = "bottom";
    for (let i = 0; i < 50_000; i++) nested = { next: nested };
    const raw = {
      version: "0",
      id: "e-1",
      "detail-type": "OrderDelivered",
      source: "shop",
      account: "123456789012",
      time: "2026-03-01T00:00:00Z",
      region: "us-east-1",
      resources: [],
      detail: { customerId: "c-1", orderId: "o-1", extra: nested },
    };
    expect(parseInboundEvent(raw)).toEqual({
      ok: false,
      issues: [{ path: "detail", message: "nests more than 32 levels deep" }],
      summary: "detail: nests more than 32 levels deep",
    });
  });
});

describe("message feedback is Waymark's own word (issue 10)", () => {
  it("accepts MessageBounced only from waymark.feedback, and says so otherwise", () => {
    const bounce = {
      ...validEnvelope,
      "detail-type": "MessageBounced",
      detail: { customerId: "c-1", notificationId: "n-1", channel: "email", bounceType: "hard" },
    };
    expect(parseInboundEvent({ ...bounce, source: "waymark.feedback" }).ok).toBe(true);
    expect(issuesOf({ ...bounce, source: "shop.orders" }).issues).toEqual([
      { path: "source", message: '"shop.orders" may not put MessageBounced (only waymark.feedback)' },
    ]);
  });
});
