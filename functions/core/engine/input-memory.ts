import type { CustomerState } from "../customer-state.ts";
import type { Effect } from "../effects.ts";

/**
 * How the customer item recognises an input it has already handled, for as long as AWS can hand it back.
 *
 * - The **last input** (`lastTransition`) with its effects: SQS FIFO redelivers a message before the next
 *   one of its group, so a crash between the commit and the effects comes back here and is replayed.
 * - **Recent inputs** (`processedInputs`): every input of the last 25 hours, up to 128. EventBridge retries a
 *   target for up to 24 hours, and a producer's retry comes within minutes; past the SQS 5-minute dedupe
 *   window these are what recognises them.
 * - **Redelivered inputs** (`redelivered`): an input that came back at all (a replay or a duplicate) may be
 *   on its way to the dead-letter queue, and an operator may redrive it days later. It is pinned, with the
 *   effects it owes, for 30 days: the engine queue keeps a message 4 days, its dead-letter queue 14, and a
 *   redriven message 4 more in the source queue (22 days), with margin. Pinning costs one write, paid only
 *   on the abnormal path. A first delivery cannot reach the dead-letter queue without coming back first.
 */
export const INPUT_MEMORY = {
  recentWindowMs: 25 * 3_600_000,
  recentMax: 128,
  redeliveredWindowMs: 30 * 86_400_000,
  redeliveredMax: 16,
} as const;

export type Recognised =
  | { outcome: "replay"; effects: readonly Effect[] }
  | { outcome: "duplicate" }
  | undefined;

/** An entry of `processedInputs`: `<digest>@<minute, base 36>`; entries of older items carry no time. */
function entry(digest: string, now: Date): string {
  return `${digest}@${Math.floor(now.getTime() / 60_000).toString(36)}`;
}

function entryDigest(value: string): string {
  const at = value.indexOf("@");
  return at < 0 ? value : value.slice(0, at);
}

function entryTime(value: string): number {
  const at = value.indexOf("@");
  return at < 0 ? 0 : Number.parseInt(value.slice(at + 1), 36) * 60_000;
}

export function recognise(state: CustomerState, digest: string): Recognised {
  if (state.lastTransition?.inputId === digest)
    return { outcome: "replay", effects: state.lastTransition.effects as Effect[] };
  const pinned = state.redelivered?.find((r) => r.inputId === digest);
  if (pinned)
    return pinned.effects.length > 0
      ? { outcome: "replay", effects: pinned.effects as Effect[] }
      : { outcome: "duplicate" };
  return state.processedInputs.some((value) => entryDigest(value) === digest)
    ? { outcome: "duplicate" }
    : undefined;
}

/** Remembers a handled input among the recent ones, forgetting those past the window or the count. */
export function rememberInput(list: readonly string[], digest: string, now: Date): string[] {
  const horizon = now.getTime() - INPUT_MEMORY.recentWindowMs;
  const kept = list.filter((value) => entryTime(value) > horizon);
  return [...kept, entry(digest, now)].slice(-INPUT_MEMORY.recentMax);
}

export function isPinned(state: CustomerState, digest: string): boolean {
  return state.redelivered?.some((r) => r.inputId === digest) === true;
}

/**
 * Pins an input that came back, with what it owes (the effects of its transition, when it was the last one;
 * none when it was an older one: its effects ran before the next input of its group was handed out).
 */
export function pinRedelivered(
  state: CustomerState,
  digest: string,
  effects: readonly Effect[],
  now: Date,
): CustomerState {
  const horizon = now.toISOString();
  const kept = (state.redelivered ?? []).filter((r) => r.until > horizon && r.inputId !== digest);
  const until = new Date(now.getTime() + INPUT_MEMORY.redeliveredWindowMs).toISOString();
  return {
    ...state,
    redelivered: [...kept, { inputId: digest, until, effects: [...effects] }].slice(
      -INPUT_MEMORY.redeliveredMax,
    ),
  };
}
