/**
 * Waymark as a consumer gets it: `npm pack` (which builds dist/ through `prepack`), then a fresh project
 * outside the repository that installs the tarball from the registry's point of view — its dependencies
 * resolved anew, nothing from this repository's lock file or node_modules — and uses it with plain `node`.
 *
 * Slow by nature (a build and an `npm install`), so it gets minutes, not seconds; nothing here measures
 * speed.
 */
import { type ChildProcess, type SpawnSyncReturns, spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
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

/** Runtime exports each entry point must have (it may have more). */
const REQUIRED_EXPORTS: Record<string, string[]> = {
  waymark: [
    "Catalog",
    "CatalogError",
    "all",
    "any",
    "customerEventBase",
    "defineCatalog",
    "defineEvent",
    "defineJourney",
    "defineTemplate",
    "eq",
    "exists",
    "gte",
    "lte",
    "not",
    "ref",
    "setAttribute",
    "z",
  ],
  "waymark/cdk": ["Waymark", "WaymarkRuntime", "WaymarkState"],
  "waymark/testing": ["runJourney", "simulate", "TestEventError"],
  "waymark/publisher": ["EventPublisher", "EventValidationError", "PublishError"],
  "waymark/reference": [
    "referenceCatalog",
    "referenceEvents",
    "referenceJourneys",
    "orderPlaced",
    "postPurchaseV1",
  ],
};

/** Imports every entry point; prints its export names and whether zod and constructs are single copies. */
const CHECK_EXPORTS = `
import * as zod from "zod";
import { Construct } from "constructs";
const entries = ${JSON.stringify(Object.keys(REQUIRED_EXPORTS))};
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

/**
 * The consumer's catalog: a custom customer event (CartAbandoned) and a journey on it — a reminder an hour
 * later unless an OrderPlaced for that cart arrives (their own OrderPlaced, with a cartId).
 */
const CONFIG_TS = `
import { customerEventBase, defineCatalog, defineEvent, defineJourney, defineTemplate, eq, identifier, ref, setAttribute, z } from "waymark";

const cartAbandoned = defineEvent({
  detailType: "CartAbandoned",
  scope: "customer",
  direction: "inbound",
  description: "A customer left items in their cart.",
  detail: customerEventBase.extend({ cartId: identifier, items: z.array(z.object({ name: z.string() })).min(1) }),
  context: (state, event) => setAttribute(state, "lastAbandonedCart", event.detail.cartId),
  describe: (detail) => "left cart " + detail.cartId,
  samples: [
    { customerId: "c-1", cartId: "cart-1", items: [{ name: "Trail mug" }] },
    { customerId: "c-1", cartId: "cart-2", items: [{ name: "Summit cap" }], eventId: "e-2" },
  ],
});
const orderPlaced = defineEvent({
  detailType: "OrderPlaced",
  scope: "customer",
  direction: "inbound",
  description: "A customer checked out a cart.",
  detail: customerEventBase.extend({ orderId: identifier, cartId: identifier.optional() }),
  samples: [{ customerId: "c-1", orderId: "o-1" }, { customerId: "c-1", orderId: "o-2", cartId: "cart-2" }],
});

const cartReminder = defineJourney({
  id: "cart-reminder",
  version: 1,
  description: "A reminder an hour after a cart is left, unless it is ordered first.",
  entry: { event: "CartAbandoned", key: ref("event.cartId"), capture: { cartId: ref("event.cartId"), items: ref("event.items") } },
  exitOn: [{ event: "OrderPlaced", when: eq(ref("event.cartId"), ref("vars.cartId")), outcome: "ordered" }],
  start: "wait",
  nodes: {
    wait: { type: "wait", duration: "PT1H", next: "remind" },
    remind: {
      type: "send",
      template: "cart.reminder",
      priority: "service",
      vars: { name: ref("customer.profile.name"), cartId: ref("vars.cartId"), last: ref("customer.attributes.lastAbandonedCart") },
      why: ["cart {vars.cartId} was left an hour ago"],
      next: "done",
    },
    done: { type: "exit", outcome: "reminded" },
  },
});

const text = (v: Record<string, unknown>) => \`Hi \${String(v.name ?? "there")}, cart \${String(v.cartId)} is waiting\`;
export default defineCatalog({
  events: [cartAbandoned, orderPlaced],
  journeys: [cartReminder],
  templates: [
    defineTemplate({
      id: "cart.reminder",
      priority: "service",
      vars: ["cartId"],
      locales: {
        "en-US": { sms: text, email: { subject: () => "Your cart", body: text } },
        "ko-KR": { sms: text, email: { subject: () => "장바구니", body: text } },
      },
    }),
  ],
});
`;

/** The consumer's CDK app: Waymark embedded in a stack of theirs, built for their catalog. */
const APP_TS = `
import { fileURLToPath } from "node:url";
import { App, Stack } from "aws-cdk-lib";
import { Waymark } from "waymark/cdk";

const app = new App();
const stack = new Stack(app, "Shop");
new Waymark(stack, "Waymark", { catalog: fileURLToPath(new URL("./waymark.config.ts", import.meta.url)) });
app.synth();
`;

const profile = {
  "detail-type": "CustomerProfileUpdated",
  time: "2026-03-02T14:00:00Z",
  detail: {
    customerId: "c-1",
    name: "Alex",
    locale: "en-US",
    timeZone: "America/New_York",
    phone: "+12125550123",
  },
};
const TIMELINE = [
  profile,
  {
    "detail-type": "CartAbandoned",
    time: "2026-03-02T15:00:00Z",
    detail: { customerId: "c-1", cartId: "cart-1", items: [{ name: "Trail mug" }] },
  },
  {
    "detail-type": "CartAbandoned",
    time: "2026-03-02T15:05:00Z",
    detail: { customerId: "c-1", cartId: "cart-2", items: [{ name: "Summit cap" }] },
  },
  {
    "detail-type": "OrderPlaced",
    time: "2026-03-02T15:30:00Z",
    detail: { customerId: "c-1", orderId: "o-1", cartId: "cart-2" },
  },
];

/** The consumer's own test code, run by plain node: the catalog on virtual time through waymark/testing. */
const RUN_TS = `
import { runJourney } from "waymark/testing";
import catalog from "./waymark.config.ts";

const timeline = ${JSON.stringify(TIMELINE)};
const result = runJourney({
  catalog,
  journey: "cart-reminder",
  events: timeline.map((e) => ({ detailType: e["detail-type"], detail: e.detail, time: e.time })),
});
console.log(JSON.stringify({
  messages: result.messages.map((m) => [m.at, m.status, m.body, m.why[0]]),
  completed: result.summary.completed,
}));
`;

/** Only for `tsc`: the declarations are real types, not `any` (an unused @ts-expect-error is an error). */
const TYPES_TS = `
import { type JourneyDefinition, ref, z } from "waymark";
import type { WaymarkProps } from "waymark/cdk";
import type { EventPublisherOptions, PublishResult } from "waymark/publisher";
import { referenceJourneys } from "waymark/reference";
import type { RunJourneyOptions } from "waymark/testing";

const schema = z.object({ a: z.string() });
export const good: z.infer<typeof schema> = { a: "x" };
// @ts-expect-error a is a string
export const bad: z.infer<typeof schema> = { a: 1 };
export const props: WaymarkProps = { catalog: "waymark.config.ts", busName: "bus", alarmEmail: "ops@example.com" };
// @ts-expect-error busName is a string
export const badProps: WaymarkProps = { busName: 1 };
export const options: EventPublisherOptions = { busName: "bus", source: "shop.orders" };
// @ts-expect-error source is required
export const badOptions: EventPublisherOptions = { busName: "bus" };
export const ids: string[] = ({ eventIds: ["a"] } satisfies PublishResult).eventIds;
export const id: string = referenceJourneys[0]!.id;
// @ts-expect-error a journey's version is a number
export const version: string = (referenceJourneys[0] as JourneyDefinition).version;
export const journey: RunJourneyOptions["journey"] = "cart-reminder";
export const value = ref("event.orderId");
`;

/** Starts `waymark start` in the project and resolves with its URL once it says it is running. */
function startLocal(cwd: string): Promise<{ url: string; child: ChildProcess; output: () => string }> {
  return new Promise((resolve, reject) => {
    const child = spawn("npx", ["--yes=false", "waymark", "start", "--port", "0"], {
      cwd,
      env,
      detached: true,
    });
    let output = "";
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /is running on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match) resolve({ url: match[1]!, child, output: () => output });
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("error", reject);
    child.on("exit", (code) => reject(new Error(`waymark start exited ${code}:\n${output}`)));
  });
}

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
    // What a team runs: the package and the CDK it builds on (zod comes along as a peer dependency);
    // aws-cdk@2 is the CLI for `cdk synth`.
    must(
      "npm",
      ["install", tarball, "aws-cdk-lib", "constructs", "aws-cdk@2", "--no-audit", "--no-fund"],
      app,
    );
    writeFileSync(path.join(app, "check-exports.mjs"), CHECK_EXPORTS);
    writeFileSync(path.join(app, "waymark.config.ts"), CONFIG_TS);
    writeFileSync(path.join(app, "app.ts"), APP_TS);
    writeFileSync(path.join(app, "cdk.json"), JSON.stringify({ app: "node app.ts" }));
    writeFileSync(path.join(app, "run.ts"), RUN_TS);
    writeFileSync(path.join(app, "types.ts"), TYPES_TS);
    writeFileSync(path.join(app, "timeline.jsonl"), `${TIMELINE.map((e) => JSON.stringify(e)).join("\n")}\n`);
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
    // The console's browser bundle is an asset the runtime serves, not a module: no declarations.
    const consoleAssets = "dist/infra/local/console/assets/";
    expect(files.filter((file) => file.startsWith(consoleAssets)).sort()).toEqual([
      `${consoleAssets}app.css`,
      `${consoleAssets}app.js`,
    ]);
    const javascript = files.filter((file) => file.endsWith(".js") && !file.startsWith(consoleAssets));
    expect(javascript.length).toBeGreaterThan(100);
    for (const file of javascript) expect(files).toContain(file.replace(/\.js$/, ".d.ts"));

    // The README's links go to docs/, which ships with it.
    const outside = files.filter((file) => !file.startsWith("dist/") && !file.startsWith("docs/"));
    expect(outside.sort()).toEqual(["CONTRIBUTING.md", "README.md", "package.json"]);
    expect(files).toContain("docs/journeys.md");
    for (const file of files) {
      expect(file).not.toMatch(/(^|\/)(test|bench|\.ci|scripts)\//);
      expect(file).not.toMatch(/\.test\./);
      expect(file).not.toMatch(/package-lock\.json$|\.tgz$/);
      if (file.endsWith(".ts")) expect(file).toMatch(/\.d\.ts$/);
    }
    // project-template.js holds the source `waymark init` writes for a new project, imports included.
    for (const file of javascript.filter((f) => f !== "dist/cli/project-template.js")) {
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
    const result = JSON.parse(must("node", ["check-exports.mjs"], app)) as {
      exports: Record<string, string[]>;
    };
    for (const [entry, names] of Object.entries(REQUIRED_EXPORTS)) {
      expect(result.exports[entry], entry).toEqual(expect.arrayContaining(names));
    }
    expect(result).toEqual({
      exports: result.exports,
      sameZod: true,
      sameConstructs: true,
      deepImport: "ERR_PACKAGE_PATH_NOT_EXPORTED",
      version: pkg.version,
    });
  });

  it("runs the consumer's catalog in their own TypeScript with plain node, through waymark/testing", () => {
    const result = JSON.parse(must("node", ["run.ts"], app));
    expect(result).toEqual({
      messages: [
        [
          "2026-03-02T16:00:00.000Z",
          "sent",
          "Hi Alex, cart cart-1 is waiting",
          "cart cart-1 was left an hour ago",
        ],
      ],
      completed: { ordered: 1, reminded: 1 },
    });
  });

  it("`npx waymark simulate` finds ./waymark.config.ts and plays the custom event on virtual time", () => {
    const out = must(
      "npx",
      ["--yes=false", "waymark", "simulate", "cart-reminder", "--events", "timeline.jsonl", "--json"],
      app,
    );
    const entries = JSON.parse(out) as {
      kind: string;
      at: string;
      status?: string;
      summary?: string;
      body?: string;
    }[];
    expect(entries.filter((e) => e.kind === "message").map((e) => [e.at, e.status, e.body])).toEqual([
      ["2026-03-02T16:00:00.000Z", "sent", "Hi Alex, cart cart-1 is waiting"],
    ]);
    expect(entries.filter((e) => e.kind === "event").map((e) => e.summary)).toContain("left cart cart-2");
  });

  it("`npx waymark import pinpoint` writes a module that imports waymark, and `waymark simulate` plays it", () => {
    const fixture = path.join(REPO, "test/fixtures/pinpoint/valid/order-feedback.json");
    must("npx", ["--yes=false", "waymark", "import", "pinpoint", fixture, "--out", "pinpoint"], app);
    const dir = path.join(app, "pinpoint");
    expect(readFileSync(path.join(dir, "order-feedback.ts"), "utf8")).toContain('from "waymark";');
    writeFileSync(
      path.join(dir, "waymark.config.ts"),
      [
        'import { defineCatalog } from "waymark";',
        'import { orderFeedback } from "./order-feedback.ts";',
        "export default defineCatalog({",
        "  ...orderFeedback,",
        '  delivery: { ...orderFeedback.delivery, advertising: { senderName: "웨이마크", koreanOptOutNumber: "080-500-4321" } },',
        "});",
        "",
      ].join("\n"),
    );
    const timeline = [
      {
        "detail-type": "CustomerProfileUpdated",
        time: "2026-03-01T00:00:00Z",
        detail: {
          customerId: "kr-1",
          locale: "ko-KR",
          email: "jiwoo@example.com",
          consent: { marketingEmail: true },
        },
      },
      {
        "detail-type": "OrderPlaced",
        time: "2026-03-02T01:00:00Z",
        detail: { customerId: "kr-1", channel: "app", currency: "KRW" },
      },
    ];
    writeFileSync(path.join(dir, "timeline.jsonl"), `${timeline.map((e) => JSON.stringify(e)).join("\n")}\n`);
    const out = must(
      "npx",
      ["--yes=false", "waymark", "simulate", "order-feedback", "--events", "timeline.jsonl", "--json"],
      dir,
    );
    const messages = (
      JSON.parse(out) as { kind: string; at: string; status?: string; template?: string }[]
    ).filter((e) => e.kind === "message");
    expect(messages.map((m) => [m.at, m.template, m.status])).toEqual([
      ["2026-03-05T01:00:00.000Z", "order-feedback.order-feedback", "sent"],
    ]);
  });

  it("`npx waymark start` runs the catalog: PutEvents through the real EventBridgeClient, then /outbox", async () => {
    const local = await startLocal(app);
    try {
      const bus = new EventBridgeClient({
        endpoint: local.url,
        region: "us-east-1",
        credentials: { accessKeyId: "local", secretAccessKey: "local" },
      });
      const post = (route: string, body: unknown) =>
        fetch(`${local.url}${route}`, { method: "POST", body: JSON.stringify(body) });
      await post("/clock", { set: "2026-03-02T14:00:00Z" });
      const put = await bus.send(
        new PutEventsCommand({
          Entries: TIMELINE.slice(0, 3).map((e) => ({
            EventBusName: "waymark",
            Source: "shop",
            DetailType: e["detail-type"],
            Detail: JSON.stringify(e.detail),
          })),
        }),
      );
      expect(put.FailedEntryCount).toBe(0);
      await post("/clock", { advance: "PT2H" });
      const outbox = (await (await fetch(`${local.url}/outbox`)).json()) as {
        notifications: { status: string; template: string; body: string; customerId: string }[];
      };
      // Both carts were left at the same virtual instant, so their reminders are due together: any order.
      expect(outbox.notifications.map((n) => [n.customerId, n.status, n.template, n.body]).sort()).toEqual([
        ["c-1", "sent", "cart.reminder", "Hi Alex, cart cart-1 is waiting"],
        ["c-1", "sent", "cart.reminder", "Hi Alex, cart cart-2 is waiting"],
      ]);
      const customer = (await (await fetch(`${local.url}/customers/c-1`)).json()) as {
        timeline: { summary: string }[];
      };
      expect(customer.timeline.map((t) => t.summary)).toContain("left cart cart-1");

      // The console, from the installed package: its page, and the bundle built into dist/ (no sources there).
      const page = await fetch(`${local.url}/`);
      expect(page.status).toBe(200);
      expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
      expect(page.headers.get("content-security-policy")).toContain("script-src 'self'");
      expect(await page.text()).toContain('<script type="module" src="/console/app.js"></script>');
      const bundle = await fetch(`${local.url}/console/app.js`);
      expect(bundle.status).toBe(200);
      expect(bundle.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
      expect(bundle.headers.get("x-content-type-options")).toBe("nosniff");
      expect((await bundle.text()).length).toBeGreaterThan(10_000);
      expect((await fetch(`${local.url}/console/app.css`)).status).toBe(200);
      const journeys = (await (await fetch(`${local.url}/journeys`)).json()) as {
        journeys: { id: string }[];
      };
      expect(journeys.journeys.map((j) => j.id)).toEqual(["cart-reminder"]);
    } finally {
      process.kill(-local.child.pid!, "SIGINT");
    }
  });

  it("`npx cdk synth` of the consumer's app bundles their journey into the engine and routes their event", () => {
    must("npx", ["--yes=false", "cdk", "synth", "--quiet"], app);
    const template = JSON.parse(readFileSync(path.join(app, "cdk.out", "Shop.template.json"), "utf8")) as {
      Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
    };
    const resources = Object.values(template.Resources);
    const engine = resources.find(
      (r) =>
        r.Type === "AWS::Lambda::Function" && String(r.Properties.Description).includes("journey engine"),
    );
    const key = String((engine!.Properties.Code as { S3Key: string }).S3Key).replace(/\.zip$/, "");
    const bundle = readFileSync(path.join(app, "cdk.out", `asset.${key}`, "index.mjs"), "utf8");
    expect(bundle).toContain("cart-reminder");
    expect(bundle).toContain("CartAbandoned");
    const patterns = resources
      .filter((r) => r.Type === "AWS::Events::Rule")
      .map((r) => r.Properties.EventPattern as Record<string, unknown>);
    expect(patterns).toContainEqual(
      expect.objectContaining({ "detail-type": expect.arrayContaining(["CartAbandoned", "OrderPlaced"]) }),
    );
    const schemas = resources
      .filter((r) => r.Type === "AWS::EventSchemas::Schema")
      .map((r) => r.Properties.SchemaName);
    expect(schemas.join(" ")).toContain("CartAbandoned");
  });

  it("`npx waymark init demo-app` scaffolds a project whose `npm install && npm test` passes", () => {
    must("npx", ["--yes=false", "waymark", "init", "demo-app", "--waymark", tarball], app);
    const demo = path.join(app, "demo-app");
    for (const file of ["waymark.config.ts", "infra/app.ts", "test/cart-reminder.test.ts", "package.json"]) {
      expect(readdirSync(path.dirname(path.join(demo, file)))).toContain(path.basename(file));
    }
    const scripts = (JSON.parse(readFileSync(path.join(demo, "package.json"), "utf8")) as { scripts: object })
      .scripts;
    expect(Object.keys(scripts)).toEqual(expect.arrayContaining(["start", "test", "synth", "deploy"]));
    must("npm", ["install", "--no-audit", "--no-fund"], demo);
    const test = must("npm", ["test"], demo);
    expect(test).toMatch(/3 passed/);
    const refused = run("npx", ["--yes=false", "waymark", "init", "demo-app"], app);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain("is not empty");
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
        include: ["waymark.config.ts", "types.ts"],
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

  it("runs `npx waymark --help`", () => {
    const help = run("npx", ["--yes=false", "waymark", "--help"], app);
    expect(help.stderr).toBe("");
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^Usage: waymark <command> \[options\]\n/);
    expect(help.stdout).toMatch(/\n {2}start /);
    expect(help.stdout).toMatch(/\n {2}init /);
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
