import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DynamoDbCustomerRepository } from "../../../functions/adapters/dynamodb-customer-repository.ts";
import { DynamoDbFanOutCheckpoints } from "../../../functions/adapters/dynamodb-fan-out-checkpoints.ts";
import { DynamoDbStoreDirectory } from "../../../functions/adapters/dynamodb-store-directory.ts";
import type { NoticeInput } from "../../../functions/core/engine.ts";
import type { NotificationRecord } from "../../../functions/core/notification.ts";
import type { FanOutJob } from "../../../functions/messages/queue-messages.ts";
import type { EngineQueueMessage } from "../../../functions/ports/engine-queue.ts";
import type { FanOutCheckpoint } from "../../../functions/ports/fan-out-checkpoints.ts";
import { makeNoticeEnricher } from "../../../functions/use-cases/enrich-notice.ts";
import { fanOutAudience } from "../../../functions/use-cases/fan-out-audience.ts";
import { STOP_WHEN_REMAINING_MS } from "../../../functions/use-cases/fan-out-notice.ts";
import { processEngineInput } from "../../../functions/use-cases/process-engine-input.ts";
import { FileAudienceLists } from "../../../infra/local/local-audience-lists.ts";
import { audienceCatalog, listMember } from "../../support/audience.ts";
import { type LocalDynamo, startDynamo } from "../../support/dynalite.ts";
import { customerEvent } from "../../support/events.ts";

const CUSTOMERS = 12_000;
const PAGE = 500;

let dynamo: LocalDynamo;
let dir: string;

beforeAll(async () => {
  dynamo = await startDynamo();
  dir = mkdtempSync(path.join(tmpdir(), "waymark-audience-"));
  // A Pinpoint segment export's shape, one endpoint a line; every 1000th line has no user id.
  const lines = Array.from({ length: CUSTOMERS }, (_, i) =>
    JSON.stringify({
      Id: `endpoint-${i}`,
      ChannelType: "SMS",
      User: i % 1000 === 999 ? {} : { UserId: `cust-${String(i).padStart(5, "0")}`, UserAttributes: {} },
    }),
  );
  writeFileSync(path.join(dir, "segment.jsonl"), `${lines.join("\n")}\n`);
}, 60_000);

afterAll(async () => {
  await dynamo.stop();
  rmSync(dir, { recursive: true, force: true });
});

const detail = {
  audienceId: "winback-2026-05",
  journeyId: "list-offer",
  source: "segment.jsonl",
  format: "jsonl",
  customerIdField: "User.UserId",
};
const job: FanOutJob = {
  kind: "fan-out",
  detailType: "AudienceEntryRequested",
  noticeId: detail.audienceId,
  models: [],
  detail,
  occurredAt: "2026-05-01T00:00:00Z",
};
const list = { source: detail.source, format: "jsonl" as const, customerIdField: detail.customerIdField };

describe(`an audience of ${CUSTOMERS.toLocaleString("en-US")} lines`, { timeout: 240_000 }, () => {
  it("is read page by page from the byte offset its checkpoint keeps, survives a crash and hand-overs, and queues everyone", async () => {
    const lists = new FileAudienceLists(dir);
    const queued: EngineQueueMessage[] = [];
    const continuations: FanOutJob[] = [];
    const checkpoints = new DynamoDbFanOutCheckpoints(dynamo.documentClient, dynamo.tableName);
    let saves = 0;
    let crashed = false;
    // A checkpoint store that dies once, after the 7th page was queued and before it was saved.
    const crashing = {
      load: checkpoints.load.bind(checkpoints),
      save: async (kind: string, id: string, checkpoint: FanOutCheckpoint) => {
        if (++saves === 7 && !crashed) {
          crashed = true;
          throw new Error("Lambda crashed (simulated)");
        }
        await checkpoints.save(kind, id, checkpoint);
      },
    };
    let pagesThisInvocation = 0;
    let invocations = 0;
    const invoke = () => {
      invocations++;
      pagesThisInvocation = 0;
      return fanOutAudience(job, list, {
        owners: { apply: async () => {}, page: async () => ({ owners: [] }) },
        checkpoints: crashing,
        engineQueue: {
          enqueue: async (messages) => {
            pagesThisInvocation++;
            queued.push(...messages);
            return { failed: [] };
          },
        },
        workQueue: { send: async (bodies) => void continuations.push(...(bodies as FanOutJob[])) },
        clock: () => new Date("2026-05-01T00:00:00Z"),
        // Time for four pages per invocation, then a hand-over: as a Lambda would near its timeout.
        remainingMs: () => (pagesThisInvocation >= 4 ? STOP_WHEN_REMAINING_MS - 1 : 600_000),
        pageSize: PAGE,
        audiences: lists,
      });
    };
    let last: FanOutCheckpoint | undefined;
    for (let delivery = 0; delivery < 100 && !last?.done; delivery++) {
      try {
        last = await invoke();
      } catch (error) {
        expect((error as Error).message).toContain("crashed");
      }
    }
    expect(crashed).toBe(true);
    expect(last).toMatchObject({ done: true, skipped: CUSTOMERS / 1000, pages: CUSTOMERS / PAGE });
    expect(invocations).toBeGreaterThan(CUSTOMERS / PAGE / 4);
    expect(continuations.length).toBeGreaterThan(0);
    const distinct = new Set(queued.map((m) => m.groupId));
    expect(distinct.size).toBe(CUSTOMERS - CUSTOMERS / 1000);
    // Only the page queued before the crash went out twice, under the same deduplication ids.
    expect(queued.length - distinct.size).toBe(PAGE);
    const stored = await checkpoints.load("AudienceEntryRequested", detail.audienceId);
    expect(stored).toMatchObject({ done: true, queued: last!.queued });
    expect(stored?.offset).toBeUndefined();

    // Each notice starts the journey for its customer on DynamoDB, once: a copy changes nothing.
    const customers = new DynamoDbCustomerRepository(dynamo.documentClient, dynamo.tableName);
    const sent: NotificationRecord[] = [];
    const deps = {
      customers,
      catalog: audienceCatalog,
      clock: () => new Date("2026-05-01T15:00:00Z"),
      timers: { schedule: async () => {}, cancel: async () => {} },
      notifications: {
        enqueue: async (records: readonly NotificationRecord[]) => void sent.push(...records),
      },
      events: { emit: async () => {} },
      owners: { apply: async () => {}, page: async () => ({ owners: [] }) },
      enrichNotice: makeNoticeEnricher(
        new DynamoDbStoreDirectory(dynamo.documentClient, dynamo.tableName),
        audienceCatalog,
      ),
    };
    const twice = [...distinct].filter((id) => queued.filter((m) => m.groupId === id).length > 1).slice(0, 3);
    for (const customerId of twice) {
      await processEngineInput(
        { kind: "event", event: customerEvent("CustomerProfileUpdated", listMember(customerId)) },
        deps,
      );
      for (const message of queued.filter((m) => m.groupId === customerId))
        await processEngineInput(message.body as NoticeInput, deps);
    }
    // A copy right after its original is replayed with the same notification id, which the notifier's
    // claim turns into a no-op: one distinct message per customer.
    const distinctSends = new Map(sent.map((n) => [n.id, [n.customerId, n.template, n.status]]));
    expect([...distinctSends.values()]).toEqual(twice.map((id) => [id, "list.note", "sent"]));
  });
});
