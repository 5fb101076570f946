import type { Channel } from "../core/customer-state.ts";
import {
  checkTokenAge,
  decodePayload,
  encodePayload,
  InvalidUnsubscribeTokenError,
  splitToken,
  type UnsubscribePayload,
} from "../core/unsubscribe-token.ts";
import type { TokenSigner } from "../ports/token-signer.ts";

/** Builds and checks signed one-click unsubscribe links (RFC 8058). */
export class UnsubscribeLinks {
  readonly #signer: TokenSigner;
  readonly #baseUrl: URL;

  constructor(signer: TokenSigner, baseUrl: string) {
    this.#signer = signer;
    this.#baseUrl = new URL(baseUrl);
    if (this.#baseUrl.protocol !== "https:" && this.#baseUrl.hostname !== "127.0.0.1") {
      throw new RangeError("unsubscribe links must use HTTPS (RFC 8058)");
    }
  }

  async url(customerId: string, channel: Channel, now: Date): Promise<string> {
    const encodedPayload = encodePayload({ v: 1, customerId, channel, issuedAt: now.toISOString() });
    const mac = await this.#signer.sign(encodedPayload);
    const url = new URL(this.#baseUrl);
    url.searchParams.set("token", `${encodedPayload}.${mac.toString("base64url")}`);
    return url.toString();
  }

  /**
   * The link's payload, or InvalidUnsubscribeTokenError for anything forged or mangled (and its
   * ExpiredUnsubscribeTokenError when the link is older than its lifetime).
   */
  async verify(token: string, now: Date): Promise<UnsubscribePayload> {
    const { encodedPayload, mac } = splitToken(token);
    if (!(await this.#signer.verify(encodedPayload, mac))) {
      throw new InvalidUnsubscribeTokenError("signature does not verify");
    }
    const payload = decodePayload(encodedPayload);
    checkTokenAge(payload, now);
    return payload;
  }

  /** The RFC 8058 headers for a marketing email. */
  async headers(customerId: string, now: Date): Promise<Record<string, string>> {
    return {
      "List-Unsubscribe": `<${await this.url(customerId, "email", now)}>`,
      "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    };
  }
}
