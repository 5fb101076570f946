/**
 * `waymark simulate`: the command-line edge of the simulator — arguments, the events file, output.
 * The simulation itself is the pure `simulate` in simulate.ts.
 */
import { parseCommandArgs, parseIsoTime } from "./args.ts";
import { formatTimeline } from "./format-timeline.ts";
import { CliError, type CliIo, EXIT, InputProblems, useColor } from "./io.ts";
import { loadCatalog } from "./load-catalog.ts";
import { readAudienceFile } from "./read-audience.ts";
import { readEventFile, validateEvents } from "./read-events.ts";
import { type ScriptedEvent, SimulationError, simulate } from "./simulate.ts";
import { shortTime } from "./time.ts";

const COMMAND = "waymark simulate";

/** After the last event, timers fire this long by default: the reference journeys end well within it. */
const DEFAULT_RUN_ON_MS = 90 * 86_400_000;

const FILE_HINT = "pass the path of a JSON Lines file with one EventBridge event per line";

export const help = `Usage: waymark simulate <journey> --events <file.jsonl> [--catalog <file>]
                        [--start <time>] [--until <time>] [--json]

Dry-runs one journey over a scripted timeline on a virtual clock, with the same pure engine and
guardrails that run in Lambda, and prints what would happen: every event, timer, message (with its
text and why), escalation and completion. No AWS, no network, no database; the same input always
gives the same output.

Arguments:
  <journey>              the journey to run, e.g. post-purchase; only its versions take part

Options:
  --events <file>        the timeline: a .jsonl file, one EventBridge event per line, like
                           {"detail-type": "OrderDelivered", "time": "2026-03-04T05:00:00Z",
                            "detail": {"customerId": "cust-kr-1", "orderId": "kr-100"}}
                         "id" defaults to sim-<line>, "source" to "simulation", and "time" to the
                         previous line's time (or --start). Blank lines and // comments are skipped.
                         A .json file with one event or an array also works.
  --catalog <file>       the catalog module (default: the nearest waymark.config.ts, here or above)
  --start <time>         when the virtual clock starts (default: the first event's time)
  --until <time>         after the last event, fire timers due up to this time
                         (default: 90 days after the last event)
  --json                 print the timeline as a JSON array of entries, for CI
  -h, --help             show this help

An AudienceEntryRequested event enters every customer on its list (a local CSV or JSON Lines file, its
path relative to the working directory), as the fan-out would.

Times are ISO-8601 with a zone: 2026-03-04T05:00:00Z or 2026-03-04T14:00:00+09:00.
Events run in time order (file order for equal times); timers due by an event's time fire first, each
at its due time. Phone numbers and email addresses are masked in the output.

Exit status: 0 simulated; 1 invalid events (every problem is printed as "line N: ...", nothing runs)
or a journey error; 2 usage error (unknown journey, missing file, bad option).

Example:
  waymark simulate post-purchase --events test/unit/cli/fixtures/post-purchase-seoul.jsonl
`;

export async function run(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(COMMAND, {
    args: [...args],
    allowPositionals: true,
    strict: true,
    options: {
      events: { type: "string" },
      start: { type: "string" },
      until: { type: "string" },
      json: { type: "boolean" },
      catalog: { type: "string" },
    },
  });
  const { catalog } = await loadCatalog(values.catalog, io.cwd);
  const available = [...new Set(catalog.journeys.map((j) => j.id))].sort();
  const [journeyId, ...extra] = positionals;
  if (journeyId === undefined) {
    throw new CliError(
      `which journey? name one: ${available.join(", ")}\n` +
        `  e.g. ${COMMAND} ${available[0] ?? "<journey>"} --events timeline.jsonl`,
    );
  }
  if (extra.length > 0) {
    throw new CliError(`unexpected argument ${extra[0]} — one journey per run (${COMMAND} --help)`);
  }
  const versions = catalog.journeys.filter((j) => j.id === journeyId);
  // The newest version names the journey in messages; the catalog below keeps every version.
  const journey = [...versions].sort((a, b) => b.version - a.version)[0];
  if (journey === undefined) {
    throw new CliError(`unknown journey ${JSON.stringify(journeyId)} — available: ${available.join(", ")}`);
  }
  if (values.events === undefined) {
    throw new CliError(`--events <file.jsonl> is required — ${FILE_HINT}`);
  }
  const start = values.start === undefined ? undefined : parseIsoTime("--start", values.start);
  const until = values.until === undefined ? undefined : parseIsoTime("--until", values.until);

  const file = await readEventFile(values.events, io.cwd, FILE_HINT);
  const { events, problems } = validateEvents(file.records, {
    catalog,
    source: "simulation",
    id: (position) => `sim-${position}`,
    time: { mode: "inherit", ...(start !== undefined ? { start } : {}) },
  });
  if (problems.length > 0) {
    throw new InputProblems(
      problems,
      `${problems.length} of ${file.records.length} events in ${file.path} ` +
        `${problems.length === 1 ? "is" : "are"} invalid; nothing was simulated. Fix:`,
    );
  }

  const scripted: ScriptedEvent[] = events.map((e) => ({ input: e.label, time: e.time, event: e.event }));
  // Loops rather than Math.max(...times): a long script would overflow the argument list.
  let first = Number.POSITIVE_INFINITY;
  let lastEvent = scripted[0]!;
  for (const event of scripted) {
    const time = Date.parse(event.time);
    first = Math.min(first, time);
    if (time > Date.parse(lastEvent.time)) lastEvent = event;
  }
  const last = Date.parse(lastEvent.time);
  if (until !== undefined && Date.parse(until) < last) {
    throw new CliError(
      `--until ${shortTime(until)} is before the last event (${lastEvent.input} at ` +
        `${shortTime(lastEvent.time)}) — ` +
        "pass a later time, or leave --until out to run 90 days past the last event",
    );
  }

  let result: ReturnType<typeof simulate>;
  try {
    result = simulate({
      journey,
      catalog: catalog.withJourneys((j) => j.id === journeyId),
      events: scripted,
      start: start ?? new Date(first).toISOString(),
      until: until ?? new Date(last + DEFAULT_RUN_ON_MS).toISOString(),
      audience: (list) => readAudienceFile(list, io.cwd),
    });
  } catch (error) {
    if (error instanceof SimulationError) throw new CliError(error.message, EXIT.failed);
    throw error;
  }
  io.stdout.write(
    values.json
      ? `${JSON.stringify(result.entries, null, 2)}\n`
      : formatTimeline(result, { color: useColor(io) }),
  );
  return EXIT.ok;
}
