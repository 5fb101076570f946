import { createCipheriv, createDecipheriv, createHmac } from "node:crypto";
import * as z from "zod";
import { type Channel, channelSchema } from "./customer-state.ts";

/**
 * One-click unsubscribe links (RFC 8058) carry a sealed token: who, which channel, when it was issued,
 * encrypted and authenticated with AES-256-GCM, so the link reveals nothing readable (not even that two
 * links are for one customer, unless they were issued in the same second for the same channel).
 *
 * The sealing key never sits in code or configuration: it is derived from the link key, an HMAC key that
 * never leaves KMS in AWS, as `HMAC(linkKey, TOKEN_KEY_LABEL)` (one KMS GenerateMac per cold start), and
 * from it an encryption key and a nonce key. The nonce is synthetic — an HMAC of the plaintext under the
 * nonce key — so no randomness is needed and a nonce repeats only for the very same plaintext.
 *
 * Token v2: base64url(0x02 ‖ nonce[12] ‖ ciphertext ‖ tag[16]); the plaintext is the channel (1 byte), the
 * issue time (uint32 seconds) and the customer id (UTF-8). Links issued before v2 (`<payload>.<mac>`, the
 * customer id readable in base64) are still honoured until they expire.
 */
export const TOKEN_KEY_LABEL = "waymark/unsubscribe-links/sealing-key/v2";

export interface UnsubscribePayload {
  customerId: string;
  channel: Channel;
  issuedAt: string;
}

/** The token is malformed or does not authenticate. */
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

// ── v2: sealed ──────────────────────────────────────────────────────────────────────────────────────────

const VERSION = 0x02;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const MAX_CUSTOMER_ID_BYTES = 512;
/** Binds the ciphertext to its purpose: a v2 token sealed for anything else does not open here. */
const AAD = Buffer.from("waymark unsubscribe link v2");
const CHANNELS: readonly Channel[] = ["sms", "email"];

export interface SealingKeys {
  encryption: Buffer;
  nonce: Buffer;
}

/** The two working keys, from the 32 bytes `HMAC(linkKey, TOKEN_KEY_LABEL)`. */
export function sealingKeys(derived: Buffer): SealingKeys {
  if (derived.length < 32) throw new RangeError("the derived link key must be at least 32 bytes");
  const expand = (label: string) => createHmac("sha256", derived).update(label).digest();
  return { encryption: expand("encryption"), nonce: expand("nonce") };
}

export function sealToken(keys: SealingKeys, payload: UnsubscribePayload): string {
  const seconds = Math.floor(Date.parse(payload.issuedAt) / 1000);
  const id = Buffer.from(payload.customerId, "utf8");
  if (!Number.isSafeInteger(seconds) || seconds < 0 || seconds > 0xffff_ffff)
    throw new RangeError(`issuedAt ${payload.issuedAt} cannot be sealed`);
  if (id.length === 0 || id.length > MAX_CUSTOMER_ID_BYTES)
    throw new RangeError("customerId must be 1 to 512 UTF-8 bytes");
  const plaintext = Buffer.alloc(5 + id.length);
  plaintext.writeUInt8(CHANNELS.indexOf(payload.channel), 0);
  plaintext.writeUInt32BE(seconds, 1);
  id.copy(plaintext, 5);
  const nonce = createHmac("sha256", keys.nonce).update(plaintext).digest().subarray(0, NONCE_BYTES);
  const cipher = createCipheriv("aes-256-gcm", keys.encryption, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(AAD);
  const sealed = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([Buffer.from([VERSION]), nonce, sealed, cipher.getAuthTag()]).toString("base64url");
}

/** A v2 token by its shape: base64url only, no `.` (v1 tokens have one). */
export function isSealedToken(token: string): boolean {
  return /^[A-Za-z0-9_-]+$/.test(token);
}

export function openToken(keys: SealingKeys, token: string): UnsubscribePayload {
  const maxChars = Math.ceil(((1 + NONCE_BYTES + 5 + MAX_CUSTOMER_ID_BYTES + TAG_BYTES) * 4) / 3);
  if (!isSealedToken(token) || token.length > maxChars)
    throw new InvalidUnsubscribeTokenError("malformed token");
  const bytes = Buffer.from(token, "base64url");
  // base64url decoding ignores stray trailing bits, so several texts decode to one token: only the
  // canonical encoding is accepted, and a link is never malleable.
  if (bytes.toString("base64url") !== token) throw new InvalidUnsubscribeTokenError("non-canonical token");
  if (bytes.length < 1 + NONCE_BYTES + 6 + TAG_BYTES || bytes[0] !== VERSION)
    throw new InvalidUnsubscribeTokenError("malformed token");
  const nonce = bytes.subarray(1, 1 + NONCE_BYTES);
  const tag = bytes.subarray(bytes.length - TAG_BYTES);
  const decipher = createDecipheriv("aes-256-gcm", keys.encryption, nonce, { authTagLength: TAG_BYTES });
  decipher.setAAD(AAD);
  decipher.setAuthTag(tag);
  let plaintext: Buffer;
  try {
    plaintext = Buffer.concat([
      decipher.update(bytes.subarray(1 + NONCE_BYTES, bytes.length - TAG_BYTES)),
      decipher.final(),
    ]);
  } catch {
    throw new InvalidUnsubscribeTokenError("token does not authenticate");
  }
  const channel = CHANNELS[plaintext.readUInt8(0)];
  const customerId = plaintext.subarray(5).toString("utf8");
  if (!channel || customerId.length === 0) throw new InvalidUnsubscribeTokenError("malformed token payload");
  return { customerId, channel, issuedAt: new Date(plaintext.readUInt32BE(1) * 1000).toISOString() };
}

// ── v1: signed, readable (honoured until the last one expires) ──────────────────────────────────────────

const legacyPayloadSchema = z.object({
  v: z.literal(1),
  customerId: z.string().min(1).max(128),
  channel: channelSchema,
  issuedAt: z.string(),
});

export function splitLegacyToken(token: string): { encodedPayload: string; mac: Buffer } {
  const match = /^([A-Za-z0-9_-]{10,1024})\.([A-Za-z0-9_-]{16,128})$/.exec(token);
  if (!match) throw new InvalidUnsubscribeTokenError("malformed token");
  const mac = Buffer.from(match[2]!, "base64url");
  // As above: only the one canonical encoding of a MAC is a valid token.
  if (mac.toString("base64url") !== match[2]) throw new InvalidUnsubscribeTokenError("non-canonical MAC");
  return { encodedPayload: match[1]!, mac };
}

export function decodeLegacyPayload(encodedPayload: string): UnsubscribePayload {
  try {
    const { customerId, channel, issuedAt } = legacyPayloadSchema.parse(
      JSON.parse(Buffer.from(encodedPayload, "base64url").toString("utf8")),
    );
    return { customerId, channel, issuedAt };
  } catch {
    throw new InvalidUnsubscribeTokenError("malformed token payload");
  }
}

/** How a v1 link was built; kept so that tests can issue the links that are still in mailboxes. */
export function encodeLegacyPayload(payload: UnsubscribePayload): string {
  return Buffer.from(JSON.stringify({ v: 1, ...payload }), "utf8").toString("base64url");
}
