/**
 * An import plan as the files a team adds to its project: `<journey>.ts` (the events it lacks, the journey,
 * the delivery settings to merge into the catalog, and one object with all of it) and
 * `<journey>-templates.ts` (the template stubs, named after the Pinpoint templates).
 */
import type { LocaleSettings } from "../../functions/core/journey/template.ts";
import { eventFields, eventSamples } from "./materialize.ts";
import { camel } from "./names.ts";
import type { EventField, GeneratedEvent, ImportPlan } from "./plan.ts";
import { Call, Code, docComment, lineComments, SourcePrinter } from "./source.ts";
import { stubText } from "./stub-text.ts";

export interface ModuleFiles {
  /** File name → content. */
  files: Record<string, string>;
  journeyFile: string;
  templatesFile: string;
  /** The module's exports a catalog uses. */
  exports: { bundle: string; journey: string; delivery: string; templates: string; deployment?: string };
}

export function moduleFiles(
  plan: ImportPlan,
  options: { waymark: string; locales: LocaleSettings; reportFile: string },
): ModuleFiles {
  const id = plan.journey.id;
  const name = camel(id);
  const journeyFile = `${id}.ts`;
  const templatesFile = `${id}-templates.ts`;
  const exports = {
    bundle: name,
    journey: `${name}V${plan.journey.version}`,
    delivery: `${name}Delivery`,
    templates: `${name}Templates`,
    ...(Object.keys(plan.deployment).length > 0 ? { deployment: `${name}Deployment` } : {}),
  };
  return {
    files: {
      [journeyFile]: journeyModule(plan, options, exports, templatesFile),
      [templatesFile]: templatesModule(plan, options, exports.templates),
    },
    journeyFile,
    templatesFile,
    exports,
  };
}

function header(plan: ImportPlan, reportFile: string): string[] {
  const s = plan.source;
  const ids = [s.id ? `id ${s.id}` : undefined, s.applicationId ? `project ${s.applicationId}` : undefined]
    .filter((x) => x !== undefined)
    .join(", ");
  return [
    `The Pinpoint journey ${s.name}${ids ? ` (${ids})` : ""}${s.state ? `, ${s.state}` : ""}, imported by \`waymark import pinpoint\` from ${s.file} (${s.root}).`,
    "",
    `Read ${reportFile} before you deploy: it says, for every activity and setting, what it became, what is approximated and what is not mapped.`,
  ];
}

function journeyModule(
  plan: ImportPlan,
  options: { waymark: string; reportFile: string },
  exports: ModuleFiles["exports"],
  templatesFile: string,
): string {
  const printer = new SourcePrinter();
  const names = new Set(["defineJourney"]);
  const blocks: string[] = [];
  for (const event of plan.events) {
    names.add("defineEvent").add("customerEventBase").add("z");
    blocks.push(eventBlock(printer, event));
  }
  blocks.push(journeyBlock(printer, plan, exports.journey));
  names.add("type CatalogDefinition");
  blocks.push(
    `${docComment([
      "What this journey needs of the catalog's delivery policy, merged with what the catalog had (Waymark's defaults, or the catalog given with --catalog): spread it over yours, `delivery: { ...yours, ...this }`.",
      "These settings are catalog-wide: they apply to every journey's messages (the report says which came from this journey).",
      ...(plan.items.some((i) => i.pinpoint.startsWith("marketing messages, in a catalog"))
        ? [
            "The catalog must also set `advertising` (a sender name and a free 080 number): it writes ko-KR marketing messages.",
          ]
        : []),
    ])}\nexport const ${exports.delivery}: CatalogDefinition["delivery"] = ${printer.print(plan.delivery)};`,
  );
  if (exports.deployment !== undefined)
    blocks.push(
      `${docComment(["Settings of the Waymark CDK construct (`new Waymark(stack, id, { ...this, catalog })`): deployment-wide."])}\nexport const ${exports.deployment} = ${printer.print(plan.deployment)};`,
    );
  if (plan.audience)
    blocks.push(
      `${docComment([
        "What an AudienceEntryRequested for this journey carries, besides its audienceId and source (the exported segment, in the stack's audience bucket).",
      ])}\nexport const ${camel(plan.journey.id)}Audience = ${printer.print(plan.audience)} as const;`,
    );
  blocks.push(
    `${docComment(["Everything this module adds to a catalog."])}\nexport const ${exports.bundle} = ${printer.print(
      {
        events: new Code(`[${plan.events.map((e) => e.exportName).join(", ")}]`),
        journeys: new Code(`[${exports.journey}]`),
        templates: new Code(exports.templates),
        delivery: new Code(exports.delivery),
      },
    )};`,
  );
  for (const helper of printer.helpers) names.add(helper);
  return [
    docComment(header(plan, options.reportFile)),
    `import { ${sortImports(names).join(", ")} } from ${JSON.stringify(options.waymark)};`,
    `import { ${exports.templates} } from ${JSON.stringify(`./${templatesFile}`)};`,
    "",
    blocks.join("\n\n"),
    "",
  ].join("\n");
}

function sortImports(names: Set<string>): string[] {
  return [...names].sort((a, b) => a.replace(/^type /, "").localeCompare(b.replace(/^type /, "")));
}

function fieldCode(field: EventField): string {
  const base =
    field.type === "number"
      ? "z.number()"
      : field.type === "strings"
        ? "z.array(z.string().max(256)).max(20)"
        : "z.string().max(4096)";
  return field.required ? base : `${base}.optional()`;
}

function eventBlock(printer: SourcePrinter, event: GeneratedEvent): string {
  const fields = eventFields(event);
  const detail =
    fields.length === 0
      ? "customerEventBase"
      : `customerEventBase.extend(${printer.print(Object.fromEntries(fields.map((f) => [f.name, new Code(fieldCode(f))])), 1)})`;
  return `${docComment([event.description])}\nexport const ${event.exportName} = defineEvent(${printer.print({
    detailType: event.detailType,
    scope: "customer",
    direction: event.direction,
    description: event.description,
    detail: new Code(detail),
    samples: eventSamples(event),
  })});`;
}

/** The journey, its refs and conditions as helper calls, and each node under the Pinpoint activity it came from. */
function journeyBlock(printer: SourcePrinter, plan: ImportPlan, name: string): string {
  const convert = (data: unknown): unknown => {
    if (data instanceof Code || data instanceof Call) return data;
    if (Array.isArray(data)) return data.map(convert);
    if (data === null || typeof data !== "object") return data;
    const record = data as Record<string, unknown>;
    if ("$ref" in record) return printer.value(record as never);
    if ("op" in record) return printer.condition(record as never);
    return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, convert(v)]));
  };
  const { nodes, ...rest } = plan.journey;
  const nodeLines = Object.entries(nodes).map(([id, node]) => {
    const comments = plan.nodeComments[id] ?? [];
    const key = /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(id) ? id : JSON.stringify(id);
    return `${comments.length > 0 ? `${lineComments(comments, "    ")}\n` : ""}    ${key}: ${printer.print(convert(node), 2)},`;
  });
  const body = printer.print(convert({ ...rest, nodes: new Code("NODES") }));
  return `${docComment([plan.journey.description])}\nexport const ${name} = defineJourney(${body.replace(
    "nodes: NODES",
    `nodes: {\n${nodeLines.join("\n")}\n  }`,
  )});`;
}

function templatesModule(
  plan: ImportPlan,
  options: { waymark: string; locales: LocaleSettings },
  name: string,
): string {
  const printer = new SourcePrinter();
  const stubs = plan.templates.map((stub) => {
    const locales = Object.fromEntries(
      options.locales.supported.map((locale) => {
        const text = stubText(stub, locale);
        const fn = (s: string) => new Code(`() => ${JSON.stringify(s)}`);
        return [locale, { sms: fn(text.sms), email: { subject: fn(text.subject), body: fn(text.body) } }];
      }),
    );
    const comment = `Pinpoint template ${stub.pinpointName}${stub.pinpointVersion ? `, version ${stub.pinpointVersion}` : ""}: sent by ${stub.usedBy.join(", ")}.`;
    return `${lineComments([comment], "  ")}\n  defineTemplate(${printer.print(
      { id: stub.id, priority: stub.priority, ...(stub.alsoAs ? { alsoAs: stub.alsoAs } : {}), locales },
      1,
    )}),`;
  });
  return [
    docComment([
      `Template stubs of the Pinpoint journey ${plan.source.name}, one per Pinpoint template (and version) it sends, in every locale of the catalog.`,
      "Each says it is a stub and which Pinpoint template it stands for, so a simulation shows which message went; write the real text (and declare the vars it needs) before you deploy.",
    ]),
    `import { defineTemplate } from ${JSON.stringify(options.waymark)};`,
    "",
    `export const ${name} = [\n${stubs.join("\n")}\n];`,
    "",
  ].join("\n");
}
