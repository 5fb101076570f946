import { LINK_BASE_URL } from "../post-purchase/links.ts";

/** Customer-facing links in data-usage messages: short, because every SMS character counts. */
export const links = {
  plan: (planId: unknown) => `${LINK_BASE_URL}/p/${encodeURIComponent(String(planId))}`,
};
