/**
 * The dependency rules are lint rules (biome.json): they must fail the build when broken, not only read
 * well. Each case lints a tiny project with this repository's own Biome configuration.
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";

const REPO = fileURLToPath(new URL("../../../", import.meta.url));
const BIOME = path.join(REPO, "node_modules", ".bin", "biome");
let dirs: string[] = [];

afterEach(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  dirs = [];
});

/** Lints `files` (path → source) under the repository's biome.json; returns the rules that fired. */
function lint(files: Record<string, string>): string[] {
  const dir = mkdtempSync(path.join(tmpdir(), "waymark-lint-"));
  dirs.push(dir);
  cpSync(path.join(REPO, "biome.json"), path.join(dir, "biome.json"));
  for (const [file, source] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), source);
  }
  const result = spawnSync(BIOME, ["lint", "--vcs-enabled=false", "--colors=off", "."], {
    cwd: dir,
    encoding: "utf8",
  });
  const output = `${result.stdout}${result.stderr}`;
  return [...output.matchAll(/^(\S+):\d+:\d+ (lint\/\S+)/gm)].map((m) => `${m[1]} ${m[2]}`).sort();
}

describe("dependency rules (biome.json)", { timeout: 60_000 }, () => {
  it("functions/core may not import journeys, adapters, use cases, handlers, infra, AWS or Node", () => {
    const fired = lint({
      "journeys/registry.ts": "export const referenceCatalog = 1;\n",
      "functions/adapters/sqs.ts": "export const queue = 1;\n",
      "functions/core/uses-journeys.ts":
        'import { referenceCatalog } from "../../journeys/registry.ts";\n\nexport const a = referenceCatalog;\n',
      "functions/core/uses-adapter.ts":
        'import { queue } from "../adapters/sqs.ts";\n\nexport const b = queue;\n',
      "functions/core/uses-aws.ts":
        'import { SQSClient } from "@aws-sdk/client-sqs";\n\nexport const c = SQSClient;\n',
      "functions/core/uses-fs.ts":
        'import { readFileSync } from "node:fs";\n\nexport const d = readFileSync;\n',
      "functions/core/uses-crypto.ts":
        'import { createHash } from "node:crypto";\n\nexport const e = createHash;\n',
      "functions/use-cases/may-use-core.ts":
        'import { queue } from "../adapters/sqs.ts";\n\nexport const f = queue;\n',
    });
    expect(fired).toEqual([
      "functions/core/uses-adapter.ts lint/style/noRestrictedImports",
      "functions/core/uses-aws.ts lint/style/noRestrictedImports",
      "functions/core/uses-fs.ts lint/style/noRestrictedImports",
      "functions/core/uses-journeys.ts lint/style/noRestrictedImports",
    ]);
  });

  it("no module may be part of an import cycle", () => {
    const fired = lint({
      "infra/local/a.ts": 'import { b } from "./b.ts";\n\nexport const a = () => b;\n',
      "infra/local/b.ts": 'import { a } from "./a.ts";\n\nexport const b = () => a;\n',
      "infra/local/c.ts": 'import { a } from "./a.ts";\n\nexport const c = a;\n',
    });
    expect(fired).toEqual([
      "infra/local/a.ts lint/suspicious/noImportCycles",
      "infra/local/b.ts lint/suspicious/noImportCycles",
    ]);
  });
});
