import * as z from "zod";
import { channelSchema } from "./customer-state.ts";

/**
 * The payload of a one-click unsubscribe link: who, which channel, when it was issued. The
 * link's token is `<payload>.<mac>`, both base64url; the MAC is computed by a TokenSigner (KMS
 * HMAC in AWS), so nothing secret lives in code or configuration.
 */
export const unsubscribePayloadSchema = z.object({
  v: z.literal(1),
  customerId: z.string().min(1).max(128),
  channel: channelSchema,
  issuedAt: z.string(),
});
export type UnsubscribePayload = z.infer<typeof unsubscribePayloadSchema>;

/** The token is malformed or its signature does not verify. */
export class InvalidUnsubscribeTokenError extends Error {
  override name = "InvalidUnsubscribeTokenError";
}

/** The token is genuine but older than its lifetime. */
export class ExpiredUnsubscribeTokenError extends InvalidUnsubscribeTokenError {
  override name = "ExpiredUnsubscribeTokenError";
}

/**
 * How long a link works: longer than a year, because people unsubscribe from old mail, and RFC 8058
 * links must keep working well past the 30 days the law asks (CAN-SPAM). A token dated in the future
 * (beyond a few minutes of clock skew) is refused too.
 */
export const UNSUBSCRIBE_TOKEN_LIFETIME_DAYS = 400;
const ISSUED_SKEW_MS = 5 * 60_000;

/** Refuses a token past its lifetime or issued in the future. */
export function checkTokenAge(payload: UnsubscribePayload, now: Date): void {
  const issued = Date.parse(payload.issuedAt);
  if (Number.isNaN(issued) || issued > now.getTime() + ISSUED_SKEW_MS) {
    throw new InvalidUnsubscribeTokenError("token issued in the future");
  }
  if (now.getTime() - issued > UNSUBSCRIBE_TOKEN_LIFETIME_DAYS * 86_400_000) {
    throw new ExpiredUnsubscribeTokenError("token expired");
  }
}

export function encodePayload(payload: UnsubscribePayload): string {
  return Buffer.from(JSON.stringify(payload), "utf8").toString("base64url");
}

export function splitToken(token: string): { encodedPayload: string; mac: Buffer } {
  const match = /^([A-Za-z0-9_-]{10,1024})\.([A-Za-z0-9_-]{16,128})$/.exec(token);
  if (!match) throw new InvalidUnsubscribeTokenError("malformed token");
  const mac = Buffer.from(match[2]!, "base64url");
  // base64url decoding ignores stray trailing bits, so several texts decode to one MAC: only the one
  // canonical encoding is a valid token.
  if (mac.toString("base64url") !== match[2]) throw new InvalidUnsubscribeTokenError("non-canonical MAC");
  return { encodedPayload: match[1]!, mac };
}

export function decodePayload(encodedPayload: string): UnsubscribePayload {
  try {
    return unsubscribePayloadSchema.parse(
      JSON.parse(Buffer.from(encodedPayload, "base64url").toString("utf8")),
    );
  } catch {
    throw new InvalidUnsubscribeTokenError("malformed token payload");
  }
}
