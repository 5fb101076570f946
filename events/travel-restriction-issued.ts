import * as z from "zod";
import { defineEvent } from "../functions/core/catalog/define-event.ts";
import { globalEventBase } from "./customer-event-base.ts";
import { freeText, identifier, isoDateTime } from "./fields.ts";

export const travelRestrictionIssued = defineEvent({
  detailType: "TravelRestrictionIssued",
  describe: (detail) => `travel restriction ${detail.restrictionId} issued for ${detail.models.join(", ")}`,
  reach: {
    kind: "owners",
    noticeId: (detail) => detail.restrictionId,
    models: (detail) => detail.models,
    replacementSkus: (detail) => detail.replacementSkus,
    travellersOnly: true,
  },
  scope: "global",
  direction: "inbound",
  description:
    "An authority restricted travel with certain products (e.g. power banks on flights). Alerts owners who " +
    "are travelling or travel often, with the nearest store that has a compliant replacement.",
  detail: globalEventBase.extend({
    restrictionId: identifier.describe("The restriction's id"),
    models: z.array(identifier).min(1).max(200).describe("Affected manufacturer model numbers"),
    authority: identifier.describe("Who issued it, e.g. FAA or MOLIT"),
    scope: identifier.describe("What it restricts, e.g. air-travel"),
    effectiveAt: isoDateTime.describe("When the restriction takes effect"),
    summary: freeText.describe("The restriction in words a customer understands"),
    replacementSkus: z
      .array(identifier)
      .max(50)
      .describe("Compliant replacement SKUs, most preferred first; may be empty"),
  }),
  samples: [
    {
      restrictionId: "TR-FAA-2025-03",
      models: ["VP-20000"],
      authority: "FAA",
      scope: "air-travel",
      effectiveAt: "2025-04-01T00:00:00Z",
      summary: "Power banks above 100 Wh may not be carried on US flights.",
      replacementSkus: [],
    },
    {
      eventId: "regulatory-feed-TR-MOLIT-2025-11",
      occurredAt: "2025-03-12T08:00:00+09:00",
      restrictionId: "TR-MOLIT-2025-11",
      models: ["VP-20000", "VP-20000S"],
      authority: "MOLIT",
      scope: "air-travel",
      effectiveAt: "2025-03-15T00:00:00+09:00",
      summary: "기내 반입 보조배터리는 100Wh 이하, 1인 5개까지만 허용됩니다.",
      replacementSkus: ["VP-10K-SLIM-WHT", "VP-10K-SLIM-BLK"],
    },
  ],
});

export type TravelRestrictionIssuedDetail = z.infer<typeof travelRestrictionIssued.detail>;
