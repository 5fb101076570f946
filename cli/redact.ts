/**
 * Simulation output ends up in terminals, CI logs and pull requests, so contact points never appear in
 * it in full. Recipients are masked where they are known; this also catches any phone number or email
 * address that a template, a why line or a customer's comment happens to contain.
 */
import { maskEmail, maskPhone } from "../functions/core/mask.ts";

/** E.164 as the contract writes it (`+821012345678`); masked forms (`+82-10-****-5678`) do not match. */
const PHONE = /\+\d{7,15}\b/g;
const EMAIL = /[\w.%+-]+@[\w-]+(?:\.[\w-]+)+/g;

export function redact(text: string): string {
  return text.replace(EMAIL, (email) => maskEmail(email)).replace(PHONE, (phone) => maskPhone(phone));
}

/** `redact` applied to every string inside a JSON value. */
export function redactDeep(value: unknown): unknown {
  if (typeof value === "string") return redact(value);
  if (Array.isArray(value)) return value.map(redactDeep);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, redactDeep(item)]));
  }
  return value;
}
