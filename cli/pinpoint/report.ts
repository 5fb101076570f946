/**
 * The migration report: for one Pinpoint journey, every activity and setting — mapped to what, approximated
 * how, or not mapped and why — with the draft's gaps, the catalog-wide settings and what to do next. As
 * Markdown (written beside the module) and as JSON (`--json`).
 */
import type { Finding } from "./json-path.ts";
import type { ImportPlan, ItemStatus, ReportItem } from "./plan.ts";

export interface JourneyReport {
  file: string;
  /** Where the journey is in the file. */
  root?: string;
  pinpoint?: { name: string; id?: string; applicationId?: string; state?: string };
  /** Absent when the journey was not imported (it has errors). */
  waymark?: {
    journeyId: string;
    module: string;
    templates: string;
    report: string;
    exports: Record<string, string>;
  };
  errors: Finding[];
  drafts: Finding[];
  summary?: Record<ItemStatus, number>;
  customers?: string;
  items?: ReportItem[];
}

const STATUSES: ItemStatus[] = ["mapped", "approximated", "not mapped", "draft"];

export function summarize(items: readonly ReportItem[]): Record<ItemStatus, number> {
  return Object.fromEntries(STATUSES.map((s) => [s, items.filter((i) => i.status === s).length])) as Record<
    ItemStatus,
    number
  >;
}

export function importedReport(
  plan: ImportPlan,
  files: { module: string; templates: string; report: string; exports: Record<string, string> },
): JourneyReport {
  return {
    file: plan.source.file,
    root: plan.source.root,
    pinpoint: {
      name: plan.source.name,
      ...(plan.source.id ? { id: plan.source.id } : {}),
      ...(plan.source.applicationId ? { applicationId: plan.source.applicationId } : {}),
      ...(plan.source.state ? { state: plan.source.state } : {}),
    },
    waymark: { journeyId: plan.journey.id, ...files },
    errors: [],
    drafts: plan.drafts,
    summary: summarize(plan.items),
    customers: plan.customers,
    items: plan.items,
  };
}

function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

export function markdownReport(report: JourneyReport): string {
  const w = report.waymark!;
  const items = report.items ?? [];
  const s = report.summary!;
  const lines = [
    `# Pinpoint journey ${report.pinpoint!.name} → Waymark journey \`${w.journeyId}\``,
    "",
    `Imported from \`${report.file}\` (\`${report.root}\`)${report.pinpoint!.state ? `, state ${report.pinpoint!.state}` : ""}, into \`${w.module}\` and \`${w.templates}\`.`,
    "",
    `**${items.length} items:** ${s.mapped} mapped, ${s.approximated} approximated, ${s["not mapped"]} not mapped, ${s.draft} draft.`,
    "",
    `**Customers.** ${report.customers}.`,
    "",
  ];
  if (report.drafts.length > 0)
    lines.push(
      "## The draft is incomplete here",
      "",
      ...report.drafts.map((d) => `- \`${d.path}\`: ${d.message}`),
      "",
    );
  lines.push(
    "## Every activity and setting",
    "",
    "| Pinpoint | status | Waymark | how, or why not | at |",
    "|---|---|---|---|---|",
    ...items.map(
      (i) =>
        `| ${cell(i.pinpoint)} | ${i.status}${i.catalogWide ? " (catalog-wide)" : ""} | ${cell(i.waymark)} | ${cell(i.note ?? "")} | \`${cell(i.path)}\` |`,
    ),
    "",
  );
  const wide = items.filter((i) => i.catalogWide);
  if (wide.length > 0)
    lines.push(
      "## Catalog-wide settings",
      "",
      `Waymark keeps these for the whole catalog (or deployment), not one journey: once \`${w.exports.delivery}\` is merged into \`defineCatalog({ delivery })\`${w.exports.deployment ? ` and \`${w.exports.deployment}\` spread into the Waymark construct's props` : ""}, they apply to every journey's messages.`,
      "",
      ...wide.map((i) => `- ${i.pinpoint} → ${i.waymark}`),
      "",
    );
  lines.push(
    "## Next",
    "",
    `1. Write the messages: each stub in \`${w.templates}\` says which Pinpoint template (and version) it stands for.`,
    `2. Add \`${w.exports.bundle}\` from \`${w.module}\` to your catalog: its \`events\`, \`journeys\` and \`templates\`, and \`delivery: { ...yours, ...${w.exports.delivery} }\`.`,
    `3. Simulate: \`npx waymark simulate ${w.journeyId} --events <timeline.jsonl>\` and check each message against what Pinpoint sent.`,
    `4. Run it locally with \`npx waymark start\`, then deploy: \`npx cdk deploy\`${w.exports.deployment ? ` (with \`new Waymark(stack, id, { ...${w.exports.deployment}, catalog })\`)` : ""}.`,
    "",
  );
  return lines.join("\n");
}
