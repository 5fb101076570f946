/**
 * Live counts on a journey's nodes, from what the local runtime already knows of each instance: where it
 * waits now, the messages it decided (by template), the events it emitted, and how it ended. The engine keeps
 * no trail of the nodes an instance passed, so "reached" is what those facts prove: a node is reached when the
 * instance waits there, sent or emitted or exited there, or when the node lies on every path from the start
 * to one of those (it dominates it). Nothing is guessed; a node passed on a path the facts do not pin down
 * (the branch an instance took before it was returned) is not counted.
 */

import { successors } from "../../../functions/core/journey/define-journey.ts";
import type { JourneyDefinition, JourneyNode } from "../../../functions/core/journey/definition.ts";

/** What is known of one instance of one journey version. */
export interface InstanceFacts {
  /** The node it waits at now, when it is still open. */
  waitingAt?: string;
  /** Templates of the message decisions it made (sent, deferred or suppressed). */
  templates: readonly string[];
  /** Detail-types it emitted from `emit` nodes. */
  emitted: readonly string[];
  /** Its outcome, once it ended. */
  outcome?: string;
}

export interface NodeCount {
  /** Instances waiting at the node now. */
  waiting: number;
  /** Instances known to have reached it (see above). */
  reached: number;
}

export interface JourneyCounts {
  entered: number;
  /** Instances still open. */
  active: number;
  nodes: Record<string, NodeCount>;
  /** Ended instances by outcome, exit nodes' and `exitOn`'s alike. */
  outcomes: Record<string, number>;
}

/** One step of a funnel: the shape `GET /analytics/journeys/{id}` answers too. */
export interface FunnelStep {
  node: string;
  reached: number;
  waiting: number;
}

export function countJourney(
  journey: Readonly<JourneyDefinition>,
  instances: readonly InstanceFacts[],
): JourneyCounts {
  const dominators = dominatorsOf(journey);
  const nodes: Record<string, NodeCount> = {};
  for (const id of Object.keys(journey.nodes)) nodes[id] = { waiting: 0, reached: 0 };
  const outcomes: Record<string, number> = {};
  const exitOnOutcomes = new Set(journey.exitOn.map((exit) => exit.outcome));
  let active = 0;
  for (const facts of instances) {
    const reached = new Set<string>([journey.start]);
    const prove = (candidates: string[]) => {
      for (const id of commonDominators(candidates, dominators)) reached.add(id);
    };
    if (facts.waitingAt && nodes[facts.waitingAt]) {
      active++;
      nodes[facts.waitingAt]!.waiting++;
      prove([facts.waitingAt]);
    }
    for (const template of new Set(facts.templates)) {
      prove(nodesWhere(journey, (node) => node.type === "send" && node.template === template));
    }
    for (const detailType of new Set(facts.emitted)) {
      prove(nodesWhere(journey, (node) => node.type === "emit" && node.detailType === detailType));
    }
    if (facts.outcome !== undefined) {
      outcomes[facts.outcome] = (outcomes[facts.outcome] ?? 0) + 1;
      // An outcome an exitOn event can also give says nothing about where the instance was.
      if (!exitOnOutcomes.has(facts.outcome)) {
        prove(nodesWhere(journey, (node) => node.type === "exit" && node.outcome === facts.outcome));
      }
    }
    for (const id of reached) if (nodes[id]) nodes[id].reached++;
  }
  return { entered: instances.length, active, nodes, outcomes };
}

/**
 * The funnel along the journey's main path: from the start, the successor most instances reached (the first
 * one on a tie), until an exit. Bookkeeping nodes (`assign`, `branch`) are walked through, not shown.
 */
export function mainPathFunnel(journey: Readonly<JourneyDefinition>, counts: JourneyCounts): FunnelStep[] {
  const steps: FunnelStep[] = [];
  const seen = new Set<string>();
  let current: string | undefined = journey.start;
  while (current !== undefined && !seen.has(current)) {
    seen.add(current);
    const node: JourneyNode = journey.nodes[current]!;
    const count = counts.nodes[current] ?? { waiting: 0, reached: 0 };
    if (node.type !== "assign" && node.type !== "branch") steps.push({ node: current, ...count });
    let best: string | undefined;
    for (const next of successors(node)) {
      if (best === undefined || (counts.nodes[next]?.reached ?? 0) > (counts.nodes[best]?.reached ?? 0))
        best = next;
    }
    current = best;
  }
  return steps;
}

function nodesWhere(journey: Readonly<JourneyDefinition>, test: (node: JourneyNode) => boolean): string[] {
  return Object.entries(journey.nodes)
    .filter(([, node]) => test(node))
    .map(([id]) => id);
}

/** The nodes on every path to each of the candidates (one of which the instance is known to have reached). */
function commonDominators(candidates: readonly string[], dominators: Map<string, Set<string>>): Set<string> {
  const [first, ...others] = candidates.map((id) => dominators.get(id) ?? new Set<string>());
  if (!first) return new Set();
  return new Set([...first].filter((id) => others.every((set) => set.has(id))));
}

/** Each node's dominators, itself included: the nodes every path from the start to it passes. */
export function dominatorsOf(journey: Readonly<JourneyDefinition>): Map<string, Set<string>> {
  const ids = Object.keys(journey.nodes);
  const predecessors = new Map<string, string[]>(ids.map((id) => [id, []]));
  for (const id of ids) for (const next of successors(journey.nodes[id]!)) predecessors.get(next)?.push(id);
  const all = new Set(ids);
  const dominators = new Map<string, Set<string>>(
    ids.map((id) => [id, id === journey.start ? new Set([id]) : new Set(all)]),
  );
  for (let changed = true; changed; ) {
    changed = false;
    for (const id of ids) {
      if (id === journey.start) continue;
      const from = predecessors.get(id)!.map((p) => dominators.get(p)!);
      const next = new Set([id, ...[...(from[0] ?? [])].filter((d) => from.every((set) => set.has(d)))]);
      if (next.size !== dominators.get(id)!.size) {
        dominators.set(id, next);
        changed = true;
      }
    }
  }
  return dominators;
}
