/**
 * `GET /journeys`: every journey version of the catalog as a graph, with live counts and the funnel along its
 * main path, from what the local runtime knows: the customers' open instances, their notification records,
 * and Waymark's own events on the bus (JourneyCompleted, and what `emit` nodes put).
 */
import type { Catalog } from "../../../functions/core/catalog/catalog.ts";
import type { CustomerState } from "../../../functions/core/customer-state.ts";
import type { NotificationRecord } from "../../../functions/core/notification.ts";
import {
  countJourney,
  type FunnelStep,
  type InstanceFacts,
  type JourneyCounts,
  mainPathFunnel,
} from "./journey-counts.ts";
import { type JourneyGraph, journeyGraph } from "./journey-graph.ts";

export interface JourneyView extends JourneyGraph {
  id: string;
  version: number;
  description: string;
  /** The version new instances start on. */
  latest: boolean;
  counts: JourneyCounts;
  funnel: FunnelStep[];
}

/** What the view reads; the local runtime provides it. */
export interface JourneyFactsSource {
  readonly catalog: Catalog;
  customerIds(): Promise<string[]>;
  readonly customers: { load(customerId: string): Promise<{ state: CustomerState } | undefined> };
  readonly notifications: { listForCustomer(customerId: string): Promise<NotificationRecord[]> };
  readonly state: { list<T>(log: "EVENT"): Promise<T[]> };
}

interface Envelope {
  source?: string;
  "detail-type"?: string;
  detail?: Record<string, unknown>;
}

/** Waymark's own events that are not put by an `emit` node. */
const NOT_FROM_EMIT_NODES = new Set(["JourneyCompleted", "NotificationSent", "NotificationSuppressed"]);

export async function journeysView(source: JourneyFactsSource): Promise<JourneyView[]> {
  const facts = new Map<string, Map<string, InstanceFacts & { templates: string[]; emitted: string[] }>>();
  const versionOf = new Map<string, number>();
  const factsFor = (journeyId: string, version: number, customerId: string, instanceId: string) => {
    const journeyKey = `${journeyId}@${version}`;
    if (!facts.has(journeyKey)) facts.set(journeyKey, new Map());
    const instances = facts.get(journeyKey)!;
    const key = instanceKey(customerId, instanceId);
    if (!instances.has(key)) instances.set(key, { templates: [], emitted: [] });
    return instances.get(key)!;
  };
  const latest = new Map(source.catalog.latest().map((journey) => [journey.id, journey.version]));
  // Instance ids repeat across customers (one recall, many owners): an instance is a customer and an id.
  const version = (journeyId: string, customerId: string, instanceId: string) =>
    versionOf.get(instanceKey(customerId, instanceId)) ?? latest.get(journeyId);

  const ownEvents = (await source.state.list<Envelope>("EVENT")).filter(
    (event) => event.source === "waymark" && event.detail,
  );
  for (const event of ownEvents) {
    const detail = event.detail!;
    if (event["detail-type"] !== "JourneyCompleted") continue;
    const { customerId, instanceId, journeyId, journeyVersion, outcome } = detail;
    if (typeof customerId !== "string" || typeof instanceId !== "string" || typeof journeyId !== "string")
      continue;
    if (typeof journeyVersion !== "number" || typeof outcome !== "string") continue;
    versionOf.set(instanceKey(customerId, instanceId), journeyVersion);
    factsFor(journeyId, journeyVersion, customerId, instanceId).outcome = outcome;
  }

  const records: NotificationRecord[] = [];
  for (const customerId of await source.customerIds()) {
    const stored = await source.customers.load(customerId);
    for (const instance of stored?.state.instances ?? []) {
      versionOf.set(instanceKey(customerId, instance.id), instance.journeyVersion);
      factsFor(instance.journeyId, instance.journeyVersion, customerId, instance.id).waitingAt =
        instance.state.node;
    }
    records.push(...(await source.notifications.listForCustomer(customerId)));
  }
  for (const record of records) {
    const v = version(record.journeyId, record.customerId, record.instanceId);
    if (v !== undefined)
      factsFor(record.journeyId, v, record.customerId, record.instanceId).templates.push(record.template);
  }
  for (const event of ownEvents) {
    const type = event["detail-type"];
    const { customerId, instanceId, journeyId } = event.detail!;
    if (!type || NOT_FROM_EMIT_NODES.has(type)) continue;
    if (typeof customerId !== "string" || typeof instanceId !== "string" || typeof journeyId !== "string")
      continue;
    const v = version(journeyId, customerId, instanceId);
    if (v !== undefined) factsFor(journeyId, v, customerId, instanceId).emitted.push(type);
  }

  return source.catalog.journeys.map((journey) => {
    const counts = countJourney(journey, [
      ...(facts.get(`${journey.id}@${journey.version}`)?.values() ?? []),
    ]);
    return {
      id: journey.id,
      version: journey.version,
      description: journey.description,
      latest: latest.get(journey.id) === journey.version,
      ...journeyGraph(journey),
      counts,
      funnel: mainPathFunnel(journey, counts),
    };
  });
}

function instanceKey(customerId: string, instanceId: string): string {
  return `${customerId}\u0000${instanceId}`;
}
