/**
 * The fault-injection suite's plans, run longer than `npm test` can afford: more customers, more seeds, the
 * same invariants. Figures, not pass/fail — but a violation is printed with its seed so that it can be replayed.
 */
import { startDynamo } from "../test/support/dynalite.ts";
import {
  boundaryPlan,
  chaosPlan,
  FaultFigures,
  runPlan,
  takeCensus,
} from "../test/support/faults/fault-suite.ts";

export interface FaultSoak {
  sweep: FaultFigures;
  chaos: FaultFigures;
  seconds: number;
}

export async function benchFaultSoak(options: {
  sweepSize: number;
  chaosSize: number;
  seeds: number;
}): Promise<FaultSoak> {
  const dynamo = await startDynamo();
  const started = performance.now();
  const sweep = new FaultFigures();
  const chaos = new FaultFigures();
  try {
    const boundaries = await takeCensus(dynamo.endpoint, options.sweepSize);
    for (const [index, boundary] of boundaries.entries())
      sweep.add(
        await runPlan(dynamo.endpoint, boundary, boundaryPlan(boundary, 5000 + index), {
          size: options.sweepSize,
        }),
      );
    for (let seed = 0; seed < options.seeds; seed++)
      chaos.add(await runPlan(dynamo.endpoint, "chaos", chaosPlan(9000 + seed), { size: options.chaosSize }));
  } finally {
    await dynamo.stop();
  }
  return { sweep, chaos, seconds: (performance.now() - started) / 1000 };
}
