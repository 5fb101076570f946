/**
 * `npm run bench`: figures, not pass/fail. Each figure is printed beside its target and, where it has one,
 * a baseline measured in the same run (a ratio is only meaningful between numbers from one machine at one
 * moment). The figures are also written to bench/results.json (not committed) for tools to compare.
 *
 * Sections: engine core; the cost per million bus events from counted calls (fresh and a year of history)
 * beside the bare floor and Step Functions Standard; DynamoDB per input and the growth table; the local
 * runtime against its own limit; function bundles against SDK-only bundles; the product recall; a longer
 * soak of the fault-injection suite's plans.
 */
import { writeFileSync } from "node:fs";
import { benchBundles } from "./bundles.ts";
import { countedRunAsDeployed } from "./cost/counted-run.ts";
import { synthesizedDeployment } from "./cost/deployment.ts";
import { type CostReport, priceFloor, priceRun, priceStepFunctions } from "./cost/model.ts";
import { benchDynamoPerEvent, benchRawConditionalWrites } from "./dynamodb-per-event.ts";
import { benchEngineCore } from "./engine-core.ts";
import { benchFaultSoak } from "./fault-soak.ts";
import { benchGrowth } from "./growth.ts";
import { lambdaTimeSection } from "./lambda-time.ts";
import { benchClockAdvance, benchLocalThroughput, benchStartup } from "./local-runtime.ts";
import { benchRecall } from "./recall.ts";

const quick = process.argv.includes("--quick");
const fmt = (n: number, digits = 0) =>
  n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
const met = (ok: boolean) => (ok ? "met" : "NOT met");
const results: Record<string, unknown> = { quick, node: process.version, at: new Date().toISOString() };

console.log(`Waymark bench — node ${process.version}, ${process.arch}${quick ? " (quick)" : ""}\n`);

// ── Engine core ──────────────────────────────────────────────────────────────────────────────────────────
benchEngineCore(200); // warm-up
const core = benchEngineCore(quick ? 1_000 : 10_000);
console.log("Engine core (pure, one core) — target ≥ 100,000 transitions/s");
console.log(
  `  ${fmt(core.transitions)} transitions in ${fmt(core.seconds, 2)} s → ${fmt(core.perSecond)} transitions/s (${met(core.perSecond >= 100_000)})`,
);
results.engineTransitionsPerSecond = Math.round(core.perSecond);

// ── Cost from counted calls ──────────────────────────────────────────────────────────────────────────────
const deployment = synthesizedDeployment();
const costCustomers = quick ? 10 : 40;
const fresh = await countedRunAsDeployed({ customers: costCustomers, historyMonths: 0 });
const aged = await countedRunAsDeployed({ customers: costCustomers, historyMonths: 12 });
const freshCost = priceRun(fresh, deployment);
const agedCost = priceRun(aged, deployment);
const agedFloor = priceFloor(aged);
const agedStepFunctions = priceStepFunctions(aged);
const engineCpuMs = (run: typeof fresh) =>
  run.invocations.filter((i) => i.fn === "engine").reduce((s, i) => s + i.cpuMs, 0) / run.engineInputs;
console.log(
  `\nEngine handler CPU per input (parse + load + advance + marshal, measured on this machine): ${fmt(engineCpuMs(fresh), 2)} ms fresh, ${fmt(engineCpuMs(aged), 2)} ms with a year of history`,
);

const printCost = (title: string, report: CostReport, busEvents: number) => {
  console.log(`  ${title}`);
  for (const l of report.lines)
    console.log(
      `    ${l.item.padEnd(62)} ${fmt(l.quantity, l.quantity < 10 ? 4 : 0).padStart(12)} ${l.unit.padEnd(12)} $${fmt((l.usd / busEvents) * 1e6, 2).padStart(8)}`,
    );
};
console.log(
  `\nCost per 1M bus events, post-purchase mix, counted calls of a real run (${costCustomers} customers; us-east-1 list prices, bench/cost/prices.ts; memory, tracing and archive from the synthesized stack: ${Object.entries(
    deployment.memoryMb,
  )
    .map(([fn, mb]) => `${fn} ${mb} MB`)
    .join(
      ", ",
    )}, tracing ${deployment.tracing ? "on" : "off"}, archive ${deployment.archiveRetentionDays} days)`,
);
printCost("fresh customers (quantities for the run, $ per 1M bus events)", freshCost, fresh.busEvents);
printCost("a year of history (12 monthly orders first, then the counted cycle)", agedCost, aged.busEvents);
const ratio = agedCost.perMillionBusEventsUsd / agedFloor.perMillionBusEventsUsd;
console.log(
  `  total per 1M bus events: $${fmt(freshCost.perMillionBusEventsUsd, 2)} fresh, $${fmt(agedCost.perMillionBusEventsUsd, 2)} with history ` +
    `($${fmt(freshCost.perMillionEngineInputsUsd, 2)} / $${fmt(agedCost.perMillionEngineInputsUsd, 2)} per 1M engine inputs)`,
);
console.log(
  `  bare floor (one function per event, one 1 KB read + write, no queues, logs or tracing): $${fmt(agedFloor.perMillionBusEventsUsd, 2)}; ` +
    `Step Functions Standard for the same journeys: $${fmt(agedStepFunctions.perMillionBusEventsUsd, 2)}`,
);
console.log(
  `  with history ÷ floor: ${fmt(ratio, 2)}× — target ≤ 1.5× (${met(ratio <= 1.5)}); engine billed ms per input priced (latencies summed, as if one group after another): ${fmt(agedCost.engineBilledMsPerInput, 1)} ms`,
);
for (const l of agedCost.delivery)
  console.log(
    `  apart: ${l.item} $${fmt((l.usd / aged.busEvents) * 1e6, 2)} per 1M bus events (${fmt(l.quantity)} in the run)`,
  );
results.costPerMillionBusEventsUsd = round(agedCost.perMillionBusEventsUsd, 2);
results.costPerMillionBusEventsFreshUsd = round(freshCost.perMillionBusEventsUsd, 2);
results.floorPerMillionBusEventsUsd = round(agedFloor.perMillionBusEventsUsd, 2);
results.stepFunctionsPerMillionBusEventsUsd = round(agedStepFunctions.perMillionBusEventsUsd, 2);

// ── Lambda time ─────────────────────────────────────────────────────────────────────────────────────────
results.lambda = await lambdaTimeSection(quick);

// ── DynamoDB per input and growth ────────────────────────────────────────────────────────────────────────
const wu = (run: typeof fresh) => run.writeUnits / run.engineInputs;
const ru = (run: typeof fresh) => run.readUnits / run.engineInputs;
console.log(
  "\nDynamoDB per engine input (real UTF-8 item sizes, all functions) — target ≤ 2.0 write units, ≤ 1 read unit, hot item ≤ 2 KB",
);
console.log(
  `  fresh: ${fmt(wu(fresh), 2)} WU, ${fmt(ru(fresh), 2)} RU, customer item ${fmt(fresh.customerItemBytes)} B — ${met(wu(fresh) <= 2 && ru(fresh) <= 1 && fresh.customerItemBytes <= 2048)}`,
);
console.log(
  `  a year of history: ${fmt(wu(aged), 2)} WU, ${fmt(ru(aged), 2)} RU, customer item ${fmt(aged.customerItemBytes)} B — ${met(wu(aged) <= 2 && ru(aged) <= 1 && aged.customerItemBytes <= 2048)}`,
);
results.writeUnitsPerInput = round(wu(fresh), 2);
results.writeUnitsPerInputAged = round(wu(aged), 2);
results.readsPerInput = round(ru(fresh), 2);
results.readsPerInputAged = round(ru(aged), 2);
results.customerItemBytes = fresh.customerItemBytes;
results.customerItemBytesAged = aged.customerItemBytes;

const growth = await benchGrowth(quick ? [10, 100] : [10, 100, 1_000]);
console.log(
  "\nGrowth: one customer through n events of one kind (timers left pending) — item size, and per input over the last ten",
);
console.log(
  "  kind                      events   item bytes   instances   WU/input   RU/input   engine CPU ms",
);
for (const g of growth)
  console.log(
    `  ${g.kind.padEnd(24)} ${fmt(g.events).padStart(7)} ${fmt(g.itemBytes).padStart(12)} ${fmt(g.activeInstances).padStart(11)} ${fmt(g.writeUnitsPerInput, 1).padStart(10)} ${fmt(g.readUnitsPerInput, 1).padStart(10)} ${fmt(g.engineCpuMsPerInput, 2).padStart(15)}`,
  );
results.growth = growth.map((g) => ({ ...g, writeUnitsPerInput: round(g.writeUnitsPerInput, 2) }));

const customers = quick ? 50 : 300;
const dyn = await benchDynamoPerEvent(customers);
console.log(
  `\nDynamoDB on the post-purchase path, per step (${customers} customers, real handlers on dynalite)`,
);
console.log("  step                                   reads  writes  write units   (per customer)");
for (const s of dyn.byStep)
  console.log(
    `  ${s.step.padEnd(38)} ${fmt(s.reads, 1).padStart(5)}  ${fmt(s.writes, 1).padStart(6)}  ${fmt(s.writeUnits, 1).padStart(11)}`,
  );
const requestsPerInput = (dyn.reads + dyn.writes + dyn.queries) / dyn.inputs;
console.log(
  `  average per engine input: ${fmt(dyn.reads / dyn.inputs, 2)} reads, ${fmt(dyn.writes / dyn.inputs, 2)} writes, ${fmt(dyn.queries / dyn.inputs, 2)} queries → ${fmt(requestsPerInput, 2)} requests`,
);

// ── Local runtime against its own limit ──────────────────────────────────────────────────────────────────
const raw = await benchRawConditionalWrites(quick ? 500 : 3_000);
const startup = await benchStartup(quick ? 3 : 5);
const local = await benchLocalThroughput(quick ? 60 : 300);
const limit = raw.perSecond / requestsPerInput;
const localRatio = local.perSecond / limit;
console.log(
  "\nLocal runtime (npm start) — target end to end ≥ 0.8 × (dynalite's raw write rate ÷ requests per input)",
);
console.log(`  ready in ${fmt(startup.medianMs)} ms (median, from process spawn to "running on")`);
console.log(
  `  end to end over HTTP (PutEvents → ingest → engine → notifier → outbox): ${fmt(local.perSecond)} inputs/s (${fmt(local.events)} in ${fmt(local.seconds, 2)} s)`,
);
console.log(
  `  limit, same run: ${fmt(raw.perSecond)} raw conditional writes/s ÷ ${fmt(requestsPerInput, 2)} requests per input = ${fmt(limit)} inputs/s → ${fmt(localRatio, 2)}× (${met(localRatio >= 0.8)})`,
);
const clock = await benchClockAdvance(quick ? 200 : 2_000);
console.log(
  `  POST /clock over ${fmt(clock.timers)} pending timers (each fires a journey step): ${fmt(clock.seconds, 1)} s, ${fmt(clock.timers / clock.seconds)} timers/s ` +
    `→ 10,000 timers ≈ ${fmt((10_000 * clock.seconds) / clock.timers)} s at this rate`,
);
results.localE2eRatioToLimit = round(localRatio, 2);
results.localInputsPerSecond = Math.round(local.perSecond);
results.clock = { timers: clock.timers, seconds: round(clock.seconds, 1) };

// ── Bundles ──────────────────────────────────────────────────────────────────────────────────────────────
const bundles = await benchBundles(quick ? 3 : 7);
console.log(
  "\nFunction bundles (esbuild with the CDK options; load = median cold import) against a bundle creating only the same SDK clients — target ≤ 60 KB over, load ≤ 1.3×",
);
console.log(
  `  ${"(empty)".padEnd(14)} ${fmt(bundles.empty.bytes / 1024, 1).padStart(8)} KB  ${fmt(bundles.empty.loadMs, 1).padStart(6)} ms`,
);
const bundleResults = [];
for (const b of bundles.functions) {
  const sdk = b.sdkOnly;
  const over = sdk ? (b.bytes - sdk.bytes) / 1024 : b.bytes / 1024;
  const loadRatio = sdk ? b.loadMs / sdk.loadMs : b.loadMs / bundles.empty.loadMs;
  console.log(
    `  ${b.name.padEnd(14)} ${fmt(b.bytes / 1024, 1).padStart(8)} KB  ${fmt(b.loadMs, 1).padStart(6)} ms   SDK-only ${fmt((sdk?.bytes ?? 0) / 1024, 1).padStart(6)} KB ${fmt(sdk?.loadMs ?? 0, 1).padStart(6)} ms   +${fmt(over, 1)} KB, ${fmt(loadRatio, 2)}× (${met(over <= 60 && loadRatio <= 1.3)})`,
  );
  bundleResults.push({
    name: b.name,
    kb: round(b.bytes / 1024, 1),
    kbOverSdkOnly: round(over, 1),
    loadRatioToSdkOnly: round(loadRatio, 2),
  });
}
results.bundles = bundleResults;

// ── Recall ───────────────────────────────────────────────────────────────────────────────────────────────
const recall = await benchRecall({
  owners: quick ? 20_000 : 1_000_000,
  pathOwners: quick ? 100 : 500,
  baselineOwners: quick ? 20_000 : 100_000,
});
console.log(`\n${recall.report}\n`);
results.recall = recall.figures;

// ── Fault soak ───────────────────────────────────────────────────────────────────────────────────────────
const soak = await benchFaultSoak(
  quick ? { sweepSize: 2, chaosSize: 4, seeds: 2 } : { sweepSize: 4, chaosSize: 12, seeds: 12 },
);
console.log(`\nFault soak (the fault-injection suite's plans, longer; ${fmt(soak.seconds, 1)} s)`);
console.log(soak.sweep.format("  fault sweep").replace(/\n/g, "\n  "));
console.log(soak.chaos.format("  fault chaos").replace(/\n/g, "\n  "));
for (const violation of [...soak.sweep.violations, ...soak.chaos.violations])
  console.log(`  VIOLATION ${violation}`);

writeFileSync(new URL("./results.json", import.meta.url), `${JSON.stringify(results, null, 2)}\n`);
console.log("\nFigures written to bench/results.json");

function round(n: number, digits: number): number {
  return Number(n.toFixed(digits));
}
