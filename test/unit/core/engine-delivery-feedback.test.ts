import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { referenceEvents } from "../../../events/catalog.ts";
import { defineCatalog } from "../../../events/define-catalog.ts";
import type { CustomerState } from "../../../functions/core/customer-state.ts";
import type { Effect } from "../../../functions/core/effects.ts";
import { advance, type EngineInput } from "../../../functions/core/engine.ts";
import { defineJourney, ref } from "../../../functions/core/journey/define-journey.ts";
import type {
  JourneyDefinition,
  journeyDefinitionSchema,
} from "../../../functions/core/journey/definition.ts";
import { defineTemplate } from "../../../functions/core/journey/template.ts";
import type { NotificationRecord } from "../../../functions/core/notification.ts";
import { customerEvent, newYorkCustomer, phone } from "../../support/events.ts";

const order = (orderId: string) => ({ orderId, items: [phone], currency: "USD" });

const note = defineTemplate({
  id: "t.note",
  priority: "service",
  locales: {
    "en-US": {
      sms: (v) => `Order ${String(v.orderId)} update`,
      email: { subject: () => "Update", body: (v) => `Order ${String(v.orderId)}` },
    },
    "ko-KR": {
      sms: (v) => `주문 ${String(v.orderId)}`,
      email: { subject: () => "안내", body: (v) => `주문 ${String(v.orderId)}` },
    },
  },
});

const orderKey = {
  event: "OrderPlaced",
  key: ref("event.orderId"),
  capture: { orderId: ref("event.orderId") },
};

/** Email first; if it is not opened within 3 days, SMS. Both ask for a fallback if they fail for good. */
const nudge = defineJourney({
  id: "nudge",
  version: 1,
  description: "An email, then an SMS when the email is not opened within three days.",
  entry: orderKey,
  exitOn: [],
  start: "email",
  nodes: {
    email: {
      type: "send",
      template: "t.note",
      priority: "service",
      channelOrder: ["email"],
      vars: { orderId: ref("vars.orderId") },
      why: ["order {vars.orderId} placed"],
      saveAs: "emailId",
      fallback: true,
      next: "wait-open",
    },
    "wait-open": {
      type: "waitForEvent",
      event: "MessageOpened",
      correlate: { eventField: "notificationId", varName: "emailId", fallback: "none" },
      timeout: "P3D",
      onEvent: "opened",
      onTimeout: "sms",
    },
    sms: {
      type: "send",
      template: "t.note",
      priority: "service",
      channelOrder: ["sms"],
      vars: { orderId: ref("vars.orderId") },
      why: ["the email about order {vars.orderId} was not opened within 3 days"],
      next: "not-opened",
    },
    opened: { type: "exit", outcome: "opened" },
    "not-opened": { type: "exit", outcome: "not-opened" },
  },
});

const catalogWith = (...journeys: Readonly<JourneyDefinition>[]) =>
  defineCatalog({ events: referenceEvents, journeys, templates: [note] });

const c = newYorkCustomer;
/** 14:00 in New York on 2026-06-10. */
const T0 = Date.parse("2026-06-10T18:00:00Z");
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

class Customer {
  state: CustomerState | undefined;
  readonly effects: Effect[] = [];
  #ids = 0;
  readonly catalog: ReturnType<typeof catalogWith>;
  constructor(catalog: ReturnType<typeof catalogWith>) {
    this.catalog = catalog;
  }

  input(input: EngineInput, now: string): Effect[] {
    const t = advance(this.state, input, new Date(now), this.catalog);
    this.state = t.state;
    this.effects.push(...t.effects);
    return t.effects;
  }

  event(type: Parameters<typeof customerEvent>[0], detail: Record<string, unknown>, now: string): Effect[] {
    return this.input(
      {
        kind: "event",
        event: customerEvent(
          type,
          { customerId: c.customerId, ...detail },
          { time: now, id: `e-${++this.#ids}` },
        ),
      },
      now,
    );
  }

  fire(now: string): Effect[] {
    const due = this.effects.filter((e) => e.type === "schedule" && e.dueAt <= now);
    const fired: Effect[] = [];
    for (const e of due)
      if (e.type === "schedule")
        fired.push(
          ...this.input({ kind: "timer", customerId: c.customerId, timerId: e.timerId, dueAt: e.dueAt }, now),
        );
    return fired;
  }

  get notifications(): NotificationRecord[] {
    return this.effects.flatMap((e) => (e.type === "notify" ? [e.record] : []));
  }
}

function customer(...journeys: Readonly<JourneyDefinition>[]) {
  const one = new Customer(catalogWith(...journeys));
  one.event("CustomerProfileUpdated", { ...c, preferredChannel: "email" }, at(0));
  return one;
}

describe("feedback closes channels (issue 10)", () => {
  it("a hard bounce closes email, and the next message goes by SMS with the closure in its why", () => {
    const one = customer(nudge);
    one.event("OrderPlaced", order("o-1"), at(1));
    const first = one.notifications.at(-1)!;
    expect(first).toMatchObject({ channel: "email", status: "sent" });
    one.event(
      "MessageBounced",
      { notificationId: first.id, channel: "email", bounceType: "hard", reason: "NoEmail" },
      at(2),
    );
    expect(one.state!.channelClosures?.email).toMatchObject({ reason: "hard-bounce", address: c.email });
    // The email asked for a fallback: it went once more, by SMS.
    const fallback = one.notifications.at(-1)!;
    expect(fallback).toMatchObject({ channel: "sms", status: "sent", to: c.phone });
    expect(fallback.why.join(" | ")).toContain(
      `fallback: ${first.id} failed on email (a hard bounce (NoEmail))`,
    );
    // A later message of another journey run: email is closed, SMS it is.
    one.event("OrderPlaced", order("o-2"), at(10));
    const next = one.notifications.at(-1)!;
    expect(next).toMatchObject({ channel: "sms", status: "sent" });
    expect(next.why.join(" | ")).toContain("email: closed on 2026-06-10 (hard-bounce)");
    // A new address reopens email.
    one.event("CustomerProfileUpdated", { email: "jane.new@example.com" }, at(20));
    one.event("OrderPlaced", order("o-3"), at(21));
    expect(one.notifications.at(-1)).toMatchObject({ channel: "email", to: "jane.new@example.com" });
  });

  it("a complaint closes email too, and is not answered with a fallback", () => {
    const one = customer(nudge);
    one.event("OrderPlaced", order("o-1"), at(1));
    const first = one.notifications.at(-1)!;
    const before = one.notifications.length;
    one.event("MessageComplained", { notificationId: first.id, channel: "email" }, at(2));
    expect(one.state!.channelClosures?.email).toMatchObject({ reason: "complaint" });
    expect(one.notifications).toHaveLength(before);
    one.event("OrderPlaced", order("o-2"), at(3));
    expect(one.notifications.at(-1)).toMatchObject({ channel: "sms" });
  });

  it("soft bounces close a channel only after the policy's limit in a row; a delivery resets the count", () => {
    const one = customer(nudge);
    const bounce = (n: number) =>
      one.event("MessageBounced", { notificationId: `x-${n}`, channel: "email", bounceType: "soft" }, at(n));
    bounce(1);
    bounce(2);
    one.event("MessageDelivered", { notificationId: "x-3", channel: "email" }, at(3));
    bounce(4);
    bounce(5);
    expect(one.state!.channelClosures?.email).toBeUndefined();
    bounce(6);
    expect(one.state!.channelClosures?.email).toMatchObject({ reason: "soft-bounces" });
  });
});

describe("journeys wait on engagement, and fall back on failure (issue 10)", () => {
  it("email not opened within 3 days → SMS, on virtual time; opened → no SMS", () => {
    const one = customer(nudge);
    one.event("OrderPlaced", order("o-1"), at(1));
    one.event("OrderPlaced", order("o-2"), at(2));
    const [emailOne, emailTwo] = one.notifications.filter((n) => n.channel === "email");
    one.event("MessageOpened", { notificationId: emailTwo!.id, channel: "email" }, at(60));
    expect(one.state!.instances.map((i) => i.id)).toEqual(["nudge#o-1"]);
    one.fire(at(3 * 24 * 60 - 1));
    expect(one.notifications.filter((n) => n.channel === "sms")).toHaveLength(0);
    one.fire(at(3 * 24 * 60 + 2));
    const sms = one.notifications.filter((n) => n.channel === "sms");
    expect(sms).toHaveLength(1);
    expect(sms[0]!.vars).toEqual({ orderId: "o-1" });
    expect(sms[0]!.why[0]).toBe("the email about order o-1 was not opened within 3 days");
    expect(emailOne!.id).not.toBe(emailTwo!.id);
  });

  it("a permanent SMS failure sends one email, once, and both are recorded", () => {
    const smsFirst = defineJourney({
      ...nudge,
      id: "sms-first",
      nodes: { ...nudge.nodes, email: { ...(nudge.nodes.email as object), channelOrder: ["sms"] } as never },
    });
    const one = customer(smsFirst);
    one.event("OrderPlaced", order("o-1"), at(1));
    const sms = one.notifications.at(-1)!;
    expect(sms).toMatchObject({ channel: "sms", status: "sent" });
    one.event("MessageFailed", { notificationId: sms.id, channel: "sms", reason: "UNREACHABLE" }, at(2));
    one.event("MessageFailed", { notificationId: sms.id, channel: "sms", reason: "UNREACHABLE" }, at(3));
    const sent = one.notifications.filter((n) => n.status === "sent");
    expect(sent.map((n) => n.channel)).toEqual(["sms", "email"]);
    expect(sent[1]!.id).not.toBe(sms.id);
    expect(sent[1]!.why.join(" | ")).toContain("failed on sms (UNREACHABLE)");
    // Delivered is news too: a message delivered no longer waits for a fallback.
    one.event("OrderPlaced", order("o-2"), at(10));
    const second = one.notifications.at(-1)!;
    one.event("MessageDelivered", { notificationId: second.id, channel: "sms" }, at(11));
    expect(one.state!.fallbacks ?? []).toEqual([]);
    one.event("MessageFailed", { notificationId: second.id, channel: "sms" }, at(12));
    expect(one.notifications.filter((n) => n.status === "sent")).toHaveLength(3);
  });
});

describe("entry and re-entry, exact for the life of the customer (issue 10)", () => {
  const journey = (reentry: z.input<typeof journeyDefinitionSchema>["entry"]["reentry"], id = "again") =>
    defineJourney({
      id,
      version: 1,
      description: "One message per entry.",
      entry: { ...orderKey, ...(reentry ? { reentry } : {}) },
      exitOn: [],
      start: "done",
      nodes: { done: { type: "exit", outcome: "entered" } },
    });
  const started = (one: Customer, id: string) =>
    one.effects.filter(
      (e) => e.type === "emit" && e.detailType === "JourneyCompleted" && e.detail.journeyId === id,
    ).length;

  it("a key enters once by default, remembered past 100 completed instances (not the last 32)", () => {
    const one = customer(journey(undefined, "once-per-key"));
    for (let n = 0; n < 105; n++) one.event("OrderPlaced", order(`o-${n}`), at(10 + n));
    expect(started(one, "once-per-key")).toBe(105);
    one.event("OrderPlaced", order("o-0"), at(500));
    expect(started(one, "once-per-key")).toBe(105);
    expect(one.state!.timeline.at(-1)!.summary).toContain("o-0 already went through once-per-key");
  });

  it("each entry of a key that may enter again is its own run: its ids, its message and its events differ", () => {
    const again = defineJourney({
      id: "again-note",
      version: 1,
      description: "A note on every entry.",
      entry: { ...orderKey, reentry: { perKey: "again" } },
      exitOn: [],
      start: "note",
      nodes: {
        note: {
          type: "send",
          template: "t.note",
          priority: "service",
          vars: { orderId: ref("vars.orderId") },
          why: ["order {vars.orderId}"],
          next: "done",
        },
        done: { type: "exit", outcome: "noted" },
      },
    });
    const one = customer(again);
    one.event("OrderPlaced", order("same"), at(10));
    one.event("OrderPlaced", order("same"), at(20));
    const ids = (detailType: string) =>
      one.effects.flatMap((e) =>
        e.type === "emit" && e.detailType === detailType ? [e.detail.eventId] : [],
      );
    // Exactly-once claims key on these ids: were they equal, the second run would be taken for a redelivery.
    expect(new Set(one.notifications.map((n) => n.id)).size).toBe(2);
    expect(new Set(ids("JourneyStarted")).size).toBe(2);
    expect(new Set(ids("JourneyCompleted")).size).toBe(2);
    expect(new Set(one.notifications.map((n) => n.instanceId)).size).toBe(2);
  });

  it("again after an interval: exact past 100 completed instances; at most N times", () => {
    const one = customer(journey({ perKey: "again", interval: "P1D" }));
    for (let n = 0; n < 101; n++) one.event("OrderPlaced", order("same"), at(10 + n * 24 * 60 + n));
    expect(started(one, "again")).toBe(101);
    one.event("OrderPlaced", order("same"), at(10 + 100 * 24 * 60 + 100 + 60));
    expect(started(one, "again")).toBe(101);
    expect(one.state!.timeline.at(-1)!.summary).toMatch(/again only after P1D/);
    const capped = customer(journey({ perKey: "again", maxEntries: 2 }, "twice"));
    for (let n = 0; n < 4; n++) capped.event("OrderPlaced", order(`k-${n}`), at(10 + n));
    expect(started(capped, "twice")).toBe(2);
    expect(capped.state!.timeline.at(-1)!.summary).toContain("entered twice 2 times already (at most 2)");
    const onceEver = customer(journey({ maxEntries: 1 }, "once-ever"));
    onceEver.event("OrderPlaced", order("a"), at(10));
    onceEver.event("OrderPlaced", order("b"), at(11));
    expect(started(onceEver, "once-ever")).toBe(1);
  });
});
