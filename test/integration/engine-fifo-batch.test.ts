import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { SQSEvent, SQSRecord } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { messageGroupIdFor } from "../../functions/core/ids.ts";
import { makeEngineHandler } from "../../functions/handlers/engine-handler.ts";
import { documentClient, engineDependencies, tablePorts } from "../../functions/wiring/pipeline.ts";
import { postPurchaseOnly } from "../support/catalogs.ts";
import { type LocalDynamo, startDynamo } from "../support/dynalite.ts";
import { envelope } from "../support/events.ts";
import { recordingPorts } from "../support/recording-ports.ts";

/**
 * Issue 14, target 6, on dynalite: the engine handler works on a FIFO batch's customers at the same time,
 * each customer's inputs in order, and a failure hands back exactly the rest of that customer's inputs.
 */
let dynamo: LocalDynamo;
beforeAll(async () => {
  dynamo = await startDynamo();
});
afterAll(async () => {
  await dynamo.stop();
});

const at = "2026-05-01T00:00:00Z";
type Call = { operation: string; customerId: string; name?: string };

/**
 * The engine handler on dynalite through its own client, whose middleware logs each call on a customer item
 * and lets the test hold a call back or refuse it (before it is sent: the SDK does not retry it).
 */
function engineOn(dynamoEndpoint: string, intercept: (call: Call) => Promise<void> | void = () => {}) {
  const client = new DynamoDBClient({
    endpoint: dynamoEndpoint,
    region: "ap-northeast-2",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  const calls: Call[] = [];
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as {
        Key?: { pk?: string; sk?: string };
        Item?: { sk?: string; customerId?: string; state?: { profile?: { name?: string } } };
      };
      const operation = (context.commandName ?? "").replace(/Command$/, "");
      const call: Call | undefined =
        operation === "GetItem" && input.Key?.sk === "STATE"
          ? { operation, customerId: input.Key.pk!.replace(/^CUSTOMER#/, "") }
          : operation === "PutItem" && input.Item?.sk === "STATE"
            ? {
                operation,
                customerId: input.Item.customerId!,
                ...(input.Item.state?.profile?.name ? { name: input.Item.state.profile.name } : {}),
              }
            : undefined;
      if (call) {
        calls.push(call);
        await intercept(call);
      }
      return next(args);
    },
    // Before the document client marshalls: the middleware reads items as the adapter wrote them.
    { step: "initialize", priority: "high", name: "engineBatchProbe" },
  );
  const ports = recordingPorts();
  const handler = makeEngineHandler(
    engineDependencies({
      catalog: postPurchaseOnly,
      clock: () => new Date(at),
      table: tablePorts(documentClient(client), dynamo.tableName),
      timers: ports.timers,
      outbound: ports.notifications,
      events: ports.events,
    }),
  );
  return { handler, calls, effects: ports.effects, close: () => client.destroy() };
}

/**
 * One customer's input as the engine queue holds it: a profile update whose name says which input it is,
 * or the delivery of an order (which starts post-purchase and leaves the name as it was).
 */
function input(messageId: string, customerId: string, name: string, orderId?: string): SQSRecord {
  const event = orderId
    ? envelope("OrderDelivered", { customerId, orderId }, { time: at, id: `${customerId}-${name}` })
    : envelope("CustomerProfileUpdated", { customerId, name, timeZone: "Asia/Seoul" }, { time: at });
  return {
    messageId,
    receiptHandle: messageId,
    body: JSON.stringify({ kind: "event", envelope: event }),
    attributes: {
      MessageGroupId: messageGroupIdFor(customerId),
      ApproximateReceiveCount: "1",
      SentTimestamp: "0",
      SenderId: "test",
      ApproximateFirstReceiveTimestamp: "0",
    },
    messageAttributes: {},
    md5OfBody: "",
    eventSource: "aws:sqs",
    eventSourceARN: "arn:aws:sqs:ap-northeast-2:123456789012:waymark-engine.fifo",
    awsRegion: "ap-northeast-2",
  };
}

/** A batch of ten from four customers, their inputs interleaved as SQS may hand them over. */
function batchOfTen(prefix: string): SQSEvent {
  const [a, b, c, d] = ["a", "b", "c", "d"].map((x) => `${prefix}-${x}`) as [string, string, string, string];
  return {
    Records: [
      input("m1", a, "a1"),
      input("m2", b, "b1"),
      input("m3", a, "a2", "o-a"),
      input("m4", c, "c1"),
      input("m5", a, "a3"),
      input("m6", b, "b2", "o-b"),
      input("m7", d, "d1"),
      input("m8", a, "a4"),
      input("m9", b, "b3"),
      input("m10", c, "c2"),
    ],
  };
}

const namesSaved = (calls: Call[], customerId: string) =>
  calls.filter((c) => c.operation === "PutItem" && c.customerId === customerId).map((c) => c.name);

describe("the engine handler on a FIFO batch (issue 14, on dynalite)", () => {
  it("reads customer b's item before customer a's read has answered, and commits each customer's inputs in order", async () => {
    let releaseA!: (outcome: string) => void;
    const aHeld = new Promise<string>((resolve) => {
      releaseA = resolve;
    });
    // Processed one record at a time, a's read would wait for b's forever: after 2 s it is let go, and said so.
    const giveUp = setTimeout(() => releaseA("gave up"), 2_000);
    const engine = engineOn(dynamo.endpoint, async (call) => {
      if (call.operation !== "GetItem") return;
      if (call.customerId === "r-b") {
        clearTimeout(giveUp);
        releaseA("released by b's read");
      }
      if (call.customerId === "r-a") await aHeld;
    });
    const result = await engine.handler(batchOfTen("r"));
    engine.close();
    expect(result.batchItemFailures).toEqual([]);
    expect(await aHeld).toBe("released by b's read");
    // a2 and b2 deliver an order: the name stays what the input before set.
    expect(namesSaved(engine.calls, "r-a")).toEqual(["a1", "a1", "a3", "a4"]);
    expect(namesSaved(engine.calls, "r-b")).toEqual(["b1", "b1", "b3"]);
    expect(namesSaved(engine.calls, "r-c")).toEqual(["c1", "c2"]);
    expect(namesSaved(engine.calls, "r-d")).toEqual(["d1"]);
    // Every read of a customer comes after the commit of that customer's previous input.
    for (const customerId of ["r-a", "r-b", "r-c", "r-d"]) {
      const own = engine.calls.filter((c) => c.customerId === customerId).map((c) => c.operation);
      expect(own).toEqual(own.map((_, i) => (i % 2 === 0 ? "GetItem" : "PutItem")));
    }
    const schedules = engine.effects.filter((e) => e.type === "schedule");
    expect(schedules.map((e) => (e.type === "schedule" ? e.customerId : "")).sort()).toEqual(["r-a", "r-b"]);
  });

  it("a refused commit fails that input and the rest of its customer's, unread; every other customer's commit", async () => {
    const engine = engineOn(dynamo.endpoint, (call) => {
      if (
        namesSaved(engine.calls, "f-a").length === 2 &&
        call.operation === "PutItem" &&
        call.customerId === "f-a"
      )
        throw new Error("injected: DynamoDB refused the commit of a2");
    });
    const result = await engine.handler(batchOfTen("f"));
    engine.close();
    // a2 (m3) failed; a3 (m5) and a4 (m8) come after it in a's group; b, c and d are untouched by it.
    expect(result.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(["m3", "m5", "m8"]);
    const ofA = engine.calls.filter((c) => c.customerId === "f-a");
    expect(ofA.map((c) => `${c.operation} ${c.name ?? ""}`.trim())).toEqual([
      "GetItem",
      "PutItem a1",
      "GetItem",
      "PutItem a1",
    ]);
    expect(namesSaved(engine.calls, "f-b")).toEqual(["b1", "b1", "b3"]);
    expect(namesSaved(engine.calls, "f-c")).toEqual(["c1", "c2"]);
    expect(namesSaved(engine.calls, "f-d")).toEqual(["d1"]);
    const customers = tablePorts(dynamo.documentClient, dynamo.tableName).customers;
    expect((await customers.load("f-a"))?.version).toBe(1);
    expect((await customers.load("f-b"))?.state.profile.name).toBe("b3");
  });
});
