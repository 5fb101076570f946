import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { DynamoDbFanOutCheckpoints } from "../functions/adapters/dynamodb-fan-out-checkpoints.ts";
import { DynamoDbOwnerIndex } from "../functions/adapters/dynamodb-owner-index.ts";
import { fanOutNotice } from "../functions/use-cases/fan-out-notice.ts";
import { LocalRuntime } from "../infra/local/runtime.ts";
import { startDynamo } from "../test/support/dynalite.ts";

/** The fan-out alone: owners read from the owner index and queued for the engine, per second. */
export async function benchFanOut(
  owners: number,
): Promise<{ owners: number; seconds: number; perSecond: number }> {
  const dynamo = await startDynamo();
  const index = new DynamoDbOwnerIndex(dynamo.documentClient, dynamo.tableName);
  const changes = Array.from({ length: owners }, (_, i) => ({
    customerId: `c-${i}`,
    orderId: "o",
    model: "SM-S931",
    owned: true,
  }));
  for (let i = 0; i < changes.length; i += 1000) await index.apply(changes.slice(i, i + 1000));
  let queued = 0;
  const started = performance.now();
  await fanOutNotice(
    {
      kind: "fan-out",
      detailType: "ProductRecallIssued",
      noticeId: "RC",
      models: ["SM-S931"],
      detail: {},
      occurredAt: "2026-07-01T00:00:00Z",
    },
    {
      owners: index,
      checkpoints: new DynamoDbFanOutCheckpoints(dynamo.documentClient, dynamo.tableName),
      engineQueue: {
        enqueue: async (messages) => {
          queued += messages.length;
          return { failed: [] };
        },
      },
      workQueue: { send: async () => {} },
      clock: () => new Date(),
      remainingMs: () => 600_000,
    },
  );
  const seconds = (performance.now() - started) / 1000;
  await dynamo.stop();
  if (queued !== owners) throw new Error(`queued ${queued} of ${owners}`);
  return { owners, seconds, perSecond: owners / seconds };
}

/**
 * A whole recall on the local runtime: owners found through the index, each customer's context
 * checked, the nearest store's unit reserved (or shipping chosen), the notice decided and sent.
 */
export async function benchRecallEndToEnd(
  owners: number,
): Promise<{ owners: number; seconds: number; perSecond: number }> {
  const runtime = await LocalRuntime.start({ port: 0, tickMs: 0 });
  const client = new EventBridgeClient({
    endpoint: runtime.url,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  const put = async (entries: { DetailType: string; Detail: unknown }[]) => {
    for (let i = 0; i < entries.length; i += 10) {
      await client.send(
        new PutEventsCommand({
          Entries: entries
            .slice(i, i + 10)
            .map((e) => ({ Source: "bench", DetailType: e.DetailType, Detail: JSON.stringify(e.Detail) })),
        }),
      );
    }
  };
  await put([
    {
      DetailType: "StoreInventoryUpdated",
      Detail: {
        storeId: "s1",
        name: "Myeongdong",
        address: "Seoul",
        location: { lat: 37.56, lon: 126.98 },
        stock: [{ sku: "SM-S936N", quantity: Math.floor(owners / 2) }],
      },
    },
  ]);
  await put(
    Array.from({ length: owners }, (_, i) => [
      {
        DetailType: "CustomerProfileUpdated",
        Detail: {
          customerId: `o-${i}`,
          phone: "+821012345678",
          timeZone: "Asia/Seoul",
          home: { lat: 37.5 + (i % 10) / 100, lon: 127 },
        },
      },
      {
        DetailType: "OrderPlaced",
        Detail: {
          customerId: `o-${i}`,
          orderId: "o",
          items: [{ sku: "SM-S931N", name: "Galaxy", model: "SM-S931", quantity: 1, unitPrice: 1 }],
          currency: "KRW",
        },
      },
    ]).flat(),
  );
  await fetch(`${runtime.url}/clock`);
  const started = performance.now();
  await put([
    {
      DetailType: "ProductRecallIssued",
      Detail: {
        recallId: "RC-B",
        models: ["SM-S931"],
        severity: "critical",
        hazard: "battery",
        remedy: "replace",
        replacementSkus: ["SM-S936N"],
      },
    },
  ]);
  const outbox = (await (await fetch(`${runtime.url}/outbox`)).json()) as {
    notifications: { template: string }[];
  };
  const seconds = (performance.now() - started) / 1000;
  const notices = outbox.notifications.filter((n) => n.template === "product-recall.notice").length;
  await runtime.stop();
  if (notices !== owners) throw new Error(`expected ${owners} notices, got ${notices}`);
  return { owners, seconds, perSecond: owners / seconds };
}
