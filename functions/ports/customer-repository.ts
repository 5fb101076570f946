import type { CustomerState } from "../core/customer-state.ts";

export interface StoredCustomer {
  state: CustomerState;
  /** Optimistic-lock version: a save must name the version it read. */
  version: number;
}

export interface CustomerRepository {
  load(customerId: string): Promise<StoredCustomer | undefined>;
  /** Commits `state` only if the stored version is still `expectedVersion` (undefined: new). */
  save(state: CustomerState, expectedVersion: number | undefined): Promise<number>;
}

/** Someone else committed first; reload and try again. */
export class ConcurrentUpdateError extends Error {
  override name = "ConcurrentUpdateError";
}
