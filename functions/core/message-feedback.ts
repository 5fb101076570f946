/**
 * What becomes of a message after it left: the feedback events the email sender, SES and the SMS provider
 * report (through the feedback function and ingest, source `waymark.feedback`), as the engine knows them.
 * The descriptors (schemas, samples) are in events/message-feedback.ts; the engine needs only the names.
 */
export const FEEDBACK_SOURCE = "waymark.feedback";

export const MESSAGE_FEEDBACK = {
  delivered: "MessageDelivered",
  bounced: "MessageBounced",
  complained: "MessageComplained",
  opened: "MessageOpened",
  clicked: "MessageClicked",
  failed: "MessageFailed",
} as const;

export type FeedbackType = keyof typeof MESSAGE_FEEDBACK;
export type FeedbackDetailType = (typeof MESSAGE_FEEDBACK)[FeedbackType];

export const FEEDBACK_DETAIL_TYPES: readonly FeedbackDetailType[] = Object.values(MESSAGE_FEEDBACK);

export function isFeedbackDetailType(detailType: string): detailType is FeedbackDetailType {
  return (FEEDBACK_DETAIL_TYPES as readonly string[]).includes(detailType);
}

/** How long a message that asked for a fallback waits for news of its delivery before it is let go. */
export const FALLBACK_WINDOW_MS = 7 * 86_400_000;
