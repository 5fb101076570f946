import { describe, expect, it } from "vitest";
import { applyEventToContext as applyWith } from "../../../functions/core/customer-context.ts";
import { type CustomerState, emptyCustomerState } from "../../../functions/core/customer-state.ts";
import { advance } from "../../../functions/core/engine.ts";
import type { NotificationRecord } from "../../../functions/core/notification.ts";
import { dataUsageOnly } from "../../support/catalogs.ts";
import { customerEvent } from "../../support/events.ts";

/** The reference catalog's events say how each changes the customer context. */
const applyEventToContext = (state: CustomerState, event: Parameters<typeof applyWith>[1]) =>
  applyWith(state, event, dataUsageOnly);

const plan = { planId: "basic-5", name: "Basic 5 GB", monthlyPrice: 30 };
const usage = (periodStart: string, periodEnd: string, usedMb: number) => ({
  customerId: "cap-1",
  periodStart,
  periodEnd,
  usedMb,
  limitMb: 5120,
  overagePricePerGb: 10,
  currency: "USD",
  plan,
  upgradeOptions: [{ planId: "plus-10", name: "Plus 10 GB", monthlyPrice: 40, limitMb: 10240 }],
});

describe("data-usage and the marketing cap", () => {
  it("when marketing was already sent today, the heavy user still gets the alert, as a plain service message", () => {
    let state: CustomerState = emptyCustomerState("cap-1", new Date("2026-06-01T00:00:00Z"));
    state = applyEventToContext(
      state,
      customerEvent("CustomerProfileUpdated", {
        customerId: "cap-1",
        phone: "+12125550100",
        timeZone: "America/New_York",
        consent: { marketingSms: true },
      }),
    );
    for (const [start, end, used] of [
      ["2026-03-01", "2026-04-01", 7680],
      ["2026-04-01", "2026-05-01", 6963],
      ["2026-05-01", "2026-06-01", 4300],
    ] as const) {
      state = applyEventToContext(
        state,
        customerEvent("DataUsageUpdated", usage(start, end, used), { time: "2026-06-05T12:00:00Z" }),
      );
    }
    // A marketing message already went out this morning (local time).
    state = {
      ...state,
      sends: [
        {
          at: "2026-06-11T13:00:00Z",
          notificationId: "x",
          template: "post-purchase.review-request",
          priority: "marketing",
          channel: "sms",
        },
      ],
    };
    const t = advance(
      state,
      {
        kind: "event",
        event: customerEvent("DataUsageUpdated", usage("2026-06-01", "2026-07-01", 4400), {
          time: "2026-06-11T14:00:00Z",
        }),
      },
      new Date("2026-06-11T14:00:00Z"),
      dataUsageOnly,
    );
    const records = t.effects.flatMap((e) => (e.type === "notify" ? [e.record] : [])) as NotificationRecord[];
    expect(records).toEqual([
      expect.objectContaining({
        template: "data-usage.alert",
        status: "sent",
        priority: "service",
        vars: expect.objectContaining({ recommendation: "stay" }),
      }),
    ]);
    expect(records[0]!.why.join(" | ")).toContain("the marketing frequency cap is reached");
  });
});
