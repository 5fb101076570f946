import { describe, expect, it } from "vitest";
import type { CompletedEntry } from "../../../cli/simulate.ts";
import { ADVERTISING, brief, event, FEEDBACK, importFixture, messagesOf } from "./pinpoint-project.ts";

/**
 * CartAbandonment (valid/cart-abandonment.json) on Waymark: a cart.abandoned event worth at least 20 on the web
 * or in the app, outside a STAFF coupon and within the schedule (2026), enters; an hour later the email
 * (CartReminder v2); if it is not opened within a day, the SMS. Caps: 2 a day, 3 in 7 days, 4 in total; at
 * most 3 entries, 7 days apart. Open hours: email Mon–Sat, SMS Mon–Fri. The customer is in New York.
 */
async function cartProject() {
  const project = await importFixture("valid/cart-abandonment.json");
  expect(project.run.code).toBe(0);
  project.catalog(
    `import { cartAbandonment } from "./cart-abandonment.ts";`,
    `{ ...cartAbandonment, delivery: { ...cartAbandonment.delivery, ${ADVERTISING} } }`,
  );
  return project;
}

const profile = (customerId: string) =>
  event("CustomerProfileUpdated", "2026-03-02T14:00:00Z", {
    customerId,
    name: "Alex",
    locale: "en-US",
    timeZone: "America/New_York",
    phone: "+12125550123",
    email: "alex@example.com",
    consent: { marketingSms: true, marketingEmail: true },
  });
const abandoned = (customerId: string, time: string, detail: Record<string, unknown> = {}) =>
  event("cart.abandoned", time, { customerId, source: "web", cartTotal: 45, ...detail });

const EMAIL = "cart-abandonment.cart-reminder.v2";
const SMS = "cart-abandonment.cart-reminder-sms";

describe("the imported CartAbandonment, simulated", () => {
  it("sends the email an hour after the cart is left, and the SMS a day later when it is not opened", async () => {
    const project = await cartProject();
    // Tuesday 2026-03-03 14:00 in New York.
    const entries = await project.simulate("cart-abandonment", [
      profile("c-1"),
      abandoned("c-1", "2026-03-03T19:00:00Z"),
    ]);
    expect(messagesOf(entries).map(brief)).toEqual([
      ["2026-03-03T20:00:00.000Z", EMAIL, "email", "sent", ""],
      ["2026-03-04T20:00:00.000Z", SMS, "sms", "sent", ""],
    ]);
    const [email] = messagesOf(entries);
    expect(email!.subject).toBe("[Stub] CartReminder");
    expect(email!.why[0]).toBe("Pinpoint activity ReminderEmail (EMAIL)");
    expect(entries.filter((e): e is CompletedEntry => e.kind === "completed").map((e) => e.outcome)).toEqual([
      "completed",
    ]);
  });

  it("sends no SMS when the email is opened in time (Waymark ends the journey at the open)", async () => {
    const project = await cartProject();
    const timeline = [profile("c-1"), abandoned("c-1", "2026-03-03T19:00:00Z")];
    const [email] = messagesOf(await project.simulate("cart-abandonment", timeline));
    const opened = event(
      "MessageOpened",
      "2026-03-03T23:00:00Z",
      { customerId: "c-1", notificationId: email!.notificationId, channel: "email" },
      FEEDBACK,
    );
    const entries = await project.simulate("cart-abandonment", [...timeline, opened]);
    expect(messagesOf(entries).map(brief)).toEqual([
      ["2026-03-03T20:00:00.000Z", EMAIL, "email", "sent", ""],
    ]);
    expect(entries.filter((e) => e.kind === "completed").map((e) => e.at)).toEqual([
      "2026-03-03T23:00:00.000Z",
    ]);
  });

  it("enters only the carts the start condition and the schedule admit", async () => {
    const project = await cartProject();
    const entries = await project.simulate("cart-abandonment", [
      ...["c-2", "c-3", "c-4", "c-5"].map(profile),
      abandoned("c-2", "2026-03-03T19:00:00Z", { coupon: "STAFF" }),
      abandoned("c-3", "2026-03-03T19:00:00Z", { source: "store" }),
      abandoned("c-4", "2026-03-03T19:00:00Z", { cartTotal: 19.99 }),
      abandoned("c-5", "2027-01-04T15:00:00Z"),
    ]);
    expect(entries.filter((e) => e.kind === "started")).toEqual([]);
    expect(messagesOf(entries)).toEqual([]);
  });

  it("re-enters 7 days after an entry at the earliest, and caps the journey at 4 messages in 30 days", async () => {
    const project = await cartProject();
    const entries = await project.simulate("cart-abandonment", [
      profile("c-1"),
      abandoned("c-1", "2026-03-03T19:00:00Z"),
      // Two days later: EndpointReentryInterval P7D refuses it.
      abandoned("c-1", "2026-03-05T19:00:00Z"),
      // Thursday 03-12 (New York on daylight time since 03-08): enters again.
      abandoned("c-1", "2026-03-12T19:00:00Z"),
      // Saturday 03-21: a third entry, whose messages would be the 5th and 6th in 30 days (TotalCap 4).
      abandoned("c-1", "2026-03-21T19:00:00Z"),
    ]);
    expect(entries.filter((e) => e.kind === "started").map((e) => e.at)).toEqual([
      "2026-03-03T19:00:00.000Z",
      "2026-03-12T19:00:00.000Z",
      "2026-03-21T19:00:00.000Z",
    ]);
    expect(messagesOf(entries).map(brief)).toEqual([
      ["2026-03-03T20:00:00.000Z", EMAIL, "email", "sent", ""],
      ["2026-03-04T20:00:00.000Z", SMS, "sms", "sent", ""],
      ["2026-03-12T20:00:00.000Z", EMAIL, "email", "sent", ""],
      ["2026-03-13T20:00:00.000Z", SMS, "sms", "sent", ""],
      ["2026-03-21T20:00:00.000Z", EMAIL, "-", "suppressed", "frequency-cap"],
      ["2026-03-22T20:00:00.000Z", SMS, "-", "suppressed", "frequency-cap"],
    ]);
    const capped = messagesOf(entries)[4]!;
    expect(capped.why.join(" | ")).toContain("cart-abandonment-total");
  });
});
