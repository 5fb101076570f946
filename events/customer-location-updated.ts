import type { z } from "zod";
import { defineEvent } from "../functions/core/catalog/define-event.ts";
import { applyLocation } from "../functions/core/customer-context.ts";
import { customerEventBase } from "./customer-event-base.ts";
import { isoDateTime, latitude, longitude } from "./fields.ts";

export const customerLocationUpdated = defineEvent({
  detailType: "CustomerLocationUpdated",
  context: (state, event) => applyLocation(state, event.detail),
  describe: () => "location updated",
  scope: "customer",
  direction: "inbound",
  description:
    "Where the customer was seen (app location, roaming attach). Tells whether they are travelling and " +
    "which store is nearest.",
  detail: customerEventBase.extend({
    lat: latitude,
    lon: longitude,
    observedAt: isoDateTime.describe("When the customer was at this location"),
  }),
  samples: [
    { customerId: "cust-kr-0001", lat: 35.1796, lon: 129.0756, observedAt: "2025-03-08T19:40:00+09:00" },
    {
      customerId: "cust-us-0042",
      eventId: "app-geo-5f1e9c",
      occurredAt: "2025-03-09T08:15:05-05:00",
      lat: 41.8781,
      lon: -87.6298,
      observedAt: "2025-03-09T08:15:00-05:00",
    },
  ],
});

export type CustomerLocationUpdatedDetail = z.infer<typeof customerLocationUpdated.detail>;
