import { scheduleName } from "../../../functions/adapters/eventbridge-scheduler-timers.ts";
import { ownerIndexKeys } from "../../../functions/config/owner-index-keys.ts";
import type { Effect } from "../../../functions/core/effects.ts";
import { DYNAMODB_ITEM_LIMIT_BYTES, itemBytes } from "../../../functions/core/item-size.ts";
import { expandFacts } from "../../../functions/core/measurement/lifecycle-facts.ts";
import type { ScenarioInputs } from "./fault-scenario.ts";
import type { FaultWorld } from "./fault-world.ts";

/** Delivery states a decision may end in; `sending` is a claim nobody finished. */
const SETTLED = new Set(["sent", "suppressed", "deferred", "uncertain"]);

/**
 * The promises the suite holds Waymark to, checked after the operator's redrive, once everything has settled.
 * Each returns what it found broken, in words an engineer can act on.
 */
export async function checkInvariants(world: FaultWorld, inputs: ScenarioInputs): Promise<string[]> {
  return [
    ...noEffectLost(world),
    ...noDecisionStuck(world),
    ...(await everySendSettled(world)),
    ...nothingDeliveredTwice(world),
    ...everyInputEnded(world, inputs),
    ...(await everyStateWritable(world)),
  ];
}

/** Every committed transition's effects reached their service: timers, cancels, messages, emits, ownership. */
function noEffectLost(world: FaultWorld): string[] {
  const { log } = world;
  const lost: string[] = [];
  const executed = (effect: Effect): boolean => {
    switch (effect.type) {
      case "schedule":
        return log.schedulesCreated.has(`${scheduleName(effect.customerId, effect.timerId)}|${effect.dueAt}`);
      case "cancel":
        return log.scheduleDeletes.has(scheduleName(effect.customerId, effect.timerId));
      case "notify":
        return log.outbound.has(effect.record.id);
      case "emit":
        return log.emits.has(`${effect.detailType}|${String(effect.detail.eventId)}`);
      case "ownership":
        return effect.changes.every((change) => {
          const key = ownerIndexKeys.owner(change.model, change.customerId, change.orderId);
          return log.ownerWrites.has(`${change.owned ? "put" : "delete"}|${key.pk}|${key.sk}`);
        });
      case "facts":
        return expandFacts(effect).every((fact) => log.facts.has(fact.factId));
    }
  };
  for (const [transition, { effects }] of log.owed) {
    for (const effect of effects) {
      if (!executed(effect))
        lost.push(
          `lost effect: ${effect.type} of committed transition ${transition}: ${JSON.stringify(effect).slice(0, 160)}`,
        );
    }
  }
  return lost;
}

/** Nothing is left on a queue or in a dead-letter queue, and no timer is left pending. */
function noDecisionStuck(world: FaultWorld): string[] {
  const stuck: string[] = [];
  for (const queue of Object.values(world.queues)) {
    if (queue.messages.length > 0)
      stuck.push(`${queue.options.name}: ${queue.messages.length} message(s) never finished`);
  }
  for (const letter of world.deadLetters)
    stuck.push(`${letter.queue} dead letter after the redrive: ${letter.body.slice(0, 160)}`);
  if (world.pendingTimers > 0) stuck.push(`${world.pendingTimers} timer(s) still pending at the end`);
  return stuck;
}

/** Every decision the engine put on the outbound queue ends decided; every `sent` one reached its provider. */
async function everySendSettled(world: FaultWorld): Promise<string[]> {
  const problems: string[] = [];
  const byCustomer = new Map<string, Map<string, string>>();
  for (const record of world.log.outbound.values()) {
    let deliveries = byCustomer.get(record.customerId);
    if (!deliveries) {
      deliveries = new Map(
        (await world.table.notificationStore.listForCustomer(record.customerId)).map((r) => [
          r.id,
          r.delivery,
        ]),
      );
      byCustomer.set(record.customerId, deliveries);
    }
    const delivery = deliveries.get(record.id);
    if (delivery === undefined || !SETTLED.has(delivery)) {
      problems.push(`decision ${record.id} (${record.template}) ended as ${delivery ?? "nothing"}`);
    } else if (delivery === "sent" && !world.log.publishes.has(record.id)) {
      problems.push(`decision ${record.id} is marked sent but its provider never had it`);
    }
  }
  return problems;
}

/**
 * A delivery made again is a violation unless every earlier one fell in the window no claim can close: its worker
 * never learned the outcome (a timeout, a death right after the call) or never recorded it (it died, or its mark
 * kept failing, before the claim said "done"). A repeat after the worker recorded it is a bug.
 */
function repeatedAfterRecorded(world: FaultWorld, key: string): boolean {
  const deliveries = world.log.deliveries.get(key) ?? [];
  const marks = world.log.marks.get(key) ?? new Set<object>();
  return deliveries.slice(0, -1).some((d) => !d.ambiguous && d.by !== undefined && marks.has(d.by));
}

/**
 * No marketing or service message reached its provider twice; a safety message only from the window above (at least once,
 * as documented). No event reached the bus twice, except from that window, under the same `eventId`.
 */
function nothingDeliveredTwice(world: FaultWorld): string[] {
  const { log } = world;
  const twice: string[] = [];
  for (const [id, count] of log.publishes) {
    if (count < 2) continue;
    const record = log.outbound.get(id);
    const allowed = record?.priority === "safety" && !repeatedAfterRecorded(world, `send|${id}`);
    if (!allowed)
      twice.push(
        `${record?.priority ?? "unknown"} message ${id} (${record?.template}) published ${count} times`,
      );
  }
  for (const [key, count] of log.emits) {
    if (count > 1 && repeatedAfterRecorded(world, `emit|${key}`))
      twice.push(`event ${key} put on the bus ${count} times`);
  }
  return twice;
}

/** Every input ended: rejected with its reason, or forwarded and handled. */
function everyInputEnded(world: FaultWorld, inputs: ScenarioInputs): string[] {
  const { log } = world;
  const problems: string[] = [];
  const rejected = new Map(log.rejected.map((r) => [String((r.event as { id?: unknown }).id), r.reason]));
  for (const id of inputs.rejected) {
    if (!rejected.get(id)) problems.push(`hostile input ${id} was not rejected with a reason`);
  }
  for (const id of inputs.accepted) {
    if (!log.ingested.has(id)) problems.push(`input ${id} never left the ingest queue`);
    else if (!log.forwarded.has(id) && !rejected.has(id))
      problems.push(`input ${id} was neither forwarded nor rejected`);
    else if (rejected.has(id)) problems.push(`valid input ${id} was rejected: ${rejected.get(id)}`);
  }
  return problems;
}

/** Every customer's item loads, is under DynamoDB's limit in UTF-8 bytes, and takes one more write. */
async function everyStateWritable(world: FaultWorld): Promise<string[]> {
  const problems: string[] = [];
  for (const customerId of world.log.customers) {
    try {
      const stored = await world.table.customers.load(customerId);
      if (!stored) {
        problems.push(`customer ${customerId}: committed, but no item`);
        continue;
      }
      const bytes = itemBytes({ state: stored.state });
      if (bytes > DYNAMODB_ITEM_LIMIT_BYTES) problems.push(`customer ${customerId}: ${bytes} bytes`);
      await world.table.customers.save(stored.state, stored.version);
    } catch (error) {
      problems.push(`customer ${customerId}: state unwritable: ${(error as Error).message}`);
    }
  }
  return problems;
}
