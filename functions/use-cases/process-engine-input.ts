import type { JourneyCatalog } from "../../journeys/registry.ts";
import { advance, type EngineInput, inputCustomerId, type Transition } from "../core/engine.ts";
import { ConcurrentUpdateError, type CustomerRepository } from "../ports/customer-repository.ts";
import { type EffectPorts, executeEffects } from "./execute-effects.ts";

export interface EngineDependencies extends EffectPorts {
  customers: CustomerRepository;
  catalog: JourneyCatalog;
  clock: () => Date;
}

/** Conflicts only happen if something other than the per-customer queue writes the customer. */
const MAX_COMMIT_ATTEMPTS = 8;

/**
 * Load → advance → commit (one conditional write) → effects. The commit comes first so a
 * crash never leaves effects without the state that explains them; see CustomerState
 * `lastTransition` for how a crash after the commit is repaired.
 */
export async function processEngineInput(input: EngineInput, deps: EngineDependencies): Promise<Transition> {
  const customerId = inputCustomerId(input);
  for (let attempt = 1; attempt <= MAX_COMMIT_ATTEMPTS; attempt++) {
    const stored = await deps.customers.load(customerId);
    const transition = advance(stored?.state, input, deps.clock(), deps.catalog);
    if (transition.outcome === "duplicate") return transition;
    if (transition.outcome === "applied") {
      try {
        await deps.customers.save(transition.state, stored?.version);
      } catch (error) {
        if (error instanceof ConcurrentUpdateError && attempt < MAX_COMMIT_ATTEMPTS) continue;
        throw error;
      }
    }
    await executeEffects(transition.effects, deps);
    return transition;
  }
  throw new ConcurrentUpdateError(`customer ${customerId}: gave up after ${MAX_COMMIT_ATTEMPTS} conflicting commits`);
}
