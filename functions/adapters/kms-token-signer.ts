import {
  GenerateMacCommand,
  type KMSClient,
  KMSInvalidMacException,
  VerifyMacCommand,
} from "@aws-sdk/client-kms";
import type { TokenSigner } from "../ports/token-signer.ts";

/** HMAC with a KMS HMAC_256 key: the key never leaves KMS, and rotating it is a KMS operation. */
export class KmsTokenSigner implements TokenSigner {
  readonly #client: KMSClient;
  readonly #keyId: string;

  constructor(client: KMSClient, keyId: string) {
    this.#client = client;
    this.#keyId = keyId;
  }

  async sign(message: string): Promise<Buffer> {
    const { Mac } = await this.#client.send(
      new GenerateMacCommand({
        KeyId: this.#keyId,
        MacAlgorithm: "HMAC_SHA_256",
        Message: Buffer.from(message),
      }),
    );
    if (!Mac) throw new Error("KMS GenerateMac returned no MAC");
    return Buffer.from(Mac);
  }

  async verify(message: string, mac: Buffer): Promise<boolean> {
    try {
      const { MacValid } = await this.#client.send(
        new VerifyMacCommand({
          KeyId: this.#keyId,
          MacAlgorithm: "HMAC_SHA_256",
          Message: Buffer.from(message),
          Mac: mac,
        }),
      );
      return MacValid === true;
    } catch (error) {
      if (error instanceof KMSInvalidMacException) return false;
      throw error;
    }
  }
}
