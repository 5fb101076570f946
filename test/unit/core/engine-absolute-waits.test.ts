import { describe, expect, it } from "vitest";
import { runJourney, type TestEvent } from "../../../cli/run-journey.ts";
import { referenceEvents } from "../../../events/catalog.ts";
import { defineCatalog } from "../../../events/define-catalog.ts";
import {
  contains,
  defineJourney,
  JourneyDefinitionError,
  ref,
} from "../../../functions/core/journey/define-journey.ts";
import type { JourneyDefinition } from "../../../functions/core/journey/definition.ts";
import { defineTemplate } from "../../../functions/core/journey/template.ts";
import { FEEDBACK_SOURCE } from "../../../functions/core/message-feedback.ts";

/**
 * What Pinpoint journeys need of the engine: a wait until an absolute instant (Pinpoint's WaitUntil), a
 * waitForEvent whose timeout is an instant (an evaluation "on" a date), a waitForEvent answered by any of
 * several events (a multivariate split on engagement), and `contains` (Pinpoint's CONTAINS).
 */
const note = defineTemplate({
  id: "t.note",
  priority: "service",
  locales: {
    "en-US": {
      sms: (v) => `Order ${String(v.orderId)}`,
      email: { subject: () => "Order", body: (v) => `Order ${String(v.orderId)}` },
    },
    "ko-KR": {
      sms: (v) => `주문 ${String(v.orderId)}`,
      email: { subject: () => "주문", body: (v) => `주문 ${String(v.orderId)}` },
    },
  },
});

const entry = { event: "OrderPlaced", key: ref("event.orderId"), capture: { orderId: ref("event.orderId") } };
const say = (next: string, channel: "sms" | "email" = "sms") => ({
  type: "send" as const,
  template: "t.note",
  priority: "service" as const,
  channelOrder: [channel],
  vars: { orderId: ref("vars.orderId") },
  why: ["order {vars.orderId}"],
  next,
});

const customer = {
  detailType: "CustomerProfileUpdated",
  time: "2026-06-01T00:00:00Z",
  detail: {
    customerId: "c-1",
    locale: "en-US",
    timeZone: "UTC",
    phone: "+12125550123",
    email: "jane@example.com",
  },
};
const order = (orderId: string, time: string, extra: Record<string, unknown> = {}): TestEvent => ({
  detailType: "OrderPlaced",
  time,
  detail: {
    customerId: "c-1",
    orderId,
    items: [{ sku: "S-1", name: "Mug", quantity: 1, unitPrice: 10 }],
    currency: "USD",
    ...extra,
  },
});

function run(journey: Readonly<JourneyDefinition>, events: TestEvent[]) {
  return runJourney({
    catalog: defineCatalog({ events: referenceEvents, journeys: [journey], templates: [note] }),
    journey: journey.id,
    events: [customer, ...events],
    until: "P30D",
  });
}

describe("waitUntil: an absolute instant", () => {
  const journey = defineJourney({
    id: "until",
    version: 1,
    description: "A message at a fixed instant.",
    entry,
    exitOn: [],
    start: "launch",
    nodes: {
      launch: { type: "waitUntil", at: "2026-06-10T21:00:00+09:00", next: "tell" },
      tell: say("done"),
      done: { type: "exit", outcome: "told" },
    },
  });

  it("waits until the instant, whatever the entry time", () => {
    const { messages } = run(journey, [order("o-1", "2026-06-05T12:00:00Z")]);
    expect(messages.map((m) => [m.at, m.status])).toEqual([["2026-06-10T12:00:00.000Z", "sent"]]);
  });

  it("carries on at once when the instant is already past", () => {
    const { messages } = run(journey, [order("o-1", "2026-06-12T12:00:00Z")]);
    expect(messages.map((m) => m.at)).toEqual(["2026-06-12T12:00:00.000Z"]);
  });

  it("refuses an instant without a zone when the journey is defined", () => {
    expect(() =>
      defineJourney({
        ...journey,
        nodes: { ...journey.nodes, launch: { type: "waitUntil", at: "2026-06-10T21:00:00", next: "tell" } },
      }),
    ).toThrow(JourneyDefinitionError);
  });
});

describe("waitForEvent: an instant as the timeout, several events", () => {
  const engagement = {
    type: "waitForEvent" as const,
    event: ["MessageClicked", "MessageOpened"],
    correlate: { eventField: "notificationId", varName: "emailId", fallback: "none" as const },
    timeout: "2026-06-03T00:00:00Z",
    saveAs: "engaged",
    onEvent: "which",
    onTimeout: "nothing",
  };
  const journey = defineJourney({
    id: "engaged",
    version: 1,
    description: "An email, then which engagement came first before a deadline.",
    entry,
    exitOn: [],
    start: "email",
    nodes: {
      email: { ...say("engagement", "email"), saveAs: "emailId" },
      engagement,
      which: {
        type: "branch",
        cases: [
          {
            when: { op: "eq", left: ref("vars.engaged.detailType"), right: "MessageClicked" },
            next: "clicked",
          },
        ],
        otherwise: "opened",
      },
      clicked: { type: "exit", outcome: "clicked" },
      opened: { type: "exit", outcome: "opened" },
      nothing: { type: "exit", outcome: "nothing" },
    },
  });

  const feedback = (detailType: string, notificationId: string, time: string): TestEvent => ({
    detailType,
    time,
    source: FEEDBACK_SOURCE,
    detail: { customerId: "c-1", notificationId, channel: "email" },
  });

  function emailId(): string {
    const first = run(journey, [order("o-1", "2026-06-01T10:00:00Z")]);
    return first.messages[0]!.notificationId;
  }

  it("answers to any of its events, and keeps which one came", () => {
    const id = emailId();
    const opened = run(journey, [
      order("o-1", "2026-06-01T10:00:00Z"),
      feedback("MessageOpened", id, "2026-06-01T11:00:00Z"),
    ]);
    expect(opened.summary.completed).toEqual({ opened: 1 });
    const clicked = run(journey, [
      order("o-1", "2026-06-01T10:00:00Z"),
      feedback("MessageClicked", id, "2026-06-01T11:00:00Z"),
    ]);
    expect(clicked.summary.completed).toEqual({ clicked: 1 });
  });

  it("names the event of the list that the catalog does not have", () => {
    const misspelt = defineJourney({
      ...journey,
      nodes: {
        ...journey.nodes,
        engagement: { ...engagement, event: ["MessageClicked", "MessageOpend"] },
      },
    });
    expect(() => defineCatalog({ events: referenceEvents, journeys: [misspelt], templates: [note] })).toThrow(
      "journey engaged@1: node engagement.event[1]: event MessageOpend is not in the catalog — add its defineEvent to events",
    );
  });

  it("times out at the instant, however long after the entry that is", () => {
    const { emitted } = run(journey, [order("o-1", "2026-06-01T10:00:00Z")]);
    expect(emitted.map((e) => [e.at, e.kind === "completed" ? e.outcome : e.kind])).toEqual([
      ["2026-06-03T00:00:00.000Z", "nothing"],
    ]);
  });

  it("times out at once when the instant has passed before the node is reached", () => {
    const { emitted } = run(journey, [order("o-1", "2026-06-04T10:00:00Z")]);
    expect(emitted.map((e) => [e.at, e.kind === "completed" ? e.outcome : e.kind])).toEqual([
      ["2026-06-04T10:00:00.000Z", "nothing"],
    ]);
  });
});

describe("contains", () => {
  const journey = defineJourney({
    id: "gift",
    version: 1,
    description: "A note for orders whose coupon mentions a gift.",
    entry: { ...entry, when: contains(ref("event.orderId"), "gift") },
    exitOn: [],
    start: "tell",
    nodes: { tell: say("done"), done: { type: "exit", outcome: "told" } },
  });

  it("holds when the left string contains the right one, and never for anything else", () => {
    const { summary } = run(journey, [
      order("o-gift-1", "2026-06-01T10:00:00Z"),
      order("o-2", "2026-06-01T10:05:00Z"),
    ]);
    expect(summary.completed).toEqual({ told: 1 });
  });
});
