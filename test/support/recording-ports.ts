import type { Effect } from "../../functions/core/effects.ts";
import type { EffectPorts } from "../../functions/use-cases/execute-effects.ts";

/** Effect ports that only record, for tests about the customer item itself. */
export function recordingPorts(): EffectPorts & { effects: Effect[] } {
  const effects: Effect[] = [];
  return {
    effects,
    timers: {
      schedule: async (t) => void effects.push({ type: "schedule", ...t }),
      cancel: async (t) => void effects.push({ type: "cancel", ...t }),
    },
    notifications: {
      enqueue: async (records) =>
        void effects.push(...records.map((record) => ({ type: "notify" as const, record }))),
    },
    events: {
      emit: async (events) => void effects.push(...events.map((e) => ({ type: "emit" as const, ...e }))),
    },
    owners: {
      apply: async (changes) => void effects.push({ type: "ownership", changes: [...changes] }),
      page: async () => ({ owners: [] }),
    },
  };
}
