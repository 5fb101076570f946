/**
 * Field schemas shared by the event modules, so every event spells a phone number, a time zone or an
 * amount of money the same way and rejects it with the same plain-English message.
 */
import * as z from "zod";

/**
 * A zod `error` option whose message applies only to a value that is present but malformed. Returning
 * `undefined` for a missing value hands the issue on to the next error map, so an absent required field
 * still reads "required" rather than a format hint.
 */
export function expected(message: string): {
  error: (issue: { readonly input: unknown }) => string | undefined;
} {
  return { error: (issue) => (issue.input === undefined ? undefined : message) };
}

const DATE_TIME_MESSAGE = "expected an ISO-8601 date-time with a time zone, like 2025-03-01T09:30:00+09:00";

/**
 * ISO-8601 date-time with `Z` or an explicit offset; a local time without one is ambiguous, so it is
 * rejected.
 */
export const isoDateTime = z.iso.datetime({ offset: true, ...expected(DATE_TIME_MESSAGE) });

/** `YYYY-MM-DD` or an ISO-8601 date-time with offset (billing periods accept both). */
export const isoDateOrDateTime = z.union(
  [z.iso.date(), z.iso.datetime({ offset: true })],
  expected("expected a date like 2025-03-01 or an ISO-8601 date-time with a time zone"),
);

/** Identifiers assigned by upstream systems (order ids, SKUs, store ids, …). */
export const identifier = z.string().min(1).max(128);

/** Human-readable names (a person, a product, a store, a plan). */
export const displayName = z.string().min(1).max(256);

/** Free text such as a hazard description or a survey comment; bounded to keep stored items small. */
export const freeText = z.string().min(1).max(4000);

export const postalAddress = z.string().min(1).max(512);

export const e164Phone = z
  .string()
  .regex(/^\+[1-9]\d{6,14}$/, expected("expected an E.164 phone number like +821012345678"));

export const emailAddress = z.email(expected("expected an email address like kim@example.com")).max(254);

const zoneCache = new Map<string, string | undefined>();

/**
 * Returns the canonical spelling of an IANA time-zone name, or `undefined` when it is not one. V8 also
 * accepts UTC offsets such as "+09:00" as time zones; those are not IANA names and carry no daylight-saving
 * rules, so they are rejected.
 */
function canonicalTimeZone(value: string): string | undefined {
  if (zoneCache.has(value)) return zoneCache.get(value);
  let canonical: string | undefined;
  if (/^[A-Za-z]/.test(value)) {
    try {
      canonical = new Intl.DateTimeFormat("en-US", { timeZone: value }).resolvedOptions().timeZone;
    } catch {
      canonical = undefined;
    }
  }
  zoneCache.set(value, canonical);
  return canonical;
}

/** IANA time zone, canonicalised ("asia/seoul" → "Asia/Seoul", "Etc/UTC" → "UTC"). */
export const timeZone = z
  .string()
  .refine(
    (value) => canonicalTimeZone(value) !== undefined,
    expected("expected an IANA time zone like Asia/Seoul or America/New_York"),
  )
  .overwrite((value) => canonicalTimeZone(value) ?? value);

function canonicalLocale(value: string): string | undefined {
  try {
    return Intl.getCanonicalLocales(value)[0];
  } catch {
    return undefined;
  }
}

/** BCP-47 language tag, canonicalised ("ko-kr" → "ko-KR") because templates are looked up by exact tag. */
export const locale = z
  .string()
  .max(64)
  .refine(
    (value) => canonicalLocale(value) !== undefined,
    expected("expected a BCP-47 locale like ko-KR or en-US"),
  )
  .overwrite((value) => canonicalLocale(value) ?? value);

const LATITUDE_MESSAGE = "expected a latitude between -90 and 90";
const LONGITUDE_MESSAGE = "expected a longitude between -180 and 180";

export const latitude = z
  .number(expected(LATITUDE_MESSAGE))
  .min(-90, expected(LATITUDE_MESSAGE))
  .max(90, expected(LATITUDE_MESSAGE))
  .describe("Latitude in decimal degrees (WGS 84)");

export const longitude = z
  .number(expected(LONGITUDE_MESSAGE))
  .min(-180, expected(LONGITUDE_MESSAGE))
  .max(180, expected(LONGITUDE_MESSAGE))
  .describe("Longitude in decimal degrees (WGS 84)");

export const currencyCode = z
  .string()
  .regex(/^[A-Z]{3}$/, expected("expected an ISO-4217 currency code like KRW or USD"))
  .describe("ISO-4217 currency code, e.g. KRW or USD");

const MONEY_MESSAGE = "expected a non-negative amount";

/** An amount in major units of the event's currency (10.5 USD, 1500 KRW). */
export const money = z.number(expected(MONEY_MESSAGE)).nonnegative(expected(MONEY_MESSAGE));

const POSITIVE_INTEGER_MESSAGE = "expected a positive integer";

export const positiveInteger = z
  .int(expected(POSITIVE_INTEGER_MESSAGE))
  .positive(expected(POSITIVE_INTEGER_MESSAGE));

const NON_NEGATIVE_INTEGER_MESSAGE = "expected a non-negative integer";

export const nonNegativeInteger = z
  .int(expected(NON_NEGATIVE_INTEGER_MESSAGE))
  .nonnegative(expected(NON_NEGATIVE_INTEGER_MESSAGE));

const MEGABYTES_MESSAGE = "expected a non-negative number of megabytes";

export const megabytes = z.number(expected(MEGABYTES_MESSAGE)).nonnegative(expected(MEGABYTES_MESSAGE));

const SCORE_MESSAGE = "expected an integer score from 0 to 10";

/** Net Promoter Score answer: 0–6 detractor, 7–8 passive, 9–10 promoter. */
export const npsScore = z
  .int(expected(SCORE_MESSAGE))
  .min(0, expected(SCORE_MESSAGE))
  .max(10, expected(SCORE_MESSAGE))
  .describe("Net Promoter Score answer, an integer from 0 (detractor) to 10 (promoter)");

export const notificationChannel = z.enum(["sms", "email"]);
export type NotificationChannel = z.infer<typeof notificationChannel>;

/** Drives consent, quiet hours and frequency caps (docs/architecture.md, guardrails). */
export const notificationPriority = z.enum(["safety", "service", "marketing"]);
export type NotificationPriority = z.infer<typeof notificationPriority>;

// Ids Waymark itself assigns to journeys, their instances and message templates.
export const journeyId = identifier.describe("Journey definition id, e.g. post-purchase or product-recall");
export const journeyInstanceId = identifier.describe(
  "Id of the journey instance (one customer's run of a journey, e.g. one per order for post-purchase)",
);
export const templateId = identifier.describe("Message template id, e.g. post-purchase.tips");
