import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DynamoDbCustomerRepository } from "../../functions/adapters/dynamodb-customer-repository.ts";
import type { CustomerState } from "../../functions/core/customer-state.ts";
import { type EngineInput, inputDigest } from "../../functions/core/engine.ts";
import { ConcurrentUpdateError } from "../../functions/ports/customer-repository.ts";
import type { EffectPorts } from "../../functions/use-cases/execute-effects.ts";
import { processEngineInput } from "../../functions/use-cases/process-engine-input.ts";
import { postPurchaseOnly } from "../support/catalogs.ts";
import { type LocalDynamo, startDynamo } from "../support/dynalite.ts";
import { customerEvent, envelope, phone, seoulCustomer } from "../support/events.ts";
import { Pipeline } from "../support/pipeline.ts";
import { recordingPorts } from "../support/recording-ports.ts";

let dynamo: LocalDynamo;
beforeAll(async () => {
  dynamo = await startDynamo();
});
afterAll(async () => {
  await dynamo.stop();
});

const ev = (
  type: Parameters<typeof customerEvent>[0],
  detail: Record<string, unknown>,
  time: string,
  id?: string,
): EngineInput => ({
  kind: "event",
  event: customerEvent(type, detail, { time, ...(id ? { id } : {}) }),
});

describe("the engine on DynamoDB (dynalite)", () => {
  it("the same OrderDelivered delivered 3 times sends one tips message", async () => {
    const c = { ...seoulCustomer, customerId: "dup-1" };
    const p = new Pipeline(dynamo, "2026-05-01T00:00:00Z");
    await p.put(envelope("CustomerProfileUpdated", { ...c }, { time: "2026-05-01T00:00:00Z" }));
    const delivered = envelope(
      "OrderDelivered",
      { customerId: c.customerId, orderId: "d-1" },
      { time: "2026-05-01T03:00:00Z", id: "3f1c-delivery" },
    );
    await p.put(delivered);
    await p.put(delivered);
    p.now = new Date("2026-05-02T00:00:00Z");
    await p.put(delivered);
    await p.advanceTo("2026-05-10T00:00:00Z");
    expect(p.sms().filter((m) => m.message.includes("팁"))).toHaveLength(1);
    const records = await p.notifications.listForCustomer(c.customerId);
    expect(records.filter((r) => r.template === "post-purchase.tips")).toHaveLength(1);
  });

  it("20 concurrent transitions on one customer lose no update (optimistic locking)", async () => {
    const customers = new DynamoDbCustomerRepository(dynamo.documentClient, dynamo.tableName);
    const ports = recordingPorts();
    const deps = {
      ...ports,
      customers,
      catalog: postPurchaseOnly,
      clock: () => new Date("2026-05-01T00:00:00Z"),
    };
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        processEngineInput(
          ev(
            "OrderPlaced",
            { customerId: "conc-1", orderId: `order-${i}`, items: [phone], currency: "KRW" },
            `2026-05-01T00:00:${String(i).padStart(2, "0")}Z`,
          ),
          deps,
        ),
      ),
    );
    const stored = await customers.load("conc-1");
    expect(Object.keys(stored!.state.orders).sort()).toEqual(
      Array.from({ length: 20 }, (_, i) => `order-${i}`).sort(),
    );
    expect(stored!.version).toBe(20);
    expect(stored!.state.processedInputs).toHaveLength(20);
  });

  it("a stale write is refused: saving against an old version raises ConcurrentUpdateError", async () => {
    const customers = new DynamoDbCustomerRepository(dynamo.documentClient, dynamo.tableName);
    const deps = {
      ...recordingPorts(),
      customers,
      catalog: postPurchaseOnly,
      clock: () => new Date("2026-05-01T00:00:00Z"),
    };
    await processEngineInput(
      ev("CustomerProfileUpdated", { customerId: "stale-1", name: "A" }, "2026-05-01T00:00:00Z"),
      deps,
    );
    const read = await customers.load("stale-1");
    await customers.save({ ...read!.state, updatedAt: "2026-05-01T00:00:01.000Z" }, read!.version);
    await expect(customers.save(read!.state, read!.version)).rejects.toBeInstanceOf(ConcurrentUpdateError);
    await expect(customers.save(read!.state, undefined)).rejects.toBeInstanceOf(ConcurrentUpdateError);
  });

  it("the 24 orderings of 4 events for one customer end in the same state", async () => {
    const customers = new DynamoDbCustomerRepository(dynamo.documentClient, dynamo.tableName);
    const make = (customerId: string): EngineInput[] => [
      ev(
        "CustomerProfileUpdated",
        {
          customerId,
          name: "Mina",
          locale: "ko-KR",
          phone: "+821099998888",
          consent: { marketingSms: true },
        },
        "2026-05-01T00:00:00Z",
        `${customerId}-a`,
      ),
      ev(
        "CustomerProfileUpdated",
        { customerId, name: "Mina Park", consent: { marketingSms: false }, email: null },
        "2026-05-01T01:00:00Z",
        `${customerId}-b`,
      ),
      ev(
        "OrderPlaced",
        { customerId, orderId: "p-1", items: [phone], currency: "KRW" },
        "2026-05-01T02:00:00Z",
        `${customerId}-c`,
      ),
      ev("NotificationOptOut", { customerId, channel: "email" }, "2026-05-01T03:00:00Z", `${customerId}-d`),
    ];
    const permutations = (n: number): number[][] =>
      n === 1
        ? [[0]]
        : permutations(n - 1).flatMap((p) =>
            Array.from({ length: n }, (_, i) => [...p.slice(0, i), n - 1, ...p.slice(i)]),
          );
    const orders = permutations(4);
    expect(orders).toHaveLength(24);
    const meaningful = (s: CustomerState) => ({
      profile: s.profile,
      consent: s.consent,
      optOuts: s.optOuts,
      orders: s.orders,
      instances: s.instances,
      timeline: s.timeline,
      processed: [...s.processedInputs].sort(),
    });
    const results = [];
    for (const [index, order] of orders.entries()) {
      const customerId = `perm-${index}`;
      const inputs = make(customerId);
      const deps = {
        ...recordingPorts(),
        customers,
        catalog: postPurchaseOnly,
        clock: () => new Date("2026-05-02T00:00:00Z"),
      };
      for (const i of order) await processEngineInput(inputs[i]!, deps);
      const state = (await customers.load(customerId))!.state;
      const digests = new Map(inputs.map((input, i) => [inputDigest(input), `input-${i}`]));
      const view = meaningful(state);
      view.processed = view.processed.map((d) => digests.get(d.split("@")[0]!) ?? d).sort();
      results.push(JSON.parse(JSON.stringify(view).replaceAll(customerId, "C")));
    }
    for (const result of results) expect(result).toEqual(results[0]);
    expect(results[0].profile).toEqual({ name: "Mina Park", locale: "ko-KR", phone: "+821099998888" });
    expect(results[0].consent).toEqual({ marketingSms: false });
  });

  it("a crash after the commit is repaired: the redelivered input replays its effects and is pinned once", async () => {
    const customers = new DynamoDbCustomerRepository(dynamo.documentClient, dynamo.tableName);
    const ports = recordingPorts();
    let failTimers = true;
    const flaky: EffectPorts = {
      ...ports,
      timers: {
        schedule: async (t) => {
          if (failTimers) throw new Error("Scheduler unavailable");
          await ports.timers.schedule(t);
        },
        cancel: ports.timers.cancel,
      },
    };
    const deps = {
      ...flaky,
      customers,
      catalog: postPurchaseOnly,
      clock: () => new Date("2026-05-01T00:00:00Z"),
    };
    const input = ev(
      "OrderDelivered",
      { customerId: "crash-1", orderId: "c-1" },
      "2026-05-01T00:00:00Z",
      "crash-delivery",
    );
    await expect(processEngineInput(input, deps)).rejects.toThrow("Scheduler unavailable");
    const afterCrash = await customers.load("crash-1");
    expect(afterCrash!.version).toBe(1);
    failTimers = false;
    const retry = await processEngineInput(input, deps);
    expect(retry.outcome).toBe("replay");
    expect(ports.effects.filter((e) => e.type === "schedule")).toHaveLength(1);
    // The one extra write of the abnormal path: the input is pinned for the redrive window.
    const pinned = (await customers.load("crash-1"))!;
    expect(pinned.version).toBe(2);
    expect(pinned.state.redelivered).toEqual([
      expect.objectContaining({ inputId: inputDigest(input), until: "2026-05-31T00:00:00.000Z" }),
    ]);
    expect((await processEngineInput(input, deps)).outcome).toBe("replay");
    expect((await customers.load("crash-1"))!.version).toBe(2);
  });

  it("keeps the customer item small: a Korean customer mid-journey with a sent tip stays under 4 KB", async () => {
    const c = { ...seoulCustomer, customerId: "size-1" };
    const p = new Pipeline(dynamo, "2026-05-01T00:00:00Z");
    await p.put(
      envelope(
        "CustomerProfileUpdated",
        { ...c, consent: { marketingSms: true, marketingEmail: false } },
        { time: "2026-05-01T00:00:00Z" },
      ),
      envelope(
        "OrderPlaced",
        { customerId: c.customerId, orderId: "s-1", items: [phone], currency: "KRW" },
        { time: "2026-05-01T00:00:00Z" },
      ),
      envelope(
        "OrderDelivered",
        { customerId: c.customerId, orderId: "s-1" },
        { time: "2026-05-01T01:00:00Z" },
      ),
    );
    await p.advanceTo("2026-05-04T00:00:00Z");
    const stored = await p.customers.load(c.customerId);
    const bytes = Buffer.byteLength(JSON.stringify(stored!.state));
    expect(bytes).toBeLessThan(4096);
  });
});

describe("identifiers from the wire (issue 9: poisoned items)", () => {
  it.each(["__proto__", "constructor", "toString", "hasOwnProperty"])(
    "an order id %j is kept as data: the item still loads, the journey runs, later inputs apply",
    async (orderId) => {
      const customerId = `poison-${orderId}`;
      const p = new Pipeline(dynamo, "2026-05-01T00:00:00Z");
      await p.put(
        envelope(
          "CustomerProfileUpdated",
          { ...seoulCustomer, customerId },
          { time: "2026-05-01T00:00:00Z" },
        ),
      );
      await p.put(
        envelope(
          "OrderPlaced",
          { customerId, orderId, items: [phone], currency: "KRW" },
          { time: "2026-05-01T01:00:00Z" },
        ),
      );
      await p.put(envelope("OrderDelivered", { customerId, orderId }, { time: "2026-05-01T02:00:00Z" }));
      const stored = await p.customers.load(customerId);
      expect(Object.hasOwn(stored!.state.orders, orderId)).toBe(true);
      expect(stored!.state.orders[orderId]!.items).toHaveLength(1);
      expect(Object.getPrototypeOf(stored!.state.orders)).toBe(Object.prototype);
      expect(stored!.state.instances.map((i) => i.key)).toEqual([orderId]);
      await p.advanceTo("2026-05-04T00:00:00Z");
      expect(p.sms(seoulCustomer.phone).map((m) => JSON.parse(JSON.stringify(m)).to)).toHaveLength(1);
      await p.put(envelope("OrderReturned", { customerId, orderId }, { time: "2026-05-05T00:00:00Z" }));
      const returned = await p.customers.load(customerId);
      expect(returned!.state.orders[orderId]!.returnedAt).toBeDefined();
      expect(returned!.state.instances).toEqual([]);
    },
  );
});
