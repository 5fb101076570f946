import { open } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { AudienceListError, type AudienceLists } from "../../functions/ports/audience-lists.ts";

/**
 * Audience lists on disk, for the local runtime and `waymark simulate`: a path (relative to `baseDir`) or a
 * file: URL, read a slice at a time like the S3 adapter reads ranges. An s3:// list is refused with the
 * reason: locally there is no bucket to read it from.
 */
export class FileAudienceLists implements AudienceLists {
  readonly #baseDir: string;

  constructor(baseDir: string) {
    this.#baseDir = baseDir;
  }

  async read(source: string, offset: number, length: number): Promise<{ bytes: Uint8Array; size: number }> {
    if (source.startsWith("s3://"))
      throw new AudienceListError(`${source}: locally, audience lists are files; copy it and name its path`);
    const file = source.startsWith("file:") ? fileURLToPath(source) : path.resolve(this.#baseDir, source);
    let handle: Awaited<ReturnType<typeof open>>;
    try {
      handle = await open(file, "r");
    } catch (error) {
      throw new AudienceListError(`${source}: ${(error as Error).message}`);
    }
    try {
      const { size } = await handle.stat();
      const bytes = new Uint8Array(Math.max(0, Math.min(length, size - offset)));
      if (bytes.length > 0) await handle.read(bytes, 0, bytes.length, offset);
      return { bytes, size };
    } finally {
      await handle.close();
    }
  }
}
