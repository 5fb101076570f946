import * as z from "zod";
import { defineEvent } from "../functions/core/catalog/define-event.ts";
import { globalEventBase } from "./customer-event-base.ts";
import { displayName, identifier, latitude, longitude, nonNegativeInteger, postalAddress } from "./fields.ts";

export const storeInventoryUpdated = defineEvent({
  detailType: "StoreInventoryUpdated",
  describe: (detail) => `stock of store ${detail.storeId} updated`,
  reach: { kind: "store-stock" },
  scope: "global",
  direction: "inbound",
  description:
    "A store's details and its stock of the listed SKUs. Quantities are absolute (not deltas); SKUs not " +
    "listed keep their previous quantity.",
  detail: globalEventBase.extend({
    storeId: identifier.describe("The store's id"),
    name: displayName.describe("Store name as shown to customers"),
    address: postalAddress.describe("Street address as shown to customers"),
    location: z.object({ lat: latitude, lon: longitude }).describe("Where the store is"),
    stock: z
      .array(
        z.object({
          sku: identifier.describe("Stock-keeping unit"),
          quantity: nonNegativeInteger.describe("Units on hand now (absolute; 0 = out of stock)"),
        }),
      )
      .max(10000)
      .describe("Current quantities of the listed SKUs"),
  }),
  samples: [
    {
      storeId: "store-seoul-myeongdong",
      name: "Waymark 명동점",
      address: "서울특별시 중구 명동길 14",
      location: { lat: 37.5636, lon: 126.9826 },
      stock: [],
    },
    {
      eventId: "inventory-store-seoul-myeongdong-000981",
      occurredAt: "2025-03-10T08:00:00+09:00",
      storeId: "store-seoul-myeongdong",
      name: "Waymark 명동점",
      address: "서울특별시 중구 명동길 14",
      location: { lat: 37.5636, lon: 126.9826 },
      stock: [
        { sku: "VP-20K-V2-WHT", quantity: 12 },
        { sku: "VP-20K-V2-BLK", quantity: 0 },
      ],
    },
    {
      storeId: "store-nyc-5th-ave",
      name: "Waymark Fifth Avenue",
      address: "767 5th Ave, New York, NY 10153",
      location: { lat: 40.7637, lon: -73.9727 },
      stock: [{ sku: "VP-20K-V2-BLK", quantity: 3 }],
    },
  ],
});

export type StoreInventoryUpdatedDetail = z.infer<typeof storeInventoryUpdated.detail>;
