import { describe, expect, it } from "vitest";
import type { CustomerState } from "../../../functions/core/customer-state.ts";
import { markAdvertisement, markSubject } from "../../../functions/core/guardrails/ad-marking.ts";
import { DEFAULT_DELIVERY_POLICY } from "../../../functions/core/guardrails/delivery-policy.ts";
import { releaseTime } from "../../../functions/core/guardrails/delivery-window.ts";
import {
  decide,
  type MessageRequest,
  type PolicyContext,
} from "../../../functions/core/guardrails/policy.ts";
import { countSmsSegments } from "../../../functions/core/guardrails/sms-segments.ts";
import { resolveTimeZone } from "../../../functions/core/guardrails/time-zone.ts";
import { offsetMs, toLocal } from "../../../functions/core/time/local-time.ts";

const context = (overrides: Partial<CustomerState> = {}): PolicyContext => ({
  profile: {
    phone: "+821012345678",
    email: "a@example.com",
    timeZone: "Asia/Seoul",
    locale: "ko-KR",
    preferredChannel: "sms",
  },
  consent: {},
  optOuts: {},
  sends: [],
  ...overrides,
});
/** When the default quiet hours end, if `now` is within them in `zone`. */
const quietEnd = (now: Date, zone: string): Date | undefined => {
  const { at } = releaseTime(now, [zone], { quietHours: DEFAULT_DELIVERY_POLICY.quietHours });
  return at.getTime() > now.getTime() ? at : undefined;
};
const service: MessageRequest = { notificationId: "n-1", priority: "service" };
const marketing: MessageRequest = { notificationId: "n-2", priority: "marketing" };
// 14:00 KST
const afternoon = new Date("2026-06-10T05:00:00Z");
// 22:30 KST
const lateEvening = new Date("2026-06-10T13:30:00Z");

describe("guardrail policy", () => {
  it("service messages need no consent and go by the preferred channel", () => {
    expect(decide(service, context(), afternoon)).toMatchObject({ outcome: "send", channels: ["sms"] });
  });

  it("falls back to the other channel when the preferred one is opted out, and says so", () => {
    const d = decide(service, context({ optOuts: { sms: "2026-06-01T00:00:00Z" } }), afternoon);
    expect(d).toMatchObject({ outcome: "send", channels: ["email"] });
    expect(d.why.join(" | ")).toMatch(
      /sms: the customer opted out on 2026-06-01.*channel: email \(fallback from sms\)/,
    );
  });

  it("suppresses no-contact when there is no usable contact point, opted-out when they all opted out", () => {
    expect(decide(service, context({ profile: { timeZone: "Asia/Seoul" } }), afternoon)).toMatchObject({
      outcome: "suppress",
      reason: "no-contact",
    });
    expect(decide(service, context({ optOuts: { sms: "x", email: "y" } }), afternoon)).toMatchObject({
      outcome: "suppress",
      reason: "opted-out",
    });
  });

  it("marketing needs channel consent: none → no-consent; email-only consent → email", () => {
    expect(decide(marketing, context(), afternoon)).toMatchObject({
      outcome: "suppress",
      reason: "no-consent",
    });
    expect(decide(marketing, context({ consent: { marketingEmail: true } }), afternoon)).toMatchObject({
      outcome: "send",
      channels: ["email"],
    });
  });

  it("defers service and marketing messages in quiet hours to 08:00 local", () => {
    const d = decide(service, context(), lateEvening);
    expect(d).toMatchObject({ outcome: "defer", channels: ["sms"] });
    expect(d.outcome === "defer" && d.until.toISOString()).toBe("2026-06-10T23:00:00.000Z"); // 08:00 KST next day
    expect(d.why.at(-1)).toContain("quiet hours 21:00–08:00");
    expect(decide(marketing, context({ consent: { marketingSms: true } }), lateEvening)).toMatchObject({
      outcome: "defer",
    });
  });

  it("night-time marketing consent lets marketing through at night", () => {
    const d = decide(
      marketing,
      context({ consent: { marketingSms: true, nightTimeMarketing: true } }),
      lateEvening,
    );
    expect(d).toMatchObject({ outcome: "send", channels: ["sms"] });
  });

  it("a critical safety message goes at once on every contactable channel at 02:00", () => {
    const twoAm = new Date("2026-06-10T17:00:00Z");
    const d = decide({ notificationId: "n-3", priority: "safety", severity: "critical" }, context(), twoAm);
    expect(d).toMatchObject({ outcome: "send", channels: ["sms", "email"] });
    const high = decide({ notificationId: "n-4", priority: "safety", severity: "high" }, context(), twoAm);
    expect(high).toMatchObject({ outcome: "defer", channels: ["sms"] });
  });

  it("caps marketing at one per local day and three per rolling 7 days; a capped message is dropped", () => {
    const consent = { marketingSms: true };
    const sentToday = [
      {
        at: "2026-06-10T00:30:00Z",
        notificationId: "x",
        template: "t",
        priority: "marketing" as const,
        channel: "sms" as const,
      },
    ];
    expect(decide(marketing, context({ consent, sends: sentToday }), afternoon)).toMatchObject({
      outcome: "suppress",
      reason: "frequency-cap",
    });
    // 2026-06-09 23:30 KST is yesterday locally even though it is the same UTC date as "today" in Seoul's morning.
    const yesterdayLocal = [{ ...sentToday[0]!, at: "2026-06-09T14:30:00Z" }];
    expect(decide(marketing, context({ consent, sends: yesterdayLocal }), afternoon)).toMatchObject({
      outcome: "send",
    });
    const threeThisWeek = ["2026-06-05T05:00:00Z", "2026-06-07T05:00:00Z", "2026-06-08T05:00:00Z"].map(
      (at) => ({
        ...sentToday[0]!,
        at,
      }),
    );
    expect(decide(marketing, context({ consent, sends: threeThisWeek }), afternoon)).toMatchObject({
      reason: "frequency-cap",
    });
    // service messages are never capped
    expect(decide(service, context({ sends: threeThisWeek }), afternoon)).toMatchObject({ outcome: "send" });
  });

  it("never sends the same notification twice (duplicate)", () => {
    const sends = [
      {
        at: "2026-06-10T00:00:00Z",
        notificationId: "n-1",
        template: "t",
        priority: "service" as const,
        channel: "sms" as const,
      },
    ];
    expect(decide(service, context({ sends }), afternoon)).toMatchObject({
      outcome: "suppress",
      reason: "duplicate",
    });
  });

  it("a customer with no time zone, no known phone number and no locale is handled in UTC, and the why says so", () => {
    const d = decide(
      service,
      context({ profile: { phone: "+999555012345", email: "a@example.com" } }),
      new Date("2026-06-10T22:00:00Z"),
    );
    expect(d).toMatchObject({ outcome: "defer", timeZone: "UTC" });
    expect(d.why.join(" ")).toContain(
      "no time zone, known phone number or locale on file: using the catalog's default UTC",
    );
  });

  it("a customer with no time zone but a New York number is handled in New York time, and the why says how it was found", () => {
    const d = decide(
      service,
      context({ profile: { phone: "+12125550123" } }),
      new Date("2026-06-10T22:00:00Z"),
    );
    expect(d).toMatchObject({ outcome: "send", timeZone: "America/New_York" });
    expect(d.why.join(" ")).toContain(
      "using America/New_York, from the phone number's area code 212 (New York)",
    );
  });
});

describe("time zones and quiet hours", () => {
  it("resolves the profile's zone, else the phone number's, else the locale's usual one, else the default", () => {
    expect(resolveTimeZone({ timeZone: "Europe/Paris", locale: "ko-KR" })).toMatchObject({
      zone: "Europe/Paris",
      zones: ["Europe/Paris"],
      source: "profile",
      country: "KR",
    });
    expect(resolveTimeZone({ locale: "ko-KR" })).toMatchObject({ zone: "Asia/Seoul", source: "locale" });
    expect(resolveTimeZone({ locale: "ko" })).toMatchObject({ zone: "Asia/Seoul", source: "locale" });
    expect(resolveTimeZone({ locale: "ko-KR", phone: "+14155550100" })).toMatchObject({
      zone: "America/Los_Angeles",
      zones: ["America/Los_Angeles"],
      source: "phone",
      country: "US",
    });
    expect(resolveTimeZone({ timeZone: "Mars/Olympus", locale: "xx" })).toMatchObject({
      zone: "UTC",
      source: "default",
    });
    expect(resolveTimeZone({}, "Europe/Berlin")).toMatchObject({ zone: "Europe/Berlin", source: "default" });
    // A locale of a country of several zones: every one is kept, local times in the westernmost.
    expect(resolveTimeZone({ locale: "en-US" })).toMatchObject({
      zone: "America/Los_Angeles",
      zones: ["America/Los_Angeles", "America/Denver", "America/Chicago", "America/New_York"],
      source: "locale",
    });
  });

  /** The UTC days on which `zone` changes its offset in 2026 (both DST transitions). */
  const changeDays = (zone: string): string[] => {
    const days: string[] = [];
    for (let d = 0; d < 365; d++) {
      const start = Date.UTC(2026, 0, 1 + d);
      if (offsetMs(new Date(start), zone) !== offsetMs(new Date(start + 86_400_000), zone)) {
        days.push(new Date(start).toISOString().slice(0, 10));
      }
    }
    return days;
  };

  const zones = [
    "America/New_York",
    "America/Los_Angeles",
    "Europe/London",
    "Europe/Berlin",
    "Australia/Sydney",
  ];

  it.each(zones)(
    "%s: every minute around both DST changes, sends land outside quiet hours at 08:00",
    (zone) => {
      const days = changeDays(zone);
      expect(days).toHaveLength(2);
      for (const day of days) {
        const start = new Date(`${day}T00:00:00Z`).getTime() - 12 * 3_600_000;
        for (let minute = 0; minute < 48 * 60; minute++) {
          const now = new Date(start + minute * 60_000);
          const local = toLocal(now, zone);
          const quiet = local.hour >= 21 || local.hour < 8;
          const decision = decide(
            service,
            context({ profile: { phone: "+12125550123", timeZone: zone } }),
            now,
          );
          if (!quiet) {
            expect(decision.outcome).toBe("send");
            continue;
          }
          expect(decision.outcome).toBe("defer");
          const until = (decision as { until: Date }).until;
          expect(toLocal(until, zone)).toMatchObject({ hour: 8, minute: 0 });
          expect(until.getTime()).toBeGreaterThan(now.getTime());
          expect(until.getTime() - now.getTime()).toBeLessThanOrEqual(12 * 3_600_000);
          expect(quietEnd(until, zone)).toBeUndefined();
        }
      }
    },
  );

  it("Seoul has no DST: 08:00 KST is always 23:00Z the day before", () => {
    expect(changeDays("Asia/Seoul")).toEqual([]);
    for (let hour = 0; hour < 24; hour++) {
      const end = quietEnd(new Date(Date.UTC(2026, 5, 10, hour)), "Asia/Seoul");
      if (end) expect(end.toISOString().slice(11, 16)).toBe("23:00");
    }
  });
});

describe("SMS segments and ad marking", () => {
  it("counts GSM-7 at 160/153 and UCS-2 at 70/67", () => {
    expect(countSmsSegments("a".repeat(160))).toEqual({ encoding: "GSM-7", units: 160, segments: 1 });
    expect(countSmsSegments("a".repeat(161)).segments).toBe(2);
    expect(countSmsSegments("a".repeat(306)).segments).toBe(2);
    expect(countSmsSegments("a".repeat(307)).segments).toBe(3);
    expect(countSmsSegments("€".repeat(80))).toMatchObject({ encoding: "GSM-7", units: 160, segments: 1 });
    expect(countSmsSegments("가".repeat(70))).toEqual({ encoding: "UCS-2", units: 70, segments: 1 });
    expect(countSmsSegments("가".repeat(71)).segments).toBe(2);
    expect(countSmsSegments("가".repeat(134)).segments).toBe(2);
    expect(countSmsSegments("가".repeat(135)).segments).toBe(3);
    expect(countSmsSegments("hello 😀")).toMatchObject({ encoding: "UCS-2", units: 8 });
  });

  it("marks marketing SMS only: (광고) and the sender first, the free opt-out number last in Korean, STOP in English", () => {
    const advertising = { senderName: "웨이마크", koreanOptOutNumber: "080-500-4321" };
    const ko = markAdvertisement("리뷰를 남겨주세요", "ko-KR", "sms", "marketing", advertising);
    expect(ko).toBe("(광고)웨이마크 리뷰를 남겨주세요\n무료수신거부 080-500-4321");
    expect(() => markAdvertisement("리뷰", "ko-KR", "sms", "marketing")).toThrow(
      /koreanOptOutNumber is not set/,
    );
    expect(markSubject("리뷰를 남겨주세요", "ko-KR", "marketing")).toBe("(광고) 리뷰를 남겨주세요");
    expect(markSubject("주문 안내", "ko-KR", "service")).toBe("주문 안내");
    expect(markSubject("Review?", "en-US", "marketing")).toBe("Review?");
    expect(markAdvertisement("Review?", "en-US", "sms", "marketing")).toBe("Review? Reply STOP to opt out");
    expect(markAdvertisement("안내", "ko-KR", "sms", "service")).toBe("안내");
    expect(markAdvertisement("Recall", "en-US", "sms", "safety")).toBe("Recall");
    expect(markAdvertisement("Review?", "en-US", "email", "marketing")).toBe("Review?");
  });
});
