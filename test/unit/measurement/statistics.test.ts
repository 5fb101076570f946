import { describe, expect, it } from "vitest";
import {
  enoughData,
  lift,
  newcombe,
  npsSummary,
  wilson,
} from "../../../functions/core/measurement/statistics.ts";

describe("the statistics behind the numbers", () => {
  it("Wilson's score interval matches the published values", () => {
    // Newcombe (1998), table I: 81/263 → 0.2553 to 0.3662; 15/148 → 0.0624 to 0.1605; 0/20 → 0 to 0.1611.
    const close = (interval: { low: number; high: number }, low: number, high: number) => {
      expect(interval.low).toBeCloseTo(low, 4);
      expect(interval.high).toBeCloseTo(high, 4);
    };
    close(wilson(81, 263), 0.2553, 0.3662);
    close(wilson(15, 148), 0.0624, 0.1605);
    close(wilson(0, 20), 0, 0.1611);
  });

  it("Newcombe's hybrid score interval for a difference matches his worked example", () => {
    // Newcombe (1998), method 10, example (a): 56/70 − 48/80 = 0.2000, 95 % CI 0.0524 to 0.3339.
    const d = newcombe(56, 70, 48, 80);
    expect(d.difference).toBeCloseTo(0.2, 10);
    expect(d.low).toBeCloseTo(0.0524, 4);
    expect(d.high).toBeCloseTo(0.3339, 4);
    // Example (e): 0/10 − 0/20: 0, −0.1611 to 0.2775.
    const zero = newcombe(0, 10, 0, 20);
    expect(zero.low).toBeCloseTo(-0.1611, 4);
    expect(zero.high).toBeCloseTo(0.2775, 4);
  });

  it("lift is relative to the control, its interval the difference's over the control's rate", () => {
    const l = lift(56, 70, 48, 80);
    expect(l.absolute.value).toBeCloseTo(0.2, 10);
    expect(l.relative!.value).toBeCloseTo(0.2 / 0.6, 10);
    expect(l.relative!.low).toBeCloseTo(0.0524 / 0.6, 3);
    expect(l.method).toBe("Newcombe hybrid score (Wilson), 95%");
    expect(lift(3, 10, 0, 10).relative).toBeUndefined();
  });

  it("says when there is not enough data yet", () => {
    expect(enoughData(56, 70, 48, 80)).toBe(true);
    expect(enoughData(3, 20, 48, 80)).toBe(false);
    expect(enoughData(2, 100, 48, 80)).toBe(false);
  });

  it("NPS is % promoters − % detractors, with its margin of error, from the distribution of scores", () => {
    // 10 answers: 9, 10, 10, 10, 8, 7, 6, 3, 0, 9 → 5 promoters, 2 passives, 3 detractors.
    const distribution = Array.from({ length: 11 }, () => 0);
    for (const score of [9, 10, 10, 10, 8, 7, 6, 3, 0, 9]) distribution[score]!++;
    const nps = npsSummary(distribution);
    expect(nps).toMatchObject({ responses: 10, promoters: 5, passives: 2, detractors: 3 });
    expect(nps.score).toBeCloseTo(20, 10);
    // var = 0.5 + 0.3 − 0.2² = 0.76; MoE = 1.96 × √(0.076) × 100 ≈ 54.03
    expect(nps.marginOfError).toBeCloseTo(54.03, 1);
    expect(nps.distribution).toEqual(distribution);
    expect(npsSummary([])).toMatchObject({ responses: 0, score: 0 });
  });
});
