import { WAYMARK_SOURCE } from "./catalog.ts";

/**
 * The bus's routing rules, declared once: the CDK stack turns each into an EventBridge rule
 * and the local runtime routes with the same patterns.
 */
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
