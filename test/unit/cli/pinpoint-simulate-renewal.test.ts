import { describe, expect, it } from "vitest";
import { ADVERTISING, brief, event, importFixture, messagesOf } from "./pinpoint-project.ts";

/**
 * RenewalReminder (valid/renewal.json): subscription.expiring with every attribute type (CONTAINS, AFTER,
 * BEFORE, BETWEEN, ON) and metric operator enters; a transactional SMS at once; then a split evaluated on
 * 2026-06-30T00:00Z: a subscription.renewed with a premium plan before then → the thanks email, else the
 * last call. Quiet time 20:00–09:00; no EndpointReentryCap (imported as one entry), 300 days between entries.
 * The customer is in New York.
 */
async function renewalProject() {
  const project = await importFixture("valid/renewal.json");
  expect(project.run.code).toBe(0);
  project.catalog(
    `import { renewalReminder } from "./renewal-reminder.ts";`,
    `{ ...renewalReminder, delivery: { ...renewalReminder.delivery, ${ADVERTISING} } }`,
  );
  return project;
}

const profile = event("CustomerProfileUpdated", "2026-06-01T00:00:00Z", {
  customerId: "c-1",
  locale: "en-US",
  timeZone: "America/New_York",
  phone: "+12125550123",
  email: "c-1@example.com",
  consent: { marketingEmail: true },
});
const expiring = (time: string, detail: Record<string, unknown> = {}) =>
  event("subscription.expiring", time, {
    customerId: "c-1",
    plan: "premium-annual",
    renewsAt: "2026-07-01T00:00:00Z",
    trialEndsAt: "2026-05-01T00:00:00Z",
    signedUpAt: "2025-06-15T00:00:00Z",
    priceChangedAt: "2026-05-15T08:00:00Z",
    seats: 10,
    renewals: 1,
    discount: 30,
    tier: 2,
    ...detail,
  });
const renewed = (time: string, plan: string) =>
  event("subscription.renewed", time, { customerId: "c-1", plan });

const NOTICE = ["2026-06-10T14:00:00.000Z", "renewal-reminder.renewal-notice", "sms", "sent", ""];

describe("the imported RenewalReminder, simulated", () => {
  it("a premium renewal before the evaluation date gets the thanks (when it comes, not on the date)", async () => {
    const project = await renewalProject();
    const entries = await project.simulate("renewal-reminder", [
      profile,
      expiring("2026-06-10T14:00:00Z"),
      renewed("2026-06-20T15:00:00Z", "premium-monthly"),
    ]);
    expect(messagesOf(entries).map(brief)).toEqual([
      NOTICE,
      ["2026-06-20T15:00:00.000Z", "renewal-reminder.renewal-thanks", "email", "sent", ""],
    ]);
  });

  it("no renewal: the last call on the evaluation date, held to the end of quiet time (09:00 New York)", async () => {
    const project = await renewalProject();
    const entries = await project.simulate("renewal-reminder", [profile, expiring("2026-06-10T14:00:00Z")]);
    expect(messagesOf(entries).map(brief)).toEqual([
      NOTICE,
      [
        "2026-06-30T00:00:00.000Z",
        "renewal-reminder.renewal-last-call",
        "email",
        "deferred",
        "2026-06-30T13:00:00.000Z",
      ],
      ["2026-06-30T13:00:00.000Z", "renewal-reminder.renewal-last-call", "email", "sent", ""],
    ]);
  });

  it("a renewal of another plan ends the wait on the last call at once (the documented approximation)", async () => {
    const project = await renewalProject();
    const entries = await project.simulate("renewal-reminder", [
      profile,
      expiring("2026-06-10T14:00:00Z"),
      renewed("2026-06-20T15:00:00Z", "basic"),
    ]);
    expect(messagesOf(entries).map(brief)).toEqual([
      NOTICE,
      ["2026-06-20T15:00:00.000Z", "renewal-reminder.renewal-last-call", "email", "sent", ""],
    ]);
  });

  it("enters only when every dimension of the start condition holds, and once (no EndpointReentryCap: one entry)", async () => {
    const project = await renewalProject();
    const refused = {
      plan: "basic",
      renewsAt: "2026-05-31T23:59:59Z",
      trialEndsAt: "2026-06-01T00:00:00Z",
      signedUpAt: "2026-01-01T00:00:00Z",
      priceChangedAt: "2026-05-16T00:00:00Z",
      seats: 50,
      renewals: 0,
      discount: 31,
      tier: 3,
    };
    const entries = await project.simulate("renewal-reminder", [
      profile,
      // One event per dimension that fails, an hour apart: none enters.
      ...Object.entries(refused).map(([field, value], i) =>
        expiring(`2026-06-09T${String(10 + i).padStart(2, "0")}:00:00Z`, { [field]: value }),
      ),
      expiring("2026-06-10T14:00:00Z"),
      expiring("2026-06-11T14:00:00Z"),
    ]);
    expect(entries.filter((e) => e.kind === "started").map((e) => e.at)).toEqual([
      "2026-06-10T14:00:00.000Z",
    ]);
  });
});
