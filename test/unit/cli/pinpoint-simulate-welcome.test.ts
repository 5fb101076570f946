import { describe, expect, it } from "vitest";
import type { EmittedEntry, EscalationEntry, StartedEntry } from "../../../cli/simulate.ts";
import { ADVERTISING, brief, event, FEEDBACK, importFixture, messagesOf } from "./pinpoint-project.ts";

/**
 * WelcomeSeries (valid/welcome-series.json): 10% held out at entry; a transactional welcome SMS at once;
 * then, on 2026-04-01 09:00 UTC, a 50/50 test of two tip emails; after the long one, a multivariate split
 * over two days: clicked → an agent calls (ContactCenter), opened → a CRM Lambda (CUSTOM), else a push (not
 * sent by Waymark) and a last SMS. No quiet time in Pinpoint: the catalog's 21:00–08:00 applies. Customers
 * are in New York. Assignment is a hash of customer, journey and experiment: c-4 is in the treatment and
 * the first path, c-1 in the treatment and the second, c-19 held out.
 */
async function welcomeProject() {
  const project = await importFixture("valid/welcome-series.json");
  expect(project.run.code).toBe(0);
  project.catalog(
    `import { welcomeSeries } from "./welcome-series.ts";`,
    `{ ...welcomeSeries, delivery: { ...welcomeSeries.delivery, ${ADVERTISING} } }`,
  );
  return project;
}

const profile = (customerId: string) =>
  event("CustomerProfileUpdated", "2026-03-01T00:00:00Z", {
    customerId,
    locale: "en-US",
    timeZone: "America/New_York",
    phone: "+12125550123",
    email: `${customerId}@example.com`,
    consent: { marketingSms: true, marketingEmail: true },
  });
// Monday 2026-03-02, 05:00 in New York.
const signedUp = (customerId: string) => event("UserSignedUp", "2026-03-02T10:00:00Z", { customerId });

const WELCOME = "welcome-series.welcome-sms";
const LONG = "welcome-series.tips-long";

/** The welcome SMS and the first tips: deferred out of the night, sent at 08:00 New York time. */
const opening = [
  ["2026-03-02T10:00:00.000Z", WELCOME, "sms", "deferred", "2026-03-02T13:00:00.000Z"],
  ["2026-03-02T13:00:00.000Z", WELCOME, "sms", "sent", ""],
  ["2026-04-01T09:00:00.000Z", LONG, "email", "deferred", "2026-04-01T12:00:00.000Z"],
  ["2026-04-01T12:00:00.000Z", LONG, "email", "sent", ""],
];

describe("the imported WelcomeSeries, simulated", () => {
  it("without engagement: welcome SMS, tips on the launch date, and after two days the last SMS (the push goes nowhere)", async () => {
    const project = await welcomeProject();
    const entries = await project.simulate("welcome-series", [profile("c-4"), signedUp("c-4")]);
    expect(entries.filter((e): e is StartedEntry => e.kind === "started")[0]!.variants).toEqual({
      "welcome-series:holdout": "treatment",
    });
    expect(entries.filter((e) => e.kind === "assigned")).toMatchObject([
      { experiment: "tips-test", variant: "control" },
    ]);
    expect(messagesOf(entries).map(brief)).toEqual([
      ...opening,
      ["2026-04-03T09:00:00.000Z", "welcome-series.last-word", "sms", "deferred", "2026-04-03T12:00:00.000Z"],
      ["2026-04-03T12:00:00.000Z", "welcome-series.last-word", "sms", "sent", ""],
    ]);
  });

  it("a click on the tips asks an agent to call; an open calls the CRM through an emitted event", async () => {
    const project = await welcomeProject();
    const timeline = [profile("c-4"), signedUp("c-4")];
    // The id the provider's feedback carries: the sent message's (a deferral is recorded under id~deferred).
    const tips = messagesOf(await project.simulate("welcome-series", timeline)).find(
      (m) => m.template === LONG && m.status === "sent",
    )!;
    const feedback = (detailType: string) =>
      event(
        detailType,
        "2026-04-01T14:00:00Z",
        { customerId: "c-4", notificationId: tips.notificationId, channel: "email" },
        FEEDBACK,
      );

    const clicked = await project.simulate("welcome-series", [...timeline, feedback("MessageClicked")]);
    expect(messagesOf(clicked).map(brief)).toEqual(opening);
    expect(clicked.filter((e): e is EscalationEntry => e.kind === "escalation")).toMatchObject([
      {
        at: "2026-04-01T14:00:00.000Z",
        reason:
          "Pinpoint ContactCenter activity VipCall: an agent should call the customer (Amazon Connect campaign arn:aws:connect-campaigns:us-east-1:123456789012:campaign/vip-calls)",
      },
    ]);

    const opened = await project.simulate("welcome-series", [...timeline, feedback("MessageOpened")]);
    expect(messagesOf(opened).map(brief)).toEqual(opening);
    expect(opened.filter((e): e is EmittedEntry => e.kind === "emitted")).toMatchObject([
      {
        at: "2026-04-01T14:00:00.000Z",
        detailType: "WelcomeSeriesCustomActivity",
        detail: {
          activityId: "CrmSync",
          deliveryUri: "arn:aws:lambda:us-east-1:123456789012:function:crm-sync",
          data: '{"list":"engaged"}',
          endpointTypes: ["EMAIL"],
          journeyId: "welcome-series",
        },
      },
    ]);
  });

  it("the other path of the test gets the short tips and ends; a held-out customer gets nothing", async () => {
    const project = await welcomeProject();
    const entries = await project.simulate("welcome-series", [
      profile("c-1"),
      profile("c-19"),
      signedUp("c-1"),
      signedUp("c-19"),
    ]);
    const of = (customerId: string) =>
      messagesOf(entries)
        .filter((m) => m.customerId === customerId)
        .map(brief);
    expect(of("c-1")).toEqual([
      opening[0],
      opening[1],
      [
        "2026-04-01T09:00:00.000Z",
        "welcome-series.tips-short",
        "email",
        "deferred",
        "2026-04-01T12:00:00.000Z",
      ],
      ["2026-04-01T12:00:00.000Z", "welcome-series.tips-short", "email", "sent", ""],
    ]);
    // Held out (Pinpoint's Holdout at the start): each message decided and suppressed, measured against the rest.
    expect(new Set(of("c-19").map((m) => `${m[3]} ${m[4]}`))).toEqual(new Set(["suppressed holdout"]));
  });
});
