import type { z } from "zod";
import { defineEvent } from "../functions/core/catalog/define-event.ts";
import { customerEventBase } from "./customer-event-base.ts";
import { identifier, isoDateTime, journeyId, journeyInstanceId, nonNegativeInteger } from "./fields.ts";
import { experimentVariants } from "./journey-started.ts";

export const journeyGoalReached = defineEvent({
  detailType: "JourneyGoalReached",
  scope: "customer",
  direction: "emitted",
  description:
    "A customer reached a journey's conversion goal within its window — held-out customers included, which is " +
    "how a holdout measures lift.",
  detail: customerEventBase.extend({
    journeyId,
    instanceId: journeyInstanceId,
    journeyVersion: nonNegativeInteger.describe("Version of the journey definition the instance ran on"),
    goal: identifier.describe("The goal's event, e.g. OrderPlaced"),
    variants: experimentVariants.optional(),
    at: isoDateTime.describe("When the goal was reached"),
  }),
  samples: [
    {
      customerId: "cust-us-0042",
      journeyId: "cart-reminder",
      instanceId: "cart-reminder#cart-1",
      journeyVersion: 1,
      goal: "OrderPlaced",
      at: "2025-03-04T07:00:00Z",
    },
    {
      customerId: "cust-kr-0001",
      eventId: "Z29hbC1yZWFjaGVkLXNhbXBsZQ",
      journeyId: "post-purchase",
      instanceId: "post-purchase#KR-20250301-000124",
      journeyVersion: 1,
      goal: "OrderPlaced",
      variants: { "post-purchase:holdout": "holdout" },
      at: "2025-03-09T02:00:00Z",
    },
  ],
});

export type JourneyGoalReachedDetail = z.infer<typeof journeyGoalReached.detail>;
