import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { jsonl, runCli, tempFiles } from "./run-cli.ts";

const AUDIENCE_SUPPORT = fileURLToPath(new URL("../../support/audience.ts", import.meta.url));

const project = (events: unknown[], list: string) =>
  tempFiles({
    "waymark.config.ts": `export { audienceCatalog as default } from ${JSON.stringify(AUDIENCE_SUPPORT)};\n`,
    "list.csv": list,
    "events.jsonl": jsonl(...events),
  });

const profile = (customerId: string) => ({
  "detail-type": "CustomerProfileUpdated",
  time: "2026-05-01T14:00:00Z",
  detail: { customerId, locale: "en-US", timeZone: "America/New_York", phone: "+12125550123" },
});
const audience = {
  "detail-type": "AudienceEntryRequested",
  time: "2026-05-01T15:00:00Z",
  detail: { audienceId: "may", journeyId: "list-offer", source: "list.csv", format: "csv" },
};

describe("waymark simulate with an audience entry", () => {
  it("enters every customer on the list, as the fan-out would", async () => {
    const cwd = project([profile("c-1"), profile("c-2"), audience], "customerId\nc-1\nc-2\nc-3\n");
    const run = await runCli(["simulate", "list-offer", "--events", "events.jsonl", "--json"], { cwd });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const entries = JSON.parse(run.stdout) as {
      kind: string;
      customerId?: string;
      status?: string;
      reason?: string;
    }[];
    expect(
      entries.filter((e) => e.kind === "message").map((e) => [e.customerId, e.status, e.reason]),
    ).toEqual([
      ["c-1", "sent", undefined],
      ["c-2", "sent", undefined],
      // On the list, but Waymark has no contact point for them.
      ["c-3", "suppressed", "no-contact"],
    ]);
  });

  it("fails with the list's problem rather than simulating without it", async () => {
    const cwd = project([audience], "name\nJiwoo\n");
    const run = await runCli(["simulate", "list-offer", "--events", "events.jsonl"], { cwd });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('audience list list.csv: no column "customerId" in its header');
  });
});
