import { describe, expect, it } from "vitest";
import {
  addTimelineEntry,
  applyEventToContext as applyWith,
} from "../../../functions/core/customer-context.ts";
import type { CustomerState } from "../../../functions/core/customer-state.ts";
import { emptyCustomerState, LIMITS } from "../../../functions/core/customer-state.ts";
import { maskEmail, maskPhone } from "../../../functions/core/mask.ts";
import { referenceCatalog } from "../../../journeys/registry.ts";
import { customerEvent, phone } from "../../support/events.ts";

/** The reference catalog's events say how each changes the customer context. */
const applyEventToContext = (state: CustomerState, event: Parameters<typeof applyWith>[1]) =>
  applyWith(state, event, referenceCatalog);

const start = emptyCustomerState("ctx-1", new Date("2026-01-01T00:00:00Z"));
const profile = (detail: Record<string, unknown>, time: string) =>
  customerEvent("CustomerProfileUpdated", { customerId: "ctx-1", ...detail }, { time });

describe("customer context", () => {
  it("applies a profile merge patch: present fields overwrite, null deletes, absent ones stay", () => {
    let s = applyEventToContext(
      start,
      profile(
        { name: "Jane", email: "jane@example.com", consent: { marketingSms: true } },
        "2026-01-01T00:00:00Z",
      ),
    );
    s = applyEventToContext(
      s,
      profile({ email: null, locale: "en-US", consent: { marketingEmail: false } }, "2026-01-02T00:00:00Z"),
    );
    expect(s.profile).toEqual({ name: "Jane", locale: "en-US" });
    expect(s.consent).toEqual({ marketingSms: true, marketingEmail: false });
  });

  it("an older patch that arrives late does not overwrite a newer value", () => {
    let s = applyEventToContext(start, profile({ name: "New name" }, "2026-01-05T00:00:00Z"));
    s = applyEventToContext(s, profile({ name: "Old name", locale: "ko-KR" }, "2026-01-01T00:00:00Z"));
    expect(s.profile).toEqual({ name: "New name", locale: "ko-KR" });
  });

  it("a consent withdrawal applies at once, whatever its timestamp; an older grant still loses", () => {
    let s = applyEventToContext(start, profile({ consent: { marketingSms: true } }, "2026-01-05T00:00:00Z"));
    s = applyEventToContext(s, profile({ consent: { marketingSms: false } }, "2026-01-01T00:00:00Z"));
    expect(s.consent.marketingSms).toBe(false);
    // The withdrawal keeps the newest time known, so the grant from before it cannot come back.
    s = applyEventToContext(s, profile({ consent: { marketingSms: true } }, "2026-01-03T00:00:00Z"));
    expect(s.consent.marketingSms).toBe(false);
    s = applyEventToContext(s, profile({ consent: { marketingSms: true } }, "2026-01-06T00:00:00Z"));
    expect(s.consent.marketingSms).toBe(true);
  });

  it("keeps orders with their items, deliveries and returns", () => {
    let s = applyEventToContext(
      start,
      customerEvent(
        "OrderPlaced",
        { customerId: "ctx-1", orderId: "o-1", items: [phone], currency: "KRW" },
        { time: "2026-01-01T09:00:00Z" },
      ),
    );
    s = applyEventToContext(
      s,
      customerEvent("OrderDelivered", {
        customerId: "ctx-1",
        orderId: "o-1",
        deliveredAt: "2026-01-03T00:00:00Z",
      }),
    );
    s = applyEventToContext(
      s,
      customerEvent(
        "OrderReturned",
        { customerId: "ctx-1", orderId: "o-1" },
        { time: "2026-01-04T00:00:00Z" },
      ),
    );
    expect(s.orders["o-1"]).toEqual({
      placedAt: "2026-01-01T09:00:00Z",
      items: [{ sku: "SM-S931N", name: "Galaxy S26", model: "SM-S931", category: "phone", quantity: 1 }],
      deliveredAt: "2026-01-03T00:00:00Z",
      returnedAt: "2026-01-04T00:00:00Z",
    });
  });

  it(`keeps at most ${LIMITS.orders} orders, the most recent ones`, () => {
    let s = start;
    for (let i = 0; i < LIMITS.orders + 6; i++) {
      s = applyEventToContext(
        s,
        customerEvent(
          "OrderPlaced",
          { customerId: "ctx-1", orderId: `o-${i}`, items: [phone], currency: "KRW" },
          { time: new Date(Date.UTC(2026, 0, 1, i)).toISOString() },
        ),
      );
    }
    expect(Object.keys(s.orders)).toHaveLength(LIMITS.orders);
    expect(s.orders["o-0"]).toBeUndefined();
    expect(s.orders[`o-${LIMITS.orders + 5}`]).toBeDefined();
  });

  it("an opt-out is final and keeps its first date", () => {
    let s = applyEventToContext(
      start,
      customerEvent(
        "NotificationOptOut",
        { customerId: "ctx-1", channel: "sms" },
        { time: "2026-01-02T00:00:00Z" },
      ),
    );
    s = applyEventToContext(
      s,
      customerEvent(
        "NotificationOptOut",
        { customerId: "ctx-1", channel: "sms" },
        { time: "2026-01-09T00:00:00Z" },
      ),
    );
    s = applyEventToContext(s, profile({ consent: { marketingSms: true } }, "2026-01-10T00:00:00Z"));
    expect(s.optOuts).toEqual({ sms: "2026-01-02T00:00:00Z" });
  });

  it("masks contact points for logs", () => {
    expect(maskPhone("+821012345678")).toBe("+82-10-****-5678");
    expect(maskPhone("+12125550123")).toBe("+1-***-***-0123");
    expect(maskEmail("kim@example.com")).toBe("k***@example.com");
  });
});

describe("timeline lines", () => {
  it("are cut to 500 UTF-16 units with a marker, never in the middle of a surrogate pair", () => {
    const at = "2026-01-01T00:00:00Z";
    const [korean] = addTimelineEntry([], { at, kind: "event", summary: "가".repeat(900) });
    expect(korean!.summary).toHaveLength(500);
    expect(korean!.summary.endsWith("가…")).toBe(true);
    const [emoji] = addTimelineEntry([], { at, kind: "event", summary: "😀".repeat(400) });
    expect(emoji!.summary.length).toBeLessThanOrEqual(500);
    expect(emoji!.summary).not.toMatch(/[\uD800-\uDBFF]…$/);
    expect(addTimelineEntry([], { at, kind: "event", summary: "short" })[0]!.summary).toBe("short");
  });
});
