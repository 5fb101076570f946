import type { OwnershipChange } from "../../ports/owner-index.ts";
import { type CustomerState, orderModels } from "../customer-state.ts";
import type { TransitionRun } from "./transition-run.ts";

/** Whatever event changed who owns which model (an order, a return), the owner index follows. */
export function indexOwnership(run: TransitionRun, before: CustomerState): void {
  if (before.orders === run.state.orders) return;
  const was = ownedModels(before);
  const now = ownedModels(run.state);
  const changes: OwnershipChange[] = [];
  for (const [key, owned] of now) if (!was.has(key)) changes.push({ ...owned, owned: true });
  for (const [key, owned] of was) if (!now.has(key)) changes.push({ ...owned, owned: false });
  if (changes.length > 0) run.effects.push({ type: "ownership", changes });
}

/** (order, model) pairs the customer owns: ordered, not returned. */
function ownedModels(
  state: CustomerState,
): Map<string, { customerId: string; orderId: string; model: string }> {
  const owned = new Map<string, { customerId: string; orderId: string; model: string }>();
  for (const [orderId, order] of Object.entries(state.orders)) {
    if (order.returnedAt) continue;
    for (const model of orderModels(order))
      owned.set(`${orderId}\u0000${model}`, { customerId: state.customerId, orderId, model });
  }
  return owned;
}
