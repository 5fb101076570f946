/**
 * The journey's settings: caps, sending rate, quiet time, open hours, closed days, time-zone estimation and
 * the rest. What Waymark keeps per journey (quiet hours) goes on the journey; what it keeps per catalog
 * (frequency rules, open hours, closed days, sending rate) becomes the suggested `delivery` the team merges
 * into its catalog — said in the report, since it then applies to every journey's messages.
 */
import type {
  ClosedDay,
  DeliveryPolicy,
  FrequencyRule,
  OpenHours as WaymarkOpenHours,
} from "../../functions/core/guardrails/delivery-policy.ts";
import type { ImportContext } from "./import-context.ts";
import type { ClosedDays, OpenHours, PinpointJourney } from "./model.ts";
import type { ImportPlan, JourneyInput } from "./plan.ts";

export interface MappedSettings {
  /** The journey's own delivery changes. */
  delivery?: JourneyInput["delivery"];
  /** The catalog's delivery, with what this journey needs merged in (only the keys it touches). */
  catalogDelivery: ImportPlan["delivery"];
  /** The tag the journey's sends carry, when frequency rules count them. */
  tag?: string;
}

const CHANNELS = { EMAIL: "email", SMS: "sms" } as const;
type PinpointChannel = keyof OpenHours;

/**
 * `priorities`: the priorities the journey's sends use (frequency rules count one priority each).
 * `policy`: the catalog's delivery as it is (Waymark's defaults without `--catalog`).
 */
export function mapSettings(
  ctx: ImportContext,
  journey: PinpointJourney,
  priorities: ReadonlySet<"marketing" | "service">,
  policy: DeliveryPolicy,
): MappedSettings {
  const catalogDelivery: ImportPlan["delivery"] = {};
  const rules = capRules(ctx, journey, priorities);
  const tag = rules.length > 0 ? `pinpoint:${ctx.journeyId}` : undefined;
  if (rules.length > 0) {
    catalogDelivery.frequencyRules = [
      ...policy.frequencyRules,
      ...rules.map((rule) => ({ ...rule, tag: tag! })),
    ];
    const existing = policy.frequencyRules.map(
      (r) => `${r.id} (${r.limit} ${r.priority} per ${windowText(r)})`,
    );
    ctx.item({
      path: ctx.at("Limits"),
      pinpoint: "the catalog's own frequency rules",
      status: "approximated",
      waymark: `kept beside the journey's: ${existing.join(", ") || "none"}`,
      note: "Waymark's catalog rules count every journey's messages; Pinpoint's project limits were not in the journey",
      catalogWide: true,
    });
  }
  const rate = journey.Limits?.MessagesPerSecond;
  if (rate !== undefined) {
    const current = Object.values(policy.sendingRate).filter((r): r is number => r !== undefined);
    const kept = current.length > 0 && Math.min(...current) < rate;
    catalogDelivery.sendingRate = kept ? { ...policy.sendingRate } : { sms: rate, email: rate };
    ctx.item({
      path: ctx.at("Limits", "MessagesPerSecond"),
      pinpoint: `Limits.MessagesPerSecond ${rate}`,
      status: "approximated",
      waymark: kept
        ? `delivery.sendingRate kept at the catalog's ${JSON.stringify(policy.sendingRate)}, which is slower`
        : `delivery.sendingRate { sms: ${rate}, email: ${rate} }`,
      note: "catalog-wide in Waymark (every journey's messages per second, per channel); Pinpoint's was this journey's",
      catalogWide: true,
    });
  }
  const delivery = quietTime(ctx, journey, policy);
  const schedule = journey.SendingSchedule === true;
  if (journey.SendingSchedule !== undefined)
    ctx.item({
      path: ctx.at("SendingSchedule"),
      pinpoint: `SendingSchedule ${journey.SendingSchedule}`,
      status: "mapped",
      waymark: schedule ? "OpenHours and ClosedDays are imported" : "OpenHours and ClosedDays are not used",
    });
  if (journey.OpenHours) {
    const openHours = mapOpenHours(ctx, journey.OpenHours, schedule);
    if (Object.keys(openHours).length > 0) catalogDelivery.openHours = { ...policy.openHours, ...openHours };
  }
  if (journey.ClosedDays) {
    const closed = mapClosedDays(ctx, journey.ClosedDays, schedule);
    if (closed.length > 0) {
      const key = (d: ClosedDay) => `${d.name}|${d.start}|${d.end}`;
      const known = new Set(policy.closedDays.map(key));
      catalogDelivery.closedDays = [...policy.closedDays, ...closed.filter((d) => !known.has(key(d)))];
    }
  }
  timeZones(ctx, journey);
  return { ...(delivery ? { delivery } : {}), catalogDelivery, ...(tag ? { tag } : {}) };
}

function windowText(rule: FrequencyRule): string {
  return rule.window === "local-day" ? "local day" : `${rule.window.rollingDays} day(s)`;
}

/** DailyCap, TimeframeCap and TotalCap: per-customer caps on this journey's messages, as tag-scoped rules. */
function capRules(
  ctx: ImportContext,
  journey: PinpointJourney,
  priorities: ReadonlySet<"marketing" | "service">,
): Omit<FrequencyRule, "tag">[] {
  const limits = journey.Limits ?? {};
  const caps: {
    key: string;
    limit: number | undefined;
    days: number | undefined;
    id: string;
    pinpoint: string;
  }[] = [
    {
      key: "DailyCap",
      limit: limits.DailyCap,
      days: 1,
      id: "daily",
      pinpoint: `Limits.DailyCap ${limits.DailyCap}`,
    },
    {
      key: "TimeframeCap",
      limit: limits.TimeframeCap?.Cap,
      days: limits.TimeframeCap?.Days,
      id: `${limits.TimeframeCap?.Days}-days`,
      pinpoint: `Limits.TimeframeCap ${limits.TimeframeCap?.Cap} in ${limits.TimeframeCap?.Days} days`,
    },
    {
      key: "TotalCap",
      limit: limits.TotalCap,
      days: 30,
      id: "total",
      pinpoint: `Limits.TotalCap ${limits.TotalCap}`,
    },
  ];
  const rules: Omit<FrequencyRule, "tag">[] = [];
  const scopes = [...priorities].sort();
  for (const cap of caps) {
    if (cap.key === "TimeframeCap" ? limits.TimeframeCap === undefined : cap.limit === undefined) continue;
    const path = ctx.at("Limits", cap.key);
    if (!cap.limit || !cap.days) {
      ctx.item({
        path,
        pinpoint: cap.pinpoint,
        status: "mapped",
        waymark: "no rule: 0 switches the limit off",
      });
      continue;
    }
    if (scopes.length === 0) {
      ctx.item({
        path,
        pinpoint: cap.pinpoint,
        status: "mapped",
        waymark: "no rule: the journey sends no message",
      });
      continue;
    }
    const ids: string[] = [];
    for (const priority of scopes) {
      const id = `${ctx.journeyId}-${cap.id}${scopes.length > 1 ? `-${priority}` : ""}`;
      ids.push(id);
      rules.push({ id, limit: cap.limit, window: { rollingDays: cap.days }, priority });
    }
    const notes = [
      `a frequency rule of the catalog scoped to the tag pinpoint:${ctx.journeyId}, which only this journey's sends carry`,
      ...(scopes.length > 1
        ? [
            "a rule counts one priority: its marketing and its service messages are capped apart, each at the limit",
          ]
        : []),
      ...(cap.key === "TotalCap"
        ? ["Waymark's rules look back 30 days at most: the cap holds per 30 days, not for ever"]
        : []),
    ];
    ctx.item({
      path,
      pinpoint: cap.pinpoint,
      status: scopes.length > 1 || cap.key === "TotalCap" ? "approximated" : "mapped",
      waymark: `delivery.frequencyRules ${ids.join(", ")}: ${cap.limit} per ${cap.days} rolling day(s)`,
      note: notes.join("; "),
      catalogWide: true,
    });
  }
  return rules;
}

function quietTime(
  ctx: ImportContext,
  journey: PinpointJourney,
  policy: DeliveryPolicy,
): JourneyInput["delivery"] {
  const quiet = journey.QuietTime;
  const catalogQuiet = policy.quietHours ? `${policy.quietHours.start}–${policy.quietHours.end}` : "none";
  let delivery: JourneyInput["delivery"];
  if (!quiet) {
    ctx.item({
      path: ctx.at("QuietTime"),
      pinpoint: "QuietTime not set",
      status: "approximated",
      waymark: `the catalog's quiet hours (${catalogQuiet})`,
      note: "Pinpoint sent at any hour; to do the same, set delivery: { quietHours: null } on the journey",
    });
  } else if (quiet.Start === undefined || quiet.End === undefined || quiet.Start === quiet.End) {
    ctx.item({
      path: ctx.at("QuietTime"),
      pinpoint: `QuietTime ${quiet.Start ?? "?"}–${quiet.End ?? "?"}`,
      status: "not mapped",
      waymark: `the catalog's quiet hours (${catalogQuiet})`,
      note: "quiet time needs a Start and an End that differ",
    });
  } else {
    delivery = { quietHours: { start: quiet.Start, end: quiet.End } };
    ctx.item({
      path: ctx.at("QuietTime"),
      pinpoint: `QuietTime ${quiet.Start}–${quiet.End}`,
      status: "mapped",
      waymark: `the journey's delivery.quietHours ${quiet.Start}–${quiet.End}`,
      note: "Pinpoint applied it only to endpoints with a time zone; Waymark to every customer, estimating the zone",
    });
  }
  if (journey.WaitForQuietTime !== undefined)
    ctx.item({
      path: ctx.at("WaitForQuietTime"),
      pinpoint: `WaitForQuietTime ${journey.WaitForQuietTime}`,
      status: journey.WaitForQuietTime ? "mapped" : "approximated",
      waymark: "a message due in quiet hours is deferred to their end",
      ...(journey.WaitForQuietTime
        ? {}
        : { note: "Waymark never drops a message for quiet hours: it defers it" }),
    });
  return delivery;
}

function mapOpenHours(ctx: ImportContext, openHours: OpenHours, schedule: boolean): WaymarkOpenHours {
  const mapped: WaymarkOpenHours = {};
  for (const channel of Object.keys(openHours) as PinpointChannel[]) {
    const days = openHours[channel]!;
    const path = ctx.at("OpenHours", channel);
    const target = CHANNELS[channel as keyof typeof CHANNELS];
    if (!schedule || !target) {
      ctx.item({
        path,
        pinpoint: `OpenHours ${channel}`,
        status: "not mapped",
        waymark: "—",
        note: !schedule
          ? "Pinpoint uses open hours only with SendingSchedule true"
          : `Waymark does not send ${channel}`,
      });
      continue;
    }
    const windows: NonNullable<WaymarkOpenHours["sms"]> = {};
    const skipped: string[] = [];
    for (const [day, rules] of Object.entries(days)) {
      windows[day as keyof typeof windows] = [];
      for (const rule of rules ?? []) {
        if (rule.StartTime === undefined || rule.EndTime === undefined || rule.StartTime >= rule.EndTime) {
          skipped.push(`${day} ${rule.StartTime ?? "?"}–${rule.EndTime ?? "?"}`);
          continue;
        }
        windows[day as keyof typeof windows]!.push({ start: rule.StartTime, end: rule.EndTime });
      }
    }
    mapped[target] = windows;
    const described = Object.entries(windows)
      .map(([day, w]) => `${day.slice(0, 3)} ${w.map((x) => `${x.start}–${x.end}`).join(", ") || "closed"}`)
      .join("; ");
    ctx.item({
      path,
      pinpoint: `OpenHours ${channel}`,
      status: "approximated",
      waymark: `delivery.openHours.${target}: ${described}`,
      note: [
        "catalog-wide in Waymark: every journey's service and marketing messages on this channel keep these hours",
        ...(skipped.length > 0
          ? [`left out (a window must start before it ends, within a day): ${skipped.join(", ")}`]
          : []),
      ].join("; "),
      catalogWide: true,
    });
  }
  return mapped;
}

function mapClosedDays(ctx: ImportContext, closedDays: ClosedDays, schedule: boolean): ClosedDay[] {
  const byKey = new Map<string, ClosedDay & { channels: ("sms" | "email")[] }>();
  for (const channel of Object.keys(closedDays) as PinpointChannel[]) {
    const target = CHANNELS[channel as keyof typeof CHANNELS];
    for (const [i, rule] of (closedDays[channel] ?? []).entries()) {
      const path = ctx.at("ClosedDays", channel, i);
      const pinpoint = `ClosedDays ${channel} ${rule.Name ?? `#${i + 1}`} ${rule.StartDateTime ?? "?"}–${rule.EndDateTime ?? "?"}`;
      const why = !schedule
        ? "Pinpoint uses closed days only with SendingSchedule true"
        : !target
          ? `Waymark does not send ${channel}`
          : rule.StartDateTime === undefined || rule.EndDateTime === undefined
            ? "a closed day needs a start and an end"
            : localMinute(rule.StartDateTime) >= localMinute(rule.EndDateTime)
              ? "it must start before it ends"
              : undefined;
      if (why) {
        ctx.item({ path, pinpoint, status: "not mapped", waymark: "—", note: why });
        continue;
      }
      const name = rule.Name ?? `Pinpoint closed day ${i + 1}`;
      const start = localMinute(rule.StartDateTime!);
      const end = localMinute(rule.EndDateTime!);
      const key = `${name}|${start}|${end}`;
      const day = byKey.get(key) ?? { name, start, end, channels: [] };
      if (!day.channels.includes(target!)) day.channels.push(target!);
      byKey.set(key, day);
      const zoned = /(Z|[+-]\d{2}:?\d{2})$/.test(rule.StartDateTime!);
      ctx.item({
        path,
        pinpoint,
        status: "approximated",
        waymark: `delivery.closedDays "${name}" ${start}–${end} (${target})`,
        note: [
          "catalog-wide in Waymark: no journey's service or marketing message goes on this channel then",
          ...(zoned ? ["its zone is dropped: Waymark's closed days are in each customer's local time"] : []),
        ].join("; "),
        catalogWide: true,
      });
    }
  }
  return [...byKey.values()].map(({ channels, ...day }) =>
    channels.length === 2 ? day : { ...day, channels: [...channels].sort() },
  );
}

/** `2026-12-25T00:00:00Z` → `2026-12-25T00:00`: the wall-clock minute, as Waymark's closed days write it. */
function localMinute(isoDateTime: string): string {
  return isoDateTime.slice(0, 16);
}

function timeZones(ctx: ImportContext, journey: PinpointJourney): void {
  for (const method of journey.TimezoneEstimationMethods ?? []) {
    ctx.item({
      path: ctx.at("TimezoneEstimationMethods"),
      pinpoint: `TimezoneEstimationMethods ${method}`,
      status: method === "PHONE_NUMBER" ? "mapped" : "not mapped",
      waymark:
        method === "PHONE_NUMBER"
          ? "Waymark estimates a zone from the phone number (then the locale) anyway"
          : "—",
      ...(method === "POSTAL_CODE"
        ? { note: "Waymark does not estimate zones from postal codes: set the profile's timeZone" }
        : {}),
    });
  }
}
