import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { App, RemovalPolicy, Stack } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Waymark } from "../../infra/waymark.ts";
import { importedProject, REPO } from "../support/pinpoint-import.ts";
import { props, resourcesOfType } from "./template.ts";

const SYNTH_TIMEOUT = 180_000;

// Inside the repository (test-artifacts/ is ignored): bundling starts from the project that holds the
// catalog, its lock file's directory, as in a team's project.
const dir = path.join(REPO, "test-artifacts", `pinpoint-synth-${process.pid}`);
let outdir: string;
let template: Template;

beforeAll(async () => {
  const catalog = await importedProject("valid/welcome-series.json", dir, {
    id: "welcome-series",
    exportName: "welcomeSeries",
  });
  outdir = mkdtempSync(path.join(tmpdir(), "waymark-pinpoint-synth-"));
  const app = new App({ outdir });
  const stack = new Stack(app, "Journeys");
  new Waymark(stack, "Waymark", { catalog, removalPolicy: RemovalPolicy.DESTROY });
  app.synth();
  template = Template.fromStack(stack);
}, SYNTH_TIMEOUT);

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  if (outdir) rmSync(outdir, { recursive: true, force: true });
});

describe("cdk synth of a catalog holding an imported Pinpoint journey", { timeout: SYNTH_TIMEOUT }, () => {
  it("routes the imported events to ingest and publishes their schemas", () => {
    const routed = resourcesOfType(template, "AWS::Events::Rule").flatMap(([, rule]) => {
      const pattern = props(rule).EventPattern as { "detail-type"?: unknown[] };
      return (pattern["detail-type"] ?? []).filter((t): t is string => typeof t === "string");
    });
    expect(routed).toContain("UserSignedUp");
    expect(routed).toContain("AudienceEntryRequested");
    const schemas = resourcesOfType(template, "AWS::EventSchemas::Schema").map(([, s]) =>
      String(props(s).SchemaName),
    );
    expect(schemas.some((name) => name.includes("UserSignedUp"))).toBe(true);
    expect(schemas.some((name) => name.includes("WelcomeSeriesCustomActivity"))).toBe(true);
  });

  it("bundles the catalog, imported journey included, into the functions that run it", () => {
    const bundles = readdirSync(outdir)
      .filter((name) => name.startsWith("asset.") && existsSync(path.join(outdir, name, "index.mjs")))
      .map((name) => readFileSync(path.join(outdir, name, "index.mjs"), "utf8"));
    // Ingest, engine and fan-out run the catalog.
    expect(
      bundles.filter((code) => code.includes("WelcomeSeriesCustomActivity")).length,
    ).toBeGreaterThanOrEqual(3);
  });
});
