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

export const routes: readonly Route[] = [
  {
    id: "InboundEvents",
    description:
      "Every event from outside Waymark goes to ingest, which validates it: valid ones reach the engine, " +
      "invalid ones are kept with their reasons.",
    pattern: { source: [{ "anything-but": [WAYMARK_SOURCE] }] },
    target: "ingest",
  },
];
