import type { SQSEvent, SQSRecord } from "aws-lambda";
import { describe, expect, it } from "vitest";
import type { CustomerState } from "../../../functions/core/customer-state.ts";
import { messageGroupIdFor } from "../../../functions/core/ids.ts";
import { makeEngineHandler } from "../../../functions/handlers/engine-handler.ts";
import { FIFO_BATCH_MAX, messageGroups, processFifoBatch } from "../../../functions/handlers/fifo-batch.ts";
import type { StoredCustomer } from "../../../functions/ports/customer-repository.ts";
import type { EngineDependencies } from "../../../functions/use-cases/process-engine-input.ts";
import { postPurchaseOnly } from "../../support/catalogs.ts";
import { envelope } from "../../support/events.ts";
import { recordingPorts } from "../../support/recording-ports.ts";

/**
 * Issue 14, target 6: the engine works on the different customers (message groups) of a FIFO batch at the
 * same time, one customer's inputs strictly in order. Concurrency is proven by latches, not by timing: a call
 * that would wait for another forever when the batch runs one record at a time is given a way out, and the
 * test asserts which way it ended.
 */

function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** Resolves with "released" when `release` is called, or with "gave up" after the macrotasks queued so far. */
function latch() {
  const gate = deferred<"released" | "gave up">();
  // Far longer than any chain of promise reactions in these tests, and no timing is asserted.
  const timer = setTimeout(() => gate.resolve("gave up"), 2_000);
  return {
    wait: gate.promise,
    release: () => {
      clearTimeout(timer);
      gate.resolve("released");
    },
  };
}

const record = (messageId: string, group: string | undefined, body = "{}"): SQSRecord => ({
  messageId,
  receiptHandle: messageId,
  body,
  attributes: {
    ...(group !== undefined ? { MessageGroupId: group } : {}),
    ApproximateReceiveCount: "1",
    SentTimestamp: "0",
    SenderId: "s",
    ApproximateFirstReceiveTimestamp: "0",
  } as SQSRecord["attributes"],
  messageAttributes: {},
  md5OfBody: "",
  eventSource: "aws:sqs",
  eventSourceARN: "arn:aws:sqs:ap-northeast-2:123456789012:engine.fifo",
  awsRegion: "ap-northeast-2",
});

const failedIds = (response: { batchItemFailures: { itemIdentifier: string }[] }) =>
  response.batchItemFailures.map((f) => f.itemIdentifier);

describe("a FIFO batch, group by group (issue 14)", () => {
  it("groups records by message group, each group in the batch's order, groups by their first record", () => {
    const records = [record("a1", "A"), record("b1", "B"), record("a2", "A"), record("c1", "C")];
    records.push(record("b2", "B"), record("n1", undefined), record("n2", undefined));
    expect(messageGroups(records).map((group) => group.map((r) => r.messageId))).toEqual([
      ["a1", "a2"],
      ["b1", "b2"],
      ["c1"],
      ["n1", "n2"],
    ]);
  });

  it("starts a group's next record only after the previous one has ended", async () => {
    const log: string[] = [];
    const records = ["a1", "b1", "a2", "b2", "a3"].map((id) => record(id, id[0]));
    const result = await processFifoBatch(records, async (r) => {
      log.push(`start ${r.messageId}`);
      await Promise.resolve();
      await Promise.resolve();
      log.push(`end ${r.messageId}`);
    });
    expect(result.batchItemFailures).toEqual([]);
    const ofGroup = (group: string) => log.filter((line) => line.split(" ")[1]!.startsWith(group));
    expect(ofGroup("a")).toEqual(["start a1", "end a1", "start a2", "end a2", "start a3", "end a3"]);
    expect(ofGroup("b")).toEqual(["start b1", "end b1", "start b2", "end b2"]);
  });

  it("works on different groups at the same time: B's record starts before A's has ended", async () => {
    const bStarted = latch();
    const log: string[] = [];
    await processFifoBatch([record("a1", "A"), record("b1", "B")], async (r) => {
      log.push(`start ${r.messageId}`);
      if (r.messageId === "a1") log.push(`a1 ${await bStarted.wait}`);
      else bStarted.release();
      log.push(`end ${r.messageId}`);
    });
    expect(log).toEqual(["start a1", "start b1", "end b1", "a1 released", "end a1"]);
  });

  it("a failure fails that record and every later one of its group, unprocessed, and nothing of another group", async () => {
    const handled: string[] = [];
    const aFailed = deferred();
    const records = [
      record("a1", "A"),
      record("b1", "B"),
      record("a2", "A"),
      record("b2", "B"),
      record("a3", "A"),
      record("c1", "C"),
      record("b3", "B"),
      record("a4", "A"),
    ];
    const result = await processFifoBatch(records, async (r) => {
      handled.push(r.messageId);
      if (r.messageId === "a2") {
        aFailed.resolve();
        throw new Error("DynamoDB unavailable");
      }
      // B's and C's later records run after A's failure: it must not reach them.
      if (r.messageId.startsWith("b") || r.messageId === "c1") await aFailed.promise;
    });
    expect(failedIds(result)).toEqual(["a2", "a3", "a4"]);
    expect(handled.filter((id) => id.startsWith("a"))).toEqual(["a1", "a2"]);
    expect(handled.filter((id) => !id.startsWith("a")).sort()).toEqual(["b1", "b2", "b3", "c1"]);
  });

  it("reports failures in the batch's order, whatever order the groups ended in", async () => {
    const ticks = { a1: 3, b1: 1, c1: 0, a2: 0 } as Record<string, number>;
    const ended: string[] = [];
    const result = await processFifoBatch(
      [record("a1", "A"), record("b1", "B"), record("c1", "C"), record("a2", "A")],
      async (r) => {
        for (let tick = 0; tick < ticks[r.messageId]!; tick++) await Promise.resolve();
        ended.push(r.messageId);
        throw new Error("refused");
      },
    );
    expect(ended).toEqual(["c1", "b1", "a1"]);
    expect(failedIds(result)).toEqual(["a1", "b1", "c1", "a2"]);
  });

  it("bounds the groups at work at once: at most `concurrency`, the next group starting as one ends", async () => {
    const records = ["a", "b", "c", "d", "e"].map((g) => record(`${g}1`, g));
    for (const concurrency of [1, 2, 3]) {
      let running = 0;
      let most = 0;
      const started: string[] = [];
      await processFifoBatch(
        records,
        async (r) => {
          started.push(r.messageId);
          most = Math.max(most, ++running);
          await new Promise((resolve) => setImmediate(resolve));
          running--;
        },
        { concurrency },
      );
      expect(most).toBe(concurrency);
      expect(started).toEqual(["a1", "b1", "c1", "d1", "e1"]);
    }
  });

  it("by default every group of a full batch starts at once", async () => {
    const records = Array.from({ length: 10 }, (_, i) => record(`m${i}`, `g${i}`));
    expect(FIFO_BATCH_MAX).toBe(10);
    const allStarted = latch();
    const outcomes: string[] = [];
    let started = 0;
    await processFifoBatch(records, async () => {
      if (++started === records.length) allStarted.release();
      // Only possible if all ten are at work at once; one at a time, the first gives up waiting.
      outcomes.push(await allStarted.wait);
    });
    expect(outcomes).toEqual(records.map(() => "released"));
  });

  it("refuses a concurrency that is not a whole number of groups, when the handler is built", () => {
    const deps = {} as EngineDependencies;
    for (const concurrency of [0, -1, 1.5, Number.NaN])
      expect(() => makeEngineHandler(deps, { concurrency })).toThrow(RangeError);
    expect(() => makeEngineHandler(deps, { concurrency: 3 })).not.toThrow();
  });
});

describe("the engine handler works on different customers at the same time (issue 14)", () => {
  const body = (customerId: string, name: string) =>
    JSON.stringify({
      kind: "event",
      envelope: envelope("CustomerProfileUpdated", { customerId, name }, { id: `${customerId}-${name}` }),
    });
  /** Profile updates named after their customer and rank ("A2": customer a's second), as m1, m2… */
  const batch = (...names: string[]): SQSEvent => ({
    Records: names.map((name, i) => {
      const customerId = name[0]!.toLowerCase();
      return record(`m${i + 1}`, messageGroupIdFor(customerId), body(customerId, name));
    }),
  });

  /** An in-memory customer table whose loads and saves the test can hold back, and which logs each call. */
  function heldTable() {
    const store = new Map<string, StoredCustomer>();
    const log: string[] = [];
    const holds = new Map<string, Promise<unknown>>();
    const deps: EngineDependencies = {
      ...recordingPorts(),
      catalog: postPurchaseOnly,
      clock: () => new Date("2026-02-01T00:00:00Z"),
      customers: {
        load: async (id) => {
          log.push(`load ${id}`);
          await holds.get(`load ${id}`);
          return store.get(id);
        },
        save: async (state: CustomerState, expected) => {
          log.push(`save ${state.customerId} ${state.profile.name}`);
          await holds.get(`save ${state.customerId}`);
          store.set(state.customerId, { state, version: (expected ?? 0) + 1 });
          return (expected ?? 0) + 1;
        },
      },
    };
    return { store, log, holds, deps };
  }

  it("customer B's load starts before customer A's load has answered", async () => {
    const table = heldTable();
    const bLoading = latch();
    table.holds.set("load a", bLoading.wait);
    const load = table.deps.customers.load;
    table.deps.customers.load = (id) => {
      if (id === "b") bLoading.release();
      return load(id);
    };
    const event = batch("A1", "B1");
    const result = await makeEngineHandler(table.deps)(event);
    expect(result.batchItemFailures).toEqual([]);
    expect(await bLoading.wait).toBe("released");
    expect(table.log.slice(0, 2)).toEqual(["load a", "load b"]);
    expect(table.store.get("a")?.state.profile.name).toBe("A1");
    expect(table.store.get("b")?.state.profile.name).toBe("B1");
  });

  it("one customer's inputs stay in order: the next input's load waits for the last one's commit", async () => {
    const table = heldTable();
    const aCommitting = deferred();
    table.holds.set("save a", aCommitting.promise);
    const event = batch("A1", "B1", "A2", "B2", "A3");
    const handling = makeEngineHandler(table.deps)(event);
    const of = (customerId: string) => table.log.filter((line) => line.split(" ")[1] === customerId);
    // B's two inputs are done while A's first commit is held: B did not wait for A; A's second input did.
    await new Promise((resolve) => setImmediate(resolve));
    expect(of("b")).toEqual(["load b", "save b B1", "load b", "save b B2"]);
    expect(of("a")).toEqual(["load a", "save a A1"]);
    table.holds.delete("save a");
    aCommitting.resolve();
    expect((await handling).batchItemFailures).toEqual([]);
    expect(of("a")).toEqual(["load a", "save a A1", "load a", "save a A2", "load a", "save a A3"]);
    expect(table.store.get("a")?.state.profile.name).toBe("A3");
    expect(table.store.get("a")?.version).toBe(3);
  });

  it("the sequential setting (concurrency 1) does one customer after the other", async () => {
    const table = heldTable();
    const event = batch("A1", "B1", "A2");
    expect((await makeEngineHandler(table.deps, { concurrency: 1 })(event)).batchItemFailures).toEqual([]);
    expect(table.log).toEqual(["load a", "save a A1", "load a", "save a A2", "load b", "save b B1"]);
  });

  it("a customer whose commit fails hands back the rest of its inputs, while the other customer's all commit", async () => {
    const table = heldTable();
    const save = table.deps.customers.save;
    table.deps.customers.save = async (state, expected) => {
      if (state.profile.name === "A2") throw new Error("DynamoDB unavailable");
      return save(state, expected);
    };
    const event = batch("A1", "B1", "A2", "B2", "A3", "B3");
    const result = await makeEngineHandler(table.deps)(event);
    expect(failedIds(result)).toEqual(["m3", "m5"]);
    expect(table.store.get("a")?.state.profile.name).toBe("A1");
    expect(table.store.get("b")?.state.profile.name).toBe("B3");
    expect(table.log).not.toContain("save a A3");
  });
});
