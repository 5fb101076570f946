/**
 * The catalog is the unit of configuration: the events Waymark accepts and emits, the journeys, their
 * message templates, the calculators `compute` nodes call, and the locales messages are written in. The
 * engine, ingest, the fan-out, the simulator, the local runtime and the CDK stack all take one, so the
 * same catalog behaves the same everywhere. See docs/journeys.md.
 */
import {
  DEFAULT_DELIVERY_POLICY,
  type DeliveryPolicy,
  type DeliveryPolicyInput,
  parseDeliveryPolicy,
} from "../guardrails/delivery-policy.ts";
import type { JourneyDefinition } from "../journey/definition.ts";
import {
  DEFAULT_LINK_BASE_URL,
  DEFAULT_LOCALES,
  type LocaleSettings,
  type MessageTemplate,
  pickLocale,
} from "../journey/template.ts";
import type { AnyEventDescriptor } from "./define-event.ts";
import { CatalogError, validateCatalog } from "./validate-catalog.ts";

/**
 * A named pure function a journey's `compute` node calls: it reads the evaluation scope (event,
 * vars, customer…) and returns values to store in the instance's vars. Registered by name so the
 * journey definition itself stays plain, serialisable data.
 */
export type Calculator = (scope: Readonly<Record<string, unknown>>) => Record<string, unknown>;

export interface CatalogInput {
  /** Every event the catalog accepts or emits; Waymark's own events must be among them (defineCatalog adds them). */
  events: readonly AnyEventDescriptor[];
  /**
   * Every journey version ever deployed: instances are pinned to the version they started on, so removing
   * an old version would strand customers mid-journey.
   */
  journeys: readonly Readonly<JourneyDefinition>[];
  templates: readonly MessageTemplate[];
  calculators?: Readonly<Record<string, Calculator>>;
  /** @default en-US and ko-KR, falling back to en-US */
  locales?: LocaleSettings;
  /**
   * The base of customer-facing links templates build (`context.linkBaseUrl`); a deployment may override
   * it (the construct's `linkBaseUrl`). @default DEFAULT_LINK_BASE_URL
   */
  linkBaseUrl?: string;
  /** Quiet and open hours, closed days, frequency rules, sending rates… @default Waymark's defaults */
  delivery?: DeliveryPolicyInput;
  /** Catalog-wide measurement: the global control group. @default none */
  measurement?: MeasurementSettings;
}

export interface MeasurementSettings {
  /**
   * The share of all customers (percent, at most 50) who get no marketing at all, from any journey: their
   * conversions, set against everyone else's, measure what marketing as a whole adds.
   */
  globalControlPercent?: number;
}

/** An event as the engine and journeys see it, whatever the catalog: validated, identity and time resolved. */
export interface CatalogEvent {
  detailType: string;
  detail: Record<string, unknown>;
  source: string;
  /** The EventBridge envelope id. */
  envelopeId: string;
  /** detail.eventId ?? envelope id: the idempotency key. */
  eventId: string;
  /** detail.occurredAt ?? envelope time, ISO-8601. */
  occurredAt: string;
}

/** An event about one customer: processed in that customer's order. */
export interface CustomerEvent extends CatalogEvent {
  detail: Record<string, unknown> & { customerId: string };
}

/** Detail-types every catalog has: contact points, consent and opt-outs are Waymark's own concern. */
export const REQUIRED_DETAIL_TYPES = [
  "CustomerProfileUpdated",
  "NotificationOptOut",
  "NotificationSent",
  "NotificationSuppressed",
  "AgentEscalationRequested",
  "JourneyStarted",
  "JourneyCompleted",
  "JourneyGoalReached",
] as const;

export class Catalog {
  readonly events: readonly AnyEventDescriptor[];
  readonly journeys: readonly Readonly<JourneyDefinition>[];
  readonly locales: LocaleSettings;
  readonly linkBaseUrl: string;
  /** The rules every message goes through (docs/delivery-policy.md). */
  readonly delivery: DeliveryPolicy;
  readonly measurement: Readonly<MeasurementSettings>;
  /** Null-prototype maps: a detail-type from the wire ("constructor") never finds an inherited member. */
  readonly #events = new Map<string, AnyEventDescriptor>();
  readonly #byKey = new Map<string, Readonly<JourneyDefinition>>();
  readonly #latest = new Map<string, Readonly<JourneyDefinition>>();
  readonly #templates = new Map<string, MessageTemplate>();
  readonly #calculators: ReadonlyMap<string, Calculator>;

  constructor(input: CatalogInput) {
    this.locales = input.locales ?? DEFAULT_LOCALES;
    this.linkBaseUrl = checkedLinkBase(input.linkBaseUrl ?? DEFAULT_LINK_BASE_URL);
    const delivery =
      input.delivery === undefined ? DEFAULT_DELIVERY_POLICY : parseDeliveryPolicy(input.delivery);
    if (Array.isArray(delivery)) throw new CatalogError(delivery);
    this.delivery = delivery;
    const control = input.measurement?.globalControlPercent;
    if (control !== undefined && !(Number.isFinite(control) && control >= 0 && control <= 50))
      throw new CatalogError(`measurement.globalControlPercent: expected 0 to 50, got ${control}`);
    this.measurement = Object.freeze({ ...input.measurement });
    this.events = Object.freeze([...input.events]);
    this.journeys = Object.freeze([...input.journeys]);
    for (const event of input.events) {
      if (this.#events.has(event.detailType)) {
        throw new CatalogError(`event ${event.detailType} is defined twice`);
      }
      this.#events.set(event.detailType, event);
    }
    for (const detailType of REQUIRED_DETAIL_TYPES) {
      if (!this.#events.has(detailType)) {
        throw new CatalogError(
          `the catalog has no ${detailType}: build it with defineCatalog, which adds it`,
        );
      }
    }
    for (const template of input.templates) {
      if (this.#templates.has(template.id))
        throw new CatalogError(`template ${template.id} is defined twice`);
      this.#templates.set(template.id, template);
    }
    this.#calculators = new Map(Object.entries(input.calculators ?? {}));
    for (const journey of input.journeys) {
      const key = `${journey.id}@${journey.version}`;
      if (this.#byKey.has(key)) throw new CatalogError(`journey ${key} is defined twice`);
      this.#byKey.set(key, journey);
      const latest = this.#latest.get(journey.id);
      if (!latest || latest.version < journey.version) this.#latest.set(journey.id, journey);
    }
    validateCatalog(this);
    Object.freeze(this);
  }

  /** The descriptor of a detail-type, or undefined when the catalog has no such event. */
  event(detailType: string): AnyEventDescriptor | undefined {
    return this.#events.get(detailType);
  }

  inboundEvents(): AnyEventDescriptor[] {
    return this.events.filter((e) => e.direction === "inbound");
  }

  emittedEvents(): AnyEventDescriptor[] {
    return this.events.filter((e) => e.direction === "emitted");
  }

  isCustomerEvent(event: CatalogEvent): event is CustomerEvent {
    return this.event(event.detailType)?.scope === "customer";
  }

  /** One line for the timeline: the descriptor's `describe`, else the detail-type. */
  describe(detailType: string, detail: Record<string, unknown>): string {
    const descriptor = this.event(detailType);
    return descriptor?.describe ? descriptor.describe(detail) : detailType;
  }

  version(id: string, version: number): Readonly<JourneyDefinition> | undefined {
    return this.#byKey.get(`${id}@${version}`);
  }

  /** The newest version of each journey: the one new instances start on. */
  latest(): Readonly<JourneyDefinition>[] {
    return [...this.#latest.values()];
  }

  calculator(name: string): Calculator | undefined {
    return this.#calculators.get(name);
  }

  template(id: string): MessageTemplate | undefined {
    return this.#templates.get(id);
  }

  templates(): MessageTemplate[] {
    return [...this.#templates.values()];
  }

  /** The locale a message for a customer with `locale` is written in. */
  pickLocale(locale: string | undefined): string {
    return pickLocale(locale, this.locales.supported, this.locales.fallback);
  }

  /** A catalog with only the journeys that `keep` accepts (every event, template and calculator stays). */
  withJourneys(keep: (journey: Readonly<JourneyDefinition>) => boolean): Catalog {
    return new Catalog({ ...this.#input(), journeys: this.journeys.filter(keep) });
  }

  /** The same catalog with the links of one deployment (a domain it owns). */
  withLinkBaseUrl(linkBaseUrl: string): Catalog {
    return new Catalog({ ...this.#input(), linkBaseUrl });
  }

  #input(): CatalogInput {
    return {
      events: this.events,
      journeys: this.journeys,
      templates: this.templates(),
      calculators: Object.fromEntries(this.#calculators),
      locales: this.locales,
      linkBaseUrl: this.linkBaseUrl,
      delivery: this.delivery,
      measurement: this.measurement,
    };
  }
}

/** An https URL without a trailing slash: templates append `/path` to it. */
function checkedLinkBase(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new CatalogError(`linkBaseUrl ${JSON.stringify(url)} is not a URL`);
  }
  if (parsed.protocol !== "https:" && parsed.hostname !== "127.0.0.1" && parsed.hostname !== "localhost") {
    throw new CatalogError(`linkBaseUrl ${url} must be https (links go to customers)`);
  }
  return url.replace(/\/+$/, "");
}

export { CatalogError };
