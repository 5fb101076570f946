import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DynamoDbCustomerRepository } from "../../../functions/adapters/dynamodb-customer-repository.ts";
import { DynamoDbFanOutCheckpoints } from "../../../functions/adapters/dynamodb-fan-out-checkpoints.ts";
import { DynamoDbOwnerIndex } from "../../../functions/adapters/dynamodb-owner-index.ts";
import { DynamoDbStoreDirectory } from "../../../functions/adapters/dynamodb-store-directory.ts";
import type { NoticeInput } from "../../../functions/core/engine.ts";
import type { NotificationRecord } from "../../../functions/core/notification.ts";
import type { EngineQueueMessage } from "../../../functions/ports/engine-queue.ts";
import type { FanOutCheckpoint } from "../../../functions/ports/fan-out-checkpoints.ts";
import { makeNoticeEnricher } from "../../../functions/use-cases/enrich-notice.ts";
import {
  type FanOutJob,
  fanOutNotice,
  STOP_WHEN_REMAINING_MS,
} from "../../../functions/use-cases/fan-out-notice.ts";
import { processEngineInput } from "../../../functions/use-cases/process-engine-input.ts";
import { safetyJourneysOnly } from "../../support/catalogs.ts";
import { type LocalDynamo, startDynamo } from "../../support/dynalite.ts";
import { customerEvent } from "../../support/events.ts";

const OWNERS = 20_000;
const PAGE = 500;

let dynamo: LocalDynamo;
let index: DynamoDbOwnerIndex;

beforeAll(async () => {
  dynamo = await startDynamo();
  index = new DynamoDbOwnerIndex(dynamo.documentClient, dynamo.tableName);
  const changes = Array.from({ length: OWNERS }, (_, i) => ({
    customerId: `owner-${String(i).padStart(5, "0")}`,
    orderId: `o-${i}`,
    model: i % 10 === 0 ? "SM-S936" : "SM-S931",
    owned: true,
  }));
  // A few owners have two affected orders: they must still be queued once per page they appear in.
  changes.push({ customerId: "owner-00001", orderId: "second-order", model: "SM-S931", owned: true });
  // Returned orders leave the index.
  changes.push({ customerId: "returner", orderId: "r-1", model: "SM-S931", owned: true });
  changes.push({ customerId: "returner", orderId: "r-1", model: "SM-S931", owned: false });
  for (let i = 0; i < changes.length; i += 1000) await index.apply(changes.slice(i, i + 1000));
}, 240_000);

afterAll(async () => {
  await dynamo.stop();
});

const job: FanOutJob = {
  kind: "fan-out",
  detailType: "ProductRecallIssued",
  noticeId: "R-2026-07",
  models: ["SM-S931", "SM-S936"],
  detail: { recallId: "R-2026-07", models: ["SM-S931", "SM-S936"], severity: "critical" },
  occurredAt: "2026-07-01T00:00:00Z",
};

describe(`recall fan-out to ${OWNERS.toLocaleString("en-US")} owners`, { timeout: 240_000 }, () => {
  it("pages through the owner index, re-queues itself when time runs short, survives a crash, queues everyone", async () => {
    const queued: EngineQueueMessage[] = [];
    const continuations: FanOutJob[] = [];
    const checkpoints = new DynamoDbFanOutCheckpoints(dynamo.documentClient, dynamo.tableName);
    let saves = 0;
    let crashed = false;
    // A checkpoint store that dies once, right after the 13th page was queued and before it was saved.
    const crashing = {
      load: checkpoints.load.bind(checkpoints),
      save: async (kind: string, id: string, checkpoint: FanOutCheckpoint) => {
        saves++;
        if (saves === 13 && !crashed) {
          crashed = true;
          throw new Error("Lambda crashed (simulated)");
        }
        await checkpoints.save(kind, id, checkpoint);
      },
    };
    let invocations = 0;
    let pagesThisInvocation = 0;
    const invoke = () => {
      invocations++;
      pagesThisInvocation = 0;
      return fanOutNotice(job, {
        owners: index,
        checkpoints: crashing,
        engineQueue: {
          enqueue: async (messages) => {
            pagesThisInvocation++;
            queued.push(...messages);
            return { failed: [] };
          },
        },
        workQueue: { send: async (bodies) => void continuations.push(...(bodies as FanOutJob[])) },
        clock: () => new Date("2026-07-01T00:00:00Z"),
        // Each invocation has time for five pages, then must hand over: as a Lambda would near its timeout.
        remainingMs: () => (pagesThisInvocation >= 5 ? STOP_WHEN_REMAINING_MS - 1 : 600_000),
        pageSize: PAGE,
      });
    };

    let last: FanOutCheckpoint | undefined;
    // The first delivery, then SQS's redelivery after the crash, then each continuation job.
    for (let delivery = 0; delivery < 200 && !last?.done; delivery++) {
      try {
        last = await invoke();
      } catch (error) {
        expect((error as Error).message).toContain("crashed");
      }
    }
    expect(last?.done).toBe(true);
    expect(crashed).toBe(true);
    expect(invocations).toBeGreaterThan(OWNERS / PAGE / 5);

    const distinct = new Set(queued.map((m) => m.groupId));
    expect(distinct.size).toBe(OWNERS);
    expect(distinct.has("returner")).toBe(false);
    // Only the page queued just before the crash went out twice, with the same deduplication ids.
    const duplicates = queued.length - distinct.size;
    expect(duplicates).toBeGreaterThan(0);
    expect(duplicates).toBeLessThanOrEqual(PAGE);
    const byCustomer = new Map<string, Set<string>>();
    for (const m of queued)
      byCustomer.set(m.groupId, (byCustomer.get(m.groupId) ?? new Set()).add(m.deduplicationId));
    for (const ids of byCustomer.values()) expect(ids.size).toBe(1);

    // Nobody is notified twice: run every message queued for the customers of the duplicated page, copies
    // included, through the real engine on DynamoDB — each of those owners gets exactly one notice.
    const duplicated = [...byCustomer.keys()].filter(
      (id) => queued.filter((m) => m.groupId === id).length > 1,
    );
    const customers = new DynamoDbCustomerRepository(dynamo.documentClient, dynamo.tableName);
    const notices: NotificationRecord[] = [];
    const deps = {
      customers,
      catalog: safetyJourneysOnly,
      clock: () => new Date("2026-07-01T03:00:00Z"),
      timers: { schedule: async () => {}, cancel: async () => {} },
      notifications: {
        enqueue: async (records: readonly NotificationRecord[]) => void notices.push(...records),
      },
      events: { emit: async () => {} },
      owners: { apply: async () => {}, page: async () => ({ owners: [] }) },
      enrichNotice: makeNoticeEnricher(
        new DynamoDbStoreDirectory(dynamo.documentClient, dynamo.tableName),
        safetyJourneysOnly,
      ),
    };
    for (const customerId of duplicated) {
      const place = customerEvent(
        "OrderPlaced",
        {
          customerId,
          orderId: "o",
          items: [{ sku: "SM-S931N", name: "Galaxy", model: "SM-S931", quantity: 1, unitPrice: 1 }],
          currency: "KRW",
        },
        { time: "2026-06-01T00:00:00Z" },
      );
      const profile = customerEvent(
        "CustomerProfileUpdated",
        { customerId, phone: "+821055550000" },
        { time: "2026-06-01T00:00:00Z" },
      );
      await processEngineInput({ kind: "event", event: profile }, deps);
      await processEngineInput({ kind: "event", event: place }, deps);
    }
    const forDuplicated = queued.filter((m) => duplicated.includes(m.groupId));
    expect(forDuplicated.length).toBe(duplicated.length * 2);
    for (const message of forDuplicated) await processEngineInput(message.body as NoticeInput, deps);
    // A copy that arrives right after its original is a crash replay: the same notification id again,
    // which the notifier's claim turns into a no-op. So: one distinct notice per owner.
    const perCustomer = new Map<string, Set<string>>();
    for (const n of notices)
      perCustomer.set(n.customerId, (perCustomer.get(n.customerId) ?? new Set()).add(n.id));
    expect(perCustomer.size).toBe(duplicated.length);
    for (const ids of perCustomer.values()) expect(ids.size).toBe(1);
    expect(notices.every((n) => n.template === "product-recall.notice" && n.status === "sent")).toBe(true);

    // A redelivered job after completion queues nothing more.
    const before = queued.length;
    expect(await invoke()).toMatchObject({ done: true, queued: last!.queued });
    expect(queued.length).toBe(before);
  });
});

describe("a fan-out paced to the catalog's sending rate (issue 10)", { timeout: 240_000 }, () => {
  it("queues a page, then holds the next back on the queue (SQS DelaySeconds) for as long as its owners take at the rate", async () => {
    const paced: FanOutJob = { ...job, noticeId: "R-PACED" };
    const queued: EngineQueueMessage[] = [];
    const continuations: { job: FanOutJob; delaySeconds?: number }[] = [];
    let now = Date.parse("2026-07-01T00:00:00Z");
    const invoke = () =>
      fanOutNotice(paced, {
        owners: index,
        checkpoints: new DynamoDbFanOutCheckpoints(dynamo.documentClient, dynamo.tableName),
        engineQueue: {
          enqueue: async (messages) => {
            queued.push(...messages);
            return { failed: [] };
          },
        },
        workQueue: {
          send: async (bodies, options) =>
            void continuations.push(
              ...(bodies as FanOutJob[]).map((b) => ({
                job: b,
                ...(options?.delaySeconds !== undefined ? { delaySeconds: options.delaySeconds } : {}),
              })),
            ),
        },
        clock: () => new Date(now),
        remainingMs: () => 600_000,
        pageSize: PAGE,
        ownersPerSecond: 100,
      });

    const first = await invoke();
    expect(queued).toHaveLength(PAGE);
    // 500 owners at 100 a second: the next page 5 seconds later, held on the queue, not in the function.
    expect(continuations).toEqual([{ job: paced, delaySeconds: 5 }]);
    expect(first).toMatchObject({ pages: 1, done: false, startedAt: "2026-07-01T00:00:00.000Z" });
    // Delivered early (SQS may): still nothing before its time.
    now += 2_000;
    await invoke();
    expect(queued).toHaveLength(PAGE);
    expect(continuations.at(-1)).toEqual({ job: paced, delaySeconds: 3 });
    now += 3_000;
    const second = await invoke();
    expect(queued).toHaveLength(2 * PAGE);
    expect(second.pages).toBe(2);
    // The pace never exceeds the rate: pages × 500 owners over the elapsed seconds.
    let pages = 2;
    while (!(await invoke()).done && pages < 100) {
      now += (continuations.at(-1)!.delaySeconds ?? 0) * 1000;
      pages++;
    }
    const elapsedSeconds = (now - Date.parse("2026-07-01T00:00:00Z")) / 1000;
    const owners = new Set(queued.map((m) => m.groupId)).size;
    expect(owners).toBe(OWNERS);
    expect((owners - PAGE) / elapsedSeconds).toBeLessThanOrEqual(100);
  });
});
