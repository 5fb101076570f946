import type { LifecycleFact } from "../core/measurement/lifecycle-facts.ts";

/**
 * Where lifecycle facts go: at least once (a replayed transition puts the same facts again, under the same
 * `factId`, and every query counts distinct ids).
 */
export interface FactSink {
  put(facts: readonly LifecycleFact[]): Promise<void>;
}
