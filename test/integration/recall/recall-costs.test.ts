import { SendMessageBatchCommand, SQSClient } from "@aws-sdk/client-sqs";
import type { Context, SQSEvent } from "aws-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SqsEngineQueue } from "../../../functions/adapters/sqs-engine-queue.ts";
import { SqsWorkQueue } from "../../../functions/adapters/sqs-work-queue.ts";
import { OWNER_SHARDS } from "../../../functions/config/owner-index-keys.ts";
import { makeFanOutHandler } from "../../../functions/handlers/fan-out-handler.ts";
import { fanOutJob, type NoticeMessage } from "../../../functions/messages/queue-messages.ts";
import { STOP_WHEN_REMAINING_MS } from "../../../functions/use-cases/fan-out-notice.ts";
import { fanOutDependencies, tablePorts } from "../../../functions/wiring/pipeline.ts";
import { safetyJourneysOnly } from "../../support/catalogs.ts";
import { type LocalDynamo, startDynamo } from "../../support/dynalite.ts";
import { envelope } from "../../support/events.ts";
import { Pipeline } from "../../support/pipeline.ts";

let dynamo: LocalDynamo;

beforeAll(async () => {
  dynamo = await startDynamo();
});

afterAll(async () => {
  await dynamo.stop();
});

/** Every DynamoDB call from here on, as `<operation> <item>` by the prefix of the key it names. */
function countCalls(local: LocalDynamo): Map<string, number> {
  const counts = new Map<string, number>();
  local.client.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as Record<string, unknown>;
      const key = (input.Key ?? input.Item) as { pk?: string; sk?: string } | undefined;
      const values = input.ExpressionAttributeValues as Record<string, unknown> | undefined;
      const pk = String(key?.pk ?? values?.[":pk"] ?? "");
      const item = pk.startsWith("CUSTOMER#") ? String(key?.sk ?? "").split("#")[0] : pk.split("#")[0];
      const name = `${(context.commandName ?? "").replace(/Command$/, "")} ${item}`;
      counts.set(name, (counts.get(name) ?? 0) + 1);
      return next(args);
    },
    { step: "initialize", name: "countCalls" },
  );
  return counts;
}

const recall = {
  recallId: "RC-COST",
  models: ["SM-S931"],
  severity: "critical",
  hazard: "The battery can overheat while charging.",
  remedy: "replace",
  replacementSkus: ["SM-S936N"],
};

describe("what a recall costs per owner on DynamoDB (issue 14)", { timeout: 120_000 }, () => {
  it("reads each owner's reservation once, and the fan-out adds a Query per page and shard and a checkpoint per page", async () => {
    const owners = 40;
    const p = new Pipeline(dynamo, "2026-06-01T00:00:00Z", safetyJourneysOnly);
    p.drainRounds = 1_000;
    const at = { time: "2026-06-01T00:00:00Z" };
    // Half the owners find a unit at the store; the rest are shipped one.
    await p.put(
      envelope(
        "StoreInventoryUpdated",
        {
          storeId: "s1",
          name: "Myeongdong",
          address: "Seoul",
          location: { lat: 37.56, lon: 126.98 },
          stock: [{ sku: "SM-S936N", quantity: owners / 2 }],
        },
        at,
      ),
    );
    const ids = Array.from({ length: owners }, (_, n) => `cost-${n}`);
    await p.put(
      ...ids.map((customerId, n) =>
        envelope(
          "CustomerProfileUpdated",
          {
            customerId,
            phone: "+821012345678",
            timeZone: "Asia/Seoul",
            home: { lat: 37.5 + n / 1000, lon: 127 },
          },
          at,
        ),
      ),
    );
    await p.put(
      ...ids.map((customerId) =>
        envelope(
          "OrderPlaced",
          {
            customerId,
            orderId: "o",
            items: [{ sku: "SM-S931N", name: "Galaxy", model: "SM-S931", quantity: 1, unitPrice: 1 }],
            currency: "KRW",
          },
          at,
        ),
      ),
    );
    const sent = p.sms().length;
    const counts = countCalls(dynamo);
    await p.put(envelope("ProductRecallIssued", recall, { time: "2026-06-02T00:00:00Z" }));
    expect(p.sms().length - sent).toBe(owners);
    const calls = (name: string) => counts.get(name) ?? 0;

    // The reservation is read once per owner (it was read twice by those who got a store: issue 14).
    expect(calls("GetItem RESERVATION")).toBe(owners);
    expect(calls("UpdateItem STOCK")).toBe(owners / 2);
    expect(calls("PutItem RESERVATION")).toBe(owners / 2);
    // One invocation, one page: a Query per shard, one checkpoint read and one saved.
    expect(calls("Query OWNER")).toBe(OWNER_SHARDS);
    expect(calls("GetItem FANOUT")).toBe(1);
    expect(calls("PutItem FANOUT")).toBe(1);
    // The engine's and the notifier's calls per owner, everything but the fan-out's: no more than measured
    // when the double read went (issue 14's bench prints them by operation and item).
    const fanOut = calls("Query OWNER") + calls("GetItem FANOUT") + calls("PutItem FANOUT");
    const total = [...counts.values()].reduce((sum, n) => sum + n, 0);
    expect((total - fanOut) / owners).toBeLessThanOrEqual(12.8);
  });
});

describe("a fan-out re-queued on time, through the real queue adapters (issue 14)", {
  timeout: 120_000,
}, () => {
  it("resumes each invocation at the checkpoint: every owner queued once, in pages of ten concurrent batch calls", async () => {
    const owners = 2_900;
    const table = tablePorts(dynamo.documentClient, dynamo.tableName);
    const changes = Array.from({ length: owners }, (_, n) => ({
      customerId: `rq-${String(n).padStart(5, "0")}`,
      orderId: "o",
      model: "RQ-1",
      owned: true,
    }));
    for (let i = 0; i < changes.length; i += 1000) await table.owners.apply(changes.slice(i, i + 1000));

    const sqs = new SQSClient({ region: "ap-northeast-2" });
    const engineUrl = "https://sqs.local/123456789012/waymark-engine.fifo";
    const globalUrl = "https://sqs.local/123456789012/waymark-global";
    const engine: { customerId: string; invocation: number }[] = [];
    const global: { body: string; delaySeconds?: number }[] = [];
    let invocation = 0;
    let inFlight = 0;
    let maxInFlight = 0;
    let engineCalls = 0;
    mockClient(sqs)
      .on(SendMessageBatchCommand)
      .callsFake(async (input: SendMessageBatchCommand["input"]) => {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 2));
        inFlight--;
        for (const entry of input.Entries ?? []) {
          if (input.QueueUrl === engineUrl) {
            const notice = JSON.parse(entry.MessageBody!) as NoticeMessage;
            engine.push({ customerId: notice.customerId, invocation });
          } else {
            global.push({
              body: entry.MessageBody!,
              ...(entry.DelaySeconds !== undefined ? { delaySeconds: entry.DelaySeconds } : {}),
            });
          }
        }
        if (input.QueueUrl === engineUrl) engineCalls++;
        return { Successful: [], Failed: [] };
      });
    const handler = makeFanOutHandler(
      fanOutDependencies({
        catalog: safetyJourneysOnly,
        clock: () => new Date("2026-07-01T00:00:00Z"),
        table,
        engineQueue: new SqsEngineQueue(sqs, engineUrl),
        globalQueue: new SqsWorkQueue(sqs, globalUrl),
      }),
    );
    // Time for two 500-owner pages an invocation: the third finds less than the margin left.
    const context = {
      functionName: "fan-out",
      awsRequestId: "r",
      getRemainingTimeInMillis: () =>
        engine.filter((m) => m.invocation === invocation).length >= 1_000
          ? STOP_WHEN_REMAINING_MS - 1
          : 300_000,
    } as unknown as Context;
    global.push({
      body: JSON.stringify(
        fanOutJob({
          detailType: "ProductRecallIssued",
          noticeId: "RC-REQUEUE",
          models: ["RQ-1"],
          detail: { ...recall, recallId: "RC-REQUEUE", models: ["RQ-1"] },
          occurredAt: "2026-07-01T00:00:00Z",
        }),
      ),
    });
    while (global.length > 0) {
      const message = global.shift()!;
      // Re-queued on time: straight back, not held for a pace (this catalog sets no sending rate).
      expect(message.delaySeconds).toBeUndefined();
      invocation++;
      const result = await handler(sqsEvent(message.body), context);
      expect(result.batchItemFailures).toEqual([]);
      expect(global.length).toBeLessThanOrEqual(1);
    }

    // Three invocations: nothing lost, nothing queued twice.
    expect(invocation).toBe(3);
    expect(engine).toHaveLength(owners);
    expect(new Set(engine.map((m) => m.customerId)).size).toBe(owners);
    // Each invocation took up where the last one's checkpoint left off: two full pages, two more, the rest.
    expect([1, 2, 3].map((i) => engine.filter((m) => m.invocation === i).length)).toEqual([
      1_000, 1_000, 900,
    ]);
    expect(engineCalls).toBe(owners / 10);
    expect(maxInFlight).toBe(10);
    expect(await table.checkpoints.load("ProductRecallIssued", "RC-REQUEUE")).toMatchObject({
      done: true,
      queued: owners,
      pages: 6,
    });
  });
});

function sqsEvent(body: string): SQSEvent {
  return {
    Records: [
      {
        messageId: "m",
        receiptHandle: "r",
        body,
        attributes: {
          ApproximateReceiveCount: "1",
          SentTimestamp: "0",
          SenderId: "test",
          ApproximateFirstReceiveTimestamp: "0",
        },
        messageAttributes: {},
        md5OfBody: "",
        eventSource: "aws:sqs",
        eventSourceARN: "arn:aws:sqs:ap-northeast-2:123456789012:waymark-global",
        awsRegion: "ap-northeast-2",
      },
    ],
  };
}
