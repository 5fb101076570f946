import type { z } from "zod";
import { defineEvent } from "../functions/core/catalog/define-event.ts";
import { customerEventBase } from "./customer-event-base.ts";
import { freeText, identifier, npsScore } from "./fields.ts";

export const surveyResponded = defineEvent({
  detailType: "SurveyResponded",
  describe: (detail) =>
    `answered survey ${detail.surveyId}: ${detail.score}/10${detail.comment ? ` "${detail.comment}"` : ""}`,
  scope: "customer",
  direction: "inbound",
  description:
    "The customer answered an NPS survey. Answers the post-purchase journey that sent the survey with " +
    "this surveyId (or the most recently surveyed open one when the id is unknown).",
  detail: customerEventBase.extend({
    surveyId: identifier.describe("The surveyId from the survey message's vars and link"),
    score: npsScore,
    comment: freeText.optional().describe("The customer's own words, if any"),
  }),
  samples: [
    { customerId: "cust-us-0042", surveyId: "srv-US-1000457", score: 9 },
    {
      customerId: "cust-kr-0001",
      eventId: "survey-answer-0b7d21",
      occurredAt: "2025-03-17T20:11:00+09:00",
      surveyId: "srv-KR-20250301-000124",
      score: 4,
      comment: "배터리가 하루를 못 버텨요.",
    },
  ],
});

export type SurveyRespondedDetail = z.infer<typeof surveyResponded.detail>;
