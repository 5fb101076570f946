import { all, defineJourney, eq, ref } from "../../functions/core/journey/define-journey.ts";
import type { Condition } from "../../functions/core/journey/definition.ts";
import { DATA_USAGE_ALERT_CALCULATOR } from "./calculator.ts";

const usageVar = (name: string) => ref(`vars.usage.vars.${name}`);

/** The template's vars (docs/reference-journeys.md); upgradePlanId and monthlySaving only exist for an upgrade. */
const alertVars = {
  usedPercent: usageVar("usedPercent"),
  daysLeft: usageVar("daysLeft"),
  projectedUsageMb: usageVar("projectedUsageMb"),
  projectedOverageMb: usageVar("projectedOverageMb"),
  projectedOverageCost: usageVar("projectedOverageCost"),
  overagePricePerGb: usageVar("overagePricePerGb"),
  currency: usageVar("currency"),
  recommendation: usageVar("recommendation"),
  upgradePlanId: usageVar("upgradePlanId"),
  monthlySaving: usageVar("monthlySaving"),
};

const alertWhy = [
  "usage update of {event.occurredAt} for the billing period {vars.periodStart} – {vars.periodEnd}",
];

/** A newer billing period has started: the one this instance watches can no longer alert. */
const newerPeriod: Condition = { op: "gt", left: ref("event.periodStart"), right: ref("vars.periodStart") };

/**
 * data-usage (docs/reference-journeys.md): one instance per customer per billing period (keyed by its start), so
 * at most one alert per period. Updates below 80 % keep the instance waiting for the next update of
 * the same period instead of ending it: an ended instance stays in `completedInstances`, and a
 * period that ended with "no alert" at 40 % could then never alert at 85 %. Once it has decided
 * (alerted, or the period is over) the instance exits, and the period's key is spent.
 */
export const dataUsageV1 = defineJourney({
  id: "data-usage",
  version: 1,
  description:
    "One alert per billing period at 80 % of the allowance: what going over will cost, and an upgrade " +
    "only when the customer's own history shows it pays off.",
  entry: {
    event: "DataUsageUpdated",
    key: ref("event.periodStart"),
    capture: { periodStart: ref("event.periodStart"), periodEnd: ref("event.periodEnd") },
  },
  exitOn: [{ event: "DataUsageUpdated", when: newerPeriod, outcome: "period-over" }],
  start: "decide",
  nodes: {
    decide: { type: "compute", calculator: DATA_USAGE_ALERT_CALCULATOR, saveAs: "usage", next: "route" },
    route: {
      type: "branch",
      cases: [
        {
          when: all(eq(ref("vars.usage.alert"), true), eq(ref("vars.usage.recommendation"), "upgrade")),
          next: "send-upgrade",
        },
        { when: eq(ref("vars.usage.alert"), true), next: "send-alert" },
        { when: eq(ref("vars.usage.periodEnded"), true), next: "no-alert" },
      ],
      otherwise: "await-update",
    },
    "await-update": {
      type: "waitForEvent",
      event: "DataUsageUpdated",
      correlate: { eventField: "periodStart", varName: "periodStart", fallback: "none" },
      // A safety net only: the next period's first update ends the instance long before (exitOn).
      timeout: "P40D",
      onEvent: "decide",
      onTimeout: "no-update",
    },
    "send-upgrade": {
      type: "send",
      template: "data-usage.alert",
      priority: "marketing",
      vars: alertVars,
      why: alertWhy,
      whyFrom: ref("vars.usage.why"),
      next: "upgrade-suggested",
    },
    "send-alert": {
      type: "send",
      template: "data-usage.alert",
      priority: "service",
      vars: alertVars,
      why: alertWhy,
      whyFrom: ref("vars.usage.why"),
      next: "alerted",
    },
    "no-alert": { type: "exit", outcome: "no-alert" },
    "no-update": { type: "exit", outcome: "no-update" },
    "upgrade-suggested": { type: "exit", outcome: "upgrade-suggested" },
    alerted: { type: "exit", outcome: "alerted" },
  },
});
