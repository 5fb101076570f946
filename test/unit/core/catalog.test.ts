import { describe, expect, it } from "vitest";
import * as z from "zod";
import { runJourney } from "../../../cli/run-journey.ts";
import { customerEventBase, globalEventBase } from "../../../events/customer-event-base.ts";
import { defineCatalog } from "../../../events/define-catalog.ts";
import { CatalogError } from "../../../functions/core/catalog/catalog.ts";
import { defineEvent, EventDefinitionError } from "../../../functions/core/catalog/define-event.ts";
import { eventRef } from "../../../functions/core/catalog/event-ref.ts";
import { setAttribute } from "../../../functions/core/customer-context.ts";
import { advance } from "../../../functions/core/engine.ts";
import { defineJourney, eq, ref } from "../../../functions/core/journey/define-journey.ts";
import type { JourneyDefinition } from "../../../functions/core/journey/definition.ts";
import { defineTemplate, pickLocale, renderTemplate } from "../../../functions/core/journey/template.ts";

const cartAbandoned = defineEvent({
  detailType: "CartAbandoned",
  scope: "customer",
  direction: "inbound",
  description: "A cart was left.",
  detail: customerEventBase.extend({
    cartId: z.string(),
    items: z.array(z.object({ name: z.string(), sku: z.string() })),
    store: z.object({ id: z.string() }).optional(),
  }),
  context: (state, event) => setAttribute(state, "lastCart", event.detail.cartId),
  describe: (detail) => `left cart ${detail.cartId}`,
  samples: [
    { customerId: "c", cartId: "x", items: [] },
    { customerId: "c", cartId: "y", items: [{ name: "mug", sku: "m" }] },
  ],
});
const cartOrdered = defineEvent({
  detailType: "CartOrdered",
  scope: "customer",
  direction: "inbound",
  description: "A cart became an order.",
  detail: customerEventBase.extend({ cartId: z.string() }),
  samples: [
    { customerId: "c", cartId: "x" },
    { customerId: "c", cartId: "y" },
  ],
});
const reminderSent = defineEvent({
  detailType: "CartReminderRecorded",
  scope: "customer",
  direction: "emitted",
  description: "Waymark reminded a customer of a cart.",
  detail: customerEventBase.extend({ cartId: z.string(), journeyId: z.string(), instanceId: z.string() }),
  samples: [
    { customerId: "c", cartId: "x", journeyId: "j", instanceId: "i" },
    { customerId: "c", cartId: "y", journeyId: "j", instanceId: "i" },
  ],
});

const text = (s: string) => ({ sms: () => s, email: { subject: () => s, body: () => s } });
const reminder = defineTemplate({
  id: "cart.reminder",
  priority: "service",
  vars: ["cartId"],
  locales: { "en-US": text("Your cart"), "ko-KR": text("장바구니") },
});

type JourneyInput = Parameters<typeof defineJourney>[0];
const journey = (
  overrides: Partial<JourneyInput> = {},
  nodes: JourneyInput["nodes"] = {},
): Readonly<JourneyDefinition> =>
  defineJourney({
    id: "cart-reminder",
    version: 1,
    description: "test",
    entry: { event: "CartAbandoned", key: ref("event.cartId"), capture: { cartId: ref("event.cartId") } },
    exitOn: [{ event: "CartOrdered", when: eq(ref("event.cartId"), ref("vars.cartId")), outcome: "ordered" }],
    start: "wait",
    ...overrides,
    nodes: {
      wait: { type: "wait", duration: "PT1H", next: "remind" },
      remind: {
        type: "send",
        template: "cart.reminder",
        priority: "service",
        vars: { cartId: ref("vars.cartId") },
        why: ["cart {vars.cartId} left"],
        next: "record",
      },
      record: {
        type: "emit",
        detailType: "CartReminderRecorded",
        detail: { cartId: ref("vars.cartId") },
        next: "done",
      },
      done: { type: "exit", outcome: "reminded" },
      ...nodes,
    },
  });

const catalogWith = (journeys: Readonly<JourneyDefinition>[], templates = [reminder]) =>
  defineCatalog({ events: [cartAbandoned, cartOrdered, reminderSent], journeys, templates });

function problemsOf(build: () => unknown): readonly string[] {
  try {
    build();
  } catch (error) {
    if (error instanceof CatalogError) return error.problems;
    throw error;
  }
  throw new Error("the catalog was accepted");
}

describe("defineCatalog", () => {
  it("accepts a catalog with custom inbound and emitted events, and adds Waymark's own events", () => {
    const catalog = catalogWith([journey()]);
    expect(catalog.event("CartAbandoned")).toBe(cartAbandoned);
    for (const builtIn of ["CustomerProfileUpdated", "NotificationOptOut", "AgentEscalationRequested"]) {
      expect(catalog.event(builtIn)?.detailType).toBe(builtIn);
    }
    // A detail-type from the wire never finds an inherited member.
    expect(catalog.event("constructor")).toBeUndefined();
    expect(catalog.event("__proto__")).toBeUndefined();
  });

  it("names the journey, node and path of an event, template or calculator the catalog does not have", () => {
    const problems = problemsOf(() =>
      catalogWith([
        journey(
          {
            entry: {
              event: "CartAbandonned",
              key: ref("event.cartId"),
              capture: { cartId: ref("event.cartId") },
            },
          },
          {
            remind: {
              type: "send",
              template: "cart.remind",
              priority: "service",
              vars: {},
              why: [],
              next: "think",
            },
            think: { type: "compute", calculator: "score", saveAs: "score", next: "record" },
          },
        ),
      ]),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        "journey cart-reminder@1: entry.event: event CartAbandonned is not in the catalog — add its defineEvent to events",
        "journey cart-reminder@1: node remind.template: template cart.remind is not in the catalog's templates",
        "journey cart-reminder@1: node think.calculator: calculator score is not in the catalog's calculators",
      ]),
    );
  });

  it("checks refs: roots, vars that are never set, and event fields where the schema is known", () => {
    const problems = problemsOf(() =>
      catalogWith([
        journey(
          {
            entry: {
              event: "CartAbandoned",
              key: ref("event.cartId"),
              capture: {
                cartId: ref("event.cartID"),
                sku: ref("event.items.0.sku"),
                store: ref("event.store.id"),
              },
            },
            exitOn: [
              { event: "CartOrdered", when: eq(ref("event.cart"), ref("vars.cartId")), outcome: "ordered" },
            ],
          },
          {
            remind: {
              type: "send",
              template: "cart.reminder",
              priority: "service",
              vars: {
                cartId: ref("vars.cartid"),
                who: ref("custmer.profile.name"),
                at: ref("instance.created"),
              },
              why: ["cart {vars.card} left"],
              next: "record",
            },
          },
        ),
      ]),
    );
    expect(problems).toEqual([
      expect.stringMatching(
        /^journey cart-reminder@1: entry\.capture\.cartId: event\.cartID: the event has no field cartID \(fields: customerId, eventId, occurredAt, cartId, items, store\)$/,
      ),
      "journey cart-reminder@1: exitOn[0].when.left: event.cart: the event has no field cart (fields: customerId, eventId, occurredAt, cartId)",
      expect.stringMatching(
        /^journey cart-reminder@1: node remind\.vars\.cartId: vars\.cartid: no var cartid is set/,
      ),
      "journey cart-reminder@1: node remind.vars.who: custmer.profile.name: unknown root custmer; a ref starts with event, vars, instance, customer or order",
      "journey cart-reminder@1: node remind.vars.at: instance.created: instance has id, key, startedAt, shortId",
      expect.stringMatching(
        /^journey cart-reminder@1: node remind\.why\[0\]: vars\.card: no var card is set/,
      ),
    ]);
  });

  it("requires every var a template declares from each send that uses it", () => {
    const problems = problemsOf(() =>
      catalogWith([
        journey(
          {},
          {
            remind: {
              type: "send",
              template: "cart.reminder",
              priority: "service",
              vars: {},
              why: [],
              next: "record",
            },
          },
        ),
      ]),
    );
    expect(problems).toEqual([
      "journey cart-reminder@1: node remind.vars: template cart.reminder needs var cartId, which this send does not provide",
    ]);
  });

  it("refuses a loop that never waits, naming the loop", () => {
    const problems = problemsOf(() =>
      catalogWith([
        journey(
          {},
          {
            remind: {
              type: "send",
              template: "cart.reminder",
              priority: "service",
              vars: { cartId: ref("vars.cartId") },
              why: [],
              next: "again",
            },
            again: {
              type: "branch",
              cases: [{ when: eq(ref("vars.cartId"), "x"), next: "remind" }],
              otherwise: "record",
            },
          },
        ),
      ]),
    );
    expect(problems).toEqual([
      "journey cart-reminder@1: node remind: the loop remind → again → remind never waits (put a wait or waitForEvent in it)",
    ]);
    // Through a wait, the same loop is fine.
    expect(() =>
      catalogWith([
        journey(
          {},
          {
            record: {
              type: "emit",
              detailType: "CartReminderRecorded",
              detail: { cartId: ref("vars.cartId") },
              next: "again",
            },
            again: {
              type: "branch",
              cases: [{ when: eq(ref("vars.cartId"), "x"), next: "wait" }],
              otherwise: "done",
            },
          },
        ),
      ]),
    ).not.toThrow();
  });

  it("refuses a template without a supported locale, and emits of events Waymark does not emit", () => {
    const englishOnly = defineTemplate({
      id: "cart.reminder",
      priority: "service",
      locales: { "en-US": text("x") },
    });
    expect(problemsOf(() => catalogWith([journey()], [englishOnly]))).toEqual([
      "template cart.reminder: no ko-KR text (the catalog supports en-US, ko-KR)",
    ]);
    const problems = problemsOf(() =>
      catalogWith([
        journey({}, { record: { type: "emit", detailType: "CartOrdered", detail: {}, next: "done" } }),
      ]),
    );
    expect(problems).toEqual([
      'journey cart-reminder@1: node record.detailType: CartOrdered is not a customer event Waymark emits (direction "emitted")',
    ]);
  });

  it("takes the catalog's own locales, with a fallback chain: exact tag, then language, then the fallback", () => {
    const ja = defineTemplate({
      id: "cart.reminder",
      priority: "service",
      vars: ["cartId"],
      locales: { "ja-JP": text("カート"), "en-GB": text("Your basket") },
    });
    const catalog = defineCatalog({
      events: [cartAbandoned, cartOrdered, reminderSent],
      journeys: [journey()],
      templates: [ja],
      locales: { supported: ["ja-JP", "en-GB"], fallback: "en-GB" },
    });
    expect(catalog.pickLocale("ja-JP")).toBe("ja-JP");
    expect(catalog.pickLocale("ja")).toBe("ja-JP");
    expect(catalog.pickLocale("en_US")).toBe("en-GB");
    expect(catalog.pickLocale("ko-KR")).toBe("en-GB");
    expect(pickLocale(undefined, ["ja-JP"], "ja-JP")).toBe("ja-JP");
    expect(() =>
      defineCatalog({
        events: [cartAbandoned, cartOrdered, reminderSent],
        journeys: [],
        templates: [],
        locales: { supported: ["ja-JP"], fallback: "en-US" },
      }),
    ).toThrow(/locales\.fallback en-US is not one of locales\.supported \(ja-JP\)/);
  });

  it("runs a custom event end to end in the engine: its context hook, its timeline line, a custom emitted event", () => {
    const catalog = catalogWith([journey()]);
    const start = new Date("2026-03-02T15:00:00Z");
    const event = {
      detailType: "CartAbandoned",
      detail: { customerId: "c-1", cartId: "cart-1", items: [] },
      source: "shop",
      envelopeId: "e-1",
      eventId: "e-1",
      occurredAt: start.toISOString(),
    };
    const entered = advance(undefined, { kind: "event", event }, start, catalog);
    expect(entered.state.attributes).toEqual({ lastCart: "cart-1" });
    expect(entered.state.timeline.map((t) => t.summary)).toContain("left cart cart-1");
    const timer = entered.state.instances[0]!.state.timer;
    const fired = advance(
      entered.state,
      { kind: "timer", customerId: "c-1", timerId: timer.id, dueAt: timer.dueAt },
      new Date(timer.dueAt),
      catalog,
    );
    const emitted = fired.effects
      .filter((e) => e.type === "emit")
      .map((e) => [e.detailType, e.detail.cartId]);
    expect(emitted).toEqual([
      ["CartReminderRecorded", "cart-1"],
      ["JourneyCompleted", undefined],
    ]);
  });
});

describe("links in messages", () => {
  it("are built on the catalog's link base, and a deployment's base replaces it", () => {
    const linked = defineTemplate({
      id: "cart.reminder",
      priority: "service",
      vars: ["cartId"],
      locales: {
        "en-US": {
          sms: (v, c) => `Your cart: ${c.linkBaseUrl}/c/${String(v.cartId)}`,
          email: text("x").email,
        },
        "ko-KR": text("x"),
      },
    });
    const catalog = defineCatalog({
      events: [cartAbandoned, cartOrdered, reminderSent],
      journeys: [journey()],
      templates: [linked],
      linkBaseUrl: "https://shop.example/",
    });
    expect(catalog.linkBaseUrl).toBe("https://shop.example");
    const bodyWith = (c: typeof catalog) => {
      const start = new Date("2026-03-02T15:00:00Z");
      const profile = {
        detailType: "CustomerProfileUpdated",
        detail: { customerId: "c-1", phone: "+12125550123", locale: "en-US", timeZone: "America/New_York" },
        source: "crm",
        envelopeId: "p",
        eventId: "p",
        occurredAt: start.toISOString(),
      };
      const cart = {
        ...profile,
        detailType: "CartAbandoned",
        eventId: "e",
        detail: { customerId: "c-1", cartId: "k1", items: [] },
      };
      const first = advance(undefined, { kind: "event", event: profile }, start, c);
      const entered = advance(first.state, { kind: "event", event: cart }, start, c);
      const timer = entered.state.instances[0]!.state.timer;
      const fired = advance(
        entered.state,
        { kind: "timer", customerId: "c-1", ...timer, timerId: timer.id },
        new Date(timer.dueAt),
        c,
      );
      const notify = fired.effects.find((e) => e.type === "notify");
      return notify?.type === "notify" ? notify.record.body : undefined;
    };
    expect(bodyWith(catalog)).toBe("Your cart: https://shop.example/c/k1");
    expect(bodyWith(catalog.withLinkBaseUrl("https://go.example"))).toBe(
      "Your cart: https://go.example/c/k1",
    );
    expect(() => catalog.withLinkBaseUrl("http://go.example")).toThrow(/must be https/);
  });
});

describe("defineEvent", () => {
  it("refuses a global event that reaches nobody, and a customer event without customerId", () => {
    expect(() =>
      defineEvent({
        detailType: "PriceDropped",
        scope: "global",
        direction: "inbound",
        description: "x",
        detail: globalEventBase.extend({ sku: z.string() }),
        samples: [{ sku: "a" }, { sku: "b" }],
      }),
    ).toThrow(EventDefinitionError);
    expect(() =>
      defineEvent({
        detailType: "Bad",
        scope: "customer",
        direction: "inbound",
        description: "x",
        detail: z.object({ id: z.string() }),
        samples: [{ id: "a" }, { id: "b" }],
      }),
    ).toThrow(/customer-scoped but its detail has no customerId/);
  });
});

describe("eventRef", () => {
  it("is a ref into the event, with the field path checked by the compiler", () => {
    expect(eventRef(cartAbandoned, "cartId")).toEqual({ $ref: "event.cartId" });
    expect(eventRef(cartAbandoned, "items.0.sku", "eventId")).toEqual({
      $ref: ["event.items.0.sku", "event.eventId"],
    });
    expect(eventRef(cartAbandoned, "store.id")).toEqual({ $ref: "event.store.id" });
    // @ts-expect-error no such field: the editor says so where it is written
    expect(eventRef(cartAbandoned, "cartID")).toEqual({ $ref: "event.cartID" });
    // @ts-expect-error items are objects of name and sku
    eventRef(cartAbandoned, "items.0.price");
  });
});

describe("runJourney", () => {
  it("fails where Lambda would: an emitted detail that does not match its schema", () => {
    const strict = defineEvent({
      ...reminderSent,
      detail: customerEventBase.extend({
        cartId: z.string().min(10),
        journeyId: z.string(),
        instanceId: z.string(),
      }),
    });
    const catalog = defineCatalog({
      events: [cartAbandoned, cartOrdered, strict],
      journeys: [journey()],
      templates: [reminder],
    });
    const events = [
      {
        detailType: "CartAbandoned",
        time: "2026-03-02T15:00:00Z",
        detail: { customerId: "c-1", cartId: "k1", items: [] },
      },
    ];
    expect(() => runJourney({ catalog, journey: "cart-reminder", events })).toThrow(
      /cart-reminder#k1: the CartReminderRecorded it emits does not match its schema at detail\.cartId: Too small/,
    );
    const ok = runJourney({ catalog: catalogWith([journey()]), journey: "cart-reminder", events });
    expect(ok.emitted.map((e) => e.kind)).toEqual(["emitted", "completed"]);
    expect(() =>
      runJourney({
        catalog,
        journey: "cart-reminder",
        events: [{ ...events[0]!, detail: { customerId: "c-1" } }],
      }),
    ).toThrow(/events\[0\] \(CartAbandoned\): detail\.cartId: required/);
  });

  it("runs the whole catalog when no journey is named", () => {
    const second = defineJourney({ ...journey(), id: "cart-follow-up", exitOn: [] });
    const catalog = catalogWith([journey(), second]);
    const events = [
      {
        detailType: "CartAbandoned",
        time: "2026-03-02T15:00:00Z",
        detail: { customerId: "c-1", cartId: "k1", items: [] },
      },
    ];
    const all = runJourney({ catalog, events });
    expect(all.summary.completed).toEqual({ reminded: 2 });
    expect(all.messages).toHaveLength(2);
    expect(runJourney({ catalog, journey: "cart-follow-up", events }).summary.completed).toEqual({
      reminded: 1,
    });
  });
});

describe("rendered email subjects", () => {
  it("are one line: a line break from the text never starts a new header", () => {
    const template = defineTemplate({
      id: "t",
      priority: "service",
      locales: {
        "en-US": { sms: () => "x", email: { subject: (v) => `Order ${String(v.id)}`, body: () => "b" } },
        "ko-KR": text("x"),
      },
    });
    const rendered = renderTemplate(template, "en-US", "email", { id: "1\r\nBcc: victim@example.com" });
    expect(rendered.subject).toBe("Order 1 Bcc: victim@example.com");
  });
});

describe("SMS budgets (issue 9: segments capped)", () => {
  const long = "Alexandria Konstantinopoulou-Vanderbilt";
  const chatty = (short?: (v: Record<string, unknown>) => string) =>
    defineTemplate({
      id: "cart.reminder",
      priority: "service",
      vars: ["cartId"],
      samples: [{ cartId: "k1", name: long }],
      locales: {
        "en-US": {
          sms: (v) => `Hello ${String(v.name)}! ${"Your cart is still waiting for you. ".repeat(13)}`,
          ...(short ? { smsShort: short } : {}),
          email: text("x").email,
        },
        "ko-KR": text("장바구니"),
      },
    });

  it("a template whose SMS runs over its segments for a sample fails defineCatalog, naming the locale and sample", () => {
    expect(problemsOf(() => catalogWith([journey()], [chatty()]))).toEqual([
      "template cart.reminder: en-US SMS with samples[0] is 4 segments, over its maxSmsSegments 3 (shorten it, or add an smsShort)",
    ]);
  });

  it("a shorter variant that fits is accepted, and is what a long render sends", () => {
    const catalog = catalogWith([journey()], [chatty((v) => `Your cart ${String(v.cartId)} is saved.`)]);
    const start = new Date("2026-03-02T15:00:00Z");
    const event = (detailType: string, detail: Record<string, unknown>, eventId: string) => ({
      detailType,
      detail: { customerId: "c-1", ...detail },
      source: "t",
      envelopeId: eventId,
      eventId,
      occurredAt: start.toISOString(),
    });
    let state = advance(
      undefined,
      {
        kind: "event",
        event: event(
          "CustomerProfileUpdated",
          { phone: "+12125550123", name: long, timeZone: "America/New_York" },
          "p",
        ),
      },
      start,
      catalog,
    ).state;
    state = advance(
      state,
      { kind: "event", event: event("CartAbandoned", { cartId: "k1", items: [] }, "c") },
      start,
      catalog,
    ).state;
    const timer = state.instances[0]!.state.timer;
    const fired = advance(
      state,
      { kind: "timer", customerId: "c-1", timerId: timer.id, dueAt: timer.dueAt },
      new Date(timer.dueAt),
      catalog,
    );
    const notify = fired.effects.find((e) => e.type === "notify");
    expect(notify?.type === "notify" && notify.record.body).toBe("Your cart k1 is saved.");
    expect(notify?.type === "notify" && notify.record.smsSegments).toBe(1);
  });
});
