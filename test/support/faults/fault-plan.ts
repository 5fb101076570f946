/**
 * The fault plan of the fault-injection suite: which I/O boundary fails, how, and how often, drawn from one
 * seed so that a failing run can be replayed exactly (`seed` is printed with every violation).
 */

/** mulberry32: small, fast, and the same sequence on every machine for a seed. */
export class Rng {
  #state: number;

  constructor(seed: number) {
    this.#state = seed >>> 0;
  }

  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  shuffle<T>(items: readonly T[]): T[] {
    const copy = [...items];
    for (let i = copy.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [copy[i], copy[j]] = [copy[j]!, copy[i]!];
    }
    return copy;
  }
}

/**
 * - `crash-before`: the worker dies as it is about to make the call (nothing reached the service);
 * - `crash-after`: the service did it, and the worker died before hearing so;
 * - `unavailable`: a 5xx answer, nothing done;
 * - `throttle`: a 4xx throttling answer, nothing done;
 * - `timeout`: the service did it, the answer was lost (a socket timeout: the caller cannot tell);
 * - `partial`: a batch call (SendMessageBatch, PutEvents, BatchWriteItem) did some entries and not others.
 */
export const FAULT_KINDS = [
  "crash-before",
  "crash-after",
  "unavailable",
  "throttle",
  "timeout",
  "partial",
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** Faults that leave the caller not knowing whether the call took effect. */
export const AMBIGUOUS_FAULTS: ReadonlySet<FaultKind> = new Set(["crash-after", "timeout"]);

export interface FaultRule {
  /** `<function>:<service>.<operation>[<target>]`, as the census lists them; absent: every boundary. */
  boundary?: string;
  kinds: readonly FaultKind[];
  probability: number;
}

export interface FaultPlan {
  seed: number;
  rules: readonly FaultRule[];
  /** Every queue message (and every timer firing) is delivered 1–5 times, as at-least-once delivery may. */
  redeliver: boolean;
  /** The chance that a batch is handed to a second worker at the same time (a visibility timeout ran out). */
  concurrentWorkers: number;
}

/** FNV-1a over the parts, mixed once more: a number in [0, 1) that depends on nothing but its input. */
function unitHash(...parts: readonly (string | number)[]): number {
  let hash = 0x811c9dc5;
  for (const char of parts.join("\u0000")) {
    hash ^= char.codePointAt(0)!;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return new Rng(hash).next();
}

/**
 * Decides, call by call, whether and how a boundary fails; counts what it injected. A decision depends on the
 * seed, the boundary, what the call asks for and how many times the same call was made before, not on the
 * order in which concurrent workers happen to make their calls: the same seed injects the same faults.
 */
export class FaultInjector {
  readonly #rules: readonly FaultRule[];
  readonly #seed: number;
  readonly #occurrences = new Map<string, number>();
  /** During the operator's redrive and the final checks nothing fails. */
  calm = false;
  readonly injected = new Map<FaultKind, number>();
  /** Every boundary a call went through, with how many calls: the census the sweep iterates over. */
  readonly census = new Map<string, number>();

  constructor(plan: FaultPlan) {
    this.#rules = plan.rules;
    this.#seed = plan.seed;
  }

  decide(boundary: string, batch: boolean, request: string): FaultKind | undefined {
    this.census.set(boundary, (this.census.get(boundary) ?? 0) + 1);
    if (this.calm) return undefined;
    const call = `${boundary}\u0000${request}`;
    const occurrence = (this.#occurrences.get(call) ?? 0) + 1;
    this.#occurrences.set(call, occurrence);
    for (const [index, rule] of this.#rules.entries()) {
      if (rule.boundary !== undefined && rule.boundary !== boundary) continue;
      const kinds = rule.kinds.filter((kind) => batch || kind !== "partial");
      if (kinds.length === 0) continue;
      if (unitHash(this.#seed, index, call, occurrence) >= rule.probability) continue;
      const kind = kinds[Math.floor(unitHash(this.#seed, "kind", index, call, occurrence) * kinds.length)]!;
      this.injected.set(kind, (this.injected.get(kind) ?? 0) + 1);
      return kind;
    }
    return undefined;
  }

  get total(): number {
    return [...this.injected.values()].reduce((sum, n) => sum + n, 0);
  }
}

/** What a dead worker's calls throw: nothing it does after its death reaches a service. */
export class WorkerCrash extends Error {
  override name = "WorkerCrash";
}
