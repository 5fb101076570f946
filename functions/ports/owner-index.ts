/** One model of one order: owned (placed and not returned) or not any more. */
export interface OwnershipChange {
  customerId: string;
  orderId: string;
  model: string;
  owned: boolean;
}

/** Where the fan-out resumes: which model, which shard of its index, and after which key. */
export interface OwnerCursor {
  modelIndex: number;
  shard: number;
  after?: string;
}

export interface OwnerPage {
  owners: { customerId: string; model: string }[];
  /** Absent when every owner of every model has been read. */
  next?: OwnerCursor;
}

/** "Who owns model X?" without scanning customers: an index kept up to date by the engine's effects. */
export interface OwnerIndex {
  apply(changes: readonly OwnershipChange[]): Promise<void>;
  page(models: readonly string[], cursor: OwnerCursor, limit: number): Promise<OwnerPage>;
}
