import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assignmentUnit } from "../../functions/core/measurement/experiments.ts";
import type { JourneyMeasurements } from "../../functions/core/measurement/report.ts";
import { lift } from "../../functions/core/measurement/statistics.ts";
import { LocalRuntime } from "../../infra/local/runtime.ts";
import { phone } from "../support/events.ts";
import { LocalApi } from "../support/local-api.ts";
import { runCli } from "../unit/cli/run-cli.ts";

/**
 * The reference post-purchase journey, run for a population in the local runtime: its funnel, its NPS and its
 * holdout's lift through GET /analytics/journeys/post-purchase and `waymark report`, each number the one
 * the population implies.
 */
const CUSTOMERS = 240;
const ids = Array.from({ length: CUSTOMERS }, (_, n) => `m-${n}`);
const heldOut = (id: string) => assignmentUnit(id, "post-purchase", "post-purchase:holdout") < 0.1;
/** Scores 0–10 in turn; every third surveyed customer does not answer. */
const scoreOf = (n: number) => (n % 3 === 2 ? undefined : n % 11);
/** Repeat orders (the goal): one treated customer in four, one held-out customer in ten, on day 16. */
const converts = (id: string, n: number) => (heldOut(id) ? n % 10 === 0 : n % 4 === 0);

let dataDir: string;
let runtime: LocalRuntime;
let api: LocalApi;
let measured: JourneyMeasurements;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "waymark-measure-"));
  runtime = await LocalRuntime.start({ port: 0, tickMs: 0, dataDir });
  api = new LocalApi(runtime.url);
  await api.post("/clock", { set: "2026-05-01T12:00:00Z" });
  const put = async (entries: Parameters<LocalApi["put"]>) => {
    for (let i = 0; i < entries.length; i += 10)
      expect((await api.put(...entries.slice(i, i + 10))).FailedEntryCount).toBe(0);
  };
  await put(
    ids.flatMap((customerId, n) => [
      {
        detailType: "CustomerProfileUpdated",
        detail: {
          customerId,
          name: "Pat",
          locale: "en-US",
          timeZone: "America/New_York",
          phone: `+1212555${String(n).padStart(4, "0")}`,
          preferredChannel: "sms",
          consent: { marketingSms: true },
        },
      },
      {
        detailType: "OrderPlaced",
        detail: { customerId, orderId: `o-${n}`, items: [phone], currency: "USD" },
      },
      { detailType: "OrderDelivered", detail: { customerId, orderId: `o-${n}` } },
    ]),
  );
  // Day 15: the tips (day 2) and the survey (day 14) have gone, to all but the held out.
  await api.post("/clock", { advance: "P15D" });
  await put(
    ids.flatMap((customerId, n) => {
      const score = scoreOf(n);
      return heldOut(customerId) || score === undefined
        ? []
        : [
            {
              detailType: "SurveyResponded",
              source: "surveys.nps",
              detail: { customerId, surveyId: "unknown", score },
            },
          ];
    }),
  );
  await api.post("/clock", { advance: "P1D" });
  await put(
    ids.flatMap((customerId, n) =>
      converts(customerId, n)
        ? [
            {
              detailType: "OrderPlaced",
              detail: { customerId, orderId: `again-${n}`, items: [phone], currency: "USD" },
            },
          ]
        : [],
    ),
  );
  await api.post("/clock", { advance: "P30D" });
  measured = (await api.get<JourneyMeasurements>("/analytics/journeys/post-purchase")).body;
}, 600_000);

afterAll(async () => {
  await runtime?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("the reference post-purchase journey, measured in the local runtime (issue 11)", () => {
  const held = ids.filter(heldOut);
  const surveyed = ids.filter((id) => !heldOut(id));
  const answered = ids.filter((id, n) => !heldOut(id) && scoreOf(n) !== undefined);

  it("counts the funnel: everyone entered; the held out ran it too, with every message suppressed", () => {
    expect(held.length).toBeGreaterThan(10);
    const [version] = measured.versions;
    expect(version).toMatchObject({ version: 1, entered: CUSTOMERS, completed: CUSTOMERS });
    const reached = Object.fromEntries(version!.steps.map((s) => [s.node, s.reached]));
    expect(reached).toMatchObject({
      "wait-for-tips": CUSTOMERS,
      "send-tips": CUSTOMERS,
      "wait-for-survey": CUSTOMERS,
      "send-survey": CUSTOMERS,
      "await-answer": CUSTOMERS,
      score: answered.length,
    });
    expect(version!.steps[0]!.node).toBe("wait-for-tips");
    expect(version!.steps.every((s) => s.waiting === 0)).toBe(true);
  });

  it("NPS from exactly the answers given, scores as sent", () => {
    const distribution = Array.from({ length: 11 }, () => 0);
    ids.forEach((id, n) => {
      const score = scoreOf(n);
      if (!heldOut(id) && score !== undefined) distribution[score]!++;
    });
    expect(measured.versions[0]!.nps).toMatchObject({ responses: answered.length, distribution });
    expect(surveyed.length).toBeGreaterThan(answered.length);
  });

  it("the goal and the holdout's lift, from the repeat orders of each arm", () => {
    const version = measured.versions[0]!;
    const conversions = { holdout: 0, treatment: 0 };
    ids.forEach((id, n) => {
      if (converts(id, n)) conversions[heldOut(id) ? "holdout" : "treatment"]++;
    });
    expect(version.goals).toEqual([
      expect.objectContaining({ name: "OrderPlaced", reached: conversions.holdout + conversions.treatment }),
    ]);
    const [holdout] = version.experiments;
    expect(holdout!.name).toBe("post-purchase:holdout");
    expect(holdout!.control).toBe("holdout");
    const treatment = holdout!.variants.find((v) => v.name === "treatment")!;
    expect(holdout!.variants.find((v) => v.name === "holdout")).toMatchObject({
      entrants: held.length,
      conversions: conversions.holdout,
    });
    expect(treatment).toMatchObject({ entrants: surveyed.length, conversions: conversions.treatment });
    const expected = lift(conversions.treatment, surveyed.length, conversions.holdout, held.length);
    expect(treatment.lift!.absolute.low).toBeCloseTo(expected.absolute.low, 12);
    expect(treatment.lift!.absolute.high).toBeCloseTo(expected.absolute.high, 12);
  });

  it("waymark report prints the same numbers as tables, from the runtime and offline from --data", async () => {
    const online = await runCli(["report", "post-purchase", "--endpoint", runtime.url]);
    expect(online.stderr).toBe("");
    expect(online.code).toBe(0);
    expect(online.stdout).toContain(`Version 1: ${CUSTOMERS} entered, ${CUSTOMERS} completed`);
    expect(online.stdout).toMatch(/\nsend-survey +240 +100\.0% +0\n/);
    expect(online.stdout).toContain(`NPS `);
    expect(online.stdout).toContain(`from ${answered.length} responses`);
    expect(online.stdout).toContain("Experiment post-purchase:holdout (control: holdout)");
    expect(online.stdout).toContain("Newcombe's hybrid score interval (Wilson)");
    const json = await runCli(["report", "post-purchase", "--endpoint", runtime.url, "--json"]);
    expect(JSON.parse(json.stdout)).toEqual(measured);
    const offline = await runCli(["report", "post-purchase", "--data", dataDir, "--json"], {
      cwd: join(import.meta.dirname, "../.."),
    });
    expect(offline.stderr).toBe("");
    expect(JSON.parse(offline.stdout)).toEqual(measured);
    const unknown = await runCli(["report", "nope", "--endpoint", runtime.url]);
    expect(unknown).toMatchObject({
      code: 2,
      stderr: expect.stringContaining("the catalog has no journey nope"),
    });
  });
});
