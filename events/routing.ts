import { WAYMARK_SOURCE } from "./catalog.ts";

/**
 * The bus's routing rules, declared once: the CDK stack turns each into an EventBridge rule
 * and the local runtime routes with the same patterns.
 */
/**
 * Sources of the events Waymark puts back on its own bus as *input*: what the notifier learns
 * (a carrier opt-out) and what the unsubscribe endpoint records. They are not `waymark`, so the
 * inbound rule routes them through ingest and the engine like any producer's events.
 */
export const NOTIFIER_SOURCE = "waymark.notifier";
export const UNSUBSCRIBE_SOURCE = "waymark.unsubscribe";

export interface Route {
  id: string;
  description: string;
  /** An EventBridge event pattern. */
  pattern: Record<string, unknown>;
  /** Which Waymark component receives matching events. */
  target: "ingest";
}

/**
 * The bus rules for a catalog. Its inbound events go to ingest by name, so the template says which events
 * the stack consumes; every other event from outside Waymark goes to ingest as well, where it is rejected
 * with its reason (a misspelt detail-type is kept for the operator, not dropped by the bus).
 */
export function routesFor(catalog: { inboundEvents(): readonly { detailType: string }[] }): Route[] {
  const inbound = catalog.inboundEvents().map((event) => event.detailType);
  return [
    {
      id: "CatalogEvents",
      description:
        "The catalog's inbound events go to ingest, which validates them: valid ones reach the engine or the " +
        "fan-out, invalid ones are kept with their reasons.",
      pattern: { source: [{ "anything-but": [WAYMARK_SOURCE] }], "detail-type": inbound },
      target: "ingest",
    },
    {
      id: "UnknownEvents",
      description:
        "Events from outside Waymark that the catalog does not define go to ingest too, which keeps each one " +
        "with the reason (an unknown detail-type) instead of letting the bus drop it.",
      pattern: {
        source: [{ "anything-but": [WAYMARK_SOURCE] }],
        "detail-type": [{ "anything-but": inbound }],
      },
      target: "ingest",
    },
  ];
}
