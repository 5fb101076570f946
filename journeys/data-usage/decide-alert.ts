import type { DataUsageUpdatedDetail } from "../../events/data-usage-updated.ts";
import type { Channel, UsagePeriod } from "../../functions/core/customer-state.ts";
import { formatLocal, fromLocal, toLocal } from "../../functions/core/time/local-time.ts";
import { formatAmount, formatData, MB_PER_GB, roundMoney } from "./format.ts";

/**
 * The data-usage decision (docs/reference-journeys.md), pure: whether to alert, what to advise, the figures the
 * message states and the reasons a care agent can read out. An alert that is in the customer's
 * interest says what going over will cost and pushes an upgrade only when their own history shows
 * it would pay off — never "3 days before reset, buy a bigger plan" to someone who never goes over.
 */

/** Alert once usage reaches this share of the allowance. */
export const ALERT_THRESHOLD = 0.8;
/** An upgrade is judged on this many of the most recent closed billing periods… */
export const UPGRADE_LOOKBACK = 3;
/** …of which at least this many must have gone over the limit. */
export const UPGRADE_MIN_PERIODS_OVER = 2;

const DAY_MS = 86_400_000;
const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;

export type Recommendation = "none" | "stay" | "upgrade";

export type UsageUpdate = Pick<
  DataUsageUpdatedDetail,
  | "periodStart"
  | "periodEnd"
  | "usedMb"
  | "limitMb"
  | "overagePricePerGb"
  | "currency"
  | "plan"
  | "upgradeOptions"
>;

export interface AlertInput {
  update: UsageUpdate;
  /** When the figures were true (the event's occurredAt). */
  occurredAt: string;
  /** The customer's IANA zone: a bare period date is midnight there. */
  timeZone: string;
  /** Usage periods known for the customer; only closed ones (end ≤ this period's start) count. */
  history: readonly UsagePeriod[];
  /** The channel the customer would be reached on, and whether they gave marketing consent on it. */
  reach: {
    channel: Channel | undefined;
    marketingConsent: boolean;
    /** Why marketing cannot go out now although consented (e.g. the frequency cap), if so. */
    marketingBlocked?: string;
  };
}

/** The template's vars: part of the contract, recorded on every notification. */
export interface AlertVars {
  usedPercent: number;
  daysLeft: number;
  projectedUsageMb: number;
  projectedOverageMb: number;
  projectedOverageCost: number;
  overagePricePerGb: number;
  currency: string;
  recommendation: Recommendation;
  upgradePlanId?: string;
  monthlySaving?: number;
}

export interface AlertDecision {
  alert: boolean;
  recommendation: Recommendation;
  vars: AlertVars;
  why: string[];
  /**
   * The period was over when these figures were taken: the update only feeds the history, and no
   * later update of the same period can alert either.
   */
  periodEnded: boolean;
}

export function decideAlert(input: AlertInput): AlertDecision {
  const { update, timeZone } = input;
  const start = periodInstant(update.periodStart, timeZone);
  const end = periodInstant(update.periodEnd, timeZone);
  const at = new Date(input.occurredAt);
  const periodEnded = at.getTime() >= end.getTime();

  const lengthMs = end.getTime() - start.getTime();
  const elapsedMs = Math.min(at.getTime() - start.getTime(), lengthMs);
  // Straight-line projection from the pace so far; with no time elapsed there is no pace to project.
  const projected = elapsedMs > 0 ? (update.usedMb * lengthMs) / elapsedMs : update.usedMb;
  const projectedUsageMb = Math.round(projected);
  const projectedOverageMb = Math.max(0, Math.round(projected - update.limitMb));
  const ratio = update.limitMb > 0 ? update.usedMb / update.limitMb : 0;
  const figures = {
    // Floored, so a message never claims "80 %" for 79.6 %.
    usedPercent: Math.floor(ratio * 100 + 1e-9),
    // Wall-clock days, so a daylight-saving change does not add or remove a day.
    daysLeft: Math.max(0, Math.ceil((wallMs(end, timeZone) - wallMs(at, timeZone)) / DAY_MS)),
    projectedUsageMb,
    projectedOverageMb,
    projectedOverageCost: roundMoney((projectedOverageMb / MB_PER_GB) * update.overagePricePerGb),
    overagePricePerGb: update.overagePricePerGb,
    currency: update.currency,
  };
  const periodDays = Math.round((wallMs(end, timeZone) - wallMs(start, timeZone)) / DAY_MS);
  const used = `${formatData(update.usedMb)} of ${formatData(update.limitMb)} (${figures.usedPercent} %)`;
  const noAlert = (why: string[]): AlertDecision => ({
    alert: false,
    recommendation: "none",
    vars: { ...figures, recommendation: "none" },
    why,
    periodEnded,
  });

  if (periodEnded) {
    return noAlert([
      `used ${used} in the billing period that ended ${formatLocal(end, timeZone)}`,
      `the figures are from ${formatLocal(at, timeZone)}, after the period ended: they only feed the ` +
        "usage history → no alert",
    ]);
  }
  if (update.limitMb <= 0) {
    return noAlert(["the plan includes no data allowance to warn about → no alert"]);
  }
  const usedLine = `used ${used} with ${figures.daysLeft} of ${periodDays} days left`;
  if (ratio < ALERT_THRESHOLD) {
    return noAlert([usedLine, `below the ${ALERT_THRESHOLD * 100} % alert threshold → no alert`]);
  }

  const price = `${formatAmount(update.overagePricePerGb)} ${update.currency}/GB`;
  const projectionLine =
    projectedOverageMb > 0
      ? `projected ${formatData(projectedUsageMb)} of ${formatData(update.limitMb)} → ` +
        `${formatData(projectedOverageMb)} over at ${price} ≈ ` +
        `${formatAmount(figures.projectedOverageCost)} ${update.currency}`
      : `projected ${formatData(projectedUsageMb)} of ${formatData(update.limitMb)} → within the limit ` +
        `(extra data would cost ${price})`;
  const advice = recommend(input, closedPeriods(input.history, start, timeZone), projectedOverageMb);
  return {
    alert: true,
    recommendation: advice.recommendation,
    vars: { ...figures, recommendation: advice.recommendation, ...advice.upgrade },
    why: [usedLine, projectionLine, ...advice.why],
    periodEnded,
  };
}

interface Advice {
  recommendation: Recommendation;
  upgrade?: { upgradePlanId: string; monthlySaving: number };
  why: string[];
}

/** Upgrade only when the customer's own recent history says it pays off, and they agreed to hear it. */
function recommend(input: AlertInput, closed: readonly UsagePeriod[], projectedOverageMb: number): Advice {
  const { update, reach } = input;
  const plain: Recommendation = projectedOverageMb > 0 ? "stay" : "none";
  const advise = (r: Recommendation) => (r === "stay" ? "advise staying" : "no plan change needed");
  const cur = update.currency;

  if (closed.length < UPGRADE_LOOKBACK) {
    const known =
      closed.length === 0
        ? "no closed month"
        : `only ${closed.length} closed month${closed.length === 1 ? "" : "s"}`;
    return {
      recommendation: plain,
      why: [`${known} on record, ${UPGRADE_LOOKBACK} needed to judge an upgrade → ${advise(plain)}`],
    };
  }
  if (closed.some((period) => period.currency !== cur)) {
    return {
      recommendation: plain,
      why: [
        `the last ${UPGRADE_LOOKBACK} months were not all billed in ${cur}, so their overage cannot be ` +
          `compared with a plan price → ${advise(plain)}`,
      ],
    };
  }
  const over = closed.filter((period) => period.usedMb > period.limitMb).length;
  if (over < UPGRADE_MIN_PERIODS_OVER) {
    return {
      recommendation: plain,
      why: [
        `over the limit in ${over} of the last ${UPGRADE_LOOKBACK} months: an upgrade would not pay off → ` +
          advise(plain),
      ],
    };
  }
  const totalCost = closed.reduce((sum, period) => sum + overageCost(period), 0);
  const average = roundMoney(totalCost / UPGRADE_LOOKBACK);
  const averageText = `${formatAmount(average)} ${cur}`;
  const months = `${over} of the last ${UPGRADE_LOOKBACK} months`;
  const history = `over the limit in ${months}: ${averageText} average overage`;
  // Only plans with more data are upgrades; the cheapest of them is the one that could pay off.
  const cheapest = (update.upgradeOptions ?? [])
    .filter((option) => option.limitMb > update.limitMb)
    .reduce<NonNullable<UsageUpdate["upgradeOptions"]>[number] | undefined>(
      (best, option) => (best === undefined || option.monthlyPrice < best.monthlyPrice ? option : best),
      undefined,
    );
  if (!cheapest) {
    return {
      recommendation: plain,
      why: [history, `no plan with more data is on offer → ${advise(plain)}`],
    };
  }
  const difference = roundMoney(cheapest.monthlyPrice - update.plan.monthlyPrice);
  const costs = `costs ${priceDifference(difference, cur)} per month`;
  if (difference >= average) {
    return {
      recommendation: plain,
      why: [
        history,
        `the cheapest upgrade, ${cheapest.name}, ${costs}, not less than the ${averageText} average ` +
          `overage → ${advise(plain)}`,
      ],
    };
  }
  const deal = `upgrade to ${cheapest.name} ${costs}, less than the ${averageText} average overage`;
  const channel = reach.channel === "sms" ? "SMS" : "email";
  if (!reach.channel || !reach.marketingConsent || reach.marketingBlocked) {
    // An upgrade suggestion is marketing: without consent (or over the marketing cap) the
    // customer still hears the facts, as a service message.
    const consent = !reach.channel
      ? "no channel to reach the customer on for marketing"
      : !reach.marketingConsent
        ? `no marketing consent by ${channel}`
        : reach.marketingBlocked;
    return {
      recommendation: "stay",
      why: [history, `${deal}, but suggesting it is marketing and there is ${consent} → advise staying`],
    };
  }
  return {
    recommendation: "upgrade",
    upgrade: { upgradePlanId: cheapest.planId, monthlySaving: roundMoney(average - difference) },
    why: [history, `${deal} → suggest upgrading (marketing: consented by ${channel})`],
  };
}

/** What going over cost in a closed period: whole overage at that period's price, nothing if within. */
function overageCost(period: UsagePeriod): number {
  return (Math.max(0, period.usedMb - period.limitMb) / MB_PER_GB) * period.overagePricePerGb;
}

function priceDifference(difference: number, currency: string): string {
  if (difference > 0) return `${formatAmount(difference)} ${currency} more`;
  if (difference < 0) return `${formatAmount(-difference)} ${currency} less`;
  return "nothing more";
}

/** The most recent closed periods first: those that ended by the time this one started. */
function closedPeriods(history: readonly UsagePeriod[], start: Date, timeZone: string): UsagePeriod[] {
  return history
    .map((period) => ({ period, end: periodInstant(period.end, timeZone).getTime() }))
    .filter(({ end }) => end <= start.getTime())
    .sort((a, b) => b.end - a.end)
    .slice(0, UPGRADE_LOOKBACK)
    .map(({ period }) => period);
}

/** A bare date is midnight in the customer's zone; a date-time carries its own offset. */
export function periodInstant(value: string, timeZone: string): Date {
  const date = DATE_ONLY.exec(value);
  if (!date) return new Date(value);
  return fromLocal(
    { year: Number(date[1]), month: Number(date[2]), day: Number(date[3]), hour: 0, minute: 0 },
    timeZone,
  );
}

/** The wall-clock reading of `instant` in `timeZone`, as if it were UTC: differences are in local days. */
function wallMs(instant: Date, timeZone: string): number {
  const l = toLocal(instant, timeZone);
  return Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute, l.second);
}
