import type { z } from "zod";
import { defineEvent } from "../functions/core/catalog/define-event.ts";
import { customerEventBase } from "./customer-event-base.ts";
import { identifier } from "./fields.ts";

export const recallResolved = defineEvent({
  detailType: "RecallResolved",
  describe: (detail) => `recall ${detail.recallId} resolved`,
  scope: "customer",
  direction: "inbound",
  description: "The customer's recalled product was replaced, refunded or repaired; recall reminders stop.",
  detail: customerEventBase.extend({
    recallId: identifier.describe("The recall's id, as in ProductRecallIssued"),
  }),
  samples: [
    { customerId: "cust-kr-0001", recallId: "RC-2025-0008" },
    {
      customerId: "cust-us-0042",
      eventId: "store-pos-exchange-44120",
      occurredAt: "2025-03-14T13:25:00-04:00",
      recallId: "RC-2025-0008",
    },
  ],
});

export type RecallResolvedDetail = z.infer<typeof recallResolved.detail>;
