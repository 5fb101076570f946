import type { z } from "zod";
import { defineEvent } from "../functions/core/catalog/define-event.ts";
import { applyOrderDelivered } from "../functions/core/customer-context.ts";
import { customerEventBase } from "./customer-event-base.ts";
import { identifier, isoDateTime } from "./fields.ts";

export const orderDelivered = defineEvent({
  detailType: "OrderDelivered",
  context: (state, event) => applyOrderDelivered(state, event.detail, event.occurredAt),
  describe: (detail) => `order ${detail.orderId} delivered`,
  scope: "customer",
  direction: "inbound",
  description: "An order reached the customer. Starts the post-purchase journey (one instance per order).",
  detail: customerEventBase.extend({
    orderId: identifier.describe("The shop's order id, as in OrderPlaced"),
    deliveredAt: isoDateTime
      .optional()
      .describe("When the parcel was handed over; when absent, occurredAt (or the envelope time) is used"),
  }),
  samples: [
    { customerId: "cust-kr-0001", orderId: "KR-20250301-000124" },
    {
      customerId: "cust-kr-0001",
      eventId: "logistics-delivery-7731902",
      occurredAt: "2025-03-03T14:02:11+09:00",
      orderId: "KR-20250301-000124",
      deliveredAt: "2025-03-03T14:00:00+09:00",
    },
    {
      customerId: "cust-us-0042",
      orderId: "US-1000457",
      deliveredAt: "2025-03-05T11:45:00-05:00",
    },
  ],
});

export type OrderDeliveredDetail = z.infer<typeof orderDelivered.detail>;
