/**
 * What every part of one journey's import shares: where things are in the input, the report items, the ids
 * handed out, and the events — the catalog's when it has them (`--catalog`), generated otherwise.
 */
import type { Catalog } from "../../functions/core/catalog/catalog.ts";
import type { AnyEventDescriptor } from "../../functions/core/catalog/define-event.ts";
import { hasPath } from "../../functions/core/catalog/validate-catalog.ts";
import { jsonPath, type PathSegment } from "./json-path.ts";
import { camel, detailTypeFor, sameEventName, UniqueIds } from "./names.ts";
import type { EventField, GeneratedEvent, ReportItem } from "./plan.ts";

/** An event a journey enters on or waits for, and whether a field may be read from it. */
export interface EventUse {
  detailType: string;
  /** Undefined when the field can be read; else why not. */
  fieldProblem(name: string): string | undefined;
  /** Generated events learn their fields from the dimensions that read them. */
  addField(field: EventField): void;
  /** Where it comes from, for the report: `the catalog's OrderPlaced`, `generated: cart.abandoned`. */
  origin: string;
}

/** Fields every customer event already has, whatever its schema. */
const RESERVED = ["customerId", "eventId", "occurredAt", "detailType"];
/** What a dimension's name must be to be read as a field: one segment of a ref path. */
const FIELD_NAME = /^[A-Za-z_$][A-Za-z0-9_$-]{0,63}$/;

export class ImportContext {
  readonly items: ReportItem[] = [];
  readonly ids = new UniqueIds();
  readonly events: GeneratedEvent[] = [];
  readonly journeyId: string;
  readonly #root: string;
  readonly #catalog: Catalog | undefined;
  /** The field of a Pinpoint endpoint that is the customer id (`User.UserId` by default). */
  readonly customerIdField: string;
  /** Set when a node correlates on the customer (waits for a customer event): the entry captures it. */
  needsCustomerIdVar = false;

  constructor(options: { root: string; journeyId: string; catalog?: Catalog; customerIdField: string }) {
    this.#root = options.root;
    this.journeyId = options.journeyId;
    this.#catalog = options.catalog;
    this.customerIdField = options.customerIdField;
  }

  at(...segments: PathSegment[]): string {
    return jsonPath(this.#root, segments);
  }

  item(item: ReportItem): void {
    this.items.push(item);
  }

  /**
   * The customer event for a Pinpoint event type: the catalog's (same name, case and punctuation aside) when
   * it has a customer-scoped inbound one, else an event this import defines.
   */
  customerEvent(eventType: string): EventUse {
    const found = this.#catalog?.events.find(
      (e) => e.direction === "inbound" && e.scope === "customer" && sameEventName(e.detailType, eventType),
    );
    if (found) return this.#catalogEvent(found);
    const detailType = detailTypeFor(eventType);
    let event = this.events.find((e) => e.detailType === detailType);
    if (!event) {
      event = {
        exportName: camel(detailType),
        detailType,
        direction: "inbound",
        description: `Pinpoint's ${eventType} event; customerId is the Pinpoint endpoint's ${this.customerIdField}.`,
        fields: [],
      };
      this.events.push(event);
    }
    const generated = event;
    return {
      detailType,
      origin: `generated: ${detailType}`,
      fieldProblem: (name) => fieldNameProblem(name),
      addField: (field) => {
        if (!generated.fields.some((f) => f.name === field.name)) generated.fields.push(field);
      },
    };
  }

  #catalogEvent(descriptor: AnyEventDescriptor): EventUse {
    return {
      detailType: descriptor.detailType,
      origin: `the catalog's ${descriptor.detailType}`,
      fieldProblem: (name) =>
        fieldNameProblem(name) ??
        (hasPath(descriptor.detail, [name])
          ? undefined
          : `the catalog's ${descriptor.detailType} has no field ${name}`),
      addField: () => {},
    };
  }

  /** Adds an event the module defines (a CUSTOM activity's emitted event). */
  define(event: GeneratedEvent): void {
    if (!this.events.some((e) => e.detailType === event.detailType)) this.events.push(event);
  }

  /** Whether the team's catalog has this detail-type already (then the module must not define it again). */
  catalogHas(detailType: string): boolean {
    return this.#catalog?.event(detailType) !== undefined;
  }
}

function fieldNameProblem(name: string): string | undefined {
  if (RESERVED.includes(name)) return `${name} is a field every Waymark event has already`;
  if (!FIELD_NAME.test(name))
    return `${JSON.stringify(name)} cannot be a field name (letters, digits, _ and -)`;
  return undefined;
}
