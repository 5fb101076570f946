import { describe, expect, it } from "vitest";
import { referenceEvents } from "../../../events/catalog.ts";
import { defineCatalog } from "../../../events/define-catalog.ts";
import type { CustomerState, SendSummary } from "../../../functions/core/customer-state.ts";
import { renderContent } from "../../../functions/core/engine/delivery.ts";
import {
  DEFAULT_DELIVERY_POLICY,
  type DeliveryPolicy,
  type DeliveryPolicyInput,
  deliveryPolicySchema,
  parseDeliveryPolicy,
} from "../../../functions/core/guardrails/delivery-policy.ts";
import { countryZones, phoneRegion } from "../../../functions/core/guardrails/phone-time-zones.ts";
import {
  decide,
  type MessageRequest,
  type PolicyContext,
} from "../../../functions/core/guardrails/policy.ts";
import { defineTemplate } from "../../../functions/core/journey/template.ts";
import { formatLocal, isValidTimeZone } from "../../../functions/core/time/local-time.ts";

const policy = (input: DeliveryPolicyInput = {}): DeliveryPolicy => deliveryPolicySchema.parse(input);
const context = (overrides: Partial<CustomerState> = {}): PolicyContext => ({
  profile: {
    phone: "+821012345678",
    email: "a@example.com",
    timeZone: "Asia/Seoul",
    preferredChannel: "sms",
  },
  consent: { marketingSms: true, marketingEmail: true },
  optOuts: {},
  sends: [],
  ...overrides,
});
const request = (overrides: Partial<MessageRequest> = {}): MessageRequest => ({
  notificationId: `n-${Math.random()}`,
  priority: "marketing",
  ...overrides,
});
const sent = (at: string, overrides: Partial<SendSummary> = {}): SendSummary => ({
  at,
  notificationId: `s-${at}`,
  template: "t",
  priority: "marketing",
  channel: "sms",
  ...overrides,
});
const local = (instant: Date | undefined, zone: string) => (instant ? formatLocal(instant, zone) : "now");

describe("time zones estimated from the phone number (issue 10)", () => {
  it("a US customer with only a +1 415 number is not messaged before 08:00 Pacific", () => {
    const customer = context({ profile: { phone: "+14155550123" } });
    // 07:30 in San Francisco, 10:30 in New York: the old locale guess would have sent at 05:00 local.
    const early = decide(request({ priority: "service" }), customer, new Date("2026-06-10T14:30:00Z"));
    expect(early.outcome).toBe("defer");
    if (early.outcome !== "defer") return;
    expect(local(early.until, "America/Los_Angeles")).toBe("2026-06-10 08:00 America/Los_Angeles");
    expect(early.why.join(" | ")).toContain("area code 415 (California)");
    const eight = decide(request({ priority: "service" }), customer, new Date("2026-06-10T15:00:00Z"));
    expect(eight.outcome).toBe("send");
  });

  it("when the digits leave several zones, a message waits until quiet hours are over in every one", () => {
    // en-US and a number whose area code could ring in either Central or Mountain time (Kansas 785).
    const kansas = context({ profile: { phone: "+17855550123", locale: "en-US" } });
    const d = decide(request({ priority: "service" }), kansas, new Date("2026-01-15T13:30:00Z")); // 07:30 CT, 06:30 MT
    expect(d.outcome).toBe("defer");
    if (d.outcome !== "defer") return;
    expect(local(d.until, "America/Denver")).toBe("2026-01-15 08:00 America/Denver");
    // A locale alone of a country of several zones: quiet hours hold from New York to Los Angeles.
    const enUs = context({ profile: { email: "a@example.com", locale: "en-US" } });
    const night = decide(request({ priority: "service" }), enUs, new Date("2026-01-16T02:30:00Z")); // 21:30 ET, 18:30 PT
    expect(night.outcome).toBe("defer");
    if (night.outcome !== "defer") return;
    expect(local(night.until, "America/Los_Angeles")).toBe("2026-01-16 08:00 America/Los_Angeles");
  });

  it("the zone table names real zones, and a number's country and area code map as the numbering plan says", () => {
    for (const code of ["212", "415", "808", "907", "850", "604", "876"]) {
      const region = phoneRegion(`+1${code}5550123`)!;
      for (const zone of region.zones) expect(isValidTimeZone(zone), zone).toBe(true);
    }
    expect(phoneRegion("+14155550123")).toMatchObject({ country: "US", zones: ["America/Los_Angeles"] });
    expect(phoneRegion("+16045550123")).toMatchObject({ country: "CA", zones: ["America/Vancouver"] });
    expect(phoneRegion("+821012345678")).toMatchObject({ country: "KR", zones: ["Asia/Seoul"] });
    expect(phoneRegion("+447700900123")).toMatchObject({ country: "GB" });
    expect(phoneRegion("+35312345678")).toMatchObject({ country: "IE" });
    expect(phoneRegion("12125550123")).toBeUndefined();
    expect(phoneRegion("+19995550123")).toBeUndefined();
    for (const country of ["US", "CA", "KR", "AU", "BR"])
      for (const zone of countryZones(country)!) expect(isValidTimeZone(zone), zone).toBe(true);
  });
});

describe("quiet hours, open hours and closed days the catalog sets (issue 10)", () => {
  const seoulAt = (hhmm: string, date = "2026-06-10") => new Date(`${date}T${hhmm}:00+09:00`);

  it("quiet hours per catalog, per country and per journey, the journey's winning", () => {
    const settings = { policy: policy({ quietHours: { start: "20:00", end: "09:00" } }) };
    const at = seoulAt("08:30");
    const d = decide(request({ priority: "service" }), context(), at, settings);
    expect(d.outcome === "defer" && local(d.until, "Asia/Seoul")).toBe("2026-06-10 09:00 Asia/Seoul");
    const byCountry = { policy: policy({ quietHoursByCountry: { KR: { start: "22:00", end: "07:00" } } }) };
    expect(decide(request({ priority: "service" }), context(), seoulAt("21:30"), byCountry).outcome).toBe(
      "send",
    );
    expect(
      decide(request({ priority: "service" }), context(), seoulAt("22:30"), byCountry).why.join(" | "),
    ).toContain("quiet hours: the catalog's for KR");
    const journeyNone = { ...byCountry, journey: { quietHours: null } };
    expect(decide(request({ priority: "service" }), context(), seoulAt("23:30"), journeyNone).outcome).toBe(
      "send",
    );
    expect(
      decide(request({ priority: "service" }), context(), seoulAt("23:30"), {
        policy: policy({ quietHours: null }),
      }).outcome,
    ).toBe("send");
  });

  it("open hours per channel and weekday: outside them a message waits for the next window, safety does not", () => {
    const settings = {
      policy: policy({
        openHours: {
          sms: { WEDNESDAY: [{ start: "10:00", end: "12:00" }], FRIDAY: [{ start: "09:00", end: "17:00" }] },
        },
      }),
    };
    // Wednesday 2026-06-10 13:00: after Wednesday's window; Thursday has none; Friday 09:00.
    const d = decide(request({ priority: "service" }), context(), seoulAt("13:00"), settings);
    expect(d.outcome === "defer" && local(d.until, "Asia/Seoul")).toBe("2026-06-12 09:00 Asia/Seoul");
    expect(decide(request({ priority: "service" }), context(), seoulAt("11:00"), settings).outcome).toBe(
      "send",
    );
    expect(
      decide(request({ priority: "safety", severity: "high" }), context(), seoulAt("13:00"), settings)
        .outcome,
    ).toBe("send");
    // Email has no open hours: it goes.
    const email = context({ profile: { ...context().profile, preferredChannel: "email" } });
    expect(decide(request({ priority: "service" }), email, seoulAt("13:00"), settings).outcome).toBe("send");
  });

  it("closed days hold messages until they end, for the channels they name", () => {
    const settings = {
      policy: policy({
        closedDays: [
          { name: "Chuseok", start: "2026-09-24T00:00", end: "2026-09-27T00:00", channels: ["sms"] },
        ],
      }),
    };
    const d = decide(request({ priority: "marketing" }), context(), seoulAt("12:00", "2026-09-25"), settings);
    expect(d.outcome === "defer" && local(d.until, "Asia/Seoul")).toBe("2026-09-27 08:00 Asia/Seoul");
    expect(d.why.join(" | ")).toContain("within Chuseok (closed)");
  });

  it("is DST-safe: a window's 08:00 is 08:00 local on the day the clocks change", () => {
    const ny = context({ profile: { phone: "+12125550123", timeZone: "America/New_York" } });
    // 2026-03-08: clocks spring forward at 02:00 in New York; 01:30 EST is in quiet hours.
    const d = decide(request({ priority: "service" }), ny, new Date("2026-03-08T06:30:00Z"));
    expect(d.outcome === "defer" && local(d.until, "America/New_York")).toBe(
      "2026-03-08 08:00 America/New_York",
    );
  });

  it("refuses a policy that does not hold together, naming each field", () => {
    expect(
      parseDeliveryPolicy({
        quietHours: { start: "21:00", end: "21:00" },
        frequencyRules: [
          { id: "a", limit: 0, window: { rollingDays: 31 } },
          { id: "b", limit: 1, window: "local-day" },
          { id: "b", limit: 2, window: "local-day" },
        ],
        openHours: { email: { MONDAY: [{ start: "12:00", end: "09:00" }] } },
        defaultTimeZone: "Mars/Base",
      }),
    ).toEqual([
      "delivery.quietHours: start and end must differ (use null for no quiet hours)",
      "delivery.openHours.email.MONDAY[0]: an open-hours window must start before it ends, within the day",
      "delivery.frequencyRules[0].limit: Too small: expected number to be >=1",
      "delivery.frequencyRules[0].window.rollingDays: Too big: expected number to be <=30",
      "delivery.defaultTimeZone: not an IANA time zone",
    ]);
    expect(
      parseDeliveryPolicy({
        frequencyRules: [
          { id: "b", limit: 1, window: "local-day" },
          { id: "b", limit: 2, window: "local-day" },
        ],
      }),
    ).toEqual(['delivery.frequencyRules[1].id: "b" is used twice']);
    expect(parseDeliveryPolicy({ openHours: { sms: { MONDAY: [] } } })).toEqual([
      "delivery.openHours.sms: no open window on any day: nothing could ever be sent",
    ]);
    expect(parseDeliveryPolicy(undefined)).toEqual(DEFAULT_DELIVERY_POLICY);
  });
});

describe("frequency rules (issue 10)", () => {
  const now = new Date("2026-06-10T05:00:00Z"); // 14:00 Seoul

  it("the defaults are today's caps: 1 marketing message a local day, 3 in 7 days; service is not capped", () => {
    const today = context({ sends: [sent("2026-06-10T01:00:00Z")] });
    expect(decide(request(), today, now)).toMatchObject({ outcome: "suppress", reason: "frequency-cap" });
    expect(decide(request({ priority: "service" }), today, now).outcome).toBe("send");
    const week = context({
      sends: ["2026-06-05", "2026-06-07", "2026-06-08"].map((d) => sent(`${d}T01:00:00Z`)),
    });
    const capped = decide(request(), week, now);
    expect(capped).toMatchObject({ outcome: "suppress", reason: "frequency-cap" });
    expect(capped.why.join(" | ")).toContain(
      "frequency rule marketing-weekly: ≤ 3 marketing messages per 7 days, and 3 already went",
    );
  });

  it("a rule scoped to a tag caps only messages with that tag", () => {
    const settings = {
      policy: policy({
        frequencyRules: [
          {
            id: "one-survey-a-month",
            limit: 1,
            window: { rollingDays: 30 },
            priority: "service",
            tag: "survey",
          },
        ],
      }),
    };
    const history = context({
      sends: [sent("2026-05-20T01:00:00Z", { priority: "service", tags: ["survey"] })],
    });
    expect(decide(request({ priority: "service", tags: ["survey"] }), history, now, settings)).toMatchObject({
      outcome: "suppress",
      reason: "frequency-cap",
    });
    expect(decide(request({ priority: "service", tags: ["tips"] }), history, now, settings).outcome).toBe(
      "send",
    );
    expect(decide(request({ priority: "service" }), history, now, settings).outcome).toBe("send");
    // Thirty-one days later the survey may go again.
    expect(
      decide(
        request({ priority: "service", tags: ["survey"] }),
        history,
        new Date("2026-06-21T05:00:00Z"),
        settings,
      ).outcome,
    ).toBe("send");
  });

  it("a send that ignores caps goes, and still counts toward them", () => {
    const history = context({ sends: [sent("2026-06-10T01:00:00Z")] });
    const d = decide(request({ ignoreCaps: true }), history, now);
    expect(d.outcome).toBe("send");
    expect(d.why.join(" | ")).toContain(
      "this send ignores frequency rules (it still counts toward marketing-daily, marketing-weekly)",
    );
    // The one it sent counts: the next ordinary marketing message of the day is capped.
    const after = context({ sends: [sent("2026-06-10T02:00:00Z", { notificationId: "ignored-caps" })] });
    expect(decide(request(), after, now)).toMatchObject({ outcome: "suppress", reason: "frequency-cap" });
  });

  it("a rule scoped to a channel moves the message to the other channel when that one is free", () => {
    const settings = {
      policy: policy({
        frequencyRules: [{ id: "sms-daily", limit: 1, window: "local-day", channel: "sms" }],
      }),
    };
    const history = context({ sends: [sent("2026-06-10T01:00:00Z", { channel: "sms" })] });
    const d = decide(request(), history, now, settings);
    expect(d).toMatchObject({ outcome: "send", channels: ["email"] });
    expect(d.why.join(" | ")).toContain("sms: frequency rule sms-daily");
  });
});

describe("closed channels (issue 10)", () => {
  const now = new Date("2026-06-10T05:00:00Z");
  it("a channel closed by a bounce or a complaint is not used for that contact point; a new one reopens it", () => {
    const closed = context({
      profile: { ...context().profile, preferredChannel: "email" },
      channelClosures: {
        email: { at: "2026-06-01T00:00:00Z", reason: "hard-bounce", address: "a@example.com" },
      },
    });
    const d = decide(request({ priority: "service" }), closed, now);
    expect(d).toMatchObject({ outcome: "send", channels: ["sms"] });
    expect(d.why.join(" | ")).toContain("email: closed on 2026-06-01 (hard-bounce)");
    const onlyEmail = { ...closed, profile: { email: "a@example.com", timeZone: "Asia/Seoul" } };
    expect(decide(request({ priority: "service" }), onlyEmail, now)).toMatchObject({
      outcome: "suppress",
      reason: "undeliverable",
    });
    const newAddress = { ...closed, profile: { ...closed.profile, email: "b@example.com" } };
    expect(decide(request({ priority: "service" }), newAddress, now)).toMatchObject({
      outcome: "send",
      channels: ["email"],
    });
  });
});

describe("Korean advertising rules, set by the catalog (issue 10)", () => {
  const promo = defineTemplate({
    id: "t.promo",
    priority: "marketing",
    locales: {
      "en-US": { sms: () => "A new plan", email: { subject: () => "A new plan", body: () => "A new plan." } },
      "ko-KR": {
        sms: () => "새 요금제",
        email: { subject: () => "새 요금제 안내", body: () => "새 요금제." },
      },
    },
  });
  const build = (delivery?: DeliveryPolicyInput) =>
    defineCatalog({
      events: referenceEvents,
      journeys: [],
      templates: [promo],
      ...(delivery ? { delivery } : {}),
    });

  it("a catalog with ko-KR marketing messages must name the sender and the free 080 number", () => {
    expect(() => build()).toThrow(
      /delivery\.advertising: ko-KR marketing messages need the sender's name and a free 080 opt-out number/,
    );
    expect(() => build({ advertising: { senderName: "웨이마크", koreanOptOutNumber: "1588-0000" } })).toThrow(
      /delivery\.advertising\.koreanOptOutNumber: expected a free 080 number/,
    );
  });

  it("(광고) starts a ko-KR marketing email's subject, and the SMS names the sender and ends with the number", () => {
    const catalog = build({ advertising: { senderName: "웨이마크", koreanOptOutNumber: "080-500-4321" } });
    expect(renderContent(catalog, promo, "ko-KR", "email", "marketing", {}).subject).toBe(
      "(광고) 새 요금제 안내",
    );
    expect(renderContent(catalog, promo, "en-US", "email", "marketing", {}).subject).toBe("A new plan");
    expect(renderContent(catalog, promo, "ko-KR", "sms", "marketing", {}).body).toBe(
      "(광고)웨이마크 새 요금제\n무료수신거부 080-500-4321",
    );
  });
});
