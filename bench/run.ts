/**
 * `npm run bench`: figures, not pass/fail. Engine transitions per second on one core, DynamoDB
 * requests and capacity per event on the post-purchase path, item sizes, function bundle sizes
 * and module-load times against an empty bundle, cost per million events at list prices, and a
 * longer soak of the fault-injection suite's plans (scenarios, faults injected, violations).
 */
import { benchBundles } from "./bundles.ts";
import { costPerMillionInputs } from "./cost-model.ts";
import { benchDynamoPerEvent, benchRawConditionalWrites } from "./dynamodb-per-event.ts";
import { benchEngineCore } from "./engine-core.ts";
import { benchFaultSoak } from "./fault-soak.ts";
import { benchLocalThroughput, benchStartup } from "./local-runtime.ts";
import { benchFanOut, benchRecallEndToEnd } from "./recall.ts";

const quick = process.argv.includes("--quick");
const fmt = (n: number, digits = 0) =>
  n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });

console.log(`Waymark bench — node ${process.version}, ${process.arch}${quick ? " (quick)" : ""}\n`);

benchEngineCore(200); // warm-up
const core = benchEngineCore(quick ? 1_000 : 10_000);
console.log("Engine core (pure, one core)");
console.log(
  `  ${fmt(core.transitions)} transitions in ${fmt(core.seconds, 2)} s → ${fmt(core.perSecond)} transitions/s\n`,
);

const customers = quick ? 50 : 300;
const dyn = await benchDynamoPerEvent(customers);
console.log(`DynamoDB on the post-purchase path (${customers} customers, real handlers on dynalite)`);
console.log("  step                                   reads  writes  write units   (per customer)");
for (const s of dyn.byStep) {
  console.log(
    `  ${s.step.padEnd(38)} ${fmt(s.reads, 1).padStart(5)}  ${fmt(s.writes, 1).padStart(6)}  ${fmt(s.writeUnits, 1).padStart(11)}`,
  );
}
console.log(`  queries on the path: ${dyn.queries}`);
console.log(
  `  customer item after the survey: ${fmt(dyn.customerItemBytes)} bytes; a notification record: ${fmt(dyn.notificationItemBytes)} bytes`,
);
const perInput = {
  reads: dyn.reads / dyn.inputs,
  writes: dyn.writes / dyn.inputs,
  readUnits: dyn.readUnits / dyn.inputs,
  writeUnits: dyn.writeUnits / dyn.inputs,
};
console.log(
  `  average per engine input: ${fmt(perInput.reads, 2)} reads, ${fmt(perInput.writes, 2)} writes, ${fmt(perInput.writeUnits, 2)} write units`,
);
const pipelineRate = dyn.events / (dyn.elapsedMs / 1000);
const raw = await benchRawConditionalWrites(quick ? 500 : 3_000);
console.log(`  end to end through ingest → engine → notifier: ${fmt(pipelineRate)} inputs/s (one process)`);
console.log(`  dynalite's raw conditional-write rate, same run: ${fmt(raw.perSecond)} writes/s\n`);

const startup = await benchStartup(quick ? 3 : 5);
const local = await benchLocalThroughput(quick ? 60 : 300);
console.log("Local runtime (npm start)");
console.log(`  ready in ${fmt(startup.medianMs)} ms (median, from process spawn to "running on")`);
console.log(
  `  end to end over HTTP (PutEvents → ingest → engine → notifier → outbox): ${fmt(local.perSecond)} inputs/s ` +
    `(${fmt(local.events)} in ${fmt(local.seconds, 2)} s)`,
);
console.log(`  beside dynalite's raw conditional-write rate, same run: ${fmt(raw.perSecond)} writes/s\n`);

const fanOut = await benchFanOut(quick ? 20_000 : 100_000);
const recall = await benchRecallEndToEnd(quick ? 200 : 1_000);
console.log("Product recall");
console.log(
  `  fan-out through the owner index: ${fmt(fanOut.perSecond)} owners/s queued ` +
    `(${fmt(fanOut.owners)} in ${fmt(fanOut.seconds, 2)} s, one process)`,
);
console.log(
  `  end to end on the local runtime (eligibility, store reservation, decision, send): ${fmt(recall.perSecond)} owners/s ` +
    `(${fmt(recall.owners)} in ${fmt(recall.seconds, 2)} s)\n`,
);

const bundles = await benchBundles(quick ? 3 : 7);
console.log("Function bundles (esbuild with the CDK options; load = median cold import)");
console.log(
  `  ${"(empty)".padEnd(10)} ${fmt(bundles.empty.bytes / 1024, 1).padStart(8)} KB  ${fmt(bundles.empty.loadMs, 1).padStart(6)} ms`,
);
for (const b of bundles.functions) {
  console.log(
    `  ${b.name.padEnd(10)} ${fmt(b.bytes / 1024, 1).padStart(8)} KB  ${fmt(b.loadMs, 1).padStart(6)} ms  (+${fmt(b.loadMs - bundles.empty.loadMs, 1)} ms over empty)`,
  );
}

const msPerInvocation = 40;
const costs = costPerMillionInputs({
  readUnitsPerInput: perInput.readUnits,
  writeUnitsPerInput: perInput.writeUnits,
  timerShare: 2 / 5,
  messagesPerInput: 2 / 5,
  msPerInvocation,
  memoryMb: 256,
  batchSize: 10,
});
console.log(
  `\nCost per million engine inputs on the post-purchase mix (US East list prices; ${msPerInvocation} ms per 10-message batch assumed; SMS/email charges excluded)`,
);
for (const c of costs) console.log(`  ${c.item.padEnd(56)} $${fmt(c.usd, 2).padStart(7)}`);
console.log(
  `  ${"total".padEnd(56)} $${fmt(
    costs.reduce((s, c) => s + c.usd, 0),
    2,
  ).padStart(7)}`,
);

const soak = await benchFaultSoak(
  quick ? { sweepSize: 2, chaosSize: 4, seeds: 2 } : { sweepSize: 4, chaosSize: 12, seeds: 12 },
);
console.log(`\nFault soak (the fault-injection suite's plans, longer; ${fmt(soak.seconds, 1)} s)`);
console.log(soak.sweep.format("  fault sweep").replace(/\n/g, "\n  "));
console.log(soak.chaos.format("  fault chaos").replace(/\n/g, "\n  "));
for (const violation of [...soak.sweep.violations, ...soak.chaos.violations])
  console.log(`  VIOLATION ${violation}`);
