import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DynamoDbCustomerRepository } from "../../functions/adapters/dynamodb-customer-repository.ts";
import { orderModels } from "../../functions/core/customer-state.ts";
import type { EngineInput } from "../../functions/core/engine.ts";
import { DYNAMODB_ITEM_LIMIT_BYTES, itemBytes } from "../../functions/core/item-size.ts";
import { STATE_BUDGET } from "../../functions/core/state-budget.ts";
import { processEngineInput } from "../../functions/use-cases/process-engine-input.ts";
import { postPurchaseOnly } from "../support/catalogs.ts";
import { type LocalDynamo, startDynamo } from "../support/dynalite.ts";
import { customerEvent } from "../support/events.ts";
import { recordingPorts } from "../support/recording-ports.ts";

let dynamo: LocalDynamo;
beforeAll(async () => {
  dynamo = await startDynamo();
});
afterAll(async () => {
  await dynamo.stop();
});

const input = (
  type: Parameters<typeof customerEvent>[0],
  detail: Record<string, unknown>,
  id: string,
  minute = 0,
): EngineInput => ({
  kind: "event",
  event: customerEvent(type, detail, {
    time: new Date(Date.parse("2026-05-01T00:00:00Z") + minute * 60_000).toISOString(),
    id,
  }),
});

function engine() {
  const ports = recordingPorts();
  const customers = new DynamoDbCustomerRepository(dynamo.documentClient, dynamo.tableName);
  return {
    ports,
    customers,
    deps: { ...ports, customers, catalog: postPurchaseOnly, clock: () => new Date("2026-05-01T00:00:00Z") },
  };
}

/** The stored item as DynamoDB would size it: UTF-8, attribute names included. */
async function storedBytes(customers: DynamoDbCustomerRepository, customerId: string): Promise<number> {
  const { Item } = await dynamo.documentClient.send(
    new (await import("@aws-sdk/lib-dynamodb")).GetCommand({
      TableName: dynamo.tableName,
      Key: { pk: `CUSTOMER#${customerId}`, sk: "STATE" },
    }),
  );
  expect(await customers.load(customerId)).toBeDefined();
  return itemBytes(Item!);
}

describe("customer state with a hard budget (issue 9: customers locked out for good)", () => {
  it("30 orders of 100 long Korean lines stay under DynamoDB's limit, keep every model, and opt-outs still apply", async () => {
    const { deps, customers, ports } = engine();
    const customerId = "heavy-kr-1";
    // ~250 Hangul characters a name: 750 UTF-8 bytes, counted as 250 by dynalite.
    const name = "한국어로 된 아주 긴 상품 이름 ".repeat(15).slice(0, 250);
    for (let order = 0; order < 30; order++) {
      const items = Array.from({ length: 100 }, (_, line) => ({
        sku: `SKU-${order}-${line}-${"x".repeat(90)}`,
        name,
        model: `M-${order}-${line}`,
        quantity: 1,
        unitPrice: 1000,
      }));
      await processEngineInput(
        input(
          "OrderPlaced",
          { customerId, orderId: `o-${order}`, items, currency: "KRW" },
          `placed-${order}`,
          order - 30,
        ),
        deps,
      );
    }
    const bytes = await storedBytes(customers, customerId);
    expect(bytes).toBeLessThan(STATE_BUDGET.itemBytes);
    const { state } = (await customers.load(customerId))!;
    const newest = state.orders["o-29"]!;
    expect(newest.items.length).toBeLessThan(100);
    expect(newest.itemsNotKept).toBe(100 - newest.items.length);
    // Lines past the budget are not remembered whole, but their models are: a recall still reaches them.
    expect(orderModels(newest)).toHaveLength(100);
    const owned = ports.effects.flatMap((e) => (e.type === "ownership" ? e.changes : []));
    expect(owned.filter((c) => c.orderId === "o-29" && c.owned)).toHaveLength(100);
    // The customer can still be written: an opt-out commits.
    await processEngineInput(input("NotificationOptOut", { customerId, channel: "sms" }, "opt-out-1"), deps);
    expect((await customers.load(customerId))!.state.optOuts.sms).toBeDefined();
    expect(await storedBytes(customers, customerId)).toBeLessThan(DYNAMODB_ITEM_LIMIT_BYTES);
  });

  it("a customer in more journeys than the budget holds: new ones are refused with the reason, open ones go on", async () => {
    const { deps, customers } = engine();
    const customerId = "many-journeys-1";
    const refused: string[] = [];
    for (let order = 0; order < STATE_BUDGET.instances + 5; order++) {
      const transition = await processEngineInput(
        input("OrderDelivered", { customerId, orderId: `d-${order}` }, `delivered-${order}`),
        deps,
      );
      refused.push(...transition.budget.refused);
    }
    const { state } = (await customers.load(customerId))!;
    expect(state.instances).toHaveLength(STATE_BUDGET.instances);
    expect(refused).toHaveLength(5);
    expect(refused[0]).toMatch(/^post-purchase: state budget: 100 journeys are open/);
    expect(state.timeline.map((t) => t.summary)).toContainEqual(
      expect.stringMatching(/post-purchase not started for d-104: state budget/),
    );
    await processEngineInput(
      input("NotificationOptOut", { customerId, channel: "email" }, "opt-out-2"),
      deps,
    );
    expect((await customers.load(customerId))!.state.optOuts.email).toBeDefined();
  });
});
