import { describe, expect, it } from "vitest";
import type { AudienceList } from "../../../functions/core/catalog/define-event.ts";
import type { NoticeInput } from "../../../functions/core/engine.ts";
import type { FanOutJob } from "../../../functions/messages/queue-messages.ts";
import { AudienceListError, type AudienceLists } from "../../../functions/ports/audience-lists.ts";
import type { EngineQueueMessage } from "../../../functions/ports/engine-queue.ts";
import type { FanOutCheckpoint } from "../../../functions/ports/fan-out-checkpoints.ts";
import { csvFields, wholeLines } from "../../../functions/use-cases/audience-lines.ts";
import { AUDIENCE_READ_BYTES, fanOutAudience } from "../../../functions/use-cases/fan-out-audience.ts";
import { handleGlobalMessage } from "../../../functions/use-cases/handle-global-message.ts";
import { audienceCatalog } from "../../support/audience.ts";

/** Lists in memory, read in slices as S3's ranged GETs would; counts the reads. */
class MemoryLists implements AudienceLists {
  readonly reads: [number, number][] = [];
  readonly files: Record<string, string>;
  constructor(files: Record<string, string>) {
    this.files = files;
  }
  async read(source: string, offset: number, length: number) {
    const text = this.files[source];
    if (text === undefined) throw new AudienceListError(`${source}: no such list`);
    const all = new TextEncoder().encode(text);
    this.reads.push([offset, length]);
    return { bytes: all.subarray(offset, offset + length), size: all.length };
  }
}

const job = (source: string): FanOutJob => ({
  kind: "fan-out",
  detailType: "AudienceEntryRequested",
  noticeId: "aud-1",
  models: [],
  detail: { audienceId: "aud-1", journeyId: "list-offer", source, format: "csv", customerIdField: "id" },
  occurredAt: "2026-05-01T00:00:00Z",
});

function harness(lists: AudienceLists, pageSize = 2) {
  const queued: EngineQueueMessage[] = [];
  const saved: FanOutCheckpoint[] = [];
  let stored: FanOutCheckpoint | undefined;
  const deps = {
    owners: { apply: async () => {}, page: async () => ({ owners: [] }) },
    checkpoints: {
      load: async () => stored,
      save: async (_kind: string, _id: string, checkpoint: FanOutCheckpoint) => {
        stored = checkpoint;
        saved.push(checkpoint);
      },
    },
    engineQueue: {
      enqueue: async (messages: EngineQueueMessage[]) => {
        queued.push(...messages);
        return { failed: [] };
      },
    },
    workQueue: { send: async () => {} },
    clock: () => new Date("2026-05-01T00:00:00Z"),
    remainingMs: () => 600_000,
    pageSize,
    audiences: lists,
  };
  return { deps, queued, saved, ids: () => queued.map((m) => (m.body as NoticeInput).customerId) };
}

const list = (source: string, format: AudienceList["format"], customerIdField: string): AudienceList => ({
  source,
  format,
  customerIdField,
});

describe("reading an audience list's lines", () => {
  it("splits CSV fields, quoted or not, and refuses unclosed quotes", () => {
    expect(csvFields('c-1,"Kim, Jiwoo","say ""hi"""')).toEqual(["c-1", "Kim, Jiwoo", 'say "hi"']);
    expect(csvFields('c-1,"unclosed')).toBeUndefined();
  });

  it("takes whole lines only, and leaves a line cut off at the slice's end for the next read", () => {
    const bytes = new TextEncoder().encode("a\r\nbb\nccc");
    expect(wholeLines(bytes, 10, false)).toEqual({ lines: ["a", "bb"], consumed: 6 });
    expect(wholeLines(bytes, 10, true)).toEqual({ lines: ["a", "bb", "ccc"], consumed: 9 });
    expect(wholeLines(bytes, 1, true)).toEqual({ lines: ["a"], consumed: 3 });
  });
});

describe("the audience fan-out", () => {
  it("reads a CSV list page by page from its checkpointed byte offset, one notice per customer", async () => {
    const lists = new MemoryLists({ "a.csv": "name,id\nJiwoo,c-1\n\nAlex,c-2\nSam,c-3\n" });
    const { deps, saved, queued, ids } = harness(lists);
    const done = await fanOutAudience(job("a.csv"), list("a.csv", "csv", "id"), deps);
    expect(ids()).toEqual(["c-1", "c-2", "c-3"]);
    // Page 1: "Jiwoo,c-1" and the blank line; page 2: Alex and Sam; each checkpoint names the next byte.
    expect(saved.map((c) => [c.offset, c.queued, c.done])).toEqual([
      [19, 1, false],
      [undefined, 3, true],
    ]);
    expect(done).toMatchObject({ queued: 3, pages: 2, done: true });
    expect(queued[0]).toEqual({
      groupId: "c-1",
      deduplicationId: expect.any(String),
      body: {
        kind: "notice",
        customerId: "c-1",
        detailType: "AudienceEntryRequested",
        noticeId: "aud-1",
        detail: { ...job("a.csv").detail, customerId: "c-1" },
        occurredAt: "2026-05-01T00:00:00Z",
      },
    });
    expect(lists.reads.every(([, length]) => length <= AUDIENCE_READ_BYTES)).toBe(true);
  });

  it("reads a dotted field of JSON Lines (a Pinpoint endpoint export's User.UserId), skipping lines without one", async () => {
    const lists = new MemoryLists({
      "e.jsonl": [
        JSON.stringify({ Id: "ep-1", User: { UserId: "c-1" } }),
        JSON.stringify({ Id: "ep-2", User: {} }),
        "{ not json",
        JSON.stringify({ Id: "ep-3", User: { UserId: "c-3" } }),
      ].join("\n"),
    });
    const { deps, ids } = harness(lists, 10);
    const done = await fanOutAudience(job("e.jsonl"), list("e.jsonl", "jsonl", "User.UserId"), deps);
    expect(ids()).toEqual(["c-1", "c-3"]);
    expect(done).toMatchObject({ queued: 2, skipped: 2, done: true });
  });

  it("resumes at the checkpoint: a second invocation queues only what the first did not", async () => {
    const lists = new MemoryLists({ "a.csv": "id\nc-1\nc-2\nc-3\nc-4\nc-5\n" });
    const first = harness(lists);
    let pages = 0;
    const crashing = {
      ...first.deps,
      engineQueue: {
        enqueue: async (messages: EngineQueueMessage[]) => {
          if (++pages === 2) throw new Error("Lambda crashed (simulated)");
          return first.deps.engineQueue.enqueue(messages);
        },
      },
    };
    await expect(fanOutAudience(job("a.csv"), list("a.csv", "csv", "id"), crashing)).rejects.toThrow(
      "crashed",
    );
    expect(first.ids()).toEqual(["c-1", "c-2"]);
    const done = await fanOutAudience(job("a.csv"), list("a.csv", "csv", "id"), first.deps);
    expect(first.ids()).toEqual(["c-1", "c-2", "c-3", "c-4", "c-5"]);
    expect(done).toMatchObject({ queued: 5, done: true });
  });

  it("refuses a CSV without the id column, and a line longer than a read", async () => {
    const { deps } = harness(
      new MemoryLists({ "a.csv": "name\nJiwoo\n", "b.jsonl": `${"x".repeat(AUDIENCE_READ_BYTES + 1)}\n` }),
    );
    await expect(fanOutAudience(job("a.csv"), list("a.csv", "csv", "id"), deps)).rejects.toThrow(
      'a.csv: no column "id" in its header (name)',
    );
    await expect(fanOutAudience(job("b.jsonl"), list("b.jsonl", "jsonl", "id"), deps)).rejects.toThrow(
      `b.jsonl: the line at byte 0 is longer than ${AUDIENCE_READ_BYTES} bytes`,
    );
  });

  it("an empty list is done at once", async () => {
    const { deps, ids } = harness(new MemoryLists({ "e.csv": "" }));
    expect(await fanOutAudience(job("e.csv"), list("e.csv", "csv", "id"), deps)).toMatchObject({
      queued: 0,
      done: true,
    });
    expect(ids()).toEqual([]);
  });

  it("starts from the global queue like a recall, and refuses when the deployment reads no lists", async () => {
    const lists = new MemoryLists({ "a.csv": "customerId\nc-7\n" });
    const { deps, ids } = harness(lists);
    const envelope = {
      version: "0",
      id: "e-1",
      "detail-type": "AudienceEntryRequested",
      source: "marketing.audiences",
      account: "123456789012",
      time: "2026-05-01T00:00:00Z",
      region: "us-east-1",
      resources: [],
      detail: { audienceId: "aud-9", journeyId: "list-offer", source: "a.csv", format: "csv" },
    };
    const outcome = await handleGlobalMessage(
      { kind: "event", envelope },
      { ...deps, catalog: audienceCatalog, applyInventory: async () => {} },
    );
    expect(outcome).toBe("fan-out aud-9: 1 customer(s) queued, done");
    expect(ids()).toEqual(["c-7"]);
    const { audiences: _, ...without } = deps;
    await expect(
      handleGlobalMessage(
        { kind: "event", envelope: { ...envelope, detail: { ...envelope.detail, audienceId: "aud-10" } } },
        { ...without, catalog: audienceCatalog, applyInventory: async () => {} },
      ),
    ).rejects.toThrow("this deployment reads no audience lists");
  });
});
