/**
 * The statistics behind the numbers: Wilson score intervals for a conversion rate, Newcombe's hybrid score
 * interval (method 10 of Newcombe, 1998) for the difference of two rates, and NPS with its margin of error.
 * 95 % throughout. The same formulas are written in SQL for Athena (queries.ts); tests hold the two equal.
 */
export const Z95 = 1.959963984540054;

export interface Interval {
  low: number;
  high: number;
}

/** Wilson's score interval for `successes` out of `trials` (0 ≤ successes ≤ trials, trials > 0). */
export function wilson(successes: number, trials: number, z = Z95): Interval {
  const p = successes / trials;
  const z2 = z * z;
  const denominator = 1 + z2 / trials;
  const center = (p + z2 / (2 * trials)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials))) / denominator;
  return { low: Math.max(0, center - half), high: Math.min(1, center + half) };
}

/** Newcombe's hybrid score interval for p1 − p2 (a treatment's rate minus the control's). */
export function newcombe(
  x1: number,
  n1: number,
  x2: number,
  n2: number,
  z = Z95,
): Interval & { difference: number } {
  const p1 = x1 / n1;
  const p2 = x2 / n2;
  const a = wilson(x1, n1, z);
  const b = wilson(x2, n2, z);
  const difference = p1 - p2;
  return {
    difference,
    low: difference - Math.sqrt((p1 - a.low) ** 2 + (b.high - p2) ** 2),
    high: difference + Math.sqrt((a.high - p1) ** 2 + (p2 - b.low) ** 2),
  };
}

/**
 * When a comparison says anything: at least 30 entrants and 5 conversions and 5 non-conversions in each arm
 * (below that the interval is wide enough to mislead a reader who looks only at the point estimate).
 */
export function enoughData(x1: number, n1: number, x2: number, n2: number): boolean {
  const arm = (x: number, n: number) => n >= 30 && x >= 5 && n - x >= 5;
  return arm(x1, n1) && arm(x2, n2);
}

export interface Lift {
  /** Rates are fractions; `absolute` is p1 − p2 with Newcombe's interval. */
  absolute: Interval & { value: number };
  /**
   * (p1 − p2) / p2, with the absolute interval divided by the control's rate: an approximation that ignores
   * the control rate's own uncertainty (Newcombe's interval is for the difference).
   */
  relative?: Interval & { value: number };
  method: "Newcombe hybrid score (Wilson), 95%";
}

export function lift(x1: number, n1: number, x2: number, n2: number): Lift {
  const d = newcombe(x1, n1, x2, n2);
  const p2 = x2 / n2;
  return {
    absolute: { value: d.difference, low: d.low, high: d.high },
    ...(p2 > 0 ? { relative: { value: d.difference / p2, low: d.low / p2, high: d.high / p2 } } : {}),
    method: "Newcombe hybrid score (Wilson), 95%",
  };
}

export interface NpsSummary {
  responses: number;
  promoters: number;
  passives: number;
  detractors: number;
  /** % promoters − % detractors, −100 to 100. */
  score: number;
  /** Half the width of the 95 % interval of the score, in points. */
  marginOfError: number;
  /** Responses per score, 0 to 10. */
  distribution: number[];
}

/** NPS from the count of each score (index 0–10). */
export function npsSummary(distribution: readonly number[]): NpsSummary {
  const counts = Array.from({ length: 11 }, (_, score) => distribution[score] ?? 0);
  const responses = counts.reduce((sum, n) => sum + n, 0);
  const promoters = counts[9]! + counts[10]!;
  const detractors = counts.slice(0, 7).reduce((sum, n) => sum + n, 0);
  const passives = responses - promoters - detractors;
  if (responses === 0)
    return { responses, promoters, passives, detractors, score: 0, marginOfError: 0, distribution: counts };
  const pp = promoters / responses;
  const pd = detractors / responses;
  // Each answer scores +1, 0 or −1: NPS/100 is their mean, and its variance is pp + pd − (pp − pd)².
  const variance = pp + pd - (pp - pd) ** 2;
  return {
    responses,
    promoters,
    passives,
    detractors,
    score: (pp - pd) * 100,
    marginOfError: Z95 * Math.sqrt(variance / responses) * 100,
    distribution: counts,
  };
}
