/**
 * `waymark import pinpoint`: Amazon Pinpoint journeys (GetJourney output, or a WriteJourneyRequest) in, a
 * Waymark journey module, its template stubs and a migration report out. Validation first: a journey that
 * does not match the SDK's model is refused with every problem at its JSON path, and nothing is written for
 * it; a draft is imported and says where it is incomplete.
 */
import { existsSync, mkdirSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Catalog } from "../functions/core/catalog/catalog.ts";
import { DEFAULT_LOCALES } from "../functions/core/journey/template.ts";
import { parseCommandArgs } from "./args.ts";
import { CliError, type CliIo, EXIT } from "./io.ts";
import { loadCatalog } from "./load-catalog.ts";
import { DEFAULT_CUSTOMER_ID_FIELD, mapJourney } from "./pinpoint/map-journey.ts";
import { verifyPlan } from "./pinpoint/materialize.ts";
import { readJourneyInputs } from "./pinpoint/read-input.ts";
import { importedReport, type JourneyReport, markdownReport } from "./pinpoint/report.ts";
import { validateJourney } from "./pinpoint/validate-journey.ts";
import { moduleFiles } from "./pinpoint/write-module.ts";

const COMMAND = "waymark import";
const DEFAULT_OUT = "pinpoint-import";

export const help = `Usage: waymark import pinpoint <journey.json | dir> [--out <dir>] [--catalog <file>]
                       [--customer-id <field>] [--waymark <module>] [--force] [--json]

Imports Amazon Pinpoint journeys into Waymark. Each journey is checked against the Pinpoint model of the
AWS SDK first (unknown keys, enum values, dangling activity ids, cycles: every problem with its JSON path);
a valid one is written as a journey module, template stubs named after its Pinpoint templates, and a
migration report listing every activity and setting: mapped to what, approximated how, or not mapped and
why. A draft is imported too, and says where it is incomplete.

Arguments:
  <journey.json | dir>   a file holding \`aws pinpoint get-journey\` output ({"JourneyResponse": ...}),
                         \`list-journeys\` output, a create-journey request or a bare JourneyResponse or
                         WriteJourneyRequest; or a directory of such .json files

Options:
  --out <dir>            where the files go (default: ${DEFAULT_OUT}); per journey <id>.ts,
                         <id>-templates.ts and <id>-report.md
  --catalog <file>       your catalog: its events are used when they match Pinpoint's (by name), its locales
                         get stubs, and its delivery policy is what the suggested one merges into
  --customer-id <field>  the field of a Pinpoint endpoint that is the customer id in events and audience
                         lists (default: ${DEFAULT_CUSTOMER_ID_FIELD}; Id for the endpoint id)
  --waymark <module>     what the modules import Waymark from (default: waymark; a path works too)
  --force                overwrite files that exist (your edits to the stubs are lost)
  --json                 print the reports as JSON instead of a summary
  -h, --help             show this help

Exit status: 0 imported (drafts included, with warnings); 1 a journey is invalid (nothing is written for
it) or a file cannot be read; 2 usage error.

Example:
  aws pinpoint get-journey --application-id <project> --journey-id <journey> > cart.json
  waymark import pinpoint cart.json --out journeys --catalog waymark.config.ts
`;

export async function run(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(COMMAND, {
    args: [...args],
    allowPositionals: true,
    strict: true,
    options: {
      out: { type: "string" },
      catalog: { type: "string" },
      "customer-id": { type: "string" },
      waymark: { type: "string" },
      force: { type: "boolean" },
      json: { type: "boolean" },
    },
  });
  const [source, target, ...extra] = positionals;
  if (source !== "pinpoint")
    throw new CliError(
      source === undefined
        ? "import from what? e.g. waymark import pinpoint journey.json"
        : `unknown source ${JSON.stringify(source)}: waymark imports from pinpoint`,
    );
  if (target === undefined)
    throw new CliError(
      "which journey? name a JSON file (aws pinpoint get-journey output) or a directory of them",
    );
  if (extra.length > 0) throw new CliError(`unexpected argument ${extra[0]} — one file or directory per run`);
  if (!existsSync(path.resolve(io.cwd, target))) throw new CliError(`${target}: no such file or directory`);
  const catalog =
    values.catalog === undefined ? undefined : (await loadCatalog(values.catalog, io.cwd)).catalog;
  const out = path.resolve(io.cwd, values.out ?? DEFAULT_OUT);
  if (existsSync(out) && !statSync(out).isDirectory())
    throw new CliError(`--out ${values.out}: not a directory`);
  const waymark = importSpecifier(values.waymark ?? "waymark", io.cwd, out);

  const { inputs, problems } = readJourneyInputs(target, io.cwd);
  const reports: JourneyReport[] = problems.map((p) => ({
    file: p.file,
    errors: [{ path: p.path, message: p.message }],
    drafts: [],
  }));
  const written: Record<string, string> = {};
  for (const input of inputs) {
    const validation = validateJourney(input.raw, input.shape, input.root);
    if (!validation.ok) {
      reports.push({
        file: input.file,
        root: input.root,
        errors: validation.errors,
        drafts: validation.drafts,
      });
      continue;
    }
    const plan = mapJourney(validation.value, {
      file: input.file,
      ...(catalog ? { catalog } : {}),
      ...(values["customer-id"] ? { customerIdField: values["customer-id"] } : {}),
    });
    checkPlan(plan, catalog);
    const reportFile = `${plan.journey.id}-report.md`;
    const module = moduleFiles(plan, { waymark, locales: catalog?.locales ?? DEFAULT_LOCALES, reportFile });
    const report = importedReport(plan, {
      module: module.journeyFile,
      templates: module.templatesFile,
      report: reportFile,
      exports: module.exports,
    });
    Object.assign(written, module.files, { [reportFile]: markdownReport(report) });
    reports.push(report);
  }
  const clashes = Object.keys(written).filter((name) => existsSync(path.join(out, name)));
  if (clashes.length > 0 && !values.force)
    throw new CliError(
      `${clashes.map((c) => path.join(values.out ?? DEFAULT_OUT, c)).join(", ")} exist: pass --force to overwrite them (edits to them are lost), or --out another directory`,
    );
  if (Object.keys(written).length > 0) mkdirSync(out, { recursive: true });
  for (const [name, content] of Object.entries(written)) writeFileSync(path.join(out, name), content);

  io.stdout.write(
    values.json ? `${JSON.stringify(reports, null, 2)}\n` : summary(reports, values.out ?? DEFAULT_OUT),
  );
  for (const report of reports) {
    for (const error of report.errors) io.stderr.write(`${report.file}: ${error.path}: ${error.message}\n`);
    for (const draft of report.drafts)
      io.stderr.write(`warning: ${report.file}: ${draft.path}: ${draft.message}\n`);
  }
  return reports.some((r) => r.errors.length > 0) ? EXIT.failed : EXIT.ok;
}

/** A plan that does not build is the importer's bug: said as such, with what defineCatalog found. */
function checkPlan(plan: ReturnType<typeof mapJourney>, catalog: Catalog | undefined): void {
  try {
    verifyPlan(plan, catalog);
  } catch (error) {
    throw new Error(
      `the module generated for ${plan.source.file} (${plan.source.name}) does not build: ${(error as Error).message}`,
      { cause: error },
    );
  }
}

/** A path given for --waymark is made relative to where the modules are written. */
function importSpecifier(given: string, cwd: string, out: string): string {
  if (!given.startsWith(".") && !path.isAbsolute(given)) return given;
  const relative = path.relative(out, path.resolve(cwd, given)).split(path.sep).join("/");
  return relative.startsWith(".") ? relative : `./${relative}`;
}

function summary(reports: readonly JourneyReport[], out: string): string {
  const lines: string[] = [];
  for (const report of reports) {
    if (!report.waymark) {
      lines.push(
        `${report.file}${report.root ? ` (${report.root})` : ""}: not imported, ${report.errors.length} problem(s) (below)`,
      );
      continue;
    }
    const s = report.summary!;
    const w = report.waymark;
    lines.push(
      `${report.pinpoint!.name} → ${w.journeyId}: ${path.join(out, w.module)}, ${path.join(out, w.templates)}`,
      `  ${s.mapped} mapped, ${s.approximated} approximated, ${s["not mapped"]} not mapped, ${s.draft} draft${report.drafts.length > 0 ? ` (${report.drafts.length} warning(s) below)` : ""}; report: ${path.join(out, w.report)}`,
    );
  }
  return `${lines.join("\n")}\n`;
}
