import type { z } from "zod";
import {
  type Condition,
  type JourneyDefinition,
  type JourneyNode,
  journeyDefinitionSchema,
  type Value,
  type ValueRef,
} from "./definition.ts";

/** A journey definition that does not hold together (a dangling `next`, an unreachable node…). */
export class JourneyDefinitionError extends Error {
  override name = "JourneyDefinitionError";
}

/** The nodes a node can go on to. */
export function successors(node: JourneyNode): string[] {
  switch (node.type) {
    case "wait":
    case "waitUntil":
    case "waitUntilLocalTime":
    case "assign":
    case "compute":
    case "send":
    case "emit":
      return [node.next];
    case "waitForEvent":
      return [node.onEvent, node.onTimeout];
    case "branch":
      return [...node.cases.map((c) => c.next), node.otherwise];
    case "split":
      return node.variants.map((v) => v.next);
    case "exit":
      return [];
  }
}

/**
 * Checks a journey and freezes it. Every `next` must name a node, every node must be
 * reachable from `start`, and every path must end in an exit.
 */
export function defineJourney(input: z.input<typeof journeyDefinitionSchema>): Readonly<JourneyDefinition> {
  const parsed = journeyDefinitionSchema.safeParse(input);
  if (!parsed.success) {
    const first = parsed.error.issues[0]!;
    throw new JourneyDefinitionError(
      `${input.id}@${input.version}: ${first.path.join(".")}: ${first.message}`,
    );
  }
  const journey = parsed.data;
  const label = `${journey.id}@${journey.version}`;
  if (!journey.nodes[journey.start])
    throw new JourneyDefinitionError(`${label}: start node "${journey.start}" is missing`);
  const reached = new Set<string>();
  const queue = [journey.start];
  while (queue.length > 0) {
    const id = queue.shift()!;
    if (reached.has(id)) continue;
    const node = journey.nodes[id];
    if (!node) throw new JourneyDefinitionError(`${label}: a node points to "${id}", which does not exist`);
    reached.add(id);
    queue.push(...successors(node));
  }
  const unreachable = Object.keys(journey.nodes).filter((id) => !reached.has(id));
  if (unreachable.length > 0) {
    throw new JourneyDefinitionError(`${label}: unreachable node(s): ${unreachable.join(", ")}`);
  }
  if (![...reached].some((id) => journey.nodes[id]!.type === "exit")) {
    throw new JourneyDefinitionError(`${label}: no exit node`);
  }
  return Object.freeze(journey);
}

export const ref = (...paths: string[]): ValueRef => ({ $ref: paths.length === 1 ? paths[0]! : paths });
export const eq = (left: Value, right: Value): Condition => ({ op: "eq", left, right });
export const lte = (left: Value, right: Value): Condition => ({ op: "lte", left, right });
export const gte = (left: Value, right: Value): Condition => ({ op: "gte", left, right });
export const all = (...conditions: Condition[]): Condition => ({ op: "all", conditions });
export const any = (...conditions: Condition[]): Condition => ({ op: "any", conditions });
export const ne = (left: Value, right: Value): Condition => ({ op: "ne", left, right });
export const lt = (left: Value, right: Value): Condition => ({ op: "lt", left, right });
export const gt = (left: Value, right: Value): Condition => ({ op: "gt", left, right });
/** `left` is a string that contains the string `right` (Pinpoint's CONTAINS). */
export const contains = (left: Value, right: Value): Condition => ({ op: "contains", left, right });
/** `left` is one of the values of `right` (a list, or a ref to one). */
export const oneOf = (left: Value, right: Value): Condition => ({ op: "in", left, right });
export const not = (condition: Condition): Condition => ({ op: "not", condition });
/** The ref resolves to something (neither missing nor null). */
export const exists = (value: ValueRef): Condition => ({ op: "exists", value });
