/**
 * Customer-facing links in post-purchase messages. Short on purpose: every character of an
 * SMS counts toward its segments.
 */
export const LINK_BASE_URL = "https://wmk.link";

export const links = {
  tips: (orderId: unknown) => `${LINK_BASE_URL}/t/${String(orderId)}`,
  survey: (surveyId: unknown) => `${LINK_BASE_URL}/s/${String(surveyId)}`,
  review: (orderId: unknown) => `${LINK_BASE_URL}/r/${String(orderId)}`,
};
