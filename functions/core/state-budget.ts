import { type CustomerState, type JourneyInstance, type Order, orderModels } from "./customer-state.ts";
import { attributeValueBytes, DYNAMODB_ITEM_LIMIT_BYTES, sizeUpperBound } from "./item-size.ts";
import { setOwnProperty } from "./own-property.ts";

/**
 * The customer item's budget. Every collection in it is bounded by count (customer-state.ts LIMITS) and
 * the ones that hold producer data by bytes too, so that no sequence of inputs can make the item one
 * DynamoDB refuses: at 400 KB every later input of the customer, opt-outs included, would fail.
 *
 * Sizes are DynamoDB's (UTF-8, attribute names included; see item-size.ts), never the local store's.
 */
export const STATE_BUDGET = {
  /** The state's ceiling: below DynamoDB's 400 KB with room for the item's keys, version and envelope. */
  itemBytes: DYNAMODB_ITEM_LIMIT_BYTES - 24 * 1024,
  /** A journey is not entered once the state with the new instance would weigh more than this. */
  entryBytes: 256 * 1024,
  /** Journey instances open at once. */
  instances: 100,
  /** What one instance may capture from its entry event and later answers. */
  instanceVarsBytes: 16 * 1024,
  /**
   * The lines kept of one order (a 100-line order of long names is ~70 KB; its first lines are kept), and
   * the models of the others, which ownership (and so recalls) needs: `orderModelBytes`.
   */
  orderBytes: 6 * 1024,
  orderModelBytes: 2 * 1024,
  /** All of the catalog's `customer.attributes` together. */
  attributesBytes: 32 * 1024,
  /**
   * Keys remembered per journey that admits a key once (journey-entry.ts): 12 bytes each. Past it the journey
   * admits no new key for the customer, with the reason — entry stays exact rather than forgetful.
   */
  entryKeys: 2_000,
  /** Messages waiting to see whether they need a fallback on another channel. */
  fallbacks: 50,
  /** Message decisions kept for frequency caps (the newest are kept). */
  sends: 200,
  /** Messages held back by quiet hours at once. */
  deferred: 50,
} as const;

/** The state's size as DynamoDB will count it, attribute names and nesting included. */
export function stateBytes(state: CustomerState): number {
  return attributeValueBytes(state);
}

/** Why a new instance may not join the state, or `undefined` when it may. */
export function refuseInstance(state: CustomerState, instance: JourneyInstance): string | undefined {
  if (state.instances.length >= STATE_BUDGET.instances)
    return `state budget: ${state.instances.length} journeys are open (at most ${STATE_BUDGET.instances})`;
  const vars = attributeValueBytes(instance.vars);
  if (vars > STATE_BUDGET.instanceVarsBytes)
    return `state budget: it captures ${vars} bytes (at most ${STATE_BUDGET.instanceVarsBytes})`;
  if (sizeUpperBound(state) + sizeUpperBound(instance) <= STATE_BUDGET.entryBytes) return undefined;
  const total = stateBytes(state) + attributeValueBytes(instance);
  if (total > STATE_BUDGET.entryBytes)
    return `state budget: the customer's state would be ${total} bytes (new journeys stop at ${STATE_BUDGET.entryBytes})`;
  return undefined;
}

/**
 * The lines of an order that fit its budget, in order; of the others only their models (what the owner
 * index and a recall need) within their own budget, and how many lines were not kept whole.
 */
export function boundedOrderItems(items: readonly Order["items"][number][]): {
  items: Order["items"];
  moreModels: string[];
  dropped: number;
} {
  const kept: Order["items"] = [];
  const moreModels: string[] = [];
  let bytes = 3;
  let modelBytes = 3;
  let full = false;
  for (const item of items) {
    const size = 1 + attributeValueBytes(item);
    if (!full && bytes + size <= STATE_BUDGET.orderBytes) {
      bytes += size;
      kept.push(item);
      continue;
    }
    full = true;
    if (item.model && !moreModels.includes(item.model)) {
      const modelSize = 1 + attributeValueBytes(item.model);
      if (modelBytes + modelSize <= STATE_BUDGET.orderModelBytes) {
        modelBytes += modelSize;
        moreModels.push(item.model);
      }
    }
  }
  return { items: kept, moreModels, dropped: items.length - kept.length };
}

/** Whether one more attribute value keeps the attributes within their budget. */
export function attributesFit(attributes: Readonly<Record<string, unknown>>): boolean {
  return attributeValueBytes(attributes) <= STATE_BUDGET.attributesBytes;
}

export interface FittedState {
  state: CustomerState;
  /** What was given up to fit, in the words the timeline and the metric use. */
  shed: string[];
}

/** The customer's item cannot be brought within its budget: the input fails (and is dead-lettered) instead. */
export class CustomerStateBudgetError extends Error {
  override name = "CustomerStateBudgetError";
}

/**
 * The last line of defence, after the per-collection bounds: when the state is still over its ceiling,
 * history is given up in this order, each step recorded: the timeline, the completed-journey memory, orders
 * no open journey is about, input memory beyond the last day, and message history beyond the last day.
 * Open journeys, consents, opt-outs and the profile are never given up.
 */
export function fitToBudget(state: CustomerState, now: Date): FittedState {
  // Nearly every customer is far below the ceiling: the cheap bound proves it without the exact walk.
  if (sizeUpperBound(state) <= STATE_BUDGET.itemBytes) return { state, shed: [] };
  let current = state;
  const shed: string[] = [];
  const steps: Array<[string, (s: CustomerState) => CustomerState]> = [
    ["timeline beyond its last 3 lines", (s) => ({ ...s, timeline: s.timeline.slice(-3) })],
    [
      "completed journeys beyond the last 8",
      (s) => ({ ...s, completedInstances: s.completedInstances.slice(-8) }),
    ],
    ["line details of orders no open journey is about", (s) => ({ ...s, orders: ordersInUse(s) })],
    ["input memory beyond the last 16", (s) => ({ ...s, processedInputs: s.processedInputs.slice(-16) })],
    [
      "message history older than a day",
      (s) => ({ ...s, sends: s.sends.filter((send) => Date.parse(send.at) > now.getTime() - 86_400_000) }),
    ],
  ];
  for (const [what, step] of steps) {
    if (stateBytes(current) <= STATE_BUDGET.itemBytes) break;
    const next = step(current);
    if (stateBytes(next) < stateBytes(current)) shed.push(what);
    current = next;
  }
  const bytes = stateBytes(current);
  if (bytes > STATE_BUDGET.itemBytes) {
    throw new CustomerStateBudgetError(
      `customer ${state.customerId}: the state is ${bytes} bytes after giving up its history (ceiling ${STATE_BUDGET.itemBytes})`,
    );
  }
  return { state: current, shed };
}

/**
 * Orders an open instance is keyed by (post-purchase and its kind key instances by order id) stay whole;
 * of the others only what ownership needs is kept: the models, not the lines' names.
 */
function ordersInUse(state: CustomerState): Record<string, Order> {
  const keys = new Set(state.instances.map((instance) => instance.key));
  const kept: Record<string, Order> = {};
  for (const [orderId, order] of Object.entries(state.orders)) {
    if (keys.has(orderId)) {
      setOwnProperty(kept, orderId, order);
      continue;
    }
    const models = orderModels(order);
    const { items: _items, ...rest } = order;
    setOwnProperty(kept, orderId, {
      ...rest,
      items: [],
      ...(models.length > 0 ? { moreModels: models } : {}),
      itemsNotKept: (order.itemsNotKept ?? 0) + order.items.length,
    });
  }
  return kept;
}
