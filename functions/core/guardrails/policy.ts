import type { Channel, Consent, CustomerState, Priority, Profile, SendSummary } from "../customer-state.ts";
import type { SuppressionReason } from "../notification.ts";
import { formatLocal, toLocal } from "../time/local-time.ts";
import { QUIET_HOURS, quietHoursEnd } from "./quiet-hours.ts";
import { resolveTimeZone } from "./time-zone.ts";

export const FREQUENCY_CAPS = { perLocalDay: 1, perRolling7Days: 3 } as const;

/** What a journey asks for; the policy decides whether, when and on which channel. */
export interface MessageRequest {
  notificationId: string;
  priority: Priority;
  /** Only safety messages have one; `critical` ignores quiet hours and uses every channel. */
  severity?: "critical" | "high" | "medium";
  /** Channels in the order the journey would like them; defaults to the preferred one first. */
  channelOrder?: readonly Channel[];
}

export type PolicyContext = Pick<CustomerState, "profile" | "consent" | "optOuts" | "sends">;

export type Decision =
  | { outcome: "send"; channels: Channel[]; timeZone: string; why: string[] }
  | { outcome: "defer"; channels: Channel[]; until: Date; timeZone: string; why: string[] }
  | { outcome: "suppress"; reason: SuppressionReason; channels: Channel[]; timeZone: string; why: string[] };

const allChannels: readonly Channel[] = ["sms", "email"];

/**
 * The one guardrail policy every message of every journey goes through (docs/architecture.md, guardrails).
 * Pure: the same request, context and clock always give the same decision and reasons.
 */
export function decide(request: MessageRequest, context: PolicyContext, now: Date): Decision {
  const { zone, source } = resolveTimeZone(context.profile);
  const why: string[] = [];
  const critical = request.priority === "safety" && request.severity === "critical";
  why.push(describePriority(request, context.consent));
  if (source !== "profile") {
    why.push(
      source === "locale"
        ? `no time zone on file: using ${zone}, usual for locale ${context.profile.locale}`
        : "no time zone or locale on file: using UTC",
    );
  }

  if (context.sends.some((send) => send.notificationId === request.notificationId)) {
    why.push("this exact message was already sent");
    return { outcome: "suppress", reason: "duplicate", channels: [], timeZone: zone, why };
  }

  const selection = selectChannels(request, context, critical);
  why.push(...selection.why);
  if (selection.channels.length === 0) {
    return { outcome: "suppress", reason: selection.reason, channels: [], timeZone: zone, why };
  }

  if (request.priority === "marketing") {
    const cap = frequencyCapReason(context.sends, now, zone);
    if (cap) {
      why.push(cap, "a capped marketing message is dropped, not postponed");
      return {
        outcome: "suppress",
        reason: "frequency-cap",
        channels: selection.channels,
        timeZone: zone,
        why,
      };
    }
    why.push(
      `within marketing caps (≤ ${FREQUENCY_CAPS.perLocalDay} per local day, ≤ ${FREQUENCY_CAPS.perRolling7Days} per 7 days)`,
    );
  }

  const quietEnd = quietHoursEnd(now, zone);
  if (quietEnd) {
    const localNow = formatLocal(now, zone);
    if (critical) {
      why.push(`${localNow} is within quiet hours, but a critical safety message goes at once`);
    } else if (request.priority === "marketing" && context.consent.nightTimeMarketing === true) {
      why.push(`${localNow} is within quiet hours; the customer consented to night-time marketing`);
    } else {
      why.push(
        `${localNow} is within quiet hours ${pad(QUIET_HOURS.startHour)}:00–${pad(QUIET_HOURS.endHour)}:00: ` +
          `deferred to ${formatLocal(quietEnd, zone)}`,
      );
      return { outcome: "defer", channels: selection.channels, until: quietEnd, timeZone: zone, why };
    }
  }
  return { outcome: "send", channels: selection.channels, timeZone: zone, why };
}

function describePriority(request: MessageRequest, consent: Consent): string {
  switch (request.priority) {
    case "safety":
      return request.severity === "critical"
        ? "critical safety message: no consent needed, every contactable channel, day or night"
        : `safety message (${request.severity ?? "unrated"}): no consent needed`;
    case "service":
      return "service message: no marketing consent needed";
    case "marketing":
      return consent.marketingSms || consent.marketingEmail
        ? "marketing message: needs channel consent"
        : "marketing message: needs channel consent, and the customer gave none";
  }
}

interface ChannelSelection {
  channels: Channel[];
  reason: SuppressionReason;
  why: string[];
}

function selectChannels(
  request: MessageRequest,
  context: PolicyContext,
  everyChannel: boolean,
): ChannelSelection {
  const order = orderChannels(request.channelOrder, context.profile);
  const why: string[] = [];
  const usable: Channel[] = [];
  let reason: SuppressionReason = "no-contact";
  for (const channel of order) {
    const address = channel === "sms" ? context.profile.phone : context.profile.email;
    if (!address) {
      why.push(`${channel}: no ${channel === "sms" ? "phone number" : "email address"} on file`);
      continue;
    }
    if (context.optOuts[channel]) {
      why.push(`${channel}: the customer opted out on ${context.optOuts[channel]!.slice(0, 10)}`);
      reason = "opted-out";
      continue;
    }
    if (request.priority === "marketing" && !hasMarketingConsent(context.consent, channel)) {
      why.push(`${channel}: no marketing consent for this channel`);
      if (reason !== "opted-out") reason = "no-consent";
      continue;
    }
    usable.push(channel);
    if (!everyChannel) break;
  }
  // Prefer the most specific reason when nothing is usable: consent, then opt-out, then contact.
  if (usable.length === 0 && why.some((line) => line.includes("no marketing consent"))) reason = "no-consent";
  if (usable.length > 0) {
    const preferred = context.profile.preferredChannel;
    why.push(
      everyChannel
        ? `channels: ${usable.join(" and ")} (every contactable channel)`
        : `channel: ${usable[0]}${channelNote(usable[0]!, preferred, request.channelOrder)}`,
    );
  }
  return { channels: usable, reason, why };
}

/** The channels to try, in order: the journey's order if it gave one, else the preferred channel first. */
function channelNote(
  used: Channel,
  preferred: Channel | undefined,
  requested: readonly Channel[] | undefined,
): string {
  if (used === preferred) return " (preferred)";
  if (requested?.[0] === used) return ` (this message goes by ${used} first)`;
  return preferred ? ` (fallback from ${preferred})` : "";
}

export function orderChannels(requested: readonly Channel[] | undefined, profile: Profile): Channel[] {
  if (requested && requested.length > 0) {
    return [...requested, ...allChannels.filter((c) => !requested.includes(c))];
  }
  const preferred = profile.preferredChannel;
  return preferred ? [preferred, ...allChannels.filter((c) => c !== preferred)] : [...allChannels];
}

export function hasMarketingConsent(consent: Consent, channel: Channel): boolean {
  return channel === "sms" ? consent.marketingSms === true : consent.marketingEmail === true;
}

function frequencyCapReason(sends: readonly SendSummary[], now: Date, zone: string): string | undefined {
  const marketing = sends.filter((send) => send.priority === "marketing");
  const today = toLocal(now, zone);
  const sameDay = marketing.filter((send) => {
    const local = toLocal(new Date(send.at), zone);
    return local.year === today.year && local.month === today.month && local.day === today.day;
  });
  if (sameDay.length >= FREQUENCY_CAPS.perLocalDay) {
    return `frequency cap: ${sameDay.length} marketing message already sent today (${zone})`;
  }
  const weekAgo = now.getTime() - 7 * 86_400_000;
  const lastWeek = marketing.filter((send) => new Date(send.at).getTime() > weekAgo);
  if (lastWeek.length >= FREQUENCY_CAPS.perRolling7Days) {
    return `frequency cap: ${lastWeek.length} marketing messages in the last 7 days`;
  }
  return undefined;
}

function pad(n: number): string {
  return String(n).padStart(2, "0");
}
