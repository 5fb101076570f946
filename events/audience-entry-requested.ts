/**
 * Starts a journey for a list of customers — Pinpoint's segment-started journeys, and any campaign to a
 * list. The fan-out reads the list page by page (ranged reads, a checkpoint after each page, resumable
 * after a crash or a timeout, paced to the catalog's sending rate, like a recall's owners) and gives each
 * customer on it a notice, whose detail is this event's plus the customer's `customerId`. A journey enters
 * on it with `entry: { event: "AudienceEntryRequested", key: ref("event.audienceId"), when:
 * eq(ref("event.journeyId"), "<its id>") }`: each customer on the list enters once per audience run.
 */
import * as z from "zod";
import { defineEvent } from "../functions/core/catalog/define-event.ts";
import { globalEventBase } from "./customer-event-base.ts";
import { identifier, journeyId } from "./fields.ts";

export const audienceEntryRequested = defineEvent({
  detailType: "AudienceEntryRequested",
  scope: "global",
  direction: "inbound",
  description:
    "Enter every customer on a list (a CSV or JSON Lines file in S3) into a journey: the list is read page " +
    "by page and each customer gets a notice the journey enters on.",
  detail: globalEventBase.extend({
    audienceId: identifier.describe(
      "This run of the list: a customer enters once per audienceId, and the fan-out resumes by it",
    ),
    journeyId: journeyId.describe("The journey the customers on the list enter"),
    source: z
      .string()
      .min(1)
      .max(1024)
      .describe(
        "Where the list is: s3://bucket/key in AWS (the stack's audience bucket), a file path locally",
      ),
    format: z
      .enum(["csv", "jsonl"])
      .describe("csv: a header line, then one customer a line; jsonl: one object a line"),
    customerIdField: z
      .string()
      .min(1)
      .max(256)
      .default("customerId")
      .describe(
        "The column (csv) or field (jsonl; a dotted path reads into objects, e.g. User.UserId of a Pinpoint " +
          "endpoint export) that holds the customer id",
      ),
  }),
  reach: {
    kind: "audience",
    noticeId: (detail) => detail.audienceId,
    list: (detail) => ({
      source: detail.source,
      format: detail.format,
      customerIdField: detail.customerIdField,
    }),
  },
  describe: (detail) => `audience ${detail.audienceId} enters ${detail.journeyId}`,
  samples: [
    {
      audienceId: "winback-2026-05",
      journeyId: "winback-lapsed",
      source: "s3://waymark-audiences/winback/2026-05.csv",
      format: "csv",
    },
    {
      audienceId: "pinpoint-segment-b1a2c3d4-2026-05-01",
      journeyId: "winback-lapsed",
      source: "s3://waymark-audiences/pinpoint/b1a2c3d4/2026-05-01.jsonl",
      format: "jsonl",
      customerIdField: "User.UserId",
      eventId: "audience-2026-05-01",
      occurredAt: "2026-05-01T00:00:00Z",
    },
  ],
});

export type AudienceEntryRequestedDetail = z.infer<typeof audienceEntryRequested.detail>;
