import { createHmac, timingSafeEqual } from "node:crypto";
import type { TokenSigner } from "../ports/token-signer.ts";

/** HMAC-SHA-256 with a key held in memory: for the local runtime, where there is no KMS. */
export class HmacTokenSigner implements TokenSigner {
  readonly #key: Buffer;

  constructor(key: Buffer) {
    if (key.length < 32) throw new RangeError("an HMAC key needs at least 32 bytes");
    this.#key = key;
  }

  async sign(message: string): Promise<Buffer> {
    return createHmac("sha256", this.#key).update(message).digest();
  }

  async verify(message: string, mac: Buffer): Promise<boolean> {
    const expected = await this.sign(message);
    return mac.length === expected.length && timingSafeEqual(mac, expected);
  }
}
