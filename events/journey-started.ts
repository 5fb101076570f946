import * as z from "zod";
import { defineEvent } from "../functions/core/catalog/define-event.ts";
import { customerEventBase } from "./customer-event-base.ts";
import { isoDateTime, journeyId, journeyInstanceId, nonNegativeInteger } from "./fields.ts";

/** Experiment assignments an instance carries: `{"<experiment>": "<variant>"}`. */
export const experimentVariants = z
  .record(z.string().max(128), z.string().max(64))
  .describe('The instance\'s experiment assignments, e.g. {"post-purchase:holdout": "treatment"}');

export const journeyStarted = defineEvent({
  detailType: "JourneyStarted",
  scope: "customer",
  direction: "emitted",
  description: "A customer entered a journey: a new instance started, with its experiment assignments.",
  detail: customerEventBase.extend({
    journeyId,
    instanceId: journeyInstanceId,
    journeyVersion: nonNegativeInteger.describe("Version of the journey definition the instance runs on"),
    variants: experimentVariants.optional(),
    at: isoDateTime.describe("When the instance started"),
  }),
  samples: [
    {
      customerId: "cust-us-0042",
      journeyId: "post-purchase",
      instanceId: "post-purchase#US-1000457",
      journeyVersion: 1,
      at: "2025-03-04T05:00:00Z",
    },
    {
      customerId: "cust-kr-0001",
      eventId: "VGhpcyBpcyBhIHNhbXBsZQ",
      journeyId: "post-purchase",
      instanceId: "post-purchase#KR-20250301-000124",
      journeyVersion: 2,
      variants: { "post-purchase:holdout": "treatment", "global-control": "exposed" },
      at: "2025-03-04T05:00:00Z",
    },
  ],
});

export type JourneyStartedDetail = z.infer<typeof journeyStarted.detail>;
