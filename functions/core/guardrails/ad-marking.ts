import type { Channel, Priority } from "../customer-state.ts";
import type { Advertising } from "./delivery-policy.ts";

/**
 * Advertising marks on marketing messages. Korea's Information and Communications Network Act (art. 50) wants
 * "(광고)" and the sender's name at the start of a marketing SMS and a free way to refuse at its end, and
 * "(광고)" at the start of a marketing email's subject; US carriers expect opt-out instructions. The sender
 * name and the free number are the catalog's (`delivery.advertising`), checked when the catalog is built.
 * Safety and service messages never carry them.
 */
export const EN_OPT_OUT = "Reply STOP to opt out";
const KO_MARK = "(광고)";

/** Thrown when a ko-KR marketing message would go without the sender or the free opt-out number. */
export class AdvertisingSettingsError extends Error {
  override name = "AdvertisingSettingsError";
}

function isKorean(locale: string): boolean {
  return locale.toLowerCase().startsWith("ko");
}

export function markAdvertisement(
  body: string,
  locale: string,
  channel: Channel,
  priority: Priority,
  advertising?: Advertising,
): string {
  if (priority !== "marketing" || channel !== "sms") return body;
  if (isKorean(locale)) {
    if (!advertising?.koreanOptOutNumber)
      throw new AdvertisingSettingsError(
        "delivery.advertising.koreanOptOutNumber is not set: a ko-KR marketing SMS must end with a free opt-out number",
      );
    return `${KO_MARK}${advertising.senderName} ${body}\n무료수신거부 ${advertising.koreanOptOutNumber}`;
  }
  return `${body} ${EN_OPT_OUT}`;
}

/** A ko-KR marketing email's subject starts with (광고); every other subject is left as it is. */
export function markSubject(subject: string, locale: string, priority: Priority): string {
  if (priority !== "marketing" || !isKorean(locale) || subject.startsWith(KO_MARK)) return subject;
  return `${KO_MARK} ${subject}`;
}

/** Whether a catalog that writes in `locales` and may send `priorities` needs `delivery.advertising` set. */
export function advertisingProblems(
  locales: readonly string[],
  marketing: boolean,
  advertising: Advertising | undefined,
): string[] {
  if (!marketing || !locales.some(isKorean)) return [];
  const problems: string[] = [];
  if (!advertising)
    problems.push(
      "delivery.advertising: ko-KR marketing messages need the sender's name and a free 080 opt-out number " +
        '(e.g. { senderName: "웨이마크", koreanOptOutNumber: "080-500-4321" })',
    );
  else if (!advertising.koreanOptOutNumber)
    problems.push(
      "delivery.advertising.koreanOptOutNumber: ko-KR marketing SMS must end with a free opt-out number",
    );
  return problems;
}
