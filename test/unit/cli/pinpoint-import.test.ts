import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { JourneyReport } from "../../../cli/pinpoint/report.ts";
import { REPO_ROOT, runCli, tempFiles } from "./run-cli.ts";

const EXPECTED = path.join(REPO_ROOT, "test/fixtures/pinpoint/expected");

/** `waymark import pinpoint` from the repository (so the reports name the fixtures by their paths), into a temp dir. */
async function importInto(fixture: string, ...args: string[]) {
  const out = tempFiles({}, { catalog: false });
  const run = await runCli(
    ["import", "pinpoint", `test/fixtures/pinpoint/${fixture}`, "--out", out, ...args],
    {
      cwd: REPO_ROOT,
    },
  );
  return { out, ...run, file: (name: string) => readFileSync(path.join(out, name), "utf8") };
}

describe("waymark import pinpoint: valid journeys", () => {
  it.each([
    ["valid/cart-abandonment.json", "cart-abandonment", []],
    ["valid/welcome-series.json", "welcome-series", []],
    ["valid/renewal.json", "renewal-reminder", []],
    ["valid/winback-segment.json", "winback-lapsed", []],
    ["valid/order-feedback.json", "order-feedback", ["--catalog", "waymark.config.ts"]],
  ])("imports %s, and its report is, line by line, the reviewed one", async (fixture, id, args) => {
    const run = await importInto(fixture, ...args);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    for (const name of [`${id}.ts`, `${id}-templates.ts`, `${id}-report.md`])
      expect(existsSync(path.join(run.out, name)), name).toBe(true);
    const expected = readFileSync(path.join(EXPECTED, `${id}-report.md`), "utf8").split("\n");
    expect(run.file(`${id}-report.md`).split("\n")).toEqual(expected);
  });

  it("says what it wrote and how it went, one journey at a time", async () => {
    const run = await importInto("valid/cart-abandonment.json");
    expect(run.stdout).toBe(
      `CartAbandonment → cart-abandonment: ${path.join(run.out, "cart-abandonment.ts")}, ${path.join(run.out, "cart-abandonment-templates.ts")}\n` +
        `  25 mapped, 18 approximated, 3 not mapped, 0 draft; report: ${path.join(run.out, "cart-abandonment-report.md")}\n`,
    );
  });

  it("lists every activity and every setting of the journey in the report", async () => {
    const run = await importInto("valid/welcome-series.json", "--json");
    const [report] = JSON.parse(run.stdout) as JourneyReport[];
    const journey = JSON.parse(
      readFileSync(path.join(REPO_ROOT, "test/fixtures/pinpoint/valid/welcome-series.json"), "utf8"),
    ).WriteJourneyRequest as Record<string, unknown>;
    const paths = report!.items!.map((i) => i.path);
    for (const activity of Object.keys(journey.Activities as object))
      expect(
        paths.some((p) => p.startsWith(`$.WriteJourneyRequest.Activities.${activity}`)),
        activity,
      ).toBe(true);
    for (const setting of Object.keys(journey).filter((k) => k !== "Activities"))
      expect(
        paths.some((p) => p.startsWith(`$.WriteJourneyRequest.${setting}`)),
        setting,
      ).toBe(true);
    expect(report!.summary).toEqual({ mapped: 10, approximated: 15, "not mapped": 3, draft: 0 });
    expect(report!.waymark).toEqual({
      journeyId: "welcome-series",
      module: "welcome-series.ts",
      templates: "welcome-series-templates.ts",
      report: "welcome-series-report.md",
      exports: {
        bundle: "welcomeSeries",
        journey: "welcomeSeriesV1",
        delivery: "welcomeSeriesDelivery",
        templates: "welcomeSeriesTemplates",
      },
    });
  });

  it("writes a module that imports from waymark, with template stubs named after the Pinpoint templates", async () => {
    const run = await importInto("valid/cart-abandonment.json");
    const module = run.file("cart-abandonment.ts");
    expect(module).toContain(
      '} from "waymark";\nimport { cartAbandonmentTemplates } from "./cart-abandonment-templates.ts";',
    );
    expect(module).toContain(
      'export const cartAbandonmentDeployment = {\n  smsSenderId: "SHOPCO",\n  sms: { originationIdentity: "+12065550100" },\n  email: { fromAddress: "shop@example.com" },\n};',
    );
    const templates = run.file("cart-abandonment-templates.ts");
    expect(templates).toContain("// Pinpoint template CartReminder, version 2: sent by ReminderEmail.");
    expect(templates).toContain('id: "cart-abandonment.cart-reminder.v2"');
    expect(templates).toContain(
      'sms: () => "[Stub] Pinpoint template CartReminder (version 2): write this message."',
    );
    expect(templates).toContain('"ko-KR": {');
  });

  it("takes the customer id from another endpoint field when told", async () => {
    const run = await importInto("valid/winback-segment.json", "--customer-id", "Id");
    expect(run.code).toBe(0);
    expect(run.file("winback-lapsed.ts")).toContain(
      'export const winbackLapsedAudience = { journeyId: "winback-lapsed", format: "jsonl", customerIdField: "Id" } as const;',
    );
    expect(run.file("winback-lapsed-report.md")).toContain("is the endpoint's Id;");
  });
});

describe("waymark import pinpoint: drafts and invalid journeys", () => {
  it.each([
    ["draft/half-built.json", "half-built", 6],
    ["draft/just-a-name.json", "just-a-name", 2],
  ])(
    "imports the draft %s with warnings, exit 0, and a report that says where it is incomplete",
    async (fixture, id, warnings) => {
      const run = await importInto(fixture);
      expect(run.code).toBe(0);
      const lines = run.stderr.trimEnd().split("\n");
      expect(lines).toHaveLength(warnings);
      expect(lines.every((l) => l.startsWith(`warning: test/fixtures/pinpoint/${fixture}: $`))).toBe(true);
      expect(run.file(`${id}-report.md`).split("\n")).toEqual(
        readFileSync(path.join(EXPECTED, `${id}-report.md`), "utf8").split("\n"),
      );
    },
  );

  it("refuses an invalid journey with every problem at its JSON path, exit 1, and writes nothing", async () => {
    const run = await importInto("invalid/misspelled.json");
    expect(run.code).toBe(1);
    expect(run.stdout).toBe(
      "test/fixtures/pinpoint/invalid/misspelled.json ($.JourneyResponse): not imported, 8 problem(s) (below)\n",
    );
    expect(run.stderr.split("\n")).toContain(
      'test/fixtures/pinpoint/invalid/misspelled.json: $.JourneyResponse.Activities.Hello.EMAIL.NextActivty: unknown key "NextActivty" — did you mean NextActivity?',
    );
    expect(run.stderr.trimEnd().split("\n")).toHaveLength(8);
    expect(existsSync(path.join(run.out, "misspelled.ts"))).toBe(false);
  });

  it("imports the valid journeys of a directory and refuses the others, exit 1", async () => {
    const run = await importInto("invalid", "--json");
    expect(run.code).toBe(1);
    const reports = JSON.parse(run.stdout) as JourneyReport[];
    expect(reports.map((r) => [path.basename(r.file), r.errors.length, r.waymark?.journeyId])).toEqual([
      ["broken-graph.json", 6, undefined],
      ["invented.json", 2, undefined],
      ["loop.json", 1, undefined],
      ["misspelled.json", 8, undefined],
    ]);
    expect(reports[2]!.errors).toEqual([
      {
        path: "$.Activities.Ask",
        message: "the activities loop: Ask → Wait → Ask (a Pinpoint journey never returns to an activity)",
      },
    ]);
  });
});

describe("waymark import: usage", () => {
  it("names what it imports from, and what is missing", async () => {
    expect(await runCli(["import"])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining("import from what?"),
    });
    expect(await runCli(["import", "braze", "x.json"])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('unknown source "braze": waymark imports from pinpoint'),
    });
    expect(await runCli(["import", "pinpoint", "nowhere.json"])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining("nowhere.json: no such file or directory"),
    });
  });

  it("never overwrites a file without --force", async () => {
    const run = await importInto("valid/order-feedback.json");
    writeFileSync(path.join(run.out, "order-feedback-templates.ts"), "// my messages\n");
    const again = await runCli(
      ["import", "pinpoint", "test/fixtures/pinpoint/valid/order-feedback.json", "--out", run.out],
      { cwd: REPO_ROOT },
    );
    expect(again.code).toBe(2);
    expect(again.stderr).toContain("exist: pass --force to overwrite them");
    expect(run.file("order-feedback-templates.ts")).toBe("// my messages\n");
    const forced = await runCli(
      ["import", "pinpoint", "test/fixtures/pinpoint/valid/order-feedback.json", "--out", run.out, "--force"],
      { cwd: REPO_ROOT },
    );
    expect(forced.code).toBe(0);
    expect(run.file("order-feedback-templates.ts")).toContain("defineTemplate");
  });

  it("is listed in waymark --help", async () => {
    expect((await runCli(["--help"])).stdout).toContain("import pinpoint <journey.json|dir> [--out <dir>]");
    expect((await runCli(["import", "--help"])).stdout).toContain("Usage: waymark import pinpoint");
  });
});
