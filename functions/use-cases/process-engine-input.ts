import type { Catalog } from "../core/catalog/catalog.ts";
import type { CustomerState } from "../core/customer-state.ts";
import type { Effect } from "../core/effects.ts";
import {
  advance,
  type EngineInput,
  inputCustomerId,
  inputDigest,
  isPinned,
  type NoticeInput,
  pinRedelivered,
  recognise,
  type Transition,
} from "../core/engine.ts";
import { ConcurrentUpdateError, type CustomerRepository } from "../ports/customer-repository.ts";
import { type EffectPorts, executeEffects } from "./execute-effects.ts";

/**
 * Works out what a fanned-out notice means for one customer before the pure engine sees it: do
 * they own an affected model, are they travelling, which store holds their replacement. It may
 * reserve stock, so it must be idempotent per (notice, customer).
 */
export type NoticeEnricher = (
  state: CustomerState | undefined,
  notice: NoticeInput,
  now: Date,
) => Promise<NoticeInput>;

export interface EngineDependencies extends EffectPorts {
  customers: CustomerRepository;
  catalog: Catalog;
  clock: () => Date;
  enrichNotice?: NoticeEnricher;
}

/**
 * Conflicts are rare (the FIFO queue serialises a customer's inputs) but possible: a replayed
 * backlog, an operator's redrive, two deployments overlapping. Each retry re-reads and
 * re-decides, after a jittered pause so that contenders spread out.
 */
const MAX_COMMIT_ATTEMPTS = 30;
const BACKOFF_BASE_MS = 5;
const BACKOFF_CAP_MS = 250;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Load → advance → commit (one conditional write) → effects. The commit comes first so a
 * crash never leaves effects without the state that explains them; see CustomerState
 * `lastTransition` for how a crash after the commit is repaired.
 */
export async function processEngineInput(input: EngineInput, deps: EngineDependencies): Promise<Transition> {
  const customerId = inputCustomerId(input);
  for (let attempt = 1; attempt <= MAX_COMMIT_ATTEMPTS; attempt++) {
    const stored = await deps.customers.load(customerId);
    const now = deps.clock();
    const enriched =
      input.kind === "notice" && deps.enrichNotice && !alreadySeen(stored?.state, input)
        ? await deps.enrichNotice(stored?.state, input, now)
        : input;
    const transition = advance(stored?.state, enriched, now, deps.catalog);
    // An input that came back may be on its way to the dead-letter queue: pin it (one write, on this
    // abnormal path only) so a redrive days later is still recognised, and still replays what it owes.
    const digest = inputDigest(input);
    const pin =
      transition.outcome !== "applied" && !isPinned(transition.state, digest)
        ? pinRedelivered(
            transition.state,
            digest,
            transition.state.lastTransition?.inputId === digest
              ? (transition.state.lastTransition.effects as Effect[])
              : [],
            now,
          )
        : undefined;
    const toSave = transition.outcome === "applied" ? transition.state : pin;
    if (toSave) {
      try {
        await deps.customers.save(toSave, stored?.version);
      } catch (error) {
        if (!(error instanceof ConcurrentUpdateError) || attempt === MAX_COMMIT_ATTEMPTS) throw error;
        await sleep(Math.random() * Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** attempt));
        continue;
      }
    }
    if (transition.outcome === "duplicate") return transition;
    await executeEffects(transition.effects, deps);
    return transition;
  }
  throw new ConcurrentUpdateError(
    `customer ${customerId}: gave up after ${MAX_COMMIT_ATTEMPTS} conflicting commits`,
  );
}

/** A notice the customer item has already processed needs no second look (and no second reservation). */
function alreadySeen(state: CustomerState | undefined, input: EngineInput): boolean {
  return state !== undefined && recognise(state, inputDigest(input)) !== undefined;
}
