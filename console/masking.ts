/**
 * Contact points never show in full, as in the logs: the console masks with the same functions the logs use
 * (functions/core/mask.ts). Event details are producers' JSON, so every string in them is looked at: fields
 * that name a contact point are masked whatever they hold, other values when they are a phone number or an
 * email address, and email addresses inside free text.
 */
import { maskContact, maskEmail, maskIdentifier } from "../functions/core/mask.ts";

export { maskContact, maskIdentifier };

const CONTACT_FIELD = /phone|email|msisdn|^to$/i;
const EMAIL_IN_TEXT = /[^\s@<>()"',;:]+@[^\s@<>()"',;:]+\.[^\s@<>()"',;:]+/g;

export function maskText(text: string): string {
  return maskIdentifier(text).replace(EMAIL_IN_TEXT, (email) => maskEmail(email));
}

/** A copy of a JSON value with every contact point in it masked. */
export function maskJson(value: unknown, key = ""): unknown {
  if (typeof value === "string") return CONTACT_FIELD.test(key) ? maskContact(value) : maskText(value);
  if (Array.isArray(value)) return value.map((item) => maskJson(item));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskJson(v, k)]));
  }
  return value;
}

/**
 * The edited copy of a masked value with the masked parts the person left alone put back as they were: an
 * operator fixes a rejected event without ever seeing its contact points, and the replay keeps them.
 */
export function unmaskJson(edited: unknown, original: unknown, key = ""): unknown {
  if (typeof edited === "string") {
    return typeof original === "string" && edited !== original && edited === maskJson(original, key)
      ? original
      : edited;
  }
  if (Array.isArray(edited)) {
    return edited.map((item, index) =>
      unmaskJson(item, Array.isArray(original) ? original[index] : undefined),
    );
  }
  if (edited !== null && typeof edited === "object") {
    const source =
      original !== null && typeof original === "object" ? (original as Record<string, unknown>) : {};
    return Object.fromEntries(Object.entries(edited).map(([k, v]) => [k, unmaskJson(v, source[k], k)]));
  }
  return edited;
}
