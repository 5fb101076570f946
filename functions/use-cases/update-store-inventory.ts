import type { StoreInventoryUpdatedDetail } from "../../events/store-inventory-updated.ts";
import type { CatalogEvent } from "../core/catalog/catalog.ts";
import type { ApplyInventoryResult, StoreDirectory } from "../ports/store-directory.ts";

export type StoreInventoryUpdatedEvent = CatalogEvent & { detail: StoreInventoryUpdatedDetail };

export interface UpdateStoreInventoryDependencies {
  directory: StoreDirectory;
}

/**
 * Files a store's details and listed quantities in the stock index. Ordered by the event's time
 * (`occurredAt`, else the envelope time), so a late redelivery of an older update changes nothing.
 */
export async function updateStoreInventory(
  event: StoreInventoryUpdatedEvent,
  deps: UpdateStoreInventoryDependencies,
): Promise<ApplyInventoryResult> {
  const { storeId, name, address, location, stock } = event.detail;
  return deps.directory.applyInventory({ storeId, name, address, location, stock, at: event.occurredAt });
}
