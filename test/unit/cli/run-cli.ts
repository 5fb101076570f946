import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { onTestFinished } from "vitest";
import type { CliIo } from "../../../cli/io.ts";
import { main } from "../../../cli/main.ts";

export const FIXTURES = fileURLToPath(new URL("./fixtures/", import.meta.url));
export const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `waymark` in-process, capturing what a terminal (or a pipe, by default) would show. */
export async function runCli(
  argv: string[],
  options: Partial<CliIo> & { tty?: boolean } = {},
): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  const code = await main(argv, {
    stdout: { write: (chunk: string) => (stdout += chunk), isTTY: options.tty ?? false },
    stderr: { write: (chunk: string) => (stderr += chunk) },
    env: options.env ?? {},
    cwd: options.cwd ?? FIXTURES,
    now: options.now ?? (() => new Date("2026-03-01T00:00:00Z")),
    sleep: options.sleep ?? (async () => {}),
  });
  return { code, stdout, stderr };
}

/** This repository's catalog (the reference journeys), which a temp project re-exports as its own. */
const REPO_CATALOG = fileURLToPath(new URL("../../../waymark.config.ts", import.meta.url));

/**
 * A fresh directory holding `files` (name → content), removed when the test ends; returns its path. It
 * has a `waymark.config.ts` (the reference catalog) unless `files` brings its own or `catalog` is false.
 */
export function tempFiles(files: Record<string, string>, options: { catalog?: boolean } = {}): string {
  const dir = mkdtempSync(path.join(tmpdir(), "waymark-cli-"));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  const withCatalog =
    options.catalog === false
      ? files
      : { "waymark.config.ts": `export { default } from ${JSON.stringify(REPO_CATALOG)};\n`, ...files };
  for (const [name, content] of Object.entries(withCatalog)) writeFileSync(path.join(dir, name), content);
  return dir;
}

/** JSON Lines from objects. */
export function jsonl(...events: unknown[]): string {
  return `${events.map((e) => JSON.stringify(e)).join("\n")}\n`;
}
