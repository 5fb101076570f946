import type { z } from "zod";
import { defineEvent } from "../functions/core/catalog/define-event.ts";
import { applyOrderReturned } from "../functions/core/customer-context.ts";
import { customerEventBase } from "./customer-event-base.ts";
import { identifier } from "./fields.ts";

export const orderReturned = defineEvent({
  detailType: "OrderReturned",
  context: (state, event) => applyOrderReturned(state, event.detail, event.occurredAt),
  describe: (detail) => `order ${detail.orderId} returned`,
  scope: "customer",
  direction: "inbound",
  description:
    "The customer returned an order. Its products no longer count as owned, and its post-purchase " +
    "journey ends.",
  detail: customerEventBase.extend({
    orderId: identifier.describe("The shop's order id, as in OrderPlaced"),
  }),
  samples: [
    { customerId: "cust-us-0042", orderId: "US-1000457" },
    {
      customerId: "cust-kr-0001",
      eventId: "shop-return-RT-88120",
      occurredAt: "2025-03-06T18:30:00+09:00",
      orderId: "KR-20250301-000123",
    },
  ],
});

export type OrderReturnedDetail = z.infer<typeof orderReturned.detail>;
