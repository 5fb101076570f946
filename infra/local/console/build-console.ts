/**
 * The console's browser bundle: `console/main.ts` (Preact, htm, dagre and the console's own modules) bundled
 * and minified by esbuild into one script and one stylesheet, nothing fetched at run time. `npm run build`
 * writes it into dist/ for the package; run from the repository, the runtime builds it on the first request.
 */
import { fileURLToPath } from "node:url";

/** Where the console's source lives in the repository (it does not ship in the package). */
export const CONSOLE_SOURCE = fileURLToPath(new URL("../../../console/main.ts", import.meta.url));

/** The bundle's files by name: app.js and app.css. */
export type ConsoleFiles = ReadonlyMap<string, Uint8Array>;

export async function buildConsole(entry = CONSOLE_SOURCE): Promise<ConsoleFiles> {
  // Loaded only when a bundle is built: an installed package serves the one built ahead.
  const { build } = await import("esbuild");
  const result = await build({
    entryPoints: { app: entry },
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    target: ["chrome120", "firefox120", "safari17"],
    charset: "utf8",
    legalComments: "eof",
    outdir: "console-out",
    write: false,
    logLevel: "silent",
  });
  return new Map(result.outputFiles.map((file) => [file.path.split(/[\\/]/).at(-1)!, file.contents]));
}
