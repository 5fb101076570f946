import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LocalStateStore } from "../../infra/local/local-state-store.ts";
import { type LocalDynamo, startDynamo } from "../support/dynalite.ts";

let dynamo: LocalDynamo;
const requests: string[] = [];
let tables = 0;

beforeAll(async () => {
  dynamo = await startDynamo();
  dynamo.client.middlewareStack.add(
    (next, context) => (args) => {
      requests.push(context.commandName ?? "?");
      return next(args);
    },
    { step: "initialize", name: "countRequests" },
  );
});
afterAll(async () => {
  await dynamo.stop();
});

async function freshStore(): Promise<LocalStateStore> {
  const store = new LocalStateStore(dynamo.client, dynamo.documentClient, `local-state-${++tables}`);
  await store.ensureTable();
  requests.length = 0;
  return store;
}

describe("the local runtime's bookkeeping table", () => {
  it("writes behind in batches: a hundred log lines and timers cost a handful of requests, read back in order", async () => {
    const store = await freshStore();
    for (let n = 0; n < 100; n++) {
      await store.append("EVENT", { n });
      await store.putTimer({
        name: `t-${n}`,
        dueAt: `2026-06-01T00:${String(n % 60).padStart(2, "0")}:00.000Z`,
        body: "{}",
        groupId: "g",
      });
    }
    for (let n = 0; n < 50; n++) await store.deleteTimer(`t-${n}`);
    expect(requests).toEqual([]);
    const events = await store.list<{ n: number }>("EVENT");
    expect(events.map((e) => e.n)).toEqual(Array.from({ length: 100 }, (_, n) => n));
    const batches = requests.filter((r) => r === "BatchWriteItemCommand").length;
    // 100 lines and 100 timer keys: a timer put then deleted is one write (the delete), the last write winning.
    expect(batches).toBe(Math.ceil(200 / 25));
    expect(requests.filter((r) => r !== "BatchWriteItemCommand" && r !== "QueryCommand")).toEqual([]);
  });

  it("a restart reads back exactly what was flushed: the timers still pending and the clock", async () => {
    const tableName = `local-state-${++tables}`;
    const first = new LocalStateStore(dynamo.client, dynamo.documentClient, tableName);
    await first.ensureTable();
    await first.putTimer({ name: "kept", dueAt: "2026-06-02T00:00:00.000Z", body: "{}", groupId: "g" });
    await first.putTimer({ name: "gone", dueAt: "2026-06-01T00:00:00.000Z", body: "{}", groupId: "g" });
    await first.deleteTimer("gone");
    await first.saveClock({ frozenAt: "2026-06-01T12:00:00.000Z" });
    await first.flush();

    const second = new LocalStateStore(dynamo.client, dynamo.documentClient, tableName);
    await second.ensureTable();
    expect((await second.timers()).map((t) => t.name)).toEqual(["kept"]);
    expect(second.nextTimer()?.name).toBe("kept");
    expect(await second.clock()).toEqual({ frozenAt: "2026-06-01T12:00:00.000Z" });
  });
});
