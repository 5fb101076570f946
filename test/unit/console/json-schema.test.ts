/**
 * The page checks events against their JSON Schema before putting them; ingest checks them with the zod schema
 * the JSON Schema is generated from. Over every inbound event of the reference catalog, the two must agree on
 * the samples and on broken copies of them.
 */
import { describe, expect, it } from "vitest";
import { validate } from "../../../console/json-schema.ts";
import { catalogView } from "../../../infra/local/console/catalog-view.ts";
import { referenceCatalog } from "../../../journeys/registry.ts";

const views = catalogView(referenceCatalog).events.filter((event) => event.direction === "inbound");

/** Ways to break a valid detail: a required field gone, a wrong type, an empty string, a number out of range. */
function breakages(
  detail: Record<string, unknown>,
  schema: Record<string, unknown>,
): Record<string, unknown>[] {
  const broken: Record<string, unknown>[] = [];
  for (const name of (schema.required ?? []) as string[]) {
    const { [name]: _, ...rest } = detail;
    broken.push(rest);
  }
  for (const [name, value] of Object.entries(detail)) {
    if (typeof value === "string") broken.push({ ...detail, [name]: 12 }, { ...detail, [name]: "" });
    if (typeof value === "number")
      broken.push({ ...detail, [name]: "7" }, { ...detail, [name]: 1e12 }, { ...detail, [name]: -1e12 });
    if (Array.isArray(value)) broken.push({ ...detail, [name]: [] }, { ...detail, [name]: "x" });
  }
  return broken;
}

describe("the page's JSON Schema check", () => {
  it("accepts every sample of every inbound event", () => {
    for (const event of views) {
      for (const sample of event.samples)
        expect(validate(sample, event.schema), event.detailType).toEqual([]);
    }
  });

  it("agrees with ingest's zod schema on broken samples, but for checks JSON Schema cannot state", () => {
    let compared = 0;
    const onlyIngestRefuses = new Set<string>();
    for (const event of views) {
      const zod = referenceCatalog.event(event.detailType)!.detail;
      for (const sample of event.samples) {
        for (const broken of breakages(sample as Record<string, unknown>, event.schema)) {
          const page = validate(broken, event.schema).length === 0;
          const ingest = zod.safeParse(broken).success;
          // The page must never refuse what ingest takes.
          if (!page) expect(ingest, `${event.detailType} ${JSON.stringify(broken)}`).toBe(false);
          if (page && !ingest) {
            const issue = zod.safeParse(broken).error!.issues[0]!;
            onlyIngestRefuses.add(`${event.detailType}.${issue.path.join(".")}`);
          }
          compared++;
        }
      }
    }
    expect(compared).toBeGreaterThan(100);
    // A valid BCP-47 tag, an IANA zone and a link's protocol (http or https only) are zod refinements:
    // ingest catches those.
    expect([...onlyIngestRefuses].sort()).toEqual([
      "CustomerProfileUpdated.locale",
      "CustomerProfileUpdated.timeZone",
      "MessageClicked.link",
    ]);
  });

  it("says what is wrong, where, in ingest's words", () => {
    const survey = views.find((event) => event.detailType === "SurveyResponded")!;
    expect(validate({ customerId: "c", surveyId: "s", score: 42 }, survey.schema)).toEqual([
      { path: "detail.score", message: "must be at most 10" },
    ]);
    expect(validate({ surveyId: "s", score: "ten" }, survey.schema)).toEqual([
      { path: "detail.customerId", message: "required" },
      { path: "detail.score", message: "expected integer, got a string" },
    ]);
  });
});
