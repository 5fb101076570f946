import { describe, expect, it } from "vitest";
import {
  type CustomerState,
  emptyCustomerState,
  type JourneyInstance,
} from "../../../functions/core/customer-state.ts";
import { attributeValueBytes, itemBytes, utf8Bytes } from "../../../functions/core/item-size.ts";
import {
  CustomerStateBudgetError,
  fitToBudget,
  refuseInstance,
  STATE_BUDGET,
} from "../../../functions/core/state-budget.ts";

const now = new Date("2026-05-01T00:00:00Z");

describe("DynamoDB item size, as DynamoDB counts it", () => {
  it("counts strings in UTF-8 bytes: Hangul is 3 bytes a character, not the 1 unit dynalite counts", () => {
    expect(utf8Bytes("abc")).toBe(3);
    expect(utf8Bytes("김지우")).toBe(9);
    expect("김지우".length).toBe(3);
    expect(utf8Bytes("😀")).toBe(4);
  });

  it("counts attribute names, numbers by digits, and 3 + 1 bytes per element for lists and maps", () => {
    expect(itemBytes({ pk: "CUSTOMER#c" })).toBe(2 + 10);
    expect(attributeValueBytes(12345)).toBe(4);
    expect(attributeValueBytes(true)).toBe(1);
    expect(attributeValueBytes(["a", "b"])).toBe(3 + 2 + 2);
    expect(attributeValueBytes({ name: "김" })).toBe(3 + 1 + 4 + 3);
    expect(attributeValueBytes({ gone: undefined })).toBe(3);
  });
});

const instance = (id: string, vars: Record<string, unknown> = {}): JourneyInstance => ({
  id,
  journeyId: "cart-reminder",
  journeyVersion: 1,
  key: id,
  startedAt: now.toISOString(),
  steps: 0,
  vars,
  state: { status: "waiting-timer", node: "wait", timer: { id: `${id}#1`, dueAt: now.toISOString() } },
});

describe("the customer state's budget", () => {
  it("refuses a journey that would capture more than an instance may hold, saying how much", () => {
    const state = emptyCustomerState("c-1", now);
    expect(refuseInstance(state, instance("small", { cartId: "x" }))).toBeUndefined();
    const refused = refuseInstance(state, instance("big", { items: "가".repeat(6000) }));
    expect(refused).toMatch(/^state budget: it captures 180\d\d bytes \(at most 16384\)$/);
  });

  it("gives up history in its stated order, keeping what an open journey is about and every model", () => {
    const lines = Array.from({ length: 60 }, (_, i) => ({
      sku: `S-${i}`,
      name: "상".repeat(2000),
      model: `M-${i}`,
      quantity: 1,
    }));
    const orders: CustomerState["orders"] = {};
    for (let o = 0; o < 4; o++) orders[`o-${o}`] = { placedAt: now.toISOString(), items: lines };
    const state = { ...emptyCustomerState("c-2", now), orders, instances: [instance("o-1")] };
    const { state: fitted, shed } = fitToBudget(state, now);
    expect(shed).toEqual(["line details of orders no open journey is about"]);
    expect(fitted.orders["o-1"]!.items).toHaveLength(60);
    expect(fitted.orders["o-0"]).toMatchObject({ items: [], itemsNotKept: 60 });
    expect(fitted.orders["o-0"]!.moreModels).toHaveLength(60);
  });

  it("fails the input, rather than write an item DynamoDB would refuse, when open journeys alone exceed it", () => {
    const heavy = Array.from({ length: 30 }, (_, i) => instance(`i-${i}`, { note: "가".repeat(5000) }));
    const state = { ...emptyCustomerState("c-3", now), instances: heavy };
    expect(() => fitToBudget(state, now)).toThrow(CustomerStateBudgetError);
    expect(STATE_BUDGET.itemBytes).toBeLessThan(400 * 1024);
  });
});
