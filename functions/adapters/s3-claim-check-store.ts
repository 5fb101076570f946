import { PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import type { ClaimCheck, ClaimCheckStore } from "../ports/claim-check-store.ts";

/**
 * Claim checks in S3: the document is written whole, encrypted with the bucket's default key (the project's
 * KMS key), and expires with the bucket's lifecycle rule, as the queue message that points at it does.
 */
export class S3ClaimCheckStore implements ClaimCheckStore {
  readonly #client: S3Client;
  readonly #bucket: string;

  constructor(client: S3Client, bucket: string) {
    this.#client = client;
    this.#bucket = bucket;
  }

  async put(key: string, body: string): Promise<ClaimCheck> {
    const bytes = Buffer.byteLength(body, "utf8");
    await this.#client.send(
      new PutObjectCommand({
        Bucket: this.#bucket,
        Key: key,
        Body: body,
        ContentType: "application/json; charset=utf-8",
        ContentLength: bytes,
      }),
    );
    return { location: `s3://${this.#bucket}/${key}`, bytes };
  }
}
