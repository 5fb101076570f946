import type { Channel } from "../core/customer-state.ts";
import {
  checkTokenAge,
  decodeLegacyPayload,
  InvalidUnsubscribeTokenError,
  isSealedToken,
  openToken,
  type SealingKeys,
  sealingKeys,
  sealToken,
  splitLegacyToken,
  TOKEN_KEY_LABEL,
  type UnsubscribePayload,
} from "../core/unsubscribe-token.ts";
import type { TokenSigner } from "../ports/token-signer.ts";

/**
 * Builds and checks one-click unsubscribe links (RFC 8058). Links carry a sealed token (see
 * core/unsubscribe-token.ts): the sealing keys are derived once per process from the link key with one
 * MAC, and every link after that costs no KMS call.
 */
export class UnsubscribeLinks {
  readonly #signer: TokenSigner;
  readonly #baseUrl: URL;
  #keys: Promise<SealingKeys> | undefined;

  constructor(signer: TokenSigner, baseUrl: string) {
    this.#signer = signer;
    this.#baseUrl = new URL(baseUrl);
    if (this.#baseUrl.protocol !== "https:" && this.#baseUrl.hostname !== "127.0.0.1") {
      throw new RangeError("unsubscribe links must use HTTPS (RFC 8058)");
    }
  }

  /** Derived on first use; a failed derivation (KMS unreachable) is tried again next time. */
  #sealingKeys(): Promise<SealingKeys> {
    this.#keys ??= this.#signer.sign(TOKEN_KEY_LABEL).then(sealingKeys, (error: unknown) => {
      this.#keys = undefined;
      throw error;
    });
    return this.#keys;
  }

  async url(customerId: string, channel: Channel, now: Date): Promise<string> {
    // Whole seconds: what the token keeps.
    const issuedAt = new Date(Math.floor(now.getTime() / 1000) * 1000).toISOString();
    const token = sealToken(await this.#sealingKeys(), { customerId, channel, issuedAt });
    const url = new URL(this.#baseUrl);
    url.searchParams.set("token", token);
    return url.toString();
  }

  /**
   * The link's payload, or InvalidUnsubscribeTokenError for anything forged or mangled (and its
   * ExpiredUnsubscribeTokenError when the link is older than its lifetime).
   */
  async verify(token: string, now: Date): Promise<UnsubscribePayload> {
    const payload = isSealedToken(token)
      ? openToken(await this.#sealingKeys(), token)
      : await this.#verifyLegacy(token);
    checkTokenAge(payload, now);
    return payload;
  }

  async #verifyLegacy(token: string): Promise<UnsubscribePayload> {
    const { encodedPayload, mac } = splitLegacyToken(token);
    if (!(await this.#signer.verify(encodedPayload, mac))) {
      throw new InvalidUnsubscribeTokenError("signature does not verify");
    }
    return decodeLegacyPayload(encodedPayload);
  }

  /** The RFC 8058 headers for a marketing email. */
  async headers(customerId: string, now: Date): Promise<Record<string, string>> {
    return {
      "List-Unsubscribe": `<${await this.url(customerId, "email", now)}>`,
      "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    };
  }
}
