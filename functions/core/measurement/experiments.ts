import { createHash } from "node:crypto";

/**
 * Experiment assignment: deterministic, so a customer lands in the same variant on every replay, re-entry and
 * journey version — the unit is a hash of the customer, the journey and the experiment, never of the instance
 * or a random draw.
 */
export function assignmentUnit(...parts: string[]): number {
  const digest = createHash("sha256").update(parts.join("\u0000")).digest();
  // 48 bits: an exact double in [0, 1).
  return digest.readUIntBE(0, 6) / 2 ** 48;
}

export interface WeightedVariant {
  name: string;
  weight: number;
}

/** The variant whose share of [0, 1) holds `unit`, shares in proportion to the weights. */
export function pickVariant(unit: number, variants: readonly WeightedVariant[]): string {
  const total = variants.reduce((sum, v) => sum + v.weight, 0);
  let upTo = 0;
  for (const variant of variants) {
    upTo += variant.weight / total;
    if (unit < upTo) return variant.name;
  }
  return variants.at(-1)!.name;
}

/** The experiment id of a journey's holdout. */
export function holdoutExperiment(journeyId: string): string {
  return `${journeyId}:holdout`;
}

export const GLOBAL_CONTROL = "global-control";

/** Whether the customer is in the catalog's global control group: no marketing at all. */
export function globalControlVariant(customerId: string, percent: number): "control" | "exposed" {
  return assignmentUnit(customerId, GLOBAL_CONTROL) < percent / 100 ? "control" : "exposed";
}
