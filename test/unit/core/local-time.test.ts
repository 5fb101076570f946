import { describe, expect, it } from "vitest";
import { addDuration, durationMs, isDuration } from "../../../functions/core/time/duration.ts";
import {
  fromLocal,
  localTimeOnDay,
  parseTimeOfDay,
  toLocal,
} from "../../../functions/core/time/local-time.ts";

describe("local time", () => {
  it("converts wall-clock time to instants in Seoul (no DST) and New York (DST)", () => {
    expect(fromLocal({ year: 2026, month: 3, day: 7, hour: 10, minute: 0 }, "Asia/Seoul").toISOString()).toBe(
      "2026-03-07T01:00:00.000Z",
    );
    expect(
      fromLocal({ year: 2026, month: 1, day: 15, hour: 10, minute: 0 }, "America/New_York").toISOString(),
    ).toBe("2026-01-15T15:00:00.000Z");
    expect(
      fromLocal({ year: 2026, month: 7, day: 15, hour: 10, minute: 0 }, "America/New_York").toISOString(),
    ).toBe("2026-07-15T14:00:00.000Z");
  });

  it("a wall time skipped by spring-forward lands after the gap; a repeated one takes its first occurrence", () => {
    expect(
      fromLocal({ year: 2026, month: 3, day: 8, hour: 2, minute: 30 }, "America/New_York").toISOString(),
    ).toBe("2026-03-08T07:30:00.000Z");
    expect(toLocal(new Date("2026-03-08T07:30:00Z"), "America/New_York")).toMatchObject({
      hour: 3,
      minute: 30,
    });
    expect(
      fromLocal({ year: 2026, month: 11, day: 1, hour: 1, minute: 30 }, "America/New_York").toISOString(),
    ).toBe("2026-11-01T05:30:00.000Z");
  });

  it("round-trips every quarter hour of the year's change days in several zones", () => {
    for (const zone of ["America/New_York", "Europe/London", "Australia/Sydney", "Asia/Seoul", "UTC"]) {
      for (const day of [
        "2026-03-08",
        "2026-03-29",
        "2026-04-05",
        "2026-10-04",
        "2026-10-25",
        "2026-11-01",
      ]) {
        const base = new Date(`${day}T00:00:00Z`).getTime();
        for (let q = 0; q < 96 * 2; q++) {
          const instant = new Date(base + q * 15 * 60_000);
          const local = toLocal(instant, zone);
          const back = fromLocal(local, zone);
          // Either the same instant, or (in a repeated hour) the first one with the same wall time.
          expect(toLocal(back, zone)).toMatchObject({
            hour: local.hour,
            minute: local.minute,
            day: local.day,
          });
          expect(back.getTime()).toBeLessThanOrEqual(instant.getTime());
        }
      }
    }
  });

  it("counts calendar days in the customer's zone, across month ends", () => {
    // 23:30 KST on 03-31 is 14:30Z on 03-31: day 2 is 04-02 in Seoul.
    expect(localTimeOnDay(new Date("2026-03-31T14:30:00Z"), "Asia/Seoul", 2, "10:00").toISOString()).toBe(
      "2026-04-02T01:00:00.000Z",
    );
    // the same instant is 03-31 10:30 in New York: day 14 is 04-14.
    expect(
      localTimeOnDay(new Date("2026-03-31T14:30:00Z"), "America/New_York", 14, "10:00").toISOString(),
    ).toBe("2026-04-14T14:00:00.000Z");
  });

  it("parses times of day and ISO durations, and rejects malformed ones", () => {
    expect(parseTimeOfDay("08:05")).toEqual({ hour: 8, minute: 5 });
    expect(() => parseTimeOfDay("24:00")).toThrow(RangeError);
    expect(durationMs("P7D")).toBe(7 * 86_400_000);
    expect(durationMs("P1DT12H30M")).toBe(86_400_000 + 12.5 * 3_600_000);
    expect(durationMs("P2W")).toBe(14 * 86_400_000);
    expect(addDuration(new Date("2026-01-01T00:00:00Z"), "PT90M").toISOString()).toBe(
      "2026-01-01T01:30:00.000Z",
    );
    for (const bad of ["P", "PT", "7D", "P1Y", "P1.5D", ""]) expect(isDuration(bad)).toBe(false);
    expect(() => durationMs("P1Y")).toThrow(/ISO-8601/);
  });
});

describe("toLocal's cached offsets (issue 14)", () => {
  it("agrees with Intl to the second all through 2026, every 11 minutes and 7 seconds, in zones with whole, half and quarter hour offsets and changes", () => {
    const mismatches: string[] = [];
    for (const zone of [
      "America/New_York",
      "Europe/London",
      "Australia/Sydney",
      "Asia/Kathmandu",
      "Australia/Lord_Howe",
    ]) {
      const format = new Intl.DateTimeFormat("en-US", {
        timeZone: zone,
        hourCycle: "h23",
        year: "numeric",
        month: "numeric",
        day: "numeric",
        hour: "numeric",
        minute: "numeric",
        second: "numeric",
      });
      for (let t = Date.UTC(2026, 0, 1); t < Date.UTC(2027, 0, 1); t += 11 * 60_000 + 7_000) {
        const parts: Record<string, number> = {};
        for (const part of format.formatToParts(t))
          if (part.type !== "literal") parts[part.type] = Number(part.value);
        const local = toLocal(new Date(t), zone);
        if (
          local.year !== parts.year ||
          local.month !== parts.month ||
          local.day !== parts.day ||
          local.hour !== parts.hour ||
          local.minute !== parts.minute ||
          local.second !== parts.second
        )
          mismatches.push(`${zone} ${new Date(t).toISOString()}`);
      }
    }
    expect(mismatches).toEqual([]);
  }, 120_000);
});
