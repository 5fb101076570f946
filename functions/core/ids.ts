import { createHash } from "node:crypto";

/** A short, stable, URL-safe digest: the same inputs give the same id on every redelivery. */
export function stableId(...parts: string[]): string {
  return createHash("sha256").update(parts.join("\u0000")).digest("base64url").slice(0, 22);
}
