/**
 * Waymark as a consumer gets it: `npm pack` (which builds dist/ through `prepack`), then a fresh project
 * outside the repository that installs the tarball from the registry's point of view — its dependencies
 * resolved anew, nothing from this repository's lock file or node_modules — and uses it with plain `node`.
 *
 * Slow by nature (a build and an `npm install`), so it gets minutes, not seconds; nothing here measures
 * speed.
 */
import { type SpawnSyncReturns, spawnSync } from "node:child_process";
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const REPO = fileURLToPath(new URL("../../", import.meta.url));
const pkg = JSON.parse(readFileSync(path.join(REPO, "package.json"), "utf8")) as {
  version: string;
  exports: Record<string, string | { types: string; default: string }>;
  peerDependencies: Record<string, string>;
};

/**
 * The environment of every child: this Node.js first on PATH (npm's `#!/usr/bin/env node` must not find
 * an older one), and none of the variables `npm test` sets that describe this repository.
 */
const env: NodeJS.ProcessEnv = Object.fromEntries(
  Object.entries(process.env).filter(
    ([name]) =>
      !/^(npm_package_|npm_lifecycle_|VITEST)/.test(name) &&
      !["npm_config_local_prefix", "INIT_CWD", "NODE_ENV"].includes(name),
  ),
);
env.PATH = `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ""}`;
env.NO_COLOR = "1";

function run(command: string, args: readonly string[], cwd: string): SpawnSyncReturns<string> {
  return spawnSync(command, args, { cwd, env, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
}

/** Runs a command that must succeed; a failure shows everything it printed. */
function must(command: string, args: readonly string[], cwd: string): string {
  const result = run(command, args, cwd);
  if (result.status !== 0) {
    throw new Error(
      `${command} ${args.join(" ")} (in ${cwd}) exited ${result.status ?? result.signal}\n` +
        `${result.error?.message ?? ""}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`,
    );
  }
  return result.stdout;
}

/** `process.versions.node` faked before any module loads, to see the installed bin's version guard. */
const OLD_NODE = `data:text/javascript,${encodeURIComponent(
  'Object.defineProperty(process, "versions", { value: { ...process.versions, node: "20.11.1" } });',
)}`;

/** The runtime exports of each entry point, exactly: the package's public surface. */
const EXPECTED_EXPORTS: Record<string, string[]> = {
  waymark: [
    "JourneyCatalog",
    "JourneyDefinitionError",
    "all",
    "any",
    "defineEvent",
    "defineJourney",
    "defineTemplate",
    "eq",
    "gte",
    "lte",
    "productSummary",
    "ref",
    "text",
    "z",
  ],
  "waymark/cdk": ["Waymark", "WaymarkRuntime", "WaymarkState"],
  "waymark/testing": ["MAX_TIMER_FIRINGS", "SimulationError", "simulate"],
  "waymark/publisher": [
    "DEFAULT_BUS_NAME",
    "EventPublisher",
    "EventValidationError",
    "MAX_ENTRIES_PER_REQUEST",
    "MAX_REQUEST_BYTES",
    "PublishError",
  ],
  "waymark/reference": [
    "agentEscalationRequested",
    "allEvents",
    "customerLocationUpdated",
    "customerProfileUpdated",
    "dataUsageUpdated",
    "emittedEvents",
    "inboundEvents",
    "journeyCatalog",
    "journeyCompleted",
    "notificationOptOut",
    "notificationSent",
    "notificationSuppressed",
    "orderDelivered",
    "orderPlaced",
    "orderReturned",
    "productRecallIssued",
    "recallResolved",
    "referenceCalculators",
    "referenceJourneys",
    "referenceTemplates",
    "storeInventoryUpdated",
    "surveyResponded",
    "travelRestrictionIssued",
  ],
};

/** Imports every entry point; prints its export names and whether zod and constructs are single copies. */
const CHECK_EXPORTS = `
import * as zod from "zod";
import { Construct } from "constructs";
const entries = ${JSON.stringify(Object.keys(EXPECTED_EXPORTS))};
const names = {};
for (const entry of entries) names[entry] = Object.keys(await import(entry)).sort();
const { z } = await import("waymark");
const { Waymark } = await import("waymark/cdk");
let deepImport = "allowed";
try {
  await import("waymark/dist/api/index.js");
} catch (error) {
  deepImport = error.code;
}
const { default: manifest } = await import("waymark/package.json", { with: { type: "json" } });
console.log(JSON.stringify({
  exports: names,
  sameZod: z === zod,
  sameConstructs: Waymark.prototype instanceof Construct,
  deepImport,
  version: manifest.version,
}));
`;

/** The consumer's own TypeScript, run by plain `node` (types stripped) and checked by `tsc`. */
const JOURNEY_TS = `
import { defineJourney, defineTemplate, JourneyCatalog, type JourneyDefinition, ref, z } from "waymark";
import { orderDelivered } from "waymark/reference";
import { type SimulationResult, simulate } from "waymark/testing";

const thankYou: Readonly<JourneyDefinition> = defineJourney({
  id: "thank-you",
  version: 1,
  description: "A thank-you a day after delivery.",
  entry: { event: "OrderDelivered", key: ref("event.orderId"), capture: { orderId: ref("event.orderId") } },
  exitOn: [],
  start: "wait",
  nodes: {
    wait: { type: "wait", duration: "P1D", next: "thank" },
    thank: {
      type: "send",
      template: "thank-you",
      priority: "service",
      vars: { orderId: ref("vars.orderId") },
      why: ["delivered a day ago"],
      next: "done",
    },
    done: { type: "exit", outcome: "thanked" },
  },
});
const message = (text: string) => ({ sms: () => text, email: { subject: () => text, body: () => text } });
const catalog = new JourneyCatalog(
  [thankYou],
  [defineTemplate({ id: "thank-you", priority: "service", locales: { "en-US": message("Thanks!"), "ko-KR": message("감사합니다") } })],
);
const detail = orderDelivered.detail.parse({ customerId: "cust-1", orderId: "A-1" });
const time = "2026-03-02T00:00:00Z";
const result: SimulationResult = simulate({
  journey: thankYou,
  catalog,
  start: "2026-03-01T00:00:00Z",
  until: "2026-03-10T00:00:00Z",
  events: [
    {
      input: "line 1",
      time,
      event: { detailType: "OrderDelivered", detail, source: "shop", envelopeId: "e-1", eventId: "e-1", occurredAt: time },
    },
  ],
});
const note = z.object({ text: z.string() }).parse({ text: "ok" });
console.log(JSON.stringify({ id: thankYou.id, frozen: Object.isFrozen(thankYou), summary: result.summary, note }));
`;

/** Only for `tsc`: the declarations are real types, not `any` (an unused @ts-expect-error is an error). */
const TYPES_TS = `
import { type JourneyDefinition, ref, z } from "waymark";
import type { WaymarkProps } from "waymark/cdk";
import type { EventPublisherOptions, PublishResult } from "waymark/publisher";
import { referenceJourneys } from "waymark/reference";
import type { SimulationOptions } from "waymark/testing";

const schema = z.object({ a: z.string() });
export const good: z.infer<typeof schema> = { a: "x" };
// @ts-expect-error a is a string
export const bad: z.infer<typeof schema> = { a: 1 };
export const props: WaymarkProps = { busName: "bus", alarmEmail: "ops@example.com" };
// @ts-expect-error busName is a string
export const badProps: WaymarkProps = { busName: 1 };
export const options: EventPublisherOptions = { busName: "bus", source: "shop.orders" };
// @ts-expect-error source is required
export const badOptions: EventPublisherOptions = { busName: "bus" };
export const ids: string[] = ({ eventIds: ["a"] } satisfies PublishResult).eventIds;
export const id: string = referenceJourneys[0]!.id;
// @ts-expect-error a journey's version is a number
export const version: string = (referenceJourneys[0] as JourneyDefinition).version;
export const until: SimulationOptions["until"] = "2026-03-10T00:00:00Z";
export const value = ref("event.orderId");
`;

describe("the npm package, installed in a fresh project", () => {
  let work: string;
  let app: string;
  let tarball: string;
  let files: string[];
  let unpacked: string;

  beforeAll(() => {
    work = mkdtempSync(path.join(tmpdir(), "waymark-consumer-"));
    must("npm", ["pack", "--pack-destination", work], REPO);
    const packed = readdirSync(work).filter((name) => name.endsWith(".tgz"));
    expect(packed).toHaveLength(1);
    tarball = path.join(work, packed[0]!);
    files = must("tar", ["-tzf", tarball], work)
      .split("\n")
      .filter((line) => line !== "" && !line.endsWith("/"))
      .map((line) => line.replace(/^package\//, ""));
    unpacked = path.join(work, "unpacked");
    mkdirSync(unpacked);
    must("tar", ["-xzf", tarball, "-C", unpacked], work);

    app = path.join(work, "app");
    mkdirSync(app);
    must("npm", ["init", "-y"], app);
    must("npm", ["pkg", "set", "type=module"], app);
    must("npm", ["install", tarball, "aws-cdk-lib", "constructs", "zod", "--no-audit", "--no-fund"], app);
    writeFileSync(path.join(app, "check-exports.mjs"), CHECK_EXPORTS);
    writeFileSync(path.join(app, "journey.ts"), JOURNEY_TS);
    writeFileSync(path.join(app, "types.ts"), TYPES_TS);
  });

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it("packs compiled JavaScript and declarations, and nothing of the repository's development", () => {
    expect(files).toContain("package.json");
    expect(files).toContain("README.md");
    expect(files).toContain("dist/bin/waymark.js");
    for (const target of Object.values(pkg.exports)) {
      for (const file of typeof target === "string" ? [target] : [target.types, target.default]) {
        expect(files).toContain(file.replace(/^\.\//, ""));
      }
    }
    const javascript = files.filter((file) => file.endsWith(".js"));
    expect(javascript.length).toBeGreaterThan(100);
    for (const file of javascript) expect(files).toContain(file.replace(/\.js$/, ".d.ts"));

    const outside = files.filter((file) => !file.startsWith("dist/"));
    expect(outside.sort()).toEqual(["README.md", "package.json"]);
    for (const file of files) {
      expect(file).not.toMatch(/(^|\/)(test|bench|\.ci|scripts)\//);
      expect(file).not.toMatch(/\.test\./);
      expect(file).not.toMatch(/package-lock\.json$|\.tgz$/);
      if (file.endsWith(".ts")) expect(file).toMatch(/\.d\.ts$/);
    }
    for (const file of javascript) {
      const source = readFileSync(path.join(unpacked, "package", file), "utf8");
      expect(source, file).not.toMatch(/(from\s*|import\s*\(\s*|import\s+)["']\.{1,2}\/[^"']*\.ts["']/);
    }
  });

  it("resolves one copy of each peer dependency", () => {
    for (const name of Object.keys(pkg.peerDependencies)) {
      const copies = new Set(must("npm", ["ls", name, "--all", "--parseable"], app).trim().split("\n"));
      expect([...copies], name).toHaveLength(1);
    }
  });

  it("imports every entry point from plain node, with the expected exports and no deep imports", () => {
    const result = JSON.parse(must("node", ["check-exports.mjs"], app)) as Record<string, unknown>;
    expect(result).toEqual({
      exports: EXPECTED_EXPORTS,
      sameZod: true,
      sameConstructs: true,
      deepImport: "ERR_PACKAGE_PATH_NOT_EXPORTED",
      version: pkg.version,
    });
  });

  it("runs the consumer's own TypeScript with plain node: a journey defined, catalogued and simulated", () => {
    const result = JSON.parse(must("node", ["journey.ts"], app));
    expect(result).toMatchObject({
      id: "thank-you",
      frozen: true,
      note: { text: "ok" },
      summary: {
        journeyId: "thank-you",
        customers: 1,
        events: { total: 1, duplicates: 0, notConsumed: 0 },
        completed: { thanked: 1 },
        running: 0,
        timersFired: 1,
      },
    });
  });

  it("type-checks the consumer's TypeScript against the shipped declarations", () => {
    writeFileSync(
      path.join(app, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          module: "nodenext",
          target: "es2024",
          lib: ["es2024", "dom"],
          types: [],
          strict: true,
          noEmit: true,
          // Waymark's declarations are checked, not skipped. Other packages' declarations need @types/node,
          // which this project does not install, so their errors are left out below.
          skipLibCheck: false,
        },
        include: ["journey.ts", "types.ts"],
      }),
    );
    const tsc = run(
      process.execPath,
      [path.join(REPO, "node_modules/typescript/bin/tsc"), "-p", ".", "--listFiles"],
      app,
    );
    expect(tsc.stderr).toBe("");
    const lines = tsc.stdout.split("\n");
    const errors = lines.filter((line) => /^\S.*\(\d+,\d+\): error TS/.test(line));
    const ours = errors.filter(
      (line) => !line.startsWith("node_modules/") || line.startsWith("node_modules/waymark/"),
    );
    expect(ours).toEqual([]);
    // Every entry point's declarations took part (resolved through `exports`, not guessed).
    for (const target of Object.values(pkg.exports)) {
      if (typeof target === "string") continue;
      const declaration = path.join(app, "node_modules/waymark", target.types);
      expect(lines, declaration).toContain(declaration);
    }
  });

  it("runs `npx waymark`: --help prints the usage, and a simulation matches the repository's CLI", () => {
    const help = run("npx", ["--yes=false", "waymark", "--help"], app);
    expect(help.stderr).toBe("");
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^Usage: waymark <command> \[options\]\n/);

    const fixture = path.join(REPO, "test/unit/cli/fixtures/post-purchase-seoul.jsonl");
    copyFileSync(fixture, path.join(app, "timeline.jsonl"));
    const args = ["simulate", "post-purchase", "--events", "timeline.jsonl", "--json"];
    const installed = must("npx", ["--yes=false", "waymark", ...args], app);
    const source = must(process.execPath, [path.join(REPO, "bin/waymark.ts"), ...args], app);
    expect(JSON.parse(installed)).toEqual(JSON.parse(source));
  });

  it("the installed command says which Node.js it needs, in one line, on an old one", () => {
    const result = run(process.execPath, ["--import", OLD_NODE, "node_modules/.bin/waymark", "--help"], app);
    expect(result.stdout).toBe("");
    expect(result.stderr).toBe(
      "waymark needs Node.js 24 or newer; this is Node.js v20.11.1 — see .nvmrc / https://nodejs.org\n",
    );
    expect(result.status).toBe(1);
  });
});
