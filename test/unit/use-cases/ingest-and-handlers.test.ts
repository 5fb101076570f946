import type { Context, SQSEvent } from "aws-lambda";
import { describe, expect, it } from "vitest";
import { ConfigurationError, loadConfig, sendingRateSetting } from "../../../functions/config/load-config.ts";
import type { CustomerState } from "../../../functions/core/customer-state.ts";
import { stableId } from "../../../functions/core/ids.ts";
import { makeEngineHandler, toEngineInput } from "../../../functions/handlers/engine-handler.ts";
import type { StoredCustomer } from "../../../functions/ports/customer-repository.ts";
import type { EngineQueueMessage } from "../../../functions/ports/engine-queue.ts";
import type { RejectedEvent } from "../../../functions/ports/rejected-event-sink.ts";
import { ingestEvents } from "../../../functions/use-cases/ingest-events.ts";
import { postPurchaseOnly } from "../../support/catalogs.ts";
import { envelope, phone } from "../../support/events.ts";

function ingestPorts(failIndexes: number[] = []) {
  const queued: EngineQueueMessage[] = [];
  const rejected: RejectedEvent[] = [];
  const global: unknown[] = [];
  return {
    queued,
    global,
    rejectedEvents: rejected,
    deps: {
      globalQueue: { send: async (bodies: readonly unknown[]) => void global.push(...bodies) },
      engineQueue: {
        enqueue: async (messages: readonly EngineQueueMessage[]) => {
          queued.push(...messages);
          return { failed: failIndexes };
        },
      },
      rejected: { reject: async (events: readonly RejectedEvent[]) => void rejected.push(...events) },
      clock: () => new Date("2026-02-01T00:00:00Z"),
      catalog: postPurchaseOnly,
    },
  };
}

describe("ingest", () => {
  it("groups valid events by customer with the event id as dedupe key", async () => {
    const ports = ingestPorts();
    const ok = envelope("OrderDelivered", { customerId: "c-1", orderId: "o-1", eventId: "shop-42" });
    const result = await ingestEvents([ok], ports.deps);
    expect(result).toMatchObject({ accepted: 1, rejected: [], failed: [] });
    expect(ports.queued).toEqual([
      { groupId: "c-1", deduplicationId: stableId("shop-42"), body: { kind: "event", envelope: ok } },
    ]);
  });

  it("gives SQS a group id it accepts for any customer id, the same every time, never two customers one group (issue 9)", async () => {
    const ports = ingestPorts();
    const ids = ["c-1", "김 지우", "line\nbreak", "😀", "~c-1", "a".repeat(128), "tab\there"];
    await ingestEvents(
      ids.map((customerId, i) =>
        envelope("OrderDelivered", { customerId, orderId: `o-${i}`, eventId: `e-${i}` }),
      ),
      ports.deps,
    );
    const groups = ports.queued.map((m) => m.groupId);
    const sqsAccepts = /^[\x21-\x7e]{1,128}$/;
    for (const group of groups) expect(group).toMatch(sqsAccepts);
    expect(new Set(groups).size).toBe(ids.length);
    expect(groups[0]).toBe("c-1"); // ids SQS accepts are kept, for operators
    expect(groups[5]).toBe("a".repeat(128));
    expect(groups[4]).not.toBe("~c-1"); // a leading ~ marks digests, so such an id is digested too
    const again = ingestPorts();
    await ingestEvents(
      [envelope("OrderDelivered", { customerId: "김 지우", orderId: "o", eventId: "x" })],
      again.deps,
    );
    expect(again.queued[0]!.groupId).toBe(groups[1]);
  });

  it("accepts global events that reach owners only from the configured sources (issue 9: a trusted bus)", async () => {
    const recall = (source: string) =>
      envelope(
        "ProductRecallIssued",
        {
          recallId: `R-${source}`,
          models: ["SM-S931"],
          severity: "critical",
          hazard: "battery overheating",
          remedy: "replace",
          replacementSkus: [],
        },
        { source },
      );
    const ports = ingestPorts();
    const deps = { ...ports.deps, globalSources: ["safety.recalls"] };
    const result = await ingestEvents([recall("safety.recalls"), recall("shop.orders")], deps);
    expect(result.accepted).toBe(1);
    expect(result.rejected).toEqual([
      expect.objectContaining({
        reason: 'source: "shop.orders" may not put ProductRecallIssued (allowed: safety.recalls)',
      }),
    ]);
    // Stock updates are global too, but reach no customer: not held to the list.
    const stock = envelope(
      "StoreInventoryUpdated",
      {
        storeId: "s-1",
        name: "Myeongdong",
        address: "Seoul",
        location: { lat: 37.56, lon: 126.98 },
        stock: [{ sku: "A", quantity: 1 }],
      },
      { source: "shop.stores" },
    );
    expect((await ingestEvents([stock], deps)).accepted).toBe(1);
  });

  it("rejects invalid events before any side effect, with reasons that name the field, keeping the original", async () => {
    const ports = ingestPorts();
    const bad = [
      envelope("OrderPlaced", {
        customerId: "c-1",
        orderId: "o-1",
        items: [{ ...phone, quantity: 0 }],
        currency: "KRW",
      }),
      envelope("SurveyResponded", { customerId: "c-1", surveyId: "s", score: 11 }),
      { "detail-type": "Nonsense", source: "x", id: "1", time: "2026-01-01T00:00:00Z", detail: {} },
      "not even json",
    ];
    const result = await ingestEvents(bad, ports.deps);
    expect(result.accepted).toBe(0);
    expect(ports.queued).toEqual([]);
    expect(ports.rejectedEvents.map((r) => r.reason)).toEqual([
      expect.stringContaining("detail.items[0].quantity"),
      expect.stringContaining("detail.score"),
      expect.stringContaining("detail-type"),
      expect.stringContaining("event"),
    ]);
    expect(ports.rejectedEvents[0]!.event).toBe(bad[0]);
    expect(ports.rejectedEvents[0]!.receivedAt).toBe("2026-02-01T00:00:00.000Z");
  });

  it("sends global events to the fan-out worker and reports engine-queue failures by input index", async () => {
    const ports = ingestPorts([0]);
    const inputs = [
      envelope("OrderDelivered", { orderId: "missing-customer" }),
      envelope("StoreInventoryUpdated", {
        storeId: "st-1",
        name: "Gangnam",
        address: "Seoul",
        location: { lat: 37.5, lon: 127.03 },
        stock: [],
      }),
      envelope("OrderDelivered", { customerId: "c-2", orderId: "o-2" }),
    ];
    const result = await ingestEvents(inputs, ports.deps);
    expect(ports.queued.map((m) => m.groupId)).toEqual(["c-2"]);
    expect(ports.global).toEqual([{ kind: "event", envelope: inputs[1] }]);
    expect(result).toMatchObject({ accepted: 1, failed: [2] });
    expect(result.rejected).toHaveLength(1);
  });
});

const context = {} as Context;
const record = (id: string, group: string, body: unknown) => ({
  messageId: id,
  receiptHandle: id,
  body: JSON.stringify(body),
  attributes: {
    MessageGroupId: group,
    ApproximateReceiveCount: "1",
    SentTimestamp: "0",
    SenderId: "s",
    ApproximateFirstReceiveTimestamp: "0",
  },
  messageAttributes: {},
  md5OfBody: "",
  eventSource: "aws:sqs",
  eventSourceARN: "arn:aws:sqs:ap-northeast-2:123456789012:engine.fifo",
  awsRegion: "ap-northeast-2",
});

describe("engine handler", () => {
  it("after a failure, hands back the rest of that customer's group but keeps processing other customers", async () => {
    const saved: string[] = [];
    const store = new Map<string, StoredCustomer>();
    const handler = makeEngineHandler({
      customers: {
        load: async (id) => store.get(id),
        save: async (state: CustomerState, expected) => {
          if (state.customerId === "bad") throw new Error("DynamoDB unavailable");
          saved.push(`${state.customerId}:${state.profile.name}`);
          store.set(state.customerId, { state, version: (expected ?? 0) + 1 });
          return (expected ?? 0) + 1;
        },
      },
      timers: { schedule: async () => {}, cancel: async () => {} },
      notifications: { enqueue: async () => {} },
      events: { emit: async () => {} },
      owners: { apply: async () => {}, page: async () => ({ owners: [] }) },
      catalog: postPurchaseOnly,
      clock: () => new Date("2026-02-01T00:00:00Z"),
    });
    const body = (customerId: string, id: string) => ({
      kind: "event",
      envelope: envelope("CustomerProfileUpdated", { customerId, name: `name-${id}` }, { id }),
    });
    const event: SQSEvent = {
      Records: [
        record("m1", "bad", body("bad", "e1")),
        record("m2", "good", body("good", "e2")),
        record("m3", "bad", body("bad", "e3")),
        record("m4", "good", body("good", "e4")),
      ],
    };
    const result = await handler(event, context);
    expect(result.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual(["m1", "m3"]);
    expect(saved).toEqual(["good:name-e2", "good:name-e4"]);
  });

  it("refuses a message that is not an engine input, naming the problem", () => {
    expect(() => toEngineInput(JSON.stringify({ kind: "timer", customerId: "c" }), postPurchaseOnly)).toThrow(
      /timerId/,
    );
    expect(() =>
      toEngineInput(
        JSON.stringify({ kind: "event", envelope: { "detail-type": "OrderDelivered" } }),
        postPurchaseOnly,
      ),
    ).toThrow(/detail/);
    expect(
      toEngineInput(
        JSON.stringify({ kind: "timer", customerId: "c", timerId: "t", dueAt: "2026-01-01T00:00:00Z" }),
        postPurchaseOnly,
      ),
    ).toEqual({
      kind: "timer",
      customerId: "c",
      timerId: "t",
      dueAt: "2026-01-01T00:00:00Z",
    });
  });
});

describe("configuration", () => {
  it("fails fast at cold start, naming every missing variable", () => {
    expect(() => loadConfig(["tableName", "busName"], { WAYMARK_TABLE_NAME: "t" })).toThrow(
      new ConfigurationError("missing environment variable(s): WAYMARK_BUS_NAME"),
    );
    expect(loadConfig(["tableName"], { WAYMARK_TABLE_NAME: "t" })).toEqual({ tableName: "t" });
  });

  it("reads the catalog's sending rate the stack hands the notifier, and refuses a malformed one (issue 10)", () => {
    expect(sendingRateSetting(undefined)).toBeUndefined();
    expect(sendingRateSetting("{}")).toBeUndefined();
    expect(sendingRateSetting('{"sms":20,"email":0.5}')).toEqual({ sms: 20, email: 0.5 });
    expect(() => sendingRateSetting("sms=20")).toThrow(/WAYMARK_SENDING_RATE is not JSON/);
    expect(() => sendingRateSetting('{"sms":-1}')).toThrow(ConfigurationError);
    expect(() => sendingRateSetting('{"fax":3}')).toThrow(/WAYMARK_SENDING_RATE must map sms and email/);
  });
});

describe("ingest: events too large for the next queue (issue 9: sizes)", () => {
  it("rejects a valid event whose message would pass SQS's limit, with the reason, and forwards the rest", async () => {
    const ports = ingestPorts();
    // Unknown extra fields are allowed: this one is valid, and 3 bytes a character in UTF-8.
    const big = envelope("OrderDelivered", { customerId: "c-1", orderId: "o-1", note: "배".repeat(88_000) });
    const small = envelope("OrderDelivered", { customerId: "c-2", orderId: "o-2" });
    const result = await ingestEvents([big, small], ports.deps);
    expect(result.accepted).toBe(1);
    expect(ports.queued.map((m) => (m.body as { envelope: unknown }).envelope)).toEqual([small]);
    expect(ports.rejectedEvents).toHaveLength(1);
    expect(ports.rejectedEvents[0]!.event).toBe(big);
    expect(ports.rejectedEvents[0]!.reason).toMatch(
      /^event: 26\d{4} bytes, more than the 262144 a queue message can hold$/,
    );
  });
});
