/**
 * Which notification a provider's report is about, carried by the message itself: the senders write it into
 * the message (SES `EmailTags`, the SMS `Context` map) and the providers hand it back with every event about
 * that message, so the feedback function correlates a report without a messageId → notification index.
 * Defined once, for the writers (functions/adapters/ses-email-sender.ts, sms-voice-sender.ts) and the reader
 * (functions/use-cases/provider-feedback.ts).
 *
 * SES tag values allow only ASCII letters, digits, `_` and `-` (256 at most), and SMS context values may not
 * start or end with white space (800 at most), while customer, journey and instance ids are anything of 1–128
 * characters: every value but the notification id (the engine's own URL-safe digest) goes base64url-encoded,
 * and a value longer than the provider allows is split over numbered entries (`waymark-customer`,
 * `waymark-customer-1`).
 */

/** The notification a message carries, and whom it was for. */
export interface DeliveryCorrelation {
  notificationId: string;
  customerId: string;
  journeyId?: string;
  instanceId?: string;
}

const NAMES = {
  notificationId: "waymark-notification",
  customerId: "waymark-customer",
  journeyId: "waymark-journey",
  instanceId: "waymark-instance",
} as const;

/** What a notification id must look like to go into a tag or a context value as it is. */
export const NOTIFICATION_ID_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;

/** Longest id carried (the event contract's `identifier`); a longer journey or instance id is left out. */
const MAX_ID_LENGTH = 128;
/** SES: a tag value holds at most 256 characters. */
const SES_TAG_VALUE_LENGTH = 256;
/** End User Messaging SMS: a context value holds at most 800 characters. */
const SMS_CONTEXT_VALUE_LENGTH = 800;
/** At most this many entries per field: 128 characters are at most 384 UTF-8 bytes, 512 base64url characters. */
const MAX_PARTS = 2;

/** SES `EmailTags` for a message: the provider's name/value pairs. */
export function correlationTags(correlation: DeliveryCorrelation): { Name: string; Value: string }[] {
  return entries(correlation, SES_TAG_VALUE_LENGTH).map(([Name, Value]) => ({ Name, Value }));
}

/** The SMS `Context` map for a message (at most 5 entries: these are 4). */
export function correlationContext(correlation: DeliveryCorrelation): Record<string, string> {
  return Object.fromEntries(entries(correlation, SMS_CONTEXT_VALUE_LENGTH));
}

/**
 * The correlation SES hands back in an event's `mail.tags` (each tag a list of values), or undefined when the
 * message is not one of Waymark's (no notification or customer tag) or the tags were tampered with.
 */
export function correlationFromTags(
  tags: Readonly<Record<string, readonly string[] | undefined>>,
): DeliveryCorrelation | undefined {
  return fromEntries((name) => {
    const values = tags[name];
    return values?.length === 1 ? values[0] : undefined;
  });
}

/** The correlation End User Messaging SMS hands back in an event's `context`, or undefined. */
export function correlationFromContext(
  context: Readonly<Record<string, string | undefined>>,
): DeliveryCorrelation | undefined {
  return fromEntries((name) => context[name]);
}

function entries(correlation: DeliveryCorrelation, valueLength: number): [string, string][] {
  if (!NOTIFICATION_ID_PATTERN.test(correlation.notificationId))
    throw new RangeError(`notification id ${JSON.stringify(correlation.notificationId)} cannot be carried`);
  if (correlation.customerId.length === 0 || correlation.customerId.length > MAX_ID_LENGTH)
    throw new RangeError("a customer id of 1–128 characters is carried");
  const out: [string, string][] = [[NAMES.notificationId, correlation.notificationId]];
  for (const field of ["customerId", "journeyId", "instanceId"] as const) {
    const value = correlation[field];
    if (value === undefined || value.length === 0 || value.length > MAX_ID_LENGTH) continue;
    const encoded = Buffer.from(value, "utf8").toString("base64url");
    for (let part = 0; part * valueLength < encoded.length; part++) {
      out.push([partName(NAMES[field], part), encoded.slice(part * valueLength, (part + 1) * valueLength)]);
    }
  }
  return out;
}

function fromEntries(read: (name: string) => string | undefined): DeliveryCorrelation | undefined {
  const notificationId = read(NAMES.notificationId);
  if (notificationId === undefined || !NOTIFICATION_ID_PATTERN.test(notificationId)) return undefined;
  const customerId = decoded(read, NAMES.customerId);
  if (customerId === undefined) return undefined;
  const journeyId = decoded(read, NAMES.journeyId);
  const instanceId = decoded(read, NAMES.instanceId);
  return {
    notificationId,
    customerId,
    ...(journeyId !== undefined ? { journeyId } : {}),
    ...(instanceId !== undefined ? { instanceId } : {}),
  };
}

/** A field's parts joined and decoded; undefined when absent or not what a sender writes. */
function decoded(read: (name: string) => string | undefined, name: string): string | undefined {
  let encoded = "";
  for (let part = 0; part < MAX_PARTS; part++) {
    const value = read(partName(name, part));
    if (value === undefined) break;
    encoded += value;
  }
  if (encoded.length === 0 || !/^[A-Za-z0-9_-]+$/.test(encoded)) return undefined;
  const value = Buffer.from(encoded, "base64url").toString("utf8");
  // A round trip proves the value is what a sender wrote (valid UTF-8, no padding games).
  if (Buffer.from(value, "utf8").toString("base64url") !== encoded) return undefined;
  return value.length > 0 && value.length <= MAX_ID_LENGTH ? value : undefined;
}

function partName(name: string, part: number): string {
  return part === 0 ? name : `${name}-${part}`;
}
