import * as z from "zod";
import { dataUsageUpdated } from "../../events/data-usage-updated.ts";
import type { Calculator } from "../../functions/core/catalog/catalog.ts";
import {
  type Channel,
  consentSchema,
  customerStateSchema,
  profileSchema,
  usagePeriodSchema,
} from "../../functions/core/customer-state.ts";
import { decide, hasMarketingConsent, orderChannels } from "../../functions/core/guardrails/policy.ts";
import { resolveTimeZone } from "../../functions/core/guardrails/time-zone.ts";
import { decideAlert } from "./decide-alert.ts";

export const DATA_USAGE_ALERT_CALCULATOR = "data-usage.alert";

/** The slice of the evaluation scope this calculator reads. */
const scopeSchema = z.object({
  event: dataUsageUpdated.detail,
  customer: z.object({
    profile: profileSchema,
    consent: consentSchema,
    usage: z.array(usagePeriodSchema).default([]),
    optOuts: customerStateSchema.shape.optOuts.default({}),
    sends: customerStateSchema.shape.sends.default([]),
  }),
});

/** The scope does not hold a DataUsageUpdated: the journey wiring is wrong, not the customer's data. */
export class DataUsageScopeError extends Error {
  override name = "DataUsageScopeError";
}

/**
 * `data-usage.alert`: the decision for the DataUsageUpdated in scope, stored by the journey under
 * `vars.usage` so it can branch on `usage.alert` / `usage.recommendation`, send `usage.vars` and
 * record `usage.why`.
 */
export const dataUsageAlert: Calculator = (scope) => {
  const parsed = scopeSchema.safeParse(scope);
  if (!parsed.success) {
    throw new DataUsageScopeError(`${DATA_USAGE_ALERT_CALCULATOR}: ${z.prettifyError(parsed.error)}`);
  }
  const { event, customer } = parsed.data;
  // The engine always fills occurredAt (from the envelope time when the producer left it out).
  if (!event.occurredAt)
    throw new DataUsageScopeError(`${DATA_USAGE_ALERT_CALCULATOR}: event has no occurredAt`);
  const channel = reachableChannel(customer.profile, customer.optOuts);
  // Marketing already sent today (or 3 this week) would get an upgrade alert dropped by the cap;
  // ask the policy now, so the customer gets the plain alert instead of nothing.
  const probe = decide(
    { notificationId: "data-usage-probe", priority: "marketing" },
    customer,
    new Date(event.occurredAt),
  );
  const capped = probe.outcome === "suppress" && probe.reason === "frequency-cap";
  const decision = decideAlert({
    update: event,
    occurredAt: event.occurredAt,
    timeZone: resolveTimeZone(customer.profile).zone,
    history: customer.usage,
    reach: {
      channel,
      marketingConsent: channel ? hasMarketingConsent(customer.consent, channel) : false,
      ...(capped ? { marketingBlocked: "the marketing frequency cap is reached" } : {}),
    },
  });
  return { ...decision };
};

/**
 * The channel a message would go out on, as the guardrail policy picks it: the preferred channel
 * when it has a contact point and is not opted out, else the other one.
 */
function reachableChannel(
  profile: z.infer<typeof profileSchema>,
  optOuts: z.infer<typeof customerStateSchema.shape.optOuts>,
): Channel | undefined {
  return orderChannels(undefined, profile).find(
    (channel) => (channel === "sms" ? profile.phone : profile.email) && !optOuts[channel],
  );
}

export const dataUsageCalculators: Readonly<Record<string, Calculator>> = {
  [DATA_USAGE_ALERT_CALCULATOR]: dataUsageAlert,
};
