import { createHash } from "node:crypto";

/** A short, stable, URL-safe digest: the same inputs give the same id on every redelivery. */
export function stableId(...parts: string[]): string {
  return createHash("sha256").update(parts.join("\u0000")).digest("base64url").slice(0, 22);
}

/**
 * SQS accepts a MessageGroupId of 1–128 ASCII letters, digits and punctuation; a customer id may be
 * anything of 1–128 characters (Hangul, spaces, emoji). Ids SQS accepts go as they are, so operators
 * recognise them; any other becomes `~` and a SHA-256 digest. No id SQS accepts starts with `~` here,
 * so the two kinds never collide.
 */
const SQS_GROUP_ID =
  /^[A-Za-z0-9!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}][A-Za-z0-9!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]{0,127}$/;

export function messageGroupIdFor(customerId: string): string {
  return SQS_GROUP_ID.test(customerId)
    ? customerId
    : `~${createHash("sha256").update(customerId).digest("base64url")}`;
}
