import path from "node:path";
import { describe, expect, it } from "vitest";
import { CliError, EXIT } from "../../../cli/io.ts";
import { type EnvelopeDefaults, readEventFile, validateEvents } from "../../../cli/read-events.ts";
import { referenceCatalog } from "../../../journeys/registry.ts";
import { jsonl, tempFiles } from "./run-cli.ts";

const HINT = "pass a file";
const simulation: EnvelopeDefaults = {
  catalog: referenceCatalog,
  source: "simulation",
  id: (position) => `sim-${position}`,
  time: { mode: "inherit" },
};
const delivered = (extra: Record<string, unknown> = {}) => ({
  "detail-type": "OrderDelivered",
  detail: { customerId: "c", orderId: "o" },
  ...extra,
});

async function rejection(promise: Promise<unknown>): Promise<CliError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CliError);
  return error as CliError;
}

describe("readEventFile", () => {
  it("numbers JSON Lines by file line, skipping blanks and // comments, CRLF and BOM alike", async () => {
    const line = JSON.stringify(delivered({ time: "2026-03-01T00:00:00Z" }));
    const dir = tempFiles({ "t.jsonl": `\uFEFF// header\r\n\r\n${line}\r\n   \r\n  // note\r\n${line}\r\n` });
    const file = await readEventFile("t.jsonl", dir, HINT);
    expect(file.format).toBe("jsonl");
    expect(file.records.map((r) => r.label)).toEqual(["line 3", "line 6"]);
    expect(validateEvents(file.records, simulation).problems).toEqual([]);
  });

  it("reads a .json file holding one event", async () => {
    const dir = tempFiles({ "one.json": JSON.stringify(delivered()) });
    const file = await readEventFile("one.json", dir, HINT);
    expect(file.records).toEqual([{ position: 1, label: "event 1", value: delivered() }]);
  });

  it("resolves the path against the working directory", async () => {
    const dir = tempFiles({ "t.ndjson": jsonl(delivered()) });
    const file = await readEventFile(`${path.basename(dir)}/t.ndjson`, path.dirname(dir), HINT);
    expect(file.records).toHaveLength(1);
  });

  it("fails with exit 1 for a .json file that is not JSON, and for a file without events", async () => {
    const dir = tempFiles({ "bad.json": "{", "empty.jsonl": "// nothing yet\n\n" });
    const bad = await rejection(readEventFile("bad.json", dir, HINT));
    expect(bad.exitCode).toBe(EXIT.failed);
    expect(bad.message).toMatch(
      /^bad\.json: not valid JSON \(.+\) — a \.json file holds one event or an array/,
    );
    const empty = await rejection(readEventFile("empty.jsonl", dir, HINT));
    expect(empty.exitCode).toBe(EXIT.failed);
    expect(empty.message).toContain("empty.jsonl has no events — add one EventBridge event per line, like\n");
  });

  it("fails with exit 2 for a missing file, a directory or an unknown extension", async () => {
    const dir = tempFiles({ "notes.txt": "" });
    const cases: [string, string][] = [
      ["missing.jsonl", "no such file: missing.jsonl — pass a file"],
      [".", ". is a directory — pass a file"],
      ["notes.txt", "notes.txt: unknown file type — pass a file"],
    ];
    for (const [name, message] of cases) {
      const error = await rejection(readEventFile(name, dir, HINT));
      expect(error.exitCode).toBe(EXIT.usage);
      expect(error.message).toContain(message);
    }
  });
});

describe("validateEvents", () => {
  const records = (...values: unknown[]) =>
    values.map((value, index) => ({ position: index + 1, label: `line ${index + 1}`, value }));

  it("fills id, source and time, and keeps the event as written", () => {
    const { events, problems } = validateEvents(
      records(delivered({ time: "2026-03-01T09:00:00+09:00" }), delivered({ id: "mine", source: "shop" })),
      simulation,
    );
    expect(problems).toEqual([]);
    expect(events.map((e) => [e.time, e.timeGiven, e.event.eventId, e.event.source])).toEqual([
      ["2026-03-01T00:00:00.000Z", true, "sim-1", "simulation"],
      ["2026-03-01T00:00:00.000Z", false, "mine", "shop"],
    ]);
    expect(events[1]!.raw).toEqual(delivered({ id: "mine", source: "shop" }));
  });

  it("in stamp mode validates an event without time but remembers it had none", () => {
    const { events } = validateEvents(records(delivered()), {
      catalog: referenceCatalog,
      source: "waymark.cli",
      id: () => "x",
      time: { mode: "stamp", placeholder: "2026-01-01T00:00:00Z" },
    });
    expect(events[0]).toMatchObject({ timeGiven: false });
  });

  it("points at PutEvents-shaped entries", () => {
    const { problems } = validateEvents(
      records({ Source: "shop", DetailType: "OrderDelivered", Detail: "{}" }),
      simulation,
    );
    expect(problems[0]).toContain("(this looks like a PutEvents entry");
  });
});
