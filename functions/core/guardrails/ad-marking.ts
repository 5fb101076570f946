import type { Channel, Priority } from "../customer-state.ts";

/**
 * Advertising marks required on marketing SMS: Korea's Information and Communications
 * Network Act wants "(광고)" first and a free way to refuse at the end; US carriers expect
 * opt-out instructions. Safety and service messages never carry them.
 */
export const KO_FREE_OPT_OUT = "무료수신거부 080-500-4321";
export const EN_OPT_OUT = "Reply STOP to opt out";

export function markAdvertisement(
  body: string,
  locale: string,
  channel: Channel,
  priority: Priority,
): string {
  if (priority !== "marketing" || channel !== "sms") return body;
  if (locale === "ko-KR") return `(광고) ${body}\n${KO_FREE_OPT_OUT}`;
  return `${body} ${EN_OPT_OUT}`;
}
