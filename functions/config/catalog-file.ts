/**
 * Where a project's catalog is when nobody names it: the nearest `waymark.config.*` in a directory or
 * above it. The CLI (`waymark start`, `simulate`, `send`) and the CDK construct look it up the same way.
 */
import { existsSync } from "node:fs";
import path from "node:path";

export const CATALOG_FILES = [
  "waymark.config.ts",
  "waymark.config.mts",
  "waymark.config.js",
  "waymark.config.mjs",
];

/** The nearest catalog module in `dir` or above, or undefined. */
export function nearestCatalogFile(dir: string): string | undefined {
  for (let current = path.resolve(dir); ; current = path.dirname(current)) {
    for (const name of CATALOG_FILES) {
      const file = path.join(current, name);
      if (existsSync(file)) return file;
    }
    if (path.dirname(current) === current) return undefined;
  }
}
