/**
 * What importing one Pinpoint journey produces, before anything is written: the Waymark journey, the events
 * and template stubs it needs, the catalog-wide delivery settings it suggests, and one report item for each
 * activity and setting. The module writer prints it as TypeScript; the report writer as Markdown and JSON.
 */
import type { z } from "zod";
import type { DeliveryPolicyInput } from "../../functions/core/guardrails/delivery-policy.ts";
import type { journeyDefinitionSchema } from "../../functions/core/journey/definition.ts";
import type { Finding } from "./json-path.ts";

/** How one Pinpoint activity or setting came across. */
export type ItemStatus = "mapped" | "approximated" | "not mapped" | "draft";

export interface ReportItem {
  /** Where it is in the input. */
  path: string;
  /** What it is, in Pinpoint's words: `EMAIL activity ReminderEmail`, `Limits.DailyCap 2`. */
  pinpoint: string;
  status: ItemStatus;
  /** What it became, in Waymark's words (`send node reminder-email`), or `—`. */
  waymark: string;
  /** How it is approximated, or why it is not mapped; what to do about it. */
  note?: string;
  /** A setting of the whole catalog (every journey's messages), not of this journey alone. */
  catalogWide?: boolean;
}

/** A field of a generated event's detail. */
export interface EventField {
  name: string;
  /** `strings`: a list of strings. */
  type: "string" | "number" | "strings";
  /** A realistic value for the event's second sample (a comma-separated list for `strings`). */
  sample: string | number;
  /** Every event carries it. @default false */
  required?: boolean;
}

/** An event the catalog lacks and the module defines. */
export interface GeneratedEvent {
  exportName: string;
  detailType: string;
  direction: "inbound" | "emitted";
  description: string;
  fields: EventField[];
}

/** A template stub, named after the Pinpoint template(s) it stands for. */
export interface TemplateStub {
  id: string;
  priority: "marketing" | "service";
  alsoAs?: ("marketing" | "service")[];
  /** The Pinpoint template's name and version, said in the stub's text and comment. */
  pinpointName: string;
  pinpointVersion?: string;
  /** The activities that send it. */
  usedBy: string[];
}

export type JourneyInput = z.input<typeof journeyDefinitionSchema>;

export interface ImportPlan {
  /** The Pinpoint journey's name, id and state, for headings and comments. */
  source: { file: string; root: string; name: string; id?: string; applicationId?: string; state?: string };
  journey: JourneyInput;
  /** Comment lines to print above each node, by node id: which Pinpoint activity it came from. */
  nodeComments: Record<string, string[]>;
  events: GeneratedEvent[];
  templates: TemplateStub[];
  /**
   * The catalog's delivery settings this journey needs (open hours, closed days, frequency rules on its tag,
   * sending rate), merged into what the catalog has: what the team passes to defineCatalog's `delivery`.
   */
  delivery: DeliveryPolicyInput;
  /** Settings of the Waymark CDK construct (deployment-wide): `smsSenderId`, `sms`, `email`. */
  deployment: {
    smsSenderId?: string;
    sms?: { originationIdentity: string };
    email?: { fromAddress: string };
  };
  /** How Pinpoint endpoints become Waymark customers, in one sentence. */
  customers: string;
  /** A journey entered for a list (a segment): what AudienceEntryRequested carries besides the list. */
  audience?: { journeyId: string; format: "jsonl"; customerIdField: string };
  items: ReportItem[];
  /** What the draft lacks, from validation. */
  drafts: Finding[];
}
