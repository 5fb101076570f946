/**
 * `npm test`: everything that needs no AWS account — typecheck, lint, then the unit,
 * integration, infra, end-to-end, browser and consumer suites (every vitest project) — and one closing line
 * `N passed, N failed`. Each typecheck and the lint count as one check.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

let passed = 0;
let failed = 0;

function step(name: string, command: string, args: string[]): boolean {
  console.log(`\n▶ ${name}`);
  const result = spawnSync(command, args, { stdio: "inherit", env: process.env });
  const ok = result.status === 0;
  console.log(ok ? `✔ ${name}` : `✘ ${name} (exit ${result.status ?? result.signal})`);
  return ok;
}

const npx = "npx";
for (const [name, args] of [
  ["typecheck", ["tsc", "--noEmit", "-p", "tsconfig.json"]],
  // The console runs in the browser: its own project, with the DOM's types.
  ["typecheck the console", ["tsc", "--noEmit", "-p", "console/tsconfig.json"]],
  ["lint", ["biome", "check", "."]],
] as const) {
  if (step(name, npx, [...args])) passed++;
  else failed++;
}

const reportDir = mkdtempSync(join(tmpdir(), "waymark-test-"));
const reportFile = join(reportDir, "vitest.json");
const suitesOk = step("unit, integration, infra, end-to-end, browser and consumer tests", npx, [
  "vitest",
  "run",
  "--reporter=default",
  "--reporter=json",
  `--outputFile.json=${reportFile}`,
]);
try {
  const report = JSON.parse(readFileSync(reportFile, "utf8")) as {
    numPassedTests: number;
    numFailedTests: number;
    testResults: { status: string; message?: string }[];
  };
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  // A suite that failed to load has no failed tests of its own but must still fail the run.
  failed += report.testResults.filter((file) => file.status === "failed" && file.message).length;
} catch {
  failed += 1; // no report at all: the runner itself broke
}
if (!suitesOk && failed === 0) failed = 1;

console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
