/**
 * A journey definition as the console draws it: nodes with a one-line summary, edges labelled with what
 * takes an instance along them (a branch case, an event, a timeout), the entry event and the exits. Plain
 * JSON: the page lays it out, it never interprets a journey itself.
 */

import { successors } from "../../../functions/core/journey/define-journey.ts";
import {
  awaitedEvents,
  type Condition,
  type JourneyDefinition,
  type JourneyNode,
  type Value,
} from "../../../functions/core/journey/definition.ts";

export interface GraphNode {
  id: string;
  type: JourneyNode["type"];
  /** What the node does, in a few words: "day 2 at 10:00 local", "post-purchase.tips (service)". */
  summary: string;
  /** An exit node's outcome. */
  outcome?: string;
}

export type EdgeKind = "next" | "case" | "otherwise" | "event" | "timeout";

export interface GraphEdge {
  from: string;
  to: string;
  kind: EdgeKind;
  /** Empty for a plain `next`. */
  label: string;
}

export interface JourneyGraph {
  start: string;
  entry: { event: string; when?: string };
  nodes: GraphNode[];
  edges: GraphEdge[];
  /** Events that end an instance wherever it is (`exitOn`), with their outcome. */
  exitOn: { event: string; when: string; outcome: string }[];
}

export function journeyGraph(journey: Readonly<JourneyDefinition>): JourneyGraph {
  const nodes = Object.entries(journey.nodes).map(
    ([id, node]): GraphNode => ({
      id,
      type: node.type,
      summary: summary(node),
      ...(node.type === "exit" ? { outcome: node.outcome } : {}),
    }),
  );
  return {
    start: journey.start,
    entry: {
      event: journey.entry.event,
      ...(journey.entry.when ? { when: describeCondition(journey.entry.when) } : {}),
    },
    nodes,
    edges: Object.entries(journey.nodes).flatMap(([id, node]) => edgesOf(id, node)),
    exitOn: journey.exitOn.map((exit) => ({
      event: exit.event,
      when: describeCondition(exit.when),
      outcome: exit.outcome,
    })),
  };
}

function edgesOf(from: string, node: JourneyNode): GraphEdge[] {
  switch (node.type) {
    case "waitForEvent":
      return [
        { from, to: node.onEvent, kind: "event", label: awaitedEvents(node).join(" or ") },
        { from, to: node.onTimeout, kind: "timeout", label: `timeout ${node.timeout}` },
      ];
    case "branch":
      return [
        ...node.cases.map((c) => ({
          from,
          to: c.next,
          kind: "case" as const,
          label: describeCondition(c.when),
        })),
        { from, to: node.otherwise, kind: "otherwise", label: "otherwise" },
      ];
    case "split": {
      const total = node.variants.reduce((sum, v) => sum + v.weight, 0);
      return node.variants.map((v) => ({
        from,
        to: v.next,
        kind: "case" as const,
        label: `${v.name} (${Math.round((v.weight / total) * 100)}%)`,
      }));
    }
    default:
      return successors(node).map((to) => ({ from, to, kind: "next", label: "" }));
  }
}

function summary(node: JourneyNode): string {
  switch (node.type) {
    case "wait":
      return `wait ${node.duration}`;
    case "waitUntil":
      return `until ${node.at}`;
    case "waitUntilLocalTime":
      return `day ${node.days} at ${node.at} local, from ${describeValue(node.from)}`;
    case "waitForEvent":
      return `wait for ${awaitedEvents(node).join(" or ")}, up to ${node.timeout}`;
    case "branch":
      return `${node.cases.length + 1} ways`;
    case "assign":
      return `set ${Object.keys(node.vars).join(", ")}`;
    case "send":
      return `${node.template} (${node.priority}${node.severity ? `, ${node.severity}` : ""})`;
    case "emit":
      return node.detailType;
    case "compute":
      return `${node.calculator} → vars.${node.saveAs}`;
    case "split":
      return `experiment ${node.experiment}: ${node.variants.map((v) => v.name).join(" / ")}`;
    case "exit":
      return `outcome ${node.outcome}`;
  }
}

const OPERATORS = {
  eq: "=",
  ne: "≠",
  lt: "<",
  lte: "≤",
  gt: ">",
  gte: "≥",
  in: "in",
  contains: "contains",
} as const;

/** A condition as a person reads it: `vars.survey.score ≤ 6`. */
export function describeCondition(condition: Condition): string {
  switch (condition.op) {
    case "exists":
      return `${describeValue(condition.value)} exists`;
    case "not":
      return condition.condition.op === "exists"
        ? `no ${describeValue(condition.condition.value)}`
        : `not (${describeCondition(condition.condition)})`;
    case "all":
    case "any":
      return condition.conditions
        .map((c) => (c.op === "all" || c.op === "any" ? `(${describeCondition(c)})` : describeCondition(c)))
        .join(condition.op === "all" ? " and " : " or ");
    default:
      return `${describeValue(condition.left)} ${OPERATORS[condition.op]} ${describeValue(condition.right)}`;
  }
}

function describeValue(value: Value): string {
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    return Array.isArray(value.$ref) ? value.$ref.join(" ?? ") : value.$ref;
  }
  return JSON.stringify(value);
}
