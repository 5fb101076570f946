import type { TemplateContext } from "../../functions/core/journey/template.ts";

/** Customer-facing links in data-usage messages, on the deployment's link base: short, because every SMS character counts. */
export function links(context: TemplateContext) {
  return { plan: (planId: unknown) => `${context.linkBaseUrl}/p/${encodeURIComponent(String(planId))}` };
}
