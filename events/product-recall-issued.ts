import * as z from "zod";
import { defineEvent } from "../functions/core/catalog/define-event.ts";
import { globalEventBase } from "./customer-event-base.ts";
import { freeText, identifier } from "./fields.ts";

export const productRecallIssued = defineEvent({
  detailType: "ProductRecallIssued",
  describe: (detail) => `recall ${detail.recallId} issued for ${detail.models.join(", ")}`,
  reach: {
    kind: "owners",
    noticeId: (detail) => detail.recallId,
    models: (detail) => detail.models,
    replacementSkus: (detail) => detail.replacementSkus,
  },
  scope: "global",
  direction: "inbound",
  description:
    "A product recall. Fans out to every customer who owns an affected model (returned orders excluded) " +
    "with the nearest store that has a replacement in stock.",
  detail: globalEventBase.extend({
    recallId: identifier.describe("The recall's id; RecallResolved refers to it"),
    models: z.array(identifier).min(1).max(200).describe("Affected manufacturer model numbers"),
    severity: z
      .enum(["critical", "high", "medium"])
      .describe("critical notices go out at once on every contactable channel, day or night"),
    hazard: freeText.describe("What is dangerous, in words a customer understands"),
    remedy: z.enum(["replace", "refund", "repair"]).describe("What the customer is offered"),
    replacementSkus: z
      .array(identifier)
      .max(50)
      .describe("Replacement SKUs, most preferred first; may be empty when the remedy is a refund"),
  }),
  samples: [
    {
      recallId: "RC-2025-0007",
      models: ["VP-20000"],
      severity: "high",
      hazard: "The battery can overheat while charging.",
      remedy: "refund",
      replacementSkus: [],
    },
    {
      eventId: "safety-recall-RC-2025-0008",
      occurredAt: "2025-03-10T09:00:00+09:00",
      recallId: "RC-2025-0008",
      models: ["VP-20000", "VP-20000S"],
      severity: "critical",
      hazard:
        "Cells in affected power banks can swell and catch fire. Stop using and charging the device now.",
      remedy: "replace",
      replacementSkus: ["VP-20K-V2-WHT", "VP-20K-V2-BLK"],
    },
  ],
});

export type ProductRecallIssuedDetail = z.infer<typeof productRecallIssued.detail>;
