/**
 * Finds and loads a team's catalog: `--catalog <file>`, else the nearest `waymark.config.ts` (or `.js`,
 * `.mjs`) in the working directory or above it. The module's default export (or an export named `catalog`)
 * must be what `defineCatalog` returns. Node.js 24 runs a `.ts` catalog as it is.
 */
import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { CATALOG_FILES, nearestCatalogFile } from "../functions/config/catalog-file.ts";
import type { Catalog } from "../functions/core/catalog/catalog.ts";
import { CliError, EXIT } from "./io.ts";

/** The catalog file to use, or undefined when none is given and none is found. */
export function findCatalogFile(given: string | undefined, cwd: string): string | undefined {
  if (given !== undefined) {
    const file = path.resolve(cwd, given);
    if (!existsSync(file) || !statSync(file).isFile()) {
      throw new CliError(`--catalog ${given}: no such file (${file})`, EXIT.usage);
    }
    return file;
  }
  return nearestCatalogFile(cwd);
}

export async function loadCatalog(
  given: string | undefined,
  cwd: string,
): Promise<{ catalog: Catalog; file: string }> {
  const file = findCatalogFile(given, cwd);
  if (file === undefined) {
    throw new CliError(
      `no catalog: pass --catalog <file>, or create ${CATALOG_FILES[0]} (npx waymark init <dir> scaffolds one)`,
      EXIT.usage,
    );
  }
  let module: Record<string, unknown>;
  try {
    module = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (error) {
    // A catalog that does not hold together says so in its message (CatalogError lists every problem).
    throw new CliError(`${path.relative(cwd, file) || file}: ${(error as Error).message}`, EXIT.failed);
  }
  const catalog = module.default ?? module.catalog;
  if (!isCatalog(catalog)) {
    throw new CliError(
      `${path.relative(cwd, file) || file}: its default export is not a catalog — ` +
        "write `export default defineCatalog({ events, journeys, templates })`",
      EXIT.failed,
    );
  }
  return { catalog, file };
}

function isCatalog(value: unknown): value is Catalog {
  const candidate = value as Partial<Catalog> | null | undefined;
  return (
    typeof candidate === "object" &&
    candidate !== null &&
    typeof candidate.event === "function" &&
    typeof candidate.latest === "function" &&
    typeof candidate.template === "function"
  );
}
