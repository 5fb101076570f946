import { referenceCatalog } from "../../../journeys/registry.ts";
import { FAULT_KINDS, FaultInjector, type FaultKind, type FaultPlan, Rng } from "./fault-plan.ts";
import { runScenario } from "./fault-scenario.ts";
import { FaultWorld, type WorldOptions } from "./fault-world.ts";
import { checkInvariants } from "./invariants.ts";

const DAY = 86_400_000;
const START = "2026-06-01T00:00:00Z";

export interface RunResult {
  label: string;
  seed: number;
  violations: string[];
  injected: Map<FaultKind, number>;
  census: Map<string, number>;
  ioCalls: number;
  receives: number;
  extraDeliveries: number;
  concurrentBatches: number;
  crashes: number;
  deadLettered: number;
  redriven: number;
  /** What the run did, so that a run that did nothing cannot pass for one that kept its promises. */
  transitions: number;
  sends: number;
  emits: number;
}

export interface RunOptions {
  /** Customers in the story. */
  size: number;
  wrapTimers?: WorldOptions["wrapTimers"];
  wrapSender?: WorldOptions["wrapSender"];
}

/**
 * One scenario under one plan: the story with faults, then the operator's calm redrive of every dead-letter
 * queue, time run out until no timer is left, and the invariants.
 */
export async function runPlan(
  endpoint: string,
  label: string,
  plan: FaultPlan,
  options: RunOptions,
): Promise<RunResult> {
  const rng = new Rng(plan.seed);
  const injector = new FaultInjector(plan);
  const world = await FaultWorld.create(endpoint, START, {
    catalog: referenceCatalog,
    injector,
    rng,
    redeliver: plan.redeliver,
    concurrentWorkers: plan.concurrentWorkers,
    ...(options.wrapTimers ? { wrapTimers: options.wrapTimers } : {}),
    ...(options.wrapSender ? { wrapSender: options.wrapSender } : {}),
  });
  try {
    const inputs = await runScenario(world, rng, options.size);
    injector.calm = true;
    await world.settle();
    const deadLettered = world.deadLettered;
    world.redriveAll();
    await world.advanceTo(world.now + 60 * DAY);
    const violations = await checkInvariants(world, inputs);
    return {
      label,
      seed: plan.seed,
      violations,
      injected: injector.injected,
      census: injector.census,
      ioCalls: world.log.ioCalls,
      receives: world.log.receives,
      extraDeliveries: world.log.extraDeliveries,
      concurrentBatches: world.log.concurrentBatches,
      crashes: world.log.crashes,
      deadLettered,
      redriven: world.log.redriven,
      transitions: world.log.owed.size,
      sends: [...world.log.publishes.values()].reduce((sum, n) => sum + n, 0),
      emits: [...world.log.emits.values()].reduce((sum, n) => sum + n, 0),
    };
  } finally {
    world.close();
  }
}

/**
 * The plan of the sweep: faults at one boundary only, on a share of its calls; nothing else. `kinds` defaults to
 * every kind that makes sense there, one drawn per failing call.
 */
export function boundaryPlan(
  boundary: string,
  seed: number,
  kinds: readonly FaultKind[] = kindsAt(boundary),
): FaultPlan {
  return { seed, rules: [{ boundary, kinds, probability: 0.5 }], redeliver: false, concurrentWorkers: 0 };
}

/** The boundaries a calm run and a chaotic run go through: the census the sweep takes in turn. */
export async function takeCensus(endpoint: string, size: number): Promise<string[]> {
  const calm = await runPlan(
    endpoint,
    "census",
    { seed: 1, rules: [], redeliver: false, concurrentWorkers: 0 },
    { size },
  );
  const chaos = await runPlan(endpoint, "census", chaosPlan(2), { size });
  return [...new Set([...calm.census.keys(), ...chaos.census.keys()])].sort();
}

/** Faults anywhere, every message delivered 1–5 times, and now and then two workers on one batch. */
export function chaosPlan(seed: number): FaultPlan {
  return {
    seed,
    rules: [{ kinds: FAULT_KINDS, probability: 0.03 }],
    redeliver: true,
    concurrentWorkers: 0.1,
  };
}

/** The kinds that make sense at a boundary: a partial answer only where the call is a batch. */
export function kindsAt(boundary: string): FaultKind[] {
  const batch = /SendMessageBatch|PutEvents|BatchWriteItem|PutRecordBatch/.test(boundary);
  return FAULT_KINDS.filter((kind) => batch || kind !== "partial");
}

/** The suite's figures over many runs. */
export class FaultFigures {
  scenarios = 0;
  ioCalls = 0;
  receives = 0;
  extraDeliveries = 0;
  concurrentBatches = 0;
  crashes = 0;
  deadLettered = 0;
  redriven = 0;
  transitions = 0;
  sends = 0;
  emits = 0;
  boundaries = new Set<string>();
  readonly injected = new Map<FaultKind, number>();
  readonly violations: string[] = [];

  add(result: RunResult): void {
    this.scenarios++;
    this.ioCalls += result.ioCalls;
    this.receives += result.receives;
    this.extraDeliveries += result.extraDeliveries;
    this.concurrentBatches += result.concurrentBatches;
    this.crashes += result.crashes;
    this.deadLettered += result.deadLettered;
    this.redriven += result.redriven;
    this.transitions += result.transitions;
    this.sends += result.sends;
    this.emits += result.emits;
    for (const boundary of result.census.keys()) this.boundaries.add(boundary);
    for (const [kind, n] of result.injected) this.injected.set(kind, (this.injected.get(kind) ?? 0) + n);
    for (const violation of result.violations)
      this.violations.push(`${result.label} (seed ${result.seed}): ${violation}`);
  }

  get faults(): number {
    return [...this.injected.values()].reduce((sum, n) => sum + n, 0);
  }

  format(title: string): string {
    const kinds = FAULT_KINDS.map((kind) => `${kind} ${this.injected.get(kind) ?? 0}`).join(", ");
    return [
      `${title}: scenarios ${this.scenarios}, faults injected ${this.faults}, violations ${this.violations.length}`,
      `  boundaries ${this.boundaries.size}; faults by kind: ${kinds}`,
      `  committed transitions ${this.transitions}, messages published ${this.sends}, events put ${this.emits}`,
      `  I/O calls ${this.ioCalls}; messages received ${this.receives} (extra deliveries ${this.extraDeliveries}, batches given to two workers ${this.concurrentBatches}); workers crashed ${this.crashes}; dead-lettered ${this.deadLettered}, redriven ${this.redriven}`,
    ].join("\n");
  }
}
