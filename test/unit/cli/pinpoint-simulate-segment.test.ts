import { describe, expect, it } from "vitest";
import { ADVERTISING, brief, event, importFixture, messagesOf, WAYMARK_API } from "./pinpoint-project.ts";

/**
 * WinbackLapsed (valid/winback-segment.json), started for a segment: an audience entry on the exported
 * segment (JSON Lines, one endpoint a line, User.UserId the customer). The offer email at entry; 30 days
 * later (P1M), a holdout of 20% that ends the journey; then gold or platinum customers (a user attribute,
 * which the team's LoyaltyTierChanged keeps in customer.attributes) get the VIP SMS, the others the reminder.
 * The segment condition beside it is not evaluated. Assignment hashes: c-1 and c-2 go on, c-3 is held out.
 */
async function winbackProject() {
  const project = await importFixture("valid/winback-segment.json");
  expect(project.run.code).toBe(0);
  project.catalog(
    [
      `import { customerEventBase, defineEvent, setAttribute, z } from ${JSON.stringify(WAYMARK_API)};`,
      `import { winbackLapsed } from "./winback-lapsed.ts";`,
      "const loyaltyTierChanged = defineEvent({",
      '  detailType: "LoyaltyTierChanged", scope: "customer", direction: "inbound",',
      '  description: "The loyalty tier changed.",',
      "  detail: customerEventBase.extend({ tier: z.string() }),",
      '  context: (state, e) => setAttribute(state, "tier", e.detail.tier),',
      '  samples: [{ customerId: "c-1", tier: "gold" }, { customerId: "c-2", tier: "basic" }],',
      "});",
    ].join("\n"),
    `{ ...winbackLapsed, events: [loyaltyTierChanged], delivery: { ...winbackLapsed.delivery, ${ADVERTISING} } }`,
  );
  return project;
}

const profile = (customerId: string) =>
  event("CustomerProfileUpdated", "2026-05-01T00:00:00Z", {
    customerId,
    locale: "en-US",
    timeZone: "America/New_York",
    phone: "+12125550123",
    email: `${customerId}@example.com`,
    consent: { marketingEmail: true, marketingSms: true },
  });
const endpoint = (customerId: string, i: number) =>
  JSON.stringify({ Id: `ep-${i}`, ChannelType: "EMAIL", User: { UserId: customerId } });
const audience = (time: string) =>
  event("AudienceEntryRequested", time, {
    audienceId: "winback-2026-05",
    journeyId: "winback-lapsed",
    source: "segment.jsonl",
    format: "jsonl",
    customerIdField: "User.UserId",
  });

describe("the imported WinbackLapsed, simulated on its exported segment", () => {
  it("offers to everyone on the list, then after 30 days the VIP SMS to gold customers and the reminder to others", async () => {
    const project = await winbackProject();
    const entries = await project.simulate(
      "winback-lapsed",
      [
        ...["c-1", "c-2", "c-3"].map(profile),
        event("LoyaltyTierChanged", "2026-05-01T00:00:00Z", { customerId: "c-1", tier: "gold" }),
        // Monday 2026-05-04, 10:00 in New York.
        audience("2026-05-04T14:00:00Z"),
      ],
      { "segment.jsonl": `${["c-1", "c-2", "c-3"].map(endpoint).join("\n")}\n` },
    );
    const of = (customerId: string) =>
      messagesOf(entries)
        .filter((m) => m.customerId === customerId)
        .map(brief);
    const offer = ["2026-05-04T14:00:00.000Z", "winback-lapsed.winback-offer", "email", "sent", ""];
    expect(of("c-1")).toEqual([
      offer,
      ["2026-06-03T14:00:00.000Z", "winback-lapsed.winback-vip", "sms", "sent", ""],
    ]);
    expect(of("c-2")).toEqual([
      offer,
      ["2026-06-03T14:00:00.000Z", "winback-lapsed.winback-reminder", "sms", "sent", ""],
    ]);
    // Held out 30 days in, as Pinpoint's Holdout activity there does: the journey ends for them.
    expect(of("c-3")).toEqual([offer]);
    expect(
      entries
        .filter((e) => e.kind === "completed")
        .map((e) => [e.customerId, e.kind === "completed" && e.outcome]),
    ).toEqual([
      ["c-1", "completed"],
      ["c-2", "completed"],
      ["c-3", "held-out"],
    ]);
  });

  it("enters nobody when the audience is put outside the schedule", async () => {
    const project = await winbackProject();
    const entries = await project.simulate(
      "winback-lapsed",
      [profile("c-1"), audience("2026-08-01T00:00:00Z")],
      {
        "segment.jsonl": `${endpoint("c-1", 1)}\n`,
      },
    );
    expect(entries.filter((e) => e.kind === "started")).toEqual([]);
  });
});
