import { spawnSync } from "node:child_process";
import { mkdtempSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BuildOptions, build } from "esbuild";
import { EnvName } from "../functions/config/env-names.ts";
import {
  catalogEntry,
  packageRoot as projectRoot,
  resolveCatalogFile,
} from "../infra/constructs/catalog-module.ts";
import {
  CREDENTIAL_CHAIN_MODULE,
  handlerEntry,
  LAMBDA_CREDENTIALS_MODULE,
  waymarkBundling,
} from "../infra/constructs/waymark-function.ts";

/** This repository's catalog (the reference journeys), compiled into the functions that run a catalog. */
const CATALOG_FILE = resolveCatalogFile(undefined, projectRoot);

/** Each function's entry as the CDK stack bundles it: generated for the catalog, or the handler module. */
export const functionEntries: Record<string, string> = {
  ingest: catalogEntry("ingest", CATALOG_FILE, projectRoot),
  engine: catalogEntry("engine", CATALOG_FILE, projectRoot),
  notifier: handlerEntry("notifier"),
  "email-sender": handlerEntry("email-sender"),
  feedback: handlerEntry("feedback"),
  unsubscribe: handlerEntry("unsubscribe"),
  "fan-out": catalogEntry("fan-out", CATALOG_FILE, projectRoot),
};

/** The CDK bundling options of every Waymark function, as the esbuild call NodejsFunction makes. */
const esbuildOptions: BuildOptions = {
  bundle: true,
  platform: "node",
  format: "esm",
  target: waymarkBundling.target,
  minify: waymarkBundling.minify,
  mainFields: waymarkBundling.mainFields,
  charset: "utf8",
  banner: { js: waymarkBundling.banner ?? "" },
  alias: { [CREDENTIAL_CHAIN_MODULE]: LAMBDA_CREDENTIALS_MODULE },
};

export interface BundleFigure {
  name: string;
  bytes: number;
  loadMs: number;
  /** A bundle built the same way that only creates the AWS SDK clients this function bundles. */
  sdkOnly?: { bytes: number; loadMs: number; clients: string[] };
}

/**
 * Bundles every function the way the CDK stack does (same esbuild options) and measures its
 * size and its module-load time (a cold start's import phase) against an empty bundle built
 * and loaded the same way in the same run.
 */
export async function benchBundles(
  runs: number,
): Promise<{ empty: BundleFigure; functions: BundleFigure[] }> {
  const dir = mkdtempSync(join(tmpdir(), "waymark-bundles-"));
  const emptyEntry = join(dir, "empty.ts");
  writeFileSync(emptyEntry, "export const handler = async () => ({});\n");
  const entries: [string, string][] = [["(empty)", emptyEntry], ...Object.entries(functionEntries)];
  const figures: BundleFigure[] = [];
  for (const [name, entry] of entries) {
    const outfile = join(dir, `${name.replace(/\W/g, "")}.mjs`);
    const { metafile } = await build({
      ...esbuildOptions,
      entryPoints: [entry],
      outfile,
      logLevel: "silent",
      metafile: true,
    });
    const figure: BundleFigure = { name, bytes: statSync(outfile).size, loadMs: medianLoadMs(outfile, runs) };
    const clients = sdkClientPackages(Object.keys(metafile.inputs));
    if (clients.length > 0) {
      const sdkEntry = join(dir, `${name.replace(/\W/g, "")}-sdk-only.ts`);
      writeFileSync(sdkEntry, await sdkOnlySource(clients));
      const sdkOut = join(dir, `${name.replace(/\W/g, "")}-sdk-only.mjs`);
      await build({
        ...esbuildOptions,
        entryPoints: [sdkEntry],
        outfile: sdkOut,
        logLevel: "silent",
        // The entry is written outside the project: resolve packages from the project's node_modules.
        nodePaths: [join(projectRoot, "node_modules")],
      });
      figure.sdkOnly = { bytes: statSync(sdkOut).size, loadMs: medianLoadMs(sdkOut, runs), clients };
    }
    figures.push(figure);
  }
  const [empty, ...functions] = figures;
  return { empty: empty!, functions };
}

function medianLoadMs(file: string, runs: number): number {
  const env: Record<string, string> = { ...process.env, AWS_REGION: "ap-northeast-2" } as Record<
    string,
    string
  >;
  for (const name of Object.values(EnvName)) {
    if (name === EnvName.sendingRate) env[name] = JSON.stringify({ sms: 20 });
    else if (name.endsWith("_ARN")) env[name] = "arn:aws:sqs:ap-northeast-2:123456789012:x";
    else if (name.endsWith("_URL")) env[name] = "https://example.com/x";
    else env[name] = "x";
  }
  const script = `const t=performance.now();await import(${JSON.stringify(file)});console.log(performance.now()-t)`;
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const out = spawnSync(process.execPath, ["--input-type=module", "-e", script], { env, encoding: "utf8" });
    if (out.status !== 0) throw new Error(`loading ${file} failed: ${out.stderr}`);
    samples.push(Number(out.stdout.trim()));
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)]!;
}

/** The AWS SDK client packages a bundle holds, from esbuild's list of its inputs. */
function sdkClientPackages(inputs: readonly string[]): string[] {
  const packages = new Set<string>();
  for (const input of inputs) {
    const match = /node_modules\/(@aws-sdk\/(?:client-[\w-]+|lib-dynamodb))\//.exec(input);
    if (match) packages.add(match[1]!);
  }
  return [...packages].sort();
}

/** A module that creates one client of each package at module scope, as Waymark's functions do. */
async function sdkOnlySource(packages: readonly string[]): Promise<string> {
  const lines: string[] = [];
  for (const [index, pkg] of packages.entries()) {
    if (pkg === "@aws-sdk/lib-dynamodb") continue;
    const exported = Object.keys(await import(pkg)).find((k) => /^[A-Z]\w*Client$/.test(k) && k !== "Client");
    if (!exported) throw new Error(`${pkg} exports no client class`);
    lines.push(
      `import { ${exported} as C${index} } from "${pkg}";`,
      `export const c${index} = new C${index}({});`,
    );
  }
  if (packages.includes("@aws-sdk/lib-dynamodb")) {
    lines.push(
      'import { DynamoDBClient as DocumentBase } from "@aws-sdk/client-dynamodb";',
      'import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";',
      "export const documents = DynamoDBDocumentClient.from(new DocumentBase({}));",
    );
  }
  lines.push("export const handler = async () => ({});");
  return `${lines.join("\n")}\n`;
}
