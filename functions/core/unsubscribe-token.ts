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

export function encodePayload(payload: UnsubscribePayload): string {
  return Buffer.from(JSON.stringify(payload), "utf8").toString("base64url");
}

export function splitToken(token: string): { encodedPayload: string; mac: Buffer } {
  const match = /^([A-Za-z0-9_-]{10,1024})\.([A-Za-z0-9_-]{16,128})$/.exec(token);
  if (!match) throw new InvalidUnsubscribeTokenError("malformed token");
  return { encodedPayload: match[1]!, mac: Buffer.from(match[2]!, "base64url") };
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
