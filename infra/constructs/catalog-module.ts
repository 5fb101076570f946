/**
 * The catalog a stack is built for: found like the CLI finds it (an explicit module path, else the nearest
 * `waymark.config.ts`), loaded at synth for what the stack derives from it (the bus rules, the schema
 * registry), and compiled into the functions that run it through a generated entry module per function.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { CATALOG_FILES, nearestCatalogFile } from "../../functions/config/catalog-file.ts";
import type { Catalog } from "../../functions/core/catalog/catalog.ts";

/** The package's own modules end in .ts in this repository and in .js once compiled (dist/). */
const MODULE_EXTENSION = import.meta.url.endsWith(".ts") ? ".ts" : ".js";

/** The package root (the repository, or the installed package): handler modules are resolved from here. */
export const packageRoot = fileURLToPath(
  new URL(MODULE_EXTENSION === ".ts" ? "../../" : "../../../", import.meta.url),
);

/** A module of the package by its path from the package root, without extension: `functions/handlers/engine`. */
export function packageModule(pathWithoutExtension: string): string {
  const compiled =
    MODULE_EXTENSION === ".js" ? path.join("dist", pathWithoutExtension) : pathWithoutExtension;
  return path.join(packageRoot, `${compiled}${MODULE_EXTENSION}`);
}

/** No catalog module could be found or loaded: the message says where Waymark looked. */
export class CatalogModuleError extends Error {
  override name = "CatalogModuleError";
}

/** The catalog module: `given` (relative to `cwd`), else the nearest waymark.config.* in `cwd` or above. */
export function resolveCatalogFile(given: string | undefined, cwd: string = process.cwd()): string {
  if (given !== undefined) {
    const file = path.resolve(cwd, given);
    if (!existsSync(file)) throw new CatalogModuleError(`catalog module ${given} not found (${file})`);
    return file;
  }
  const found = nearestCatalogFile(cwd);
  if (found) return found;
  throw new CatalogModuleError(
    `no catalog: pass catalog: "<path to waymark.config.ts>" or run cdk from a directory that has ${CATALOG_FILES[0]}`,
  );
}

/**
 * Loads a catalog module synchronously (CDK constructs are built in constructors). Node.js 24 requires ES
 * modules, TypeScript ones included, as long as they have no top-level await.
 */
export function loadCatalogModule(file: string): Catalog {
  const require = createRequire(import.meta.url);
  const module = require(file) as { default?: unknown; catalog?: unknown };
  const catalog = (module.default ?? module.catalog) as Partial<Catalog> | undefined;
  if (!catalog || typeof catalog.event !== "function" || typeof catalog.inboundEvents !== "function") {
    throw new CatalogModuleError(
      `${file}: its default export is not a catalog — write \`export default defineCatalog({ … })\``,
    );
  }
  return catalog as Catalog;
}

/** Where Lambda bundling runs: the project (the directory of its lock file) that holds the catalog. */
export function bundlingProject(catalogFile: string): { projectRoot: string; depsLockFilePath: string } {
  const locks = ["package-lock.json", "pnpm-lock.yaml", "yarn.lock", "bun.lock", "bun.lockb"];
  for (let dir = path.dirname(catalogFile); ; dir = path.dirname(dir)) {
    for (const lock of locks) {
      const file = path.join(dir, lock);
      if (existsSync(file)) return { projectRoot: dir, depsLockFilePath: file };
    }
    if (path.dirname(dir) === dir) break;
  }
  throw new CatalogModuleError(
    `no lock file (${locks.join(", ")}) in ${path.dirname(catalogFile)} or above: install the project's ` +
      "dependencies (npm install) so Lambda bundling knows the project root",
  );
}

/** The Lambda entry points that run a catalog, and the function of the package each one calls. */
export const CATALOG_HANDLERS = {
  ingest: { module: "functions/handlers/ingest", factory: "ingestLambda" },
  engine: { module: "functions/handlers/engine", factory: "engineLambda" },
  "fan-out": { module: "functions/handlers/fan-out", factory: "fanOutLambda" },
} as const;

export type CatalogHandler = keyof typeof CATALOG_HANDLERS;

/**
 * Writes the entry module of `handler` for `catalogFile` under the project's node_modules/.cache (inside
 * the project root, where bundling may read) and returns its path. The file is a pure function of its
 * inputs and rewritten only when it changes, so synth stays deterministic.
 */
export function catalogEntry(handler: CatalogHandler, catalogFile: string, projectRoot: string): string {
  const { module, factory } = CATALOG_HANDLERS[handler];
  const handlerModule = packageModule(module);
  const key = createHash("sha256").update(`${catalogFile}\0${handlerModule}`).digest("hex").slice(0, 12);
  const dir = path.join(projectRoot, "node_modules", ".cache", "waymark", key);
  const file = path.join(dir, `${handler}.mjs`);
  const source =
    `// Generated by Waymark at synth: the ${handler} Lambda for the catalog in ${path.basename(catalogFile)}.\n` +
    `import * as catalogModule from ${JSON.stringify(catalogFile)};\n` +
    `import { ${factory} } from ${JSON.stringify(handlerModule)};\n\n` +
    "const catalog = catalogModule.default ?? catalogModule.catalog;\n" +
    `export const handler = ${factory}(catalog);\n`;
  mkdirSync(dir, { recursive: true });
  if (!existsSync(file) || readFileSync(file, "utf8") !== source) writeFileSync(file, source);
  return file;
}
