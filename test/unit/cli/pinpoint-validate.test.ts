import { writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { readJourneyInputs } from "../../../cli/pinpoint/read-input.ts";
import { type Validation, validateJourney } from "../../../cli/pinpoint/validate-journey.ts";
import { REPO_ROOT, tempFiles } from "./run-cli.ts";

/** Every journey of a fixture file, validated: errors and drafts as `path — message` lines. */
function check(fixture: string): { file: string; ok: boolean; errors: string[]; drafts: string[] }[] {
  const { inputs, problems } = readJourneyInputs(`test/fixtures/pinpoint/${fixture}`, REPO_ROOT);
  expect(problems).toEqual([]);
  return inputs.map((input) => lines(input.file, validateJourney(input.raw, input.shape, input.root)));
}

function lines(file: string, validation: Validation) {
  const drafts = (validation.ok ? validation.value.drafts : validation.drafts).map(
    (d) => `${d.path} — ${d.message}`,
  );
  const errors = validation.ok ? [] : validation.errors.map((e) => `${e.path} — ${e.message}`);
  return { file: path.basename(file), ok: validation.ok, errors, drafts };
}

describe("Pinpoint journeys are checked against the SDK's model first", () => {
  it("accepts every valid fixture as it is, with nothing to report", () => {
    expect(check("valid")).toEqual([
      { file: "cart-abandonment.json", ok: true, errors: [], drafts: [] },
      { file: "order-feedback.json", ok: true, errors: [], drafts: [] },
      { file: "renewal.json", ok: true, errors: [], drafts: [] },
      { file: "welcome-series.json", ok: true, errors: [], drafts: [] },
      { file: "winback-segment.json", ok: true, errors: [], drafts: [] },
    ]);
  });

  it("names misspelt keys, invented activity types, wrong enum values, ranges and formats by JSON path", () => {
    expect(check("invalid/misspelled.json")).toEqual([
      {
        file: "misspelled.json",
        ok: false,
        drafts: [],
        errors: [
          '$.JourneyResponse.Activities.Hello.EMAIL.NextActivty — unknown key "NextActivty" — did you mean NextActivity?',
          '$.JourneyResponse.Activities.Nudge.SMS.MessageConfig.MessageType — expected one of TRANSACTIONAL, PROMOTIONAL (got "MARKETING")',
          '$.JourneyResponse.Activities.Ping.Webhook — unknown key "Webhook" (known: CUSTOM, ConditionalSplit, Description, EMAIL, Holdout, MultiCondition, PUSH, RandomSplit, SMS, Wait, ContactCenter)',
          '$.JourneyResponse.Activities.Later.Wait.WaitTime.WaitFor — expected an ISO-8601 duration like PT1H or P7D (got "one hour")',
          "$.JourneyResponse.Limits.DailyCap — expected at most 100 (got 250)",
          '$.JourneyResponse.QuietTime.Start — expected 24-hour HH:MM like 09:00 or 21:30 (got "9pm")',
          '$.JourneyResponse.StartCondition.EventStartCondition.EventFilter.Dimensions.Attributes.plan.AttributeType — expected one of INCLUSIVE, EXCLUSIVE, CONTAINS, BEFORE, AFTER, ON, BETWEEN (got "INCLUDE")',
          '$.JourneyResponse.State — expected one of ACTIVE, CANCELLED, CLOSED, COMPLETED, DRAFT, PAUSED (got "LIVE")',
        ],
      },
    ]);
  });

  it("checks the graph: dangling ids, one type per activity, engagement on a message, well-formed ids", () => {
    expect(check("invalid/broken-graph.json")[0]!.errors).toEqual([
      '$.Activities.Hello.EMAIL.NextActivity — "Nowhere" names no activity of this journey (activities: Hello, Both, Check, Later, bad-id)',
      "$.Activities.Both — an activity has one type; this one sets EMAIL and SMS",
      "$.Activities.Check.ConditionalSplit.EvaluationWaitTime — set WaitFor or WaitUntil, not both",
      "$.Activities.Check.ConditionalSplit.Condition.Conditions[0].EventCondition.MessageActivity — Later is not a message activity (EMAIL, SMS, PUSH or CUSTOM): it has no message to engage with",
      '$.Activities["bad-id"] — an activity id is alphanumeric, at most 100 characters (A-Z, a-z, 0-9)',
      '$.StartActivity — "Missing" names no activity of this journey (activities: Hello, Both, Check, Later, bad-id)',
    ]);
  });

  it("refuses a loop", () => {
    expect(check("invalid/loop.json")[0]!.errors).toEqual([
      "$.Activities.Ask — the activities loop: Ask → Wait → Ask (a Pinpoint journey never returns to an activity)",
    ]);
  });

  it("refuses the invented journey JSON found online", () => {
    const [result] = check("invalid/invented.json");
    expect(result!.errors[0]).toBe("$.Name — required (a string)");
    expect(result!.errors[1]).toMatch(/^\$\.journey — unknown key "journey" \(known: Activities, /);
  });

  it("accepts drafts and says what each one lacks", () => {
    expect(check("draft")).toEqual([
      {
        file: "half-built.json",
        ok: true,
        errors: [],
        drafts: [
          "$.JourneyResponse.Activities.Pause.Wait.WaitTime — draft: the wait has no WaitFor or WaitUntil yet",
          "$.JourneyResponse.Activities.Hello.EMAIL.TemplateName — draft: no message template chosen yet",
          "$.JourneyResponse.Activities.Decide.ConditionalSplit.Condition — draft: the split has no condition yet",
          "$.JourneyResponse.Activities.Pick.RandomSplit.Branches[0].Percentage — draft: the branch has no percentage yet",
          "$.JourneyResponse.Activities.Later — draft: the activity has no type yet",
          "$.JourneyResponse.Activities.Orphan — draft: no path from the start activity Pause leads here: not imported",
        ],
      },
      {
        file: "just-a-name.json",
        ok: true,
        errors: [],
        drafts: [
          "$.Activities — draft: the journey has no activities yet",
          "$.StartCondition — draft: no start condition yet (no event, no segment)",
        ],
      },
    ]);
  });

  it("starts a draft without StartActivity at the one activity nothing leads to", () => {
    const result = validateJourney(
      {
        Name: "NoStart",
        Activities: {
          Second: { Wait: { WaitTime: { WaitFor: "PT1H" } } },
          First: { EMAIL: { TemplateName: "Hi", NextActivity: "Second" } },
        },
      },
      "WriteJourneyRequest",
      "$",
    );
    expect(result.ok && result.value.start).toBe("First");
    expect(result.ok && result.value.drafts[0]).toEqual({
      path: "$.StartActivity",
      message:
        "draft: no StartActivity; First is the only activity nothing leads to, so the journey starts there",
    });
  });

  it("refuses an engagement condition on a message that comes after the split", () => {
    const result = validateJourney(
      {
        Name: "Backwards",
        StartActivity: "Split",
        Activities: {
          Split: {
            ConditionalSplit: {
              Condition: {
                Conditions: [
                  {
                    EventCondition: {
                      MessageActivity: "Mail",
                      Dimensions: { EventType: { DimensionType: "INCLUSIVE", Values: ["EMAIL_OPEN"] } },
                    },
                  },
                ],
              },
              TrueActivity: "Mail",
            },
          },
          Mail: { EMAIL: { TemplateName: "Hi" } },
        },
      },
      "WriteJourneyRequest",
      "$",
    );
    expect(result.ok ? [] : result.errors.map((e) => e.message)).toEqual([
      "Mail does not come before this split: no participant reaching the split has received it",
    ]);
  });
});

describe("what a file may hold", () => {
  it("reads get-journey output, list-journeys output, create requests and bare journeys", () => {
    const journey = { Name: "A", ApplicationId: "app", Id: "j-1" };
    const dir = tempFiles(
      {
        "get.json": JSON.stringify({ JourneyResponse: journey }),
        "list.json": JSON.stringify({ JourneysResponse: { Item: [journey, { ...journey, Id: "j-2" }] } }),
        "create.json": JSON.stringify({ ApplicationId: "app", WriteJourneyRequest: { Name: "B" } }),
        "bare.json": JSON.stringify({ Name: "C" }),
        "notes.txt": "not a journey",
      },
      { catalog: false },
    );
    const { inputs, problems } = readJourneyInputs(dir, "/");
    expect(problems).toEqual([]);
    expect(inputs.map((i) => [path.basename(i.file), i.shape, i.root])).toEqual([
      ["bare.json", "WriteJourneyRequest", "$"],
      ["create.json", "WriteJourneyRequest", "$.WriteJourneyRequest"],
      ["get.json", "JourneyResponse", "$.JourneyResponse"],
      ["list.json", "JourneyResponse", "$.JourneysResponse.Item[0]"],
      ["list.json", "JourneyResponse", "$.JourneysResponse.Item[1]"],
    ]);
  });

  it("names the file that is not JSON or wraps a journey in something else", () => {
    const dir = tempFiles(
      {
        "broken.json": "{ not json",
        "wrapped.json": JSON.stringify({ JourneyResponse: {}, ResponseMetadata: {} }),
      },
      { catalog: false },
    );
    writeFileSync(path.join(dir, "list.json"), JSON.stringify([{ Name: "x" }]));
    const { problems } = readJourneyInputs(dir, "/");
    expect(problems.map((p) => `${path.basename(p.file)} ${p.path} — ${p.message}`)).toEqual([
      expect.stringMatching(/^broken\.json \$ — not JSON: /),
      "list.json $ — expected a Pinpoint journey (a JSON object)",
      'wrapped.json $.ResponseMetadata — unexpected key "ResponseMetadata": get-journey output holds JourneyResponse only',
    ]);
  });
});
