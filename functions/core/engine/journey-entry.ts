import { createHash } from "node:crypto";
import type { CustomerState } from "../customer-state.ts";
import type { JourneyDefinition } from "../journey/definition.ts";
import { STATE_BUDGET } from "../state-budget.ts";
import { addDuration } from "../time/duration.ts";

/** A key's digest as entry memory keeps it: 72 bits, 12 characters. */
function keyDigest(key: string): string {
  return createHash("sha256").update(key).digest("base64url").slice(0, 12);
}

/**
 * Whether the customer may enter `journey` with `key` now, by its re-entry rules (Pinpoint's
 * EndpointReentryCap / EndpointReentryInterval): undefined when they may, else the reason. Exact for the life
 * of the customer: the count, the last entry and (for a key admitted once) the keys entered are kept per
 * journey, not inferred from the last completed instances.
 */
export function entryRefusal(
  state: CustomerState,
  journey: Readonly<JourneyDefinition>,
  key: string,
  now: Date,
): string | undefined {
  const rules = journey.entry.reentry ?? { perKey: "once" as const };
  const memory = state.entries?.[journey.id];
  const instanceId = `${journey.id}#${key}`;
  if ((rules.perKey ?? "once") === "once") {
    // Instances completed before entry memory existed are remembered by id.
    if (memory?.keys?.includes(keyDigest(key)) || state.completedInstances.includes(instanceId))
      return `${key} already went through ${journey.id} (a key enters once)`;
    if ((memory?.keys?.length ?? 0) >= STATE_BUDGET.entryKeys)
      return `entry memory is full: ${STATE_BUDGET.entryKeys} keys of ${journey.id} are remembered for this customer`;
  }
  if (!memory) return undefined;
  if (rules.maxEntries !== undefined && memory.count >= rules.maxEntries)
    return `entered ${journey.id} ${memory.count} time${memory.count === 1 ? "" : "s"} already (at most ${rules.maxEntries})`;
  if (rules.interval !== undefined) {
    const allowedAt = addDuration(new Date(memory.lastAt), rules.interval);
    if (allowedAt.getTime() > now.getTime())
      return `last entered ${journey.id} at ${memory.lastAt}; again only after ${rules.interval} (${allowedAt.toISOString()})`;
  }
  return undefined;
}

/**
 * The id of the instance an entry starts. Notification, timer, fact and emitted-event ids all derive from it,
 * so it must differ for every entry: a key that may enter again gets its entry's ordinal, or its second run
 * would be taken for a redelivery of the first and send nothing. A key that enters once keeps the plain
 * `journey#key`.
 */
export function instanceIdFor(
  state: CustomerState,
  journey: Readonly<JourneyDefinition>,
  key: string,
): string {
  const plain = `${journey.id}#${key}`;
  if ((journey.entry.reentry?.perKey ?? "once") === "once") return plain;
  return `${plain}#${(state.entries?.[journey.id]?.count ?? 0) + 1}`;
}

/** The customer's state with one more entry into `journey` remembered. */
export function rememberEntry(
  state: CustomerState,
  journey: Readonly<JourneyDefinition>,
  key: string,
  now: Date,
): CustomerState {
  const memory = state.entries?.[journey.id];
  const perKeyOnce = (journey.entry.reentry?.perKey ?? "once") === "once";
  const keys = perKeyOnce ? [...(memory?.keys ?? []), keyDigest(key)] : memory?.keys;
  // Journey ids are kebab-case (the definition's schema): never a key that could touch a prototype.
  const entry = { count: (memory?.count ?? 0) + 1, lastAt: now.toISOString(), ...(keys ? { keys } : {}) };
  return { ...state, entries: { ...state.entries, [journey.id]: entry } };
}
