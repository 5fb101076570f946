/**
 * `npm run build` (and `npm pack`, through `prepack`): compiles the product code to JavaScript and
 * declarations in `dist/`, the form an installed package must take — Node.js strips TypeScript types only
 * outside `node_modules`. Then it checks what it emitted, so a package that would fail in a consumer's
 * project fails here instead:
 * - no relative import of a `.ts` file is left in the JavaScript or the declarations (the sources import
 *   `./x.ts`; `rewriteRelativeImportExtensions` rewrites that in JavaScript but not in declarations, so
 *   declarations are rewritten here);
 * - every relative import of the JavaScript names a file that exists in `dist/`;
 * - every product module has both a `.js` and a `.d.ts`;
 * - every package the JavaScript imports is a dependency or peer dependency in package.json, and every
 *   package the public declarations import is one too.
 * Last it bundles the local console's browser code (console/, with its devDependencies) into
 * dist/infra/local/console/assets/, where the installed runtime serves it from: the package ships the
 * bundle, not its sources or their packages.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { builtinModules, createRequire } from "node:module";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { buildConsole } from "../infra/local/console/build-console.ts";

const root = fileURLToPath(new URL("../", import.meta.url));
const dist = join(root, "dist");
const require = createRequire(import.meta.url);

interface PackageJson {
  bin: Record<string, string>;
  exports: Record<string, string | { types?: string; default?: string }>;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as PackageJson;
const buildConfig = JSON.parse(readFileSync(join(root, "tsconfig.build.json"), "utf8")) as {
  include: string[];
};

/** Packages dist/ may need without importing them: CDK runs `esbuild` to bundle the Lambda handlers. */
const USED_WITHOUT_IMPORT: ReadonlySet<string> = new Set(["esbuild"]);

/** Relative specifiers of static imports and exports, `import "…"`, `import("…")` and `import("…").T`. */
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(["'])([^"'\n]+)\1/g;
const TS_EXTENSION = /\.(?:[cm]?ts|tsx)$/;

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

function specifiers(source: string): string[] {
  return [...source.matchAll(SPECIFIER)].map((match) => match[2]!);
}

function packageName(specifier: string): string {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? `${parts[0]}/${parts[1]}` : parts[0]!;
}

const isBuiltin = (specifier: string): boolean =>
  specifier.startsWith("node:") || builtinModules.includes(specifier.split("/")[0]!);
const isRelative = (specifier: string): boolean => specifier.startsWith("./") || specifier.startsWith("../");
const show = (file: string): string => relative(root, file).split(sep).join("/");

const started = performance.now();
rmSync(dist, { recursive: true, force: true });

const tsc = spawnSync(
  process.execPath,
  [require.resolve("typescript/bin/tsc"), "-p", "tsconfig.build.json"],
  {
    cwd: root,
    stdio: "inherit",
  },
);
if (tsc.status !== 0) {
  console.error(`build: tsc failed (exit ${tsc.status ?? tsc.signal})`);
  process.exit(1);
}

const emitted = filesUnder(dist);
const javascript = emitted.filter((file) => file.endsWith(".js"));
const declarations = emitted.filter((file) => file.endsWith(".d.ts"));

// tsc keeps `./x.ts` in declarations. TypeScript itself accepts that in a .d.ts, but other tools reading
// the declarations (editors, API extractors, bundlers following `types`) look for a file that is not there.
for (const file of declarations) {
  const source = readFileSync(file, "utf8");
  const rewritten = source.replace(SPECIFIER, (whole, quote: string, specifier: string) =>
    isRelative(specifier) && TS_EXTENSION.test(specifier)
      ? whole.replace(
          `${quote}${specifier}${quote}`,
          `${quote}${specifier.replace(/\.([cm]?)tsx?$/, ".$1js")}${quote}`,
        )
      : whole,
  );
  if (rewritten !== source) writeFileSync(file, rewritten);
}

/**
 * Modules that carry another project's source as text (what `waymark init` writes): the imports in those
 * strings are the new project's, not this package's.
 */
const SOURCE_AS_TEXT: ReadonlySet<string> = new Set(["dist/cli/project-template.js"]);

const problems: string[] = [];
const declared = new Set([
  ...Object.keys(pkg.dependencies ?? {}),
  ...Object.keys(pkg.peerDependencies ?? {}),
]);
const imported = new Set<string>();

for (const file of [...javascript, ...declarations]) {
  if (SOURCE_AS_TEXT.has(show(file))) continue;
  for (const specifier of specifiers(readFileSync(file, "utf8"))) {
    if (isRelative(specifier)) {
      if (TS_EXTENSION.test(specifier)) problems.push(`${show(file)} imports a .ts file: "${specifier}"`);
      else if (file.endsWith(".js") && !existsSync(resolve(dirname(file), specifier))) {
        problems.push(`${show(file)} imports "${specifier}", which is not in dist/`);
      }
    } else if (file.endsWith(".js") && !isBuiltin(specifier)) {
      const name = packageName(specifier);
      imported.add(name);
      if (!declared.has(name)) problems.push(`${show(file)} imports ${name}, not a (peer) dependency`);
    }
  }
}
for (const name of declared) {
  if (!imported.has(name) && !USED_WITHOUT_IMPORT.has(name)) {
    problems.push(`package.json depends on ${name}, which nothing in dist/ imports`);
  }
}

// The declarations a consumer's compiler reads: the package's `types` entries and what they import.
const publicDeclarations = new Set<string>();
const pending = Object.values(pkg.exports)
  .map((target) => (typeof target === "string" ? undefined : target.types))
  .filter((types): types is string => types !== undefined)
  .map((types) => join(root, types));
for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
  if (publicDeclarations.has(file)) continue;
  if (!existsSync(file)) {
    problems.push(`${show(file)} is a public declaration file but was not emitted`);
    continue;
  }
  publicDeclarations.add(file);
  for (const specifier of specifiers(readFileSync(file, "utf8"))) {
    if (isRelative(specifier)) pending.push(resolve(dirname(file), specifier.replace(/\.js$/, ".d.ts")));
    else if (!isBuiltin(specifier) && !declared.has(packageName(specifier))) {
      problems.push(`${show(file)} (public) refers to ${packageName(specifier)}, not a (peer) dependency`);
    }
  }
}

// Every product module compiled to both forms (`types/` holds ambient declarations only).
for (const dir of buildConfig.include) {
  for (const file of filesUnder(join(root, dir))) {
    if (!file.endsWith(".ts") || file.endsWith(".d.ts")) continue;
    const out = join(dist, relative(root, file)).replace(/\.ts$/, "");
    for (const extension of [".js", ".d.ts"]) {
      if (!existsSync(out + extension)) problems.push(`${show(out + extension)} was not emitted`);
    }
  }
}

for (const [name, target] of Object.entries(pkg.bin)) {
  const file = join(root, target);
  if (!existsSync(file)) problems.push(`bin ${name}: ${target} was not emitted`);
  else chmodSync(file, 0o755);
}

if (problems.length > 0) {
  console.error(
    `build: dist/ is not fit to publish:\n${problems.map((problem) => `  ${problem}`).join("\n")}`,
  );
  process.exit(1);
}
const consoleAssets = join(dist, "infra/local/console/assets");
mkdirSync(consoleAssets, { recursive: true });
const consoleSizes: string[] = [];
for (const [name, contents] of await buildConsole()) {
  writeFileSync(join(consoleAssets, name), contents);
  consoleSizes.push(`${name} ${(contents.byteLength / 1024).toFixed(1)} KiB`);
}

const seconds = ((performance.now() - started) / 1000).toFixed(1);
console.log(
  `build: dist/ has ${javascript.length} modules (.js + .d.ts), ${publicDeclarations.size} public declaration files; checked in ${seconds} s`,
);
console.log(`build: the console's bundle: ${consoleSizes.join(", ")} (${show(consoleAssets)})`);
