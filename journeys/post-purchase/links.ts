import type { TemplateContext } from "../../functions/core/journey/template.ts";

/**
 * Customer-facing links in post-purchase messages, on the deployment's link base (a short domain it owns).
 * Short on purpose: every character of an SMS counts toward its segments.
 */
export function links(context: TemplateContext) {
  const base = context.linkBaseUrl;
  return {
    tips: (orderId: unknown) => `${base}/t/${encodeURIComponent(String(orderId))}`,
    survey: (surveyId: unknown) => `${base}/s/${encodeURIComponent(String(surveyId))}`,
    review: (orderId: unknown) => `${base}/r/${encodeURIComponent(String(orderId))}`,
  };
}
