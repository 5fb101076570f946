import type { Channel, Consent, CustomerState, Priority, Profile } from "../customer-state.ts";
import type { SuppressionReason } from "../notification.ts";
import { formatLocal } from "../time/local-time.ts";
import {
  DEFAULT_DELIVERY_POLICY,
  type DeliveryPolicy,
  type JourneyDelivery,
  type QuietHours,
} from "./delivery-policy.ts";
import { releaseTime } from "./delivery-window.ts";
import { describe, frequencyCapReason, rulesInScope } from "./frequency.ts";
import { resolveTimeZone } from "./time-zone.ts";

/** What a journey asks for; the policy decides whether, when and on which channel. */
export interface MessageRequest {
  notificationId: string;
  priority: Priority;
  /** Only safety messages have one; `critical` ignores quiet hours and uses every channel. */
  severity?: "critical" | "high" | "medium";
  /** Channels in the order the journey would like them; defaults to the preferred one first. */
  channelOrder?: readonly Channel[];
  /** The template's and the send's tags: frequency rules may be scoped to one. */
  tags?: readonly string[];
  /** Not held back by frequency rules; still counted toward them. */
  ignoreCaps?: boolean;
  /** Channels this message already failed on (a fallback): not used again. */
  exclude?: readonly Channel[];
}

export type PolicyContext = Pick<
  CustomerState,
  "profile" | "consent" | "optOuts" | "sends" | "channelClosures"
>;

/** The catalog's policy and what the sending journey changes of it. */
export interface PolicySettings {
  policy: DeliveryPolicy;
  journey?: JourneyDelivery;
}

export type Decision =
  | { outcome: "send"; channels: Channel[]; timeZone: string; why: string[] }
  | { outcome: "defer"; channels: Channel[]; until: Date; timeZone: string; why: string[] }
  | { outcome: "suppress"; reason: SuppressionReason; channels: Channel[]; timeZone: string; why: string[] };

const allChannels: readonly Channel[] = ["sms", "email"];

/**
 * The one guardrail policy every message of every journey goes through (docs/delivery-policy.md). Pure: the
 * same request, context, clock and settings always give the same decision and reasons.
 */
export function decide(
  request: MessageRequest,
  context: PolicyContext,
  now: Date,
  settings: PolicySettings = { policy: DEFAULT_DELIVERY_POLICY },
): Decision {
  const { policy } = settings;
  const resolved = resolveTimeZone(context.profile, policy.defaultTimeZone);
  const zone = resolved.zone;
  const why: string[] = [];
  const critical = request.priority === "safety" && request.severity === "critical";
  why.push(describePriority(request, context.consent));
  if (resolved.estimate) why.push(resolved.estimate);

  if (context.sends.some((send) => send.notificationId === request.notificationId)) {
    why.push("this exact message was already sent");
    return { outcome: "suppress", reason: "duplicate", channels: [], timeZone: zone, why };
  }

  const selection = selectChannels(request, context, critical);
  why.push(...selection.why);
  if (selection.channels.length === 0) {
    return { outcome: "suppress", reason: selection.reason, channels: [], timeZone: zone, why };
  }

  let channels = selection.channels;
  if (!critical && request.priority !== "safety") {
    const capped = applyFrequencyRules(request, context, channels[0]!, now, zone, policy);
    why.push(...capped.why);
    if (!capped.channel) {
      return { outcome: "suppress", reason: "frequency-cap", channels, timeZone: zone, why };
    }
    channels = [capped.channel];
  }

  if (critical) {
    why.push("a critical safety message ignores quiet hours, open hours and closed days");
    return { outcome: "send", channels, timeZone: zone, why };
  }
  const quietHours = effectiveQuietHours(settings, resolved.country);
  const nightConsent = request.priority === "marketing" && context.consent.nightTimeMarketing === true;
  const business = request.priority !== "safety";
  const release = releaseTime(now, resolved.zones, {
    quietHours: nightConsent ? null : quietHours.hours,
    ...(business ? { openHours: policy.openHours[channels[0]!] } : {}),
    ...(business
      ? { closedDays: policy.closedDays.filter((d) => !d.channels || d.channels.includes(channels[0]!)) }
      : {}),
  });
  if (nightConsent && quietHours.hours && inQuietAnywhere(now, resolved.zones, quietHours.hours))
    why.push(
      `${formatLocal(now, zone)} is within quiet hours; the customer consented to night-time marketing`,
    );
  if (release.at.getTime() > now.getTime()) {
    if (quietHours.source) why.push(`quiet hours: ${quietHours.source}`);
    why.push(...release.why);
    return { outcome: "defer", channels, until: release.at, timeZone: zone, why };
  }
  return { outcome: "send", channels, timeZone: zone, why };
}

/** The journey's quiet hours, else the customer's country's, else the catalog's. */
function effectiveQuietHours(
  settings: PolicySettings,
  country: string | undefined,
): { hours: QuietHours | null; source?: string } {
  if (settings.journey?.quietHours !== undefined)
    return { hours: settings.journey.quietHours, source: "the journey's own" };
  if (country !== undefined && Object.hasOwn(settings.policy.quietHoursByCountry, country))
    return { hours: settings.policy.quietHoursByCountry[country]!, source: `the catalog's for ${country}` };
  return { hours: settings.policy.quietHours };
}

function inQuietAnywhere(now: Date, zones: readonly string[], quietHours: QuietHours): boolean {
  return releaseTime(now, zones, { quietHours }).at.getTime() > now.getTime();
}

/**
 * The first usable channel, from `first` on, within every frequency rule (a rule scoped to a channel may cap
 * one channel and not the other); undefined when every usable channel is capped. A send that ignores caps
 * keeps `first`, and still counts toward the rules.
 */
function applyFrequencyRules(
  request: MessageRequest,
  context: PolicyContext,
  first: Channel,
  now: Date,
  zone: string,
  policy: DeliveryPolicy,
): { channel?: Channel; why: string[] } {
  const tags = request.tags ?? [];
  if (request.ignoreCaps) {
    const counted = rulesInScope(policy.frequencyRules, { priority: request.priority, channel: first, tags });
    const counts =
      counted.length > 0 ? ` (it still counts toward ${counted.map((r) => r.id).join(", ")})` : "";
    return { channel: first, why: [`this send ignores frequency rules${counts}`] };
  }
  const why: string[] = [];
  const tried: Channel[] = [];
  let channel: Channel | undefined = first;
  while (channel) {
    const message = { priority: request.priority, channel, tags };
    const capped = frequencyCapReason(policy.frequencyRules, context.sends, message, now, zone);
    if (!capped) {
      const rules = rulesInScope(policy.frequencyRules, message);
      if (rules.length > 0) why.push(`within ${rules.map(describe).join(" and ")}`);
      return { channel, why };
    }
    why.push(`${channel}: ${capped}`);
    tried.push(channel);
    const next = selectChannels(
      { ...request, exclude: [...(request.exclude ?? []), ...tried] },
      context,
      false,
    );
    channel = next.channels[0];
    if (channel) why.push(`channel: ${channel} instead`);
  }
  why.push(`a capped ${request.priority} message is dropped, not postponed`);
  return { why };
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
    if (request.exclude?.includes(channel)) {
      why.push(`${channel}: this message already failed on it`);
      continue;
    }
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
    const closure = context.channelClosures?.[channel];
    // A closure holds for the contact point that failed; a new number or address reopens the channel.
    if (closure && (closure.address === undefined || closure.address === address)) {
      why.push(`${channel}: closed on ${closure.at.slice(0, 10)} (${closure.reason})`);
      if (reason !== "opted-out") reason = "undeliverable";
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
