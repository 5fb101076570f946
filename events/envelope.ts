/**
 * The EventBridge envelope around every event's detail. The parser validates it and the JSON Schema export
 * describes it from these same field schemas.
 */
import * as z from "zod";
import { isoDateTime } from "./fields.ts";

/** An EventBridge event as delivered to targets. */
export interface EventBridgeEnvelope<TDetailType extends string = string, TDetail = unknown> {
  version: string;
  id: string;
  "detail-type": TDetailType;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: TDetail;
}

/**
 * Envelope fields other than `detail-type` and `detail`, which depend on the event. `version`, `account`,
 * `region` and `resources` are always present on events EventBridge delivers, but nothing in Waymark reads
 * them, so hand-written test or replay events may leave them out.
 */
export const envelopeFields = {
  version: z.string().optional().describe("Envelope version; always 0"),
  id: z.string().min(1).describe("Unique id EventBridge assigns to each event"),
  source: z
    .string()
    .min(1)
    .describe("The producing system, e.g. shop.orders; waymark for Waymark's own events"),
  account: z.string().optional().describe("AWS account the event was put from"),
  time: isoDateTime.describe("Event time: the PutEvents Time parameter, else when EventBridge received it"),
  region: z.string().optional().describe("AWS Region of the bus"),
  resources: z.array(z.string()).optional().describe("ARNs of resources involved, if any"),
};

/** The envelope with any detail-type and an object detail, before the detail-type is known. */
export const genericEnvelopeSchema = z.object({
  ...envelopeFields,
  "detail-type": z.string().min(1).describe("The event name, e.g. OrderDelivered"),
  detail: z.looseObject({}).describe("The event's payload"),
});
