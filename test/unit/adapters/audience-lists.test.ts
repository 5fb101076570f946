import "aws-sdk-client-mock-vitest/extend";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { GetObjectCommand, HeadObjectCommand, S3Client, S3ServiceException } from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { S3AudienceLists } from "../../../functions/adapters/s3-audience-lists.ts";
import { FileAudienceLists } from "../../../infra/local/local-audience-lists.ts";

const s3 = mockClient(S3Client);
afterEach(() => s3.reset());

/** What the SDK's streaming body offers the adapter. */
const body = (text: string) =>
  ({ transformToByteArray: async () => new TextEncoder().encode(text) }) as never;

describe("audience lists in S3", () => {
  const lists = () => new S3AudienceLists(new S3Client({}), "acme-audiences");

  it("reads a slice with a ranged GET and takes the list's size from Content-Range", async () => {
    s3.on(GetObjectCommand).resolves({ Body: body("c-3\nc-4\n"), ContentRange: "bytes 8-15/4096" });
    const read = await lists().read("s3://acme-audiences/lists/may.csv", 8, 8);
    expect(new TextDecoder().decode(read.bytes)).toBe("c-3\nc-4\n");
    expect(read.size).toBe(4096);
    expect(s3).toHaveReceivedCommandWith(GetObjectCommand, {
      Bucket: "acme-audiences",
      Key: "lists/may.csv",
      Range: "bytes=8-15",
    });
  });

  it("reads past the end as nothing, with the size from HeadObject", async () => {
    s3.on(GetObjectCommand).rejects(
      new S3ServiceException({ name: "InvalidRange", $fault: "client", $metadata: { httpStatusCode: 416 } }),
    );
    s3.on(HeadObjectCommand).resolves({ ContentLength: 16 });
    expect(await lists().read("s3://acme-audiences/lists/may.csv", 16, 8)).toEqual({
      bytes: new Uint8Array(),
      size: 16,
    });
  });

  it("refuses a list outside the audience bucket, or not in S3, with the reason", async () => {
    await expect(lists().read("s3://someone-else/list.csv", 0, 8)).rejects.toThrow(
      "s3://someone-else/list.csv: audience lists are read from the bucket acme-audiences only",
    );
    await expect(lists().read("lists/may.csv", 0, 8)).rejects.toThrow(
      "lists/may.csv: expected s3://acme-audiences/<key>",
    );
    expect(s3.calls()).toHaveLength(0);
  });
});

describe("audience lists on disk (the local runtime)", () => {
  it("reads a slice of a file by path or file: URL, and refuses s3://", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "waymark-audience-"));
    try {
      writeFileSync(path.join(dir, "list.csv"), "id\nc-1\nc-2\n");
      const lists = new FileAudienceLists(dir);
      const slice = await lists.read("list.csv", 3, 4);
      expect([new TextDecoder().decode(slice.bytes), slice.size]).toEqual(["c-1\n", 11]);
      const byUrl = await lists.read(pathToFileURL(path.join(dir, "list.csv")).href, 10, 8);
      expect([byUrl.bytes.length, byUrl.size]).toEqual([1, 11]);
      expect((await lists.read("list.csv", 11, 8)).bytes.length).toBe(0);
      await expect(lists.read("s3://b/list.csv", 0, 8)).rejects.toThrow("locally, audience lists are files");
      await expect(lists.read("missing.csv", 0, 8)).rejects.toThrow(/missing\.csv: ENOENT/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
