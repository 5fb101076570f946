import * as z from "zod";
import { defineEvent } from "../functions/core/catalog/define-event.ts";
import { applyUsage } from "../functions/core/customer-context.ts";
import { customerEventBase } from "./customer-event-base.ts";
import { currencyCode, displayName, identifier, isoDateOrDateTime, megabytes, money } from "./fields.ts";

const plan = z.object({
  planId: identifier.describe("The billing system's plan id"),
  name: displayName.describe("Plan name as shown to the customer"),
  monthlyPrice: money.describe("Monthly price in the event's currency"),
});

const upgradeOption = plan.extend({
  limitMb: megabytes.describe("Monthly data allowance of this plan in megabytes"),
});

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * periodEnd must come after periodStart. Only comparable pairs are checked: a bare date means midnight in
 * the customer's time zone, which this event does not carry, so a date cannot be ordered against a
 * date-time here.
 */
function periodIsOrdered(period: { periodStart: string; periodEnd: string }): boolean {
  const startIsDate = DATE_ONLY.test(period.periodStart);
  const endIsDate = DATE_ONLY.test(period.periodEnd);
  if (startIsDate && endIsDate) return period.periodEnd > period.periodStart;
  if (!startIsDate && !endIsDate) return Date.parse(period.periodEnd) > Date.parse(period.periodStart);
  return true;
}

export const dataUsageUpdated = defineEvent({
  detailType: "DataUsageUpdated",
  context: (state, event) => applyUsage(state, event.detail, event.occurredAt),
  describe: (detail) => `data usage ${detail.usedMb} of ${detail.limitMb} MB`,
  scope: "customer",
  direction: "inbound",
  description:
    "The billing system's latest mobile-data usage for one billing period. Feeds the usage history and " +
    "the data-usage alert; updates for a period that has ended only feed the history.",
  detail: customerEventBase
    .extend({
      periodStart: isoDateOrDateTime.describe(
        "Start of the billing period: YYYY-MM-DD (midnight in the customer's time zone) or an " +
          "ISO-8601 date-time",
      ),
      periodEnd: isoDateOrDateTime.describe(
        "End of the billing period, exclusive: YYYY-MM-DD (midnight in the customer's time zone) or an " +
          "ISO-8601 date-time",
      ),
      usedMb: megabytes.describe("Data used so far in this period, in megabytes"),
      limitMb: megabytes.describe("Data included in the plan for this period, in megabytes"),
      overagePricePerGb: money.describe("Price of each gigabyte beyond the limit, in the event's currency"),
      currency: currencyCode,
      plan: plan.describe("The customer's current plan"),
      upgradeOptions: z
        .array(upgradeOption)
        .max(20)
        .optional()
        .describe("Plans the customer could move to; used to judge whether an upgrade would save money"),
    })
    .refine(periodIsOrdered, { path: ["periodEnd"], error: "must be after periodStart" }),
  samples: [
    {
      customerId: "cust-kr-0001",
      periodStart: "2025-03-01",
      periodEnd: "2025-04-01",
      usedMb: 4300,
      limitMb: 5120,
      overagePricePerGb: 11000,
      currency: "KRW",
      plan: { planId: "lte-5g-basic", name: "5G 베이직", monthlyPrice: 49000 },
    },
    {
      customerId: "cust-kr-0001",
      eventId: "billing-usage-cust-kr-0001-2025-03-0042",
      occurredAt: "2025-03-24T06:00:00+09:00",
      periodStart: "2025-03-01",
      periodEnd: "2025-04-01",
      usedMb: 4300,
      limitMb: 5120,
      overagePricePerGb: 11000,
      currency: "KRW",
      plan: { planId: "lte-5g-basic", name: "5G 베이직", monthlyPrice: 49000 },
      upgradeOptions: [
        { planId: "lte-5g-plus", name: "5G 플러스", monthlyPrice: 59000, limitMb: 10240 },
        { planId: "lte-5g-unlimited", name: "5G 무제한", monthlyPrice: 79000, limitMb: 1048576 },
      ],
    },
    {
      customerId: "cust-us-0042",
      occurredAt: "2025-03-20T12:00:00Z",
      periodStart: "2025-03-05T05:00:00Z",
      periodEnd: "2025-04-05T04:00:00Z",
      usedMb: 4200.5,
      limitMb: 5000,
      overagePricePerGb: 10,
      currency: "USD",
      plan: { planId: "us-essential-5", name: "Essential 5 GB", monthlyPrice: 35 },
      upgradeOptions: [{ planId: "us-plus-15", name: "Plus 15 GB", monthlyPrice: 50, limitMb: 15000 }],
    },
  ],
});

export type DataUsageUpdatedDetail = z.infer<typeof dataUsageUpdated.detail>;
