import type { Channel, Priority, SendSummary } from "../customer-state.ts";
import { toLocal } from "../time/local-time.ts";
import type { FrequencyRule } from "./delivery-policy.ts";

export interface CappedSend {
  priority: Priority;
  channel: Channel;
  /** The template's and the send's tags. */
  tags: readonly string[];
}

/** Does `send` count toward `rule`: its priority, and the rule's channel and tag when it names them. */
function inScope(
  rule: FrequencyRule,
  send: { priority: Priority; channel: Channel; tags?: readonly string[] },
): boolean {
  return (
    send.priority === rule.priority &&
    (rule.channel === undefined || send.channel === rule.channel) &&
    (rule.tag === undefined || (send.tags ?? []).includes(rule.tag))
  );
}

/**
 * The first rule this message would break, in words for the why; undefined when it is within every rule.
 * Safety messages are never capped. Every send counts toward the rules it is in scope of, including the ones
 * that ignored caps.
 */
export function frequencyCapReason(
  rules: readonly FrequencyRule[],
  history: readonly SendSummary[],
  message: CappedSend,
  now: Date,
  zone: string,
): string | undefined {
  if (message.priority === "safety") return undefined;
  for (const rule of rules) {
    if (!inScope(rule, message)) continue;
    const counted = history.filter((send) => inScope(rule, send) && inWindow(rule, send.at, now, zone));
    if (counted.length >= rule.limit)
      return `frequency rule ${rule.id}: ${describe(rule)}, and ${counted.length} already went`;
  }
  return undefined;
}

/** "≤ 1 marketing message per local day" — for the why of a message within the rules. */
export function describe(rule: FrequencyRule): string {
  const scope = [
    rule.priority,
    rule.channel === undefined ? undefined : rule.channel.toUpperCase(),
    rule.tag === undefined ? undefined : `tagged ${rule.tag}`,
  ]
    .filter((part) => part !== undefined)
    .join(" ");
  const window = rule.window === "local-day" ? "per local day" : `per ${rule.window.rollingDays} days`;
  return `≤ ${rule.limit} ${scope} message${rule.limit === 1 ? "" : "s"} ${window}`;
}

function inWindow(rule: FrequencyRule, at: string, now: Date, zone: string): boolean {
  const sent = new Date(at);
  if (rule.window === "local-day") {
    const today = toLocal(now, zone);
    const then = toLocal(sent, zone);
    return then.year === today.year && then.month === today.month && then.day === today.day;
  }
  return sent.getTime() > now.getTime() - rule.window.rollingDays * 86_400_000;
}

/** The rules a message of this priority, channel and tags is counted against (for the why). */
export function rulesInScope(rules: readonly FrequencyRule[], message: CappedSend): FrequencyRule[] {
  return rules.filter((rule) => inScope(rule, message));
}
