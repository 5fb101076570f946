import { describe, expect, it } from "vitest";
import { mapJourney } from "../../../cli/pinpoint/map-journey.ts";
import { verifyPlan } from "../../../cli/pinpoint/materialize.ts";
import type { ImportPlan } from "../../../cli/pinpoint/plan.ts";
import { validateJourney } from "../../../cli/pinpoint/validate-journey.ts";
import { defineCatalog } from "../../../events/define-catalog.ts";
import { referenceCatalog } from "../../../journeys/registry.ts";

/** Maps a WriteJourneyRequest and checks that what it generates builds, as the command does before writing. */
function plan(
  journey: Record<string, unknown>,
  catalog = undefined as Parameters<typeof verifyPlan>[1],
): ImportPlan {
  const validation = validateJourney({ Name: "Sink", ...journey }, "WriteJourneyRequest", "$");
  if (!validation.ok) throw new Error(validation.errors.map((e) => `${e.path}: ${e.message}`).join("\n"));
  const mapped = mapJourney(validation.value, { file: "sink.json", ...(catalog ? { catalog } : {}) });
  verifyPlan(mapped, catalog);
  return mapped;
}

const start = (type: string, extra: Record<string, unknown> = {}) => ({
  EventStartCondition: {
    EventFilter: {
      FilterType: "ENDPOINT",
      Dimensions: { EventType: { DimensionType: "INCLUSIVE", Values: [type] }, ...extra },
    },
  },
});
const engagement = (message: string, ...values: string[]) => ({
  EventCondition: {
    MessageActivity: message,
    Dimensions: { EventType: { DimensionType: "INCLUSIVE", Values: values } },
  },
});
const email = (template: string, next?: string) => ({
  EMAIL: { TemplateName: template, NextActivity: next },
});
const item = (p: ImportPlan, path: string) =>
  p.items.filter((i) => i.path === path).map((i) => [i.status, i.waymark, i.note]);

describe("mapping splits", () => {
  it("ALL of two engagement events waits for each in turn, each up to the evaluation time", () => {
    const p = plan({
      StartCondition: start("signup"),
      StartActivity: "Mail",
      Activities: {
        Mail: email("Hello", "Both"),
        Both: {
          ConditionalSplit: {
            Condition: {
              Conditions: [engagement("Mail", "EMAIL_OPEN"), engagement("Mail", "EMAIL_CLICKED")],
              Operator: "ALL",
            },
            EvaluationWaitTime: { WaitFor: "PT12H" },
            TrueActivity: "Yes",
            FalseActivity: "No",
          },
        },
        Yes: email("Yes"),
        No: email("No"),
      },
    });
    expect(p.journey.nodes.both).toMatchObject({
      type: "waitForEvent",
      event: "MessageOpened",
      onEvent: "both-then-2",
      onTimeout: "no",
      timeout: "PT12H",
    });
    expect(p.journey.nodes["both-then-2"]).toMatchObject({
      type: "waitForEvent",
      event: "MessageClicked",
      onEvent: "yes",
      onTimeout: "no",
    });
    expect(item(p, "$.Activities.Both")[0]![2]).toContain(
      "ALL of several events: Waymark waits for each in turn",
    );
  });

  it("ANY of an engagement and a segment attribute: the event, else the attribute at the end of the evaluation time", () => {
    const p = plan({
      StartCondition: start("signup"),
      StartActivity: "Mail",
      Activities: {
        Mail: email("Hello", "Either"),
        Either: {
          ConditionalSplit: {
            Condition: {
              Conditions: [
                engagement("Mail", "EMAIL_CLICKED"),
                {
                  SegmentDimensions: {
                    UserAttributes: { tier: { AttributeType: "INCLUSIVE", Values: ["gold"] } },
                  },
                },
              ],
              Operator: "ANY",
            },
            EvaluationWaitTime: { WaitUntil: "2026-07-01T00:00:00" },
            TrueActivity: "Yes",
          },
        },
        Yes: email("Yes"),
      },
    });
    expect(p.journey.nodes.either).toMatchObject({
      type: "waitForEvent",
      onEvent: "yes",
      onTimeout: "either-timed-out",
      timeout: "2026-07-01T00:00:00Z",
    });
    expect(p.journey.nodes["either-timed-out"]).toMatchObject({
      type: "branch",
      cases: [{ when: { op: "eq", left: { $ref: "customer.attributes.tier" }, right: "gold" }, next: "yes" }],
      otherwise: "end",
    });
    expect(item(p, "$.Activities.Either.ConditionalSplit.EvaluationWaitTime")).toEqual([
      ["approximated", "until 2026-07-01T00:00:00Z", "2026-07-01T00:00:00 has no zone: read as UTC"],
    ]);
  });

  it("static branches are decided after the evaluation time, exactly; unmapped conditions never hold", () => {
    const p = plan({
      StartCondition: start("signup"),
      StartActivity: "Route",
      Activities: {
        Route: {
          MultiCondition: {
            Branches: [
              {
                Condition: { SegmentDimensions: { Demographic: { Platform: { Values: ["ios"] } } } },
                NextActivity: "A",
              },
              {
                Condition: {
                  SegmentDimensions: { Attributes: { plan: { AttributeType: "CONTAINS", Values: ["pro"] } } },
                },
                NextActivity: "B",
              },
            ],
            DefaultActivity: "C",
            EvaluationWaitTime: { WaitFor: "P1D" },
          },
        },
        A: email("A"),
        B: email("B"),
        C: email("C"),
      },
    });
    expect(p.journey.nodes.route).toEqual({ type: "wait", duration: "P1D", next: "route-check" });
    expect(p.journey.nodes["route-check"]).toMatchObject({
      type: "branch",
      cases: [
        { when: { op: "eq", left: false, right: true }, next: "a" },
        { when: { op: "contains", left: { $ref: "customer.attributes.plan" }, right: "pro" }, next: "b" },
      ],
      otherwise: "c",
    });
    expect(
      item(p, "$.Activities.Route.MultiCondition.Branches[0].Condition.SegmentDimensions.Demographic")[0]![0],
    ).toBe("not mapped");
    expect(p.nodeComments.route).toContain(
      "A condition Waymark cannot evaluate is written eq(false, true): it never holds (see the report).",
    );
  });

  it("engagement Waymark does not hear of, and feedback from a push, are reported and never hold", () => {
    const p = plan({
      StartCondition: start("signup"),
      StartActivity: "Push",
      Activities: {
        Push: { PUSH: { TemplateName: "Nudge", NextActivity: "Mail" } },
        Mail: email("Hello", "Check"),
        Check: {
          MultiCondition: {
            Branches: [
              { Condition: engagement("Push", "PUSH_OPEN"), NextActivity: "A" },
              { Condition: engagement("Mail", "EMAIL_SEND", "EMAIL_DELIVERED"), NextActivity: "B" },
            ],
            EvaluationWaitTime: { WaitFor: "PT1H" },
          },
        },
        A: email("A"),
        B: email("B"),
      },
    });
    expect(p.journey.start).toBe("mail");
    expect(item(p, "$.Activities.Check.MultiCondition.Branches[0].Condition.EventCondition")[0]![2]).toBe(
      "Push is a PUSH activity, which Waymark does not send: no feedback can come from it",
    );
    expect(
      item(
        p,
        "$.Activities.Check.MultiCondition.Branches[1].Condition.EventCondition.Dimensions.EventType",
      )[0],
    ).toEqual([
      "not mapped",
      "—",
      "a journey cannot wait for a message being sent (NotificationSent is what Waymark emits)",
    ]);
    expect(p.journey.nodes.check).toMatchObject({ type: "waitForEvent", event: "MessageDelivered" });
  });

  it("a customer event condition waits for that event, correlated on the customer, its attributes checked after", () => {
    const p = plan({
      StartCondition: start("trial.started"),
      StartActivity: "Wait",
      Activities: {
        Wait: {
          ConditionalSplit: {
            Condition: {
              Conditions: [
                {
                  EventCondition: {
                    Dimensions: {
                      EventType: { DimensionType: "INCLUSIVE", Values: ["trial.converted"] },
                      Metrics: { seats: { ComparisonOperator: "GREATER_THAN", Value: 5 } },
                    },
                  },
                },
              ],
            },
            EvaluationWaitTime: { WaitFor: "P14D" },
            TrueActivity: "Welcome",
          },
        },
        Welcome: email("Welcome"),
      },
    });
    expect(p.journey.entry.capture).toEqual({ customerId: { $ref: "event.customerId" } });
    expect(p.journey.nodes.wait).toMatchObject({
      event: "trial.converted",
      correlate: { eventField: "customerId", varName: "customerId" },
      saveAs: "waitEvent",
      onEvent: "wait-check",
    });
    expect(p.journey.nodes["wait-check"]).toMatchObject({
      cases: [{ when: { op: "gt", left: { $ref: "vars.waitEvent.seats" }, right: 5 }, next: "welcome" }],
      otherwise: "end",
    });
    expect(p.events.map((e) => [e.detailType, e.fields.map((f) => f.name)])).toEqual([
      ["trial.started", []],
      ["trial.converted", ["seats"]],
    ]);
  });
});

describe("mapping activities and settings", () => {
  it("a holdout after the start is a split whose control ends; 100% sends everyone to the end; a 0% path is dropped", () => {
    const p = plan({
      StartCondition: start("signup"),
      StartActivity: "Mail",
      Activities: {
        Mail: email("Hello", "Hold"),
        Hold: { Holdout: { Percentage: 30, NextActivity: "Test" } },
        Test: {
          RandomSplit: {
            Branches: [
              { Percentage: 60, NextActivity: "A" },
              { Percentage: 0, NextActivity: "Never" },
              { Percentage: 40, NextActivity: "All" },
            ],
          },
        },
        A: email("A"),
        Never: email("Never"),
        All: { Holdout: { Percentage: 100, NextActivity: "A" } },
      },
    });
    expect(p.journey.nodes.hold).toEqual({
      type: "split",
      experiment: "hold",
      variants: [
        { name: "control", weight: 30, next: "held-out" },
        { name: "treatment", weight: 70, next: "test" },
      ],
    });
    expect(p.journey.nodes.test).toMatchObject({
      variants: [
        { name: "control", weight: 60, next: "a" },
        { name: "path-3", weight: 40, next: "held-out" },
      ],
    });
    expect(p.journey.nodes.never).toBeUndefined();
    expect(item(p, "$.Activities.Never")).toEqual([
      ["not mapped", "—", "only a path that was not imported leads here"],
    ]);
  });

  it("start conditions Waymark cannot enter on, and the settings it keeps elsewhere, are said", () => {
    const p = plan({
      StartCondition: {
        EventStartCondition: {
          EventFilter: {
            FilterType: "SYSTEM",
            Dimensions: {
              EventType: { DimensionType: "INCLUSIVE", Values: ["_session.start", "_session.stop"] },
            },
          },
          SegmentId: "seg-1",
        },
      },
      StartActivity: "Mail",
      Activities: { Mail: email("Hello") },
      Limits: { MessagesPerSecond: 100 },
      QuietTime: { Start: "09:00", End: "09:00" },
      OpenHours: { EMAIL: { MONDAY: [{ StartTime: "09:00", EndTime: "17:00" }] } },
      ClosedDays: {
        SMS: [
          {
            Name: "Lunar New Year",
            StartDateTime: "2027-02-06T00:00:00+09:00",
            EndDateTime: "2027-02-09T00:00:00+09:00",
          },
        ],
      },
    });
    expect(p.journey.entry.event).toBe("SessionStart");
    expect(
      item(p, "$.StartCondition.EventStartCondition.EventFilter.Dimensions.EventType").map((i) => i[0]),
    ).toEqual(["approximated", "not mapped"]);
    expect(item(p, "$.StartCondition.EventStartCondition.SegmentId")[0]![0]).toBe("not mapped");
    expect(item(p, "$.QuietTime")[0]![0]).toBe("not mapped");
    // Without SendingSchedule, Pinpoint ignores open hours and closed days: so does the import.
    expect(p.delivery.openHours).toBeUndefined();
    expect(item(p, "$.OpenHours.EMAIL")[0]![2]).toBe(
      "Pinpoint uses open hours only with SendingSchedule true",
    );
    expect(p.delivery.sendingRate).toEqual({ sms: 100, email: 100 });
  });

  it("keeps the catalog's slower sending rate, merges open hours and closed days into the catalog's", () => {
    const catalog = defineCatalog({
      journeys: [],
      templates: [],
      delivery: {
        sendingRate: { sms: 20 },
        closedDays: [{ name: "New Year", start: "2027-01-01T00:00", end: "2027-01-02T00:00" }],
        advertising: { senderName: "웨이마크", koreanOptOutNumber: "080-500-4321" },
      },
    });
    const p = plan(
      {
        StartCondition: start("signup"),
        StartActivity: "Mail",
        Activities: { Mail: email("Hello") },
        Limits: { MessagesPerSecond: 100 },
        SendingSchedule: true,
        ClosedDays: {
          EMAIL: [
            { Name: "Chuseok", StartDateTime: "2026-09-24T00:00:00", EndDateTime: "2026-09-27T00:00:00" },
          ],
          SMS: [
            { Name: "Chuseok", StartDateTime: "2026-09-24T00:00:00", EndDateTime: "2026-09-27T00:00:00" },
          ],
        },
      },
      catalog,
    );
    expect(p.delivery.sendingRate).toEqual({ sms: 20 });
    expect(p.delivery.closedDays).toEqual([
      { name: "New Year", start: "2027-01-01T00:00", end: "2027-01-02T00:00" },
      { name: "Chuseok", start: "2026-09-24T00:00", end: "2026-09-27T00:00" },
    ]);
    expect(p.items.some((i) => i.pinpoint.startsWith("marketing messages, in a catalog"))).toBe(false);
  });

  it("uses the catalog's event by name, and leaves out a dimension on a field it lacks", () => {
    const p = plan(
      {
        StartCondition: start("order_placed", { Attributes: { coupon: { Values: ["X"] } } }),
        StartActivity: "Mail",
        Activities: { Mail: email("Hello") },
      },
      referenceCatalog,
    );
    expect(p.journey.entry.event).toBe("OrderPlaced");
    expect(p.events).toEqual([]);
    expect(item(p, "$.StartCondition.EventStartCondition.EventFilter.Dimensions.Attributes.coupon")).toEqual([
      ["not mapped", "—", "the catalog's OrderPlaced has no field coupon: left out of entry.when"],
    ]);
  });
});
