/**
 * An import plan as the objects its generated module builds — the events, the template stubs, the journey —
 * so the importer can check its output with defineJourney and defineCatalog before writing a file: a module
 * that would not build is a bug here, never the team's to find.
 */
import * as z from "zod";
import { customerEventBase } from "../../events/customer-event-base.ts";
import { defineCatalog } from "../../events/define-catalog.ts";
import type { Catalog } from "../../functions/core/catalog/catalog.ts";
import { type AnyEventDescriptor, defineEvent } from "../../functions/core/catalog/define-event.ts";
import { defineJourney } from "../../functions/core/journey/define-journey.ts";
import {
  DEFAULT_LOCALES,
  defineTemplate,
  type LocaleSettings,
  type MessageTemplate,
} from "../../functions/core/journey/template.ts";
import type { EventField, GeneratedEvent, ImportPlan, TemplateStub } from "./plan.ts";
import { stubText } from "./stub-text.ts";

export function fieldSchema(field: EventField): z.ZodType {
  const base =
    field.type === "number"
      ? z.number()
      : field.type === "strings"
        ? z.array(z.string().max(256)).max(20)
        : z.string().max(4096);
  return field.required ? base : base.optional();
}

export function sampleValue(field: EventField): unknown {
  return field.type === "strings" ? String(field.sample).split(",") : field.sample;
}

/** Waymark fills these in on every event it emits (emit nodes): an emitted event's schema must accept them. */
export const EMITTED_FIELDS: EventField[] = [
  { name: "journeyId", type: "string", sample: "journey", required: true },
  { name: "instanceId", type: "string", sample: "journey#c-1", required: true },
  { name: "reason", type: "string", sample: "why" },
];

export function eventFields(event: GeneratedEvent): EventField[] {
  return event.direction === "emitted" ? [...EMITTED_FIELDS, ...event.fields] : event.fields;
}

export function eventSamples(event: GeneratedEvent): Record<string, unknown>[] {
  const fields = eventFields(event);
  const required = Object.fromEntries(fields.filter((f) => f.required).map((f) => [f.name, sampleValue(f)]));
  return [
    { customerId: "c-1", ...required },
    { customerId: "c-2", ...Object.fromEntries(fields.map((f) => [f.name, sampleValue(f)])) },
  ];
}

function descriptor(event: GeneratedEvent): AnyEventDescriptor {
  const samples = eventSamples(event);
  return defineEvent({
    detailType: event.detailType,
    scope: "customer",
    direction: event.direction,
    description: event.description,
    detail: customerEventBase.extend(
      Object.fromEntries(eventFields(event).map((f) => [f.name, fieldSchema(f)])),
    ),
    samples: [samples[0]!, samples[1]!] as never,
  }) as AnyEventDescriptor;
}

export function stubTemplate(stub: TemplateStub, locales: LocaleSettings): MessageTemplate {
  return defineTemplate({
    id: stub.id,
    priority: stub.priority,
    ...(stub.alsoAs ? { alsoAs: stub.alsoAs } : {}),
    locales: Object.fromEntries(
      locales.supported.map((locale) => {
        const text = stubText(stub, locale);
        return [
          locale,
          { sms: () => text.sms, email: { subject: () => text.subject, body: () => text.body } },
        ];
      }),
    ),
  });
}

/**
 * The catalog the team gets by adding the module to theirs (`base`, or a catalog of its own): built, so every
 * check defineCatalog makes runs. Throws the CatalogError (or JourneyDefinitionError) a broken plan causes.
 */
export function verifyPlan(plan: ImportPlan, base: Catalog | undefined): Catalog {
  const journey = defineJourney(plan.journey);
  const locales = base?.locales ?? DEFAULT_LOCALES;
  const delivery = { ...(base ? deliveryOf(base) : {}), ...plan.delivery };
  // The team names its sender and 080 number (the report says so); a stand-in lets every other check run.
  if (needsAdvertising(plan.templates, base) && !delivery.advertising)
    delivery.advertising = { senderName: "Sender", koreanOptOutNumber: "080-000-0000" };
  return defineCatalog({
    events: [...(base?.events ?? []), ...plan.events.map(descriptor)],
    journeys: [...(base?.journeys ?? []), journey],
    templates: [...(base?.templates() ?? []), ...plan.templates.map((stub) => stubTemplate(stub, locales))],
    ...(base ? { calculators: calculatorsOf(base) } : {}),
    locales,
    ...(base ? { linkBaseUrl: base.linkBaseUrl } : {}),
    delivery,
    ...(base ? { measurement: base.measurement } : {}),
  });
}

/** A built catalog's policy as defineCatalog takes it back (advertising only when set). */
function deliveryOf(catalog: Catalog): ImportPlan["delivery"] {
  const { advertising, ...rest } = catalog.delivery;
  return { ...rest, ...(advertising ? { advertising } : {}) };
}

function calculatorsOf(catalog: Catalog): Record<string, never> {
  const names = new Set(
    catalog.journeys.flatMap((j) =>
      Object.values(j.nodes).flatMap((n) => (n.type === "compute" ? [n.calculator] : [])),
    ),
  );
  return Object.fromEntries([...names].map((name) => [name, catalog.calculator(name)])) as Record<
    string,
    never
  >;
}

/** Korean advertising law needs the sender and an opt-out number once the catalog writes ko-KR marketing. */
export function needsAdvertising(templates: readonly TemplateStub[], base: Catalog | undefined): boolean {
  const korean = (base?.locales ?? DEFAULT_LOCALES).supported.some((locale) => /^ko\b/i.test(locale));
  const marketing = templates.some((t) => t.priority === "marketing" || t.alsoAs?.includes("marketing"));
  return korean && marketing && !base?.delivery.advertising;
}
