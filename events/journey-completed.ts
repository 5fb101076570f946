import * as z from "zod";
import { defineEvent } from "../functions/core/catalog/define-event.ts";
import { customerEventBase } from "./customer-event-base.ts";
import { isoDateTime, journeyId, journeyInstanceId, nonNegativeInteger } from "./fields.ts";

export const journeyCompleted = defineEvent({
  detailType: "JourneyCompleted",
  scope: "customer",
  direction: "emitted",
  description: "A customer's journey instance ended, and how.",
  detail: customerEventBase.extend({
    journeyId,
    instanceId: journeyInstanceId,
    journeyVersion: nonNegativeInteger.describe("Version of the journey definition the instance ran on"),
    outcome: z
      .string()
      .min(1)
      .max(64)
      .describe("How it ended, e.g. completed, order-returned, survey-timeout, recall-resolved"),
    at: isoDateTime.describe("When the instance ended"),
  }),
  samples: [
    {
      customerId: "cust-us-0042",
      journeyId: "post-purchase",
      instanceId: "post-purchase#US-1000457",
      journeyVersion: 1,
      outcome: "order-returned",
      at: "2025-03-06T23:30:00Z",
    },
    {
      customerId: "cust-kr-0001",
      eventId: "journey-end-post-purchase#KR-20250301-000124",
      occurredAt: "2025-03-24T20:11:00+09:00",
      journeyId: "post-purchase",
      instanceId: "post-purchase#KR-20250301-000124",
      journeyVersion: 3,
      outcome: "survey-timeout",
      at: "2025-03-24T11:11:00Z",
    },
  ],
});

export type JourneyCompletedDetail = z.infer<typeof journeyCompleted.detail>;
