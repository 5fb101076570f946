import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { startDynamo } from "../test/support/dynalite.ts";
import { envelope, phone, profileUpdate } from "../test/support/events.ts";
import { Pipeline } from "../test/support/pipeline.ts";

export interface DynamoFigures {
  inputs: number;
  reads: number;
  writes: number;
  queries: number;
  readUnits: number;
  writeUnits: number;
  byStep: { step: string; reads: number; writes: number; writeUnits: number }[];
  customerItemBytes: number;
  notificationItemBytes: number;
  elapsedMs: number;
  events: number;
}

const READS = new Set(["GetItemCommand", "BatchGetItemCommand"]);
const WRITES = new Set(["PutItemCommand", "UpdateItemCommand", "DeleteItemCommand", "BatchWriteItemCommand"]);

/** Counts every DynamoDB call and the capacity DynamoDB says it consumed (ReturnConsumedCapacity). */
function meter(client: DynamoDBClient) {
  const counts = { reads: 0, writes: 0, queries: 0, readUnits: 0, writeUnits: 0 };
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as Record<string, unknown>;
      input.ReturnConsumedCapacity = "TOTAL";
      const result = await next(args);
      const name = context.commandName ?? "";
      if (READS.has(name)) counts.reads++;
      if (WRITES.has(name)) counts.writes++;
      if (name === "QueryCommand") counts.queries++;
      // Single-item calls report one ConsumedCapacity, batch calls one per table.
      const consumed = (result.output as { ConsumedCapacity?: unknown }).ConsumedCapacity;
      const units = (Array.isArray(consumed) ? consumed : consumed ? [consumed] : []).reduce(
        (sum: number, c: { CapacityUnits?: number }) => sum + (c.CapacityUnits ?? 0),
        0,
      );
      if (WRITES.has(name)) counts.writeUnits += units;
      else counts.readUnits += units;
      return result;
    },
    { step: "initialize", name: "waymarkMeter" },
  );
  return counts;
}

/**
 * The post-purchase path through the real handlers on dynalite, metered per step: each bus
 * event or timer is one engine input; each message adds the notifier's claim and confirmation.
 */
export async function benchDynamoPerEvent(customers: number): Promise<DynamoFigures> {
  const dynamo = await startDynamo();
  const counts = meter(dynamo.client);
  const byStep: DynamoFigures["byStep"] = [];
  const measure = async (step: string, run: () => Promise<void>) => {
    const before = { ...counts };
    await run();
    byStep.push({
      step,
      reads: (counts.reads - before.reads) / customers,
      writes: (counts.writes - before.writes) / customers,
      writeUnits: (counts.writeUnits - before.writeUnits) / customers,
    });
  };
  const p = new Pipeline(dynamo, "2026-03-01T00:00:00Z");
  const ids = Array.from({ length: customers }, (_, i) => `perf-${i}`);
  const started = performance.now();
  await measure("CustomerProfileUpdated", () => p.put(...ids.map((customerId) => profileUpdate(customerId))));
  await measure("OrderPlaced", () =>
    p.put(
      ...ids.map((customerId) =>
        envelope(
          "OrderPlaced",
          { customerId, orderId: "o-1", items: [phone], currency: "USD" },
          { time: "2026-03-01T01:00:00Z" },
        ),
      ),
    ),
  );
  await measure("OrderDelivered (schedules the tips)", () =>
    p.put(
      ...ids.map((customerId) =>
        envelope("OrderDelivered", { customerId, orderId: "o-1" }, { time: "2026-03-02T15:00:00Z" }),
      ),
    ),
  );
  await measure("tips timer + 1 SMS", () => p.advanceTo("2026-03-05T00:00:00Z"));
  await measure("survey timer + 1 SMS", () => p.advanceTo("2026-03-17T00:00:00Z"));
  const elapsedMs = performance.now() - started;
  const onThePath = { ...counts }; // the look-ups below are the bench's, not the path's
  const record = await p.notifications.listForCustomer("perf-0");
  const customer = await p.customers.load("perf-0");
  const customerItemBytes = Buffer.byteLength(
    JSON.stringify({ pk: "CUSTOMER#perf-0", sk: "STATE", version: 1, state: customer!.state }),
  );
  const notificationItemBytes = Buffer.byteLength(JSON.stringify(record[0]));
  await dynamo.stop();
  return {
    inputs: customers * 5,
    ...onThePath,
    byStep,
    customerItemBytes,
    notificationItemBytes,
    elapsedMs,
    events: customers * 5,
  };
}

/** dynalite's own rate for the conditional put that commits a transition, with nothing else around it. */
export async function benchRawConditionalWrites(count: number): Promise<{ perSecond: number }> {
  const { PutCommand } = await import("@aws-sdk/lib-dynamodb");
  const dynamo = await startDynamo();
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    await dynamo.documentClient.send(
      new PutCommand({
        TableName: dynamo.tableName,
        Item: { pk: `RAW#${i}`, sk: "STATE", version: 1, state: { a: "x".repeat(600) } },
        ConditionExpression: "attribute_not_exists(pk)",
      }),
    );
  }
  const seconds = (performance.now() - started) / 1000;
  await dynamo.stop();
  return { perSecond: count / seconds };
}
