import { GetObjectCommand, HeadObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { AudienceListError, type AudienceLists } from "../ports/audience-lists.ts";

/**
 * Audience lists in S3, read with ranged GETs (`Range: bytes=offset-end`): a fan-out reads one slice per
 * page, never the whole object. Only the stack's audience bucket may be read: the function's role allows no
 * other, and a list elsewhere is refused here with the reason rather than with an access denied.
 */
export class S3AudienceLists implements AudienceLists {
  readonly #client: S3Client;
  readonly #bucket: string;

  constructor(client: S3Client, bucket: string) {
    this.#client = client;
    this.#bucket = bucket;
  }

  async read(source: string, offset: number, length: number): Promise<{ bytes: Uint8Array; size: number }> {
    const match = /^s3:\/\/([^/]+)\/(.+)$/.exec(source);
    if (!match) throw new AudienceListError(`${source}: expected s3://${this.#bucket}/<key>`);
    const [, bucket, key] = match as unknown as [string, string, string];
    if (bucket !== this.#bucket)
      throw new AudienceListError(`${source}: audience lists are read from the bucket ${this.#bucket} only`);
    try {
      const object = await this.#client.send(
        new GetObjectCommand({ Bucket: bucket, Key: key, Range: `bytes=${offset}-${offset + length - 1}` }),
      );
      const bytes = object.Body ? await object.Body.transformToByteArray() : new Uint8Array();
      // "bytes 0-99/1234": the object's whole size is after the slash.
      const size = Number(/\/(\d+)$/.exec(object.ContentRange ?? "")?.[1] ?? offset + bytes.length);
      return { bytes, size };
    } catch (error) {
      // A range that starts at or past the end (an empty list, a list read to its last byte).
      if ((error as { name?: string }).name !== "InvalidRange") throw error;
      const head = await this.#client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      return { bytes: new Uint8Array(), size: head.ContentLength ?? offset };
    }
  }
}
