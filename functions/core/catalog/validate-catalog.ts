/**
 * The mistakes a catalog can hold, caught when it is built rather than when a customer's input first
 * reaches the broken node: unknown events, templates and calculators, refs to roots or fields that do not
 * exist, template vars no `send` provides, loops that never wait, locales a template lacks. Every problem
 * names the journey, the node and the path, and all of them are reported at once.
 */
import type { z } from "zod";
import { advertisingProblems, markAdvertisement } from "../guardrails/ad-marking.ts";
import type { Advertising } from "../guardrails/delivery-policy.ts";
import { countSmsSegments } from "../guardrails/sms-segments.ts";
import { successors } from "../journey/define-journey.ts";
import {
  awaitedEvents,
  type Condition,
  type JourneyDefinition,
  type JourneyNode,
  type Value,
  type ValueRef,
} from "../journey/definition.ts";
import {
  DEFAULT_MAX_SMS_SEGMENTS,
  type LocaleSettings,
  type MessageTemplate,
  renderTemplate,
} from "../journey/template.ts";
import type { AnyEventDescriptor } from "./define-event.ts";

/** A catalog that does not hold together; `problems` lists every one, each naming where it is. */
export class CatalogError extends Error {
  override name = "CatalogError";
  readonly problems: readonly string[];

  constructor(problems: string | readonly string[]) {
    const list = typeof problems === "string" ? [problems] : problems;
    super(
      list.length === 1
        ? `invalid catalog: ${list[0]}`
        : `invalid catalog, ${list.length} problems:\n${list.map((p) => `  - ${p}`).join("\n")}`,
    );
    this.problems = list;
  }
}

/** What validation reads of a catalog (kept structural so this module does not import the class). */
export interface CatalogView {
  readonly journeys: readonly Readonly<JourneyDefinition>[];
  readonly locales: LocaleSettings;
  readonly delivery: { readonly advertising?: Advertising };
  event(detailType: string): AnyEventDescriptor | undefined;
  template(id: string): MessageTemplate | undefined;
  templates(): MessageTemplate[];
  calculator(name: string): unknown;
}

/** The roots a ref may start with, and what may follow some of them. */
const INSTANCE_FIELDS = ["id", "key", "startedAt", "shortId"];
const CUSTOMER_FIELDS = ["profile", "consent", "usage", "optOuts", "sends", "attributes"];
/** Added to every event's detail in the scope, whatever its schema. */
const EVENT_META_FIELDS = ["eventId", "occurredAt", "detailType"];
const WAIT_TYPES = new Set<JourneyNode["type"]>(["wait", "waitUntil", "waitUntilLocalTime", "waitForEvent"]);

export function validateCatalog(catalog: CatalogView): void {
  const problems: string[] = [];
  const { supported, fallback } = catalog.locales;
  if (supported.length === 0) problems.push("locales.supported is empty");
  if (!supported.includes(fallback)) {
    problems.push(`locales.fallback ${fallback} is not one of locales.supported (${supported.join(", ")})`);
  }
  for (const template of catalog.templates()) {
    for (const locale of supported) {
      if (!Object.hasOwn(template.locales, locale)) {
        problems.push(
          `template ${template.id}: no ${locale} text (the catalog supports ${supported.join(", ")})`,
        );
      }
    }
  }
  const marketing = catalog
    .templates()
    .some((t) => t.priority === "marketing" || (t.alsoAs ?? []).includes("marketing"));
  const advertising = advertisingProblems(supported, marketing, catalog.delivery.advertising);
  problems.push(...advertising);
  if (advertising.length === 0)
    for (const template of catalog.templates())
      problems.push(...smsBudgetProblems(template, supported, catalog.delivery.advertising));
  for (const journey of catalog.journeys) problems.push(...new JourneyCheck(catalog, journey).run());
  if (problems.length > 0) throw new CatalogError(problems);
}

/** Each locale's SMS, rendered with each sample (ad marking included), within the template's budget. */
function smsBudgetProblems(
  template: MessageTemplate,
  locales: readonly string[],
  advertising: Advertising | undefined,
): string[] {
  const problems: string[] = [];
  const max = template.maxSmsSegments ?? DEFAULT_MAX_SMS_SEGMENTS;
  const priorities = [template.priority, ...(template.alsoAs ?? [])];
  for (const [index, vars] of (template.samples ?? []).entries()) {
    for (const locale of locales) {
      if (!Object.hasOwn(template.locales, locale)) continue;
      for (const priority of priorities) {
        const segments = (short: boolean) =>
          countSmsSegments(
            markAdvertisement(
              renderTemplate(template, locale, "sms", vars, { short }).body,
              locale,
              "sms",
              priority,
              advertising,
            ),
          ).segments;
        let full: number;
        let short: number | undefined;
        try {
          full = segments(false);
          if (full <= max) continue;
          short = template.locales[locale]!.smsShort ? segments(true) : undefined;
        } catch (error) {
          problems.push(
            `template ${template.id}: ${locale} SMS with samples[${index}] threw: ${(error as Error).message}`,
          );
          continue;
        }
        if (short !== undefined && short <= max) continue;
        problems.push(
          `template ${template.id}: ${locale} SMS with samples[${index}] is ${short ?? full} segments, over its ` +
            `maxSmsSegments ${max}${short === undefined ? " (shorten it, or add an smsShort)" : " even as smsShort"}`,
        );
      }
    }
  }
  return problems;
}

class JourneyCheck {
  readonly #catalog: CatalogView;
  readonly #journey: Readonly<JourneyDefinition>;
  readonly #label: string;
  readonly #vars: Set<string>;
  readonly problems: string[] = [];

  constructor(catalog: CatalogView, journey: Readonly<JourneyDefinition>) {
    this.#catalog = catalog;
    this.#journey = journey;
    this.#label = `journey ${journey.id}@${journey.version}`;
    this.#vars = declaredVars(journey);
  }

  run(): string[] {
    const { entry, exitOn, nodes } = this.#journey;
    const entryEvent = this.#inboundEvent(entry.event, "entry.event", true);
    const entrySchema = entryEvent?.scope === "customer" ? entryEvent.detail : undefined;
    this.#value(entry.key, "entry.key", entrySchema, false);
    if (entry.when) this.#condition(entry.when, "entry.when", entrySchema, false);
    for (const [name, value] of Object.entries(entry.capture)) {
      this.#value(value, `entry.capture.${name}`, entrySchema, false);
    }
    if (this.#journey.order !== undefined) this.#value(this.#journey.order, "order", undefined, true);
    exitOn.forEach((exit, i) => {
      const event = this.#inboundEvent(exit.event, `exitOn[${i}].event`, false);
      this.#condition(exit.when, `exitOn[${i}].when`, event?.detail, true);
    });
    for (const [id, node] of Object.entries(nodes)) this.#node(id, node);
    this.#measurement();
    this.#loops();
    return this.problems;
  }

  /** The goal, the holdout and NPS (docs/measurement.md). */
  #measurement(): void {
    const { goal, holdout, nps, nodes } = this.#journey;
    if (goal) {
      const event = this.#inboundEvent(goal.event, "goal.event", false);
      if (goal.when) this.#condition(goal.when, "goal.when", event?.detail, true);
    }
    if (holdout) {
      for (const [id, node] of Object.entries(nodes)) {
        if (node.type === "send" && node.priority === "safety")
          this.#problem(
            "holdout",
            `node ${id} sends a safety message: a holdout suppresses every message, so a journey with safety messages cannot have one`,
          );
      }
    }
    if (nps) {
      const event = this.#inboundEvent(nps.event, "nps.event", false);
      if (event && !hasPath(event.detail, [nps.scoreField]))
        this.#problem("nps.scoreField", `${nps.event} has no field ${nps.scoreField}`);
      const waits = Object.values(nodes).some(
        (node) => node.type === "waitForEvent" && awaitedEvents(node).includes(nps.event),
      );
      if (!waits)
        this.#problem(
          "nps.event",
          `no waitForEvent in the journey waits for ${nps.event}: no answer would be recorded`,
        );
    }
    const experiments = new Set<string>();
    for (const [id, node] of Object.entries(nodes)) {
      if (node.type !== "split") continue;
      if (experiments.has(node.experiment))
        this.#problem(
          `node ${id}.experiment`,
          `experiment ${node.experiment} is split twice in this journey`,
        );
      experiments.add(node.experiment);
      const names = node.variants.map((v) => v.name);
      if (new Set(names).size !== names.length)
        this.#problem(`node ${id}.variants`, `variant names repeat: ${names.join(", ")}`);
    }
  }

  #problem(where: string, message: string): void {
    this.problems.push(`${this.#label}: ${where}: ${message}`);
  }

  #inboundEvent(detailType: string, where: string, mayBeGlobal: boolean): AnyEventDescriptor | undefined {
    const event = this.#catalog.event(detailType);
    if (!event) {
      this.#problem(where, `event ${detailType} is not in the catalog — add its defineEvent to events`);
      return undefined;
    }
    if (event.direction !== "inbound") {
      this.#problem(where, `${detailType} is emitted by Waymark, journeys cannot wait for it`);
    } else if (
      event.scope === "global" &&
      !(mayBeGlobal && (event.reach?.kind === "owners" || event.reach?.kind === "audience"))
    ) {
      this.#problem(
        where,
        mayBeGlobal
          ? `${detailType} is global and reaches no customer (reach.kind must be "owners" or "audience")`
          : `${detailType} is global: only a journey's entry can be a global event`,
      );
    }
    return event;
  }

  #node(id: string, node: JourneyNode): void {
    const at = `node ${id}`;
    switch (node.type) {
      case "wait":
      case "waitUntil":
      case "exit":
      case "split":
        return;
      case "waitUntilLocalTime":
        this.#value(node.from, `${at}.from`, undefined, true);
        return;
      case "waitForEvent": {
        const several = typeof node.event !== "string";
        for (const [i, detailType] of awaitedEvents(node).entries()) {
          const event = this.#inboundEvent(detailType, several ? `${at}.event[${i}]` : `${at}.event`, false);
          if (event && !hasPath(event.detail, [node.correlate.eventField])) {
            this.#problem(
              `${at}.correlate.eventField`,
              `${detailType} has no field ${node.correlate.eventField}`,
            );
          }
        }
        if (!this.#vars.has(node.correlate.varName)) {
          this.#problem(`${at}.correlate.varName`, this.#unknownVar(node.correlate.varName));
        }
        return;
      }
      case "branch":
        for (const [i, c] of node.cases.entries())
          this.#condition(c.when, `${at}.cases[${i}].when`, undefined, true);
        return;
      case "assign":
        for (const [name, value] of Object.entries(node.vars))
          this.#value(value, `${at}.vars.${name}`, undefined, true);
        return;
      case "compute":
        if (!this.#catalog.calculator(node.calculator)) {
          this.#problem(
            `${at}.calculator`,
            `calculator ${node.calculator} is not in the catalog's calculators`,
          );
        }
        return;
      case "send":
        this.#send(at, node);
        return;
      case "emit":
        this.#emit(at, node);
        return;
    }
  }

  #send(at: string, node: Extract<JourneyNode, { type: "send" }>): void {
    for (const [name, value] of Object.entries(node.vars))
      this.#value(value, `${at}.vars.${name}`, undefined, true);
    for (const [i, line] of node.why.entries()) this.#placeholders(line, `${at}.why[${i}]`);
    if (node.whyFrom) this.#value(node.whyFrom, `${at}.whyFrom`, undefined, true);
    const template = this.#catalog.template(node.template);
    if (!template) {
      this.#problem(`${at}.template`, `template ${node.template} is not in the catalog's templates`);
      return;
    }
    if (template.priority !== node.priority && !template.alsoAs?.includes(node.priority)) {
      this.#problem(
        `${at}.priority`,
        `template ${node.template} is ${template.priority}, the send node says ${node.priority}`,
      );
    }
    for (const name of template.vars ?? []) {
      if (!Object.hasOwn(node.vars, name)) {
        this.#problem(
          `${at}.vars`,
          `template ${node.template} needs var ${name}, which this send does not provide`,
        );
      }
    }
  }

  #emit(at: string, node: Extract<JourneyNode, { type: "emit" }>): void {
    const event = this.#catalog.event(node.detailType);
    if (!event) this.#problem(`${at}.detailType`, `event ${node.detailType} is not in the catalog`);
    else if (event.direction !== "emitted" || event.scope !== "customer") {
      this.#problem(
        `${at}.detailType`,
        `${node.detailType} is not a customer event Waymark emits (direction "emitted")`,
      );
    }
    if (node.reason !== undefined) this.#placeholders(node.reason, `${at}.reason`);
    for (const [name, value] of Object.entries(node.detail ?? {}))
      this.#value(value, `${at}.detail.${name}`, undefined, true);
    for (const [name, value] of Object.entries(node.context ?? {})) {
      if (isValueObject(value)) {
        for (const [field, inner] of Object.entries(value)) {
          this.#value(inner, `${at}.context.${name}.${field}`, undefined, true);
        }
      } else this.#value(value, `${at}.context.${name}`, undefined, true);
    }
    if (node.context && node.detailType !== "AgentEscalationRequested") {
      this.#problem(`${at}.context`, "context is for AgentEscalationRequested; put fields in detail");
    }
  }

  #condition(
    condition: Condition,
    where: string,
    eventSchema: z.ZodObject | undefined,
    inInstance: boolean,
  ): void {
    switch (condition.op) {
      case "all":
      case "any":
        for (const [i, c] of condition.conditions.entries()) {
          this.#condition(c, `${where}.conditions[${i}]`, eventSchema, inInstance);
        }
        return;
      case "not":
        this.#condition(condition.condition, `${where}.condition`, eventSchema, inInstance);
        return;
      case "exists":
        this.#value(condition.value, `${where}.value`, eventSchema, inInstance);
        return;
      default:
        this.#value(condition.left, `${where}.left`, eventSchema, inInstance);
        this.#value(condition.right, `${where}.right`, eventSchema, inInstance);
    }
  }

  /** `eventSchema`: the event `event.*` refers to here, when it is known; `inInstance`: vars exist. */
  #value(value: Value, where: string, eventSchema: z.ZodObject | undefined, inInstance: boolean): void {
    if (!isRef(value)) return;
    const paths = Array.isArray(value.$ref) ? value.$ref : [value.$ref];
    for (const path of paths) this.#path(path, where, eventSchema, inInstance);
  }

  #placeholders(text: string, where: string): void {
    for (const match of text.matchAll(/\{([a-zA-Z0-9_.]+)\}/g)) this.#path(match[1]!, where, undefined, true);
  }

  #path(path: string, where: string, eventSchema: z.ZodObject | undefined, inInstance: boolean): void {
    const [root, first, ...rest] = path.split(".");
    switch (root) {
      case "event":
        if (
          first !== undefined &&
          eventSchema &&
          !EVENT_META_FIELDS.includes(first) &&
          !hasPath(eventSchema, [first, ...rest])
        ) {
          this.#problem(
            where,
            `${path}: the event has no field ${[first, ...rest].join(".")} (fields: ${Object.keys(eventSchema.shape).join(", ")})`,
          );
        }
        return;
      case "vars":
        if (!inInstance) this.#problem(where, `${path}: there are no vars yet at the entry; use event.*`);
        else if (first === undefined || !this.#vars.has(first))
          this.#problem(where, `${path}: ${this.#unknownVar(first ?? "")}`);
        return;
      case "instance":
        if (!inInstance) this.#problem(where, `${path}: there is no instance yet at the entry`);
        else if (first === undefined || !INSTANCE_FIELDS.includes(first)) {
          this.#problem(where, `${path}: instance has ${INSTANCE_FIELDS.join(", ")}`);
        }
        return;
      case "customer":
        if (first === undefined || !CUSTOMER_FIELDS.includes(first)) {
          this.#problem(where, `${path}: customer has ${CUSTOMER_FIELDS.join(", ")}`);
        }
        return;
      case "order":
        if (this.#journey.order === undefined) {
          this.#problem(
            where,
            `${path}: the journey says no order it is about (set its \`order\`, e.g. ref("event.orderId"))`,
          );
        }
        return;
      default:
        this.#problem(
          where,
          `${path}: unknown root ${root}; a ref starts with event, vars, instance, customer or order`,
        );
    }
  }

  #unknownVar(name: string): string {
    const known = [...this.#vars].sort();
    return `no var ${name} is set in this journey (set: ${known.length > 0 ? known.join(", ") : "none"}; vars come from entry.capture, assign, saveAs)`;
  }

  /** A cycle through nodes none of which waits would spin inside one input. */
  #loops(): void {
    const nodes = this.#journey.nodes;
    const state = new Map<string, "open" | "done">();
    const visit = (id: string, path: string[]): void => {
      const node = nodes[id];
      if (!node || WAIT_TYPES.has(node.type) || state.get(id) === "done") return;
      if (state.get(id) === "open") {
        const loop = [...path.slice(path.indexOf(id)), id];
        this.#problem(
          `node ${id}`,
          `the loop ${loop.join(" → ")} never waits (put a wait or waitForEvent in it)`,
        );
        return;
      }
      state.set(id, "open");
      for (const next of successors(node)) visit(next, [...path, id]);
      state.set(id, "done");
    };
    for (const id of Object.keys(nodes)) visit(id, []);
  }
}

function declaredVars(journey: Readonly<JourneyDefinition>): Set<string> {
  const vars = new Set(Object.keys(journey.entry.capture));
  for (const node of Object.values(journey.nodes)) {
    if (node.type === "assign") for (const name of Object.keys(node.vars)) vars.add(name);
    if ((node.type === "waitForEvent" || node.type === "compute" || node.type === "send") && node.saveAs)
      vars.add(node.saveAs);
  }
  return vars;
}

function isValueObject(value: Value | Record<string, Value>): value is Record<string, Value> {
  return value !== null && typeof value === "object" && !Array.isArray(value) && !("$ref" in value);
}

function isRef(value: Value): value is ValueRef {
  return typeof value === "object" && value !== null && !Array.isArray(value) && "$ref" in value;
}

/**
 * Does a zod schema have this field path? Objects are followed key by key, arrays by index or into their
 * element; anything the walk cannot see through (unions, records, unknown) accepts the rest of the path.
 */
export function hasPath(schema: z.core.$ZodType, path: readonly string[]): boolean {
  const [segment, ...rest] = path;
  if (segment === undefined) return true;
  const def = unwrap(schema)._zod.def as {
    type: string;
    shape?: Record<string, z.core.$ZodType>;
    element?: z.core.$ZodType;
  };
  if (def.type === "object") {
    return def.shape !== undefined && Object.hasOwn(def.shape, segment) && hasPath(def.shape[segment]!, rest);
  }
  if (def.type === "array" && def.element) {
    if (segment === "length") return rest.length === 0;
    // items.0.sku and items.sku (the element's field) both read into the element.
    return /^\d+$/.test(segment) ? hasPath(def.element, rest) : hasPath(def.element, path);
  }
  return true;
}

function unwrap(schema: z.core.$ZodType): z.core.$ZodType {
  let current = schema;
  for (;;) {
    const def = current._zod.def as { type: string; innerType?: z.core.$ZodType; in?: z.core.$ZodType };
    if (
      (def.type === "optional" ||
        def.type === "nullable" ||
        def.type === "default" ||
        def.type === "readonly" ||
        def.type === "catch" ||
        def.type === "nonoptional") &&
      def.innerType
    ) {
      current = def.innerType;
    } else if (def.type === "pipe" && def.in) current = def.in;
    else return current;
  }
}
