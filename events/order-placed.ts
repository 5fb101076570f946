import * as z from "zod";
import { defineEvent } from "../functions/core/catalog/define-event.ts";
import { applyOrderPlaced } from "../functions/core/customer-context.ts";
import { customerEventBase } from "./customer-event-base.ts";
import { currencyCode, displayName, identifier, money, positiveInteger } from "./fields.ts";

export const orderItem = z.object({
  sku: identifier.describe("Stock-keeping unit of the item sold"),
  name: displayName.describe("Product name as shown to the customer"),
  model: identifier
    .optional()
    .describe("Manufacturer model number; recalls and travel restrictions find owners by it"),
  category: identifier.optional().describe("Product category, e.g. smartphone or power-bank"),
  quantity: positiveInteger,
  unitPrice: money.describe("Price of one unit in the order's currency"),
});

export const orderPlaced = defineEvent({
  detailType: "OrderPlaced",
  context: (state, event) => applyOrderPlaced(state, event.detail, event.occurredAt),
  describe: (detail) =>
    `order ${detail.orderId} placed: ${detail.items.map((i) => `${i.quantity}× ${i.name}`).join(", ")}`,
  scope: "customer",
  direction: "inbound",
  description: "A customer placed an order. Waymark records the products the customer owns from it.",
  detail: customerEventBase.extend({
    orderId: identifier.describe("The shop's order id"),
    items: z.array(orderItem).min(1).max(100),
    currency: currencyCode,
    channel: z.enum(["web", "app", "store"]).optional().describe("Where the order was placed"),
  }),
  samples: [
    {
      customerId: "cust-kr-0001",
      orderId: "KR-20250301-000123",
      items: [{ sku: "NX2-256-BLK", name: "Nova X2 256GB 블랙", quantity: 1, unitPrice: 1250000 }],
      currency: "KRW",
    },
    {
      customerId: "cust-kr-0001",
      eventId: "shop-order-KR-20250301-000124",
      occurredAt: "2025-03-01T10:12:45+09:00",
      orderId: "KR-20250301-000124",
      items: [
        {
          sku: "NX2-256-BLK",
          name: "Nova X2 256GB 블랙",
          model: "NX2-256",
          category: "smartphone",
          quantity: 1,
          unitPrice: 1250000,
        },
        {
          sku: "VP-20K-WHT",
          name: "Volt 20000mAh 보조배터리",
          model: "VP-20000",
          category: "power-bank",
          quantity: 2,
          unitPrice: 39000,
        },
      ],
      currency: "KRW",
      channel: "app",
    },
    {
      customerId: "cust-us-0042",
      orderId: "US-1000457",
      occurredAt: "2025-03-02T16:20:00-05:00",
      items: [
        {
          sku: "VP-20K-BLK",
          name: "Volt 20000mAh Power Bank",
          model: "VP-20000",
          category: "power-bank",
          quantity: 1,
          unitPrice: 49.99,
        },
      ],
      currency: "USD",
      channel: "web",
    },
  ],
});

export type OrderPlacedDetail = z.infer<typeof orderPlaced.detail>;
export type OrderItem = z.infer<typeof orderItem>;
