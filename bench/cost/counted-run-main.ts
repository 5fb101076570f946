/**
 * A counted run in a process of its own, logging as deployed (Powertools at INFO, EMF metrics on), so the
 * bytes CloudWatch Logs would ingest are counted: `node bench/cost/counted-run-main.ts <customers> <months> <out.json>`.
 */
import { writeFileSync } from "node:fs";
import { countedRun } from "./counted-run.ts";

const [customers, months, out] = process.argv.slice(2);
if (!customers || !months || !out)
  throw new Error("usage: counted-run-main.ts <customers> <months> <out.json>");
const run = await countedRun({
  customers: Number(customers),
  historyMonths: Number(months),
  captureLogs: true,
});
writeFileSync(out, JSON.stringify(run));
