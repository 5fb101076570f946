/**
 * A temp project holding what `waymark import pinpoint` wrote for a fixture, with a catalog that includes it,
 * and `waymark simulate` on a timeline there: the loop a team runs on an imported journey.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";
import type { MessageEntry, TimelineEntry } from "../../../cli/simulate.ts";
import { type CliRun, jsonl, REPO_ROOT, runCli, tempFiles } from "./run-cli.ts";

/** What generated modules import Waymark from here: the repository's own entry point (no build needed). */
export const WAYMARK_API = fileURLToPath(new URL("../../../api/index.ts", import.meta.url));

export interface ImportedProject {
  dir: string;
  run: CliRun;
  /** Writes the project's catalog module: `body` is the argument of defineCatalog, over `imports`. */
  catalog(imports: string, body: string): void;
  simulate(journey: string, events: unknown[], extra?: Record<string, string>): Promise<TimelineEntry[]>;
}

/** Imports `fixture` (a path under test/fixtures/pinpoint) into a fresh project; the CLI runs from the repository. */
export async function importFixture(fixture: string, args: string[] = []): Promise<ImportedProject> {
  const dir = tempFiles({}, { catalog: false });
  const run = await runCli(
    [
      "import",
      "pinpoint",
      `test/fixtures/pinpoint/${fixture}`,
      "--out",
      dir,
      "--waymark",
      WAYMARK_API,
      ...args,
    ],
    { cwd: REPO_ROOT },
  );
  return {
    dir,
    run,
    catalog: (imports, body) =>
      writeFileSync(
        path.join(dir, "waymark.config.ts"),
        `import { defineCatalog } from ${JSON.stringify(WAYMARK_API)};\n${imports}\n\nexport default defineCatalog(${body});\n`,
      ),
    simulate: async (journey, events, extra = {}) => {
      for (const [name, content] of Object.entries({ "timeline.jsonl": jsonl(...events), ...extra }))
        writeFileSync(path.join(dir, name), content);
      const sim = await runCli(["simulate", journey, "--events", "timeline.jsonl", "--json"], { cwd: dir });
      expect(sim.stderr).toBe("");
      expect(sim.code).toBe(0);
      return JSON.parse(sim.stdout) as TimelineEntry[];
    },
  };
}

/** Korean advertising law's settings, which a catalog writing ko-KR marketing must have. */
export const ADVERTISING = `advertising: { senderName: "웨이마크", koreanOptOutNumber: "080-500-4321" }`;

export const messagesOf = (entries: TimelineEntry[]) =>
  entries.filter((e): e is MessageEntry => e.kind === "message");

/** A message as the tests compare it: when, what, how, and what became of it. */
export const brief = (m: MessageEntry) =>
  [m.at, m.template, m.channel ?? "-", m.status, m.reason ?? m.deferredUntil ?? ""] as const;

export const event = (
  detailType: string,
  time: string,
  detail: Record<string, unknown>,
  source?: string,
) => ({
  "detail-type": detailType,
  time,
  ...(source ? { source } : {}),
  detail,
});

export const FEEDBACK = "waymark.feedback";
