/**
 * Reads a file of EventBridge events (JSON Lines, or JSON holding one event or an array) and validates
 * every event with the same parser the ingest function uses, so what the CLI accepts is exactly what
 * Waymark accepts. Problems are collected for the whole file and named by line (or position), so a
 * file is fixed in one pass rather than one error at a time.
 */
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import path from "node:path";
import { createInterface } from "node:readline";
import { type EventLookup, parseInboundEvent } from "../events/parse.ts";
import type { CatalogEvent } from "../functions/core/catalog/catalog.ts";
import { CliError, EXIT } from "./io.ts";
import { isIsoTime, shortTime } from "./time.ts";

export type EventFileFormat = "jsonl" | "json";

/** One event as written in the file, before validation. */
export interface RawEventRecord {
  /** Line number (JSON Lines) or 1-based position in the file's array (JSON). */
  position: number;
  /** How messages name the record: `line 3` (JSON Lines) or `event 2` (JSON). */
  label: string;
  /** The parsed JSON value; `undefined` when `syntaxError` is set. */
  value: unknown;
  syntaxError?: string;
}

export interface EventFile {
  /** The path as the user gave it, for messages. */
  path: string;
  format: EventFileFormat;
  records: RawEventRecord[];
}

/** Example line shown when a file has no events, so the fix is one copy away. */
export const EXAMPLE_EVENT_LINE =
  '{"detail-type": "OrderDelivered", "time": "2026-03-04T05:00:00Z", ' +
  '"detail": {"customerId": "cust-kr-1", "orderId": "kr-100"}}';

/**
 * Reads `file` (relative to `cwd`). A `.jsonl` / `.ndjson` file holds one event per line, where blank
 * lines and lines starting with `//` are skipped (so scripted timelines can be annotated); a `.json`
 * file holds one event or an array of events. `hint` tells the user what to pass instead when the
 * file cannot be used at all.
 */
export async function readEventFile(file: string, cwd: string, hint: string): Promise<EventFile> {
  const absolute = path.resolve(cwd, file);
  await assertReadableFile(file, absolute, hint);
  const format = formatOf(file, hint);
  let records: RawEventRecord[];
  try {
    records = format === "jsonl" ? await readJsonLines(absolute) : await readJsonDocument(file, absolute);
  } catch (error) {
    if (error instanceof CliError) throw error;
    // stat succeeded but reading did not (permissions, a file removed meanwhile): say which file.
    throw new CliError(`cannot read ${file}: ${(error as Error).message}`);
  }
  if (records.length === 0) {
    throw new CliError(
      `${file} has no events — ` +
        `${format === "jsonl" ? "add one EventBridge event per line" : "add an event"}, ` +
        `like\n  ${EXAMPLE_EVENT_LINE}`,
      EXIT.failed,
    );
  }
  return { path: file, format, records };
}

function formatOf(file: string, hint: string): EventFileFormat {
  const extension = path.extname(file).toLowerCase();
  if (extension === ".jsonl" || extension === ".ndjson") return "jsonl";
  if (extension === ".json") return "json";
  throw new CliError(
    `${file}: unknown file type — ${hint} (.jsonl: one event per line; .json: one event or an array)`,
  );
}

async function assertReadableFile(file: string, absolute: string, hint: string): Promise<void> {
  try {
    const info = await stat(absolute);
    if (info.isDirectory()) throw new CliError(`${file} is a directory — ${hint}`);
  } catch (error) {
    if (error instanceof CliError) throw error;
    if ((error as NodeJS.ErrnoException).code === "ENOENT")
      throw new CliError(`no such file: ${file} — ${hint}`);
    throw new CliError(`cannot read ${file}: ${(error as Error).message}`);
  }
}

async function readJsonLines(absolute: string): Promise<RawEventRecord[]> {
  const records: RawEventRecord[] = [];
  // readline splits on \n and \r\n alike, so files saved on Windows number their lines the same way.
  const lines = createInterface({ input: createReadStream(absolute, "utf8"), crlfDelay: Infinity });
  let position = 0;
  for await (const rawLine of lines) {
    position++;
    // A UTF-8 byte-order mark (some editors add one) is not part of the JSON.
    const line = (position === 1 ? rawLine.replace(/^\uFEFF/, "") : rawLine).trim();
    if (line === "" || line.startsWith("//")) continue;
    records.push(parseRecord(line, position, `line ${position}`));
  }
  return records;
}

async function readJsonDocument(file: string, absolute: string): Promise<RawEventRecord[]> {
  const chunks: string[] = [];
  for await (const chunk of createReadStream(absolute, "utf8")) chunks.push(chunk as string);
  const text = chunks.join("").replace(/^\uFEFF/, "");
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new CliError(
      `${file}: not valid JSON (${(error as Error).message}) — a .json file holds one event or an array ` +
        "of events; for one event per line name it .jsonl",
      EXIT.failed,
    );
  }
  const values = Array.isArray(value) ? value : [value];
  return values.map((item, index) => ({ position: index + 1, label: `event ${index + 1}`, value: item }));
}

function parseRecord(line: string, position: number, label: string): RawEventRecord {
  try {
    return { position, label, value: JSON.parse(line) };
  } catch (error) {
    return { position, label, value: undefined, syntaxError: (error as Error).message };
  }
}

/** An event that passed validation, with the envelope defaults it was given. */
export interface ValidEvent {
  position: number;
  label: string;
  /** The object as written in the file (the detail unparsed, unknown fields kept). */
  raw: Record<string, unknown>;
  /** Envelope time: as written, inherited, or (send, when absent) a placeholder. */
  time: string;
  /** Whether the file gave the time; `send` leaves absent times for the bus to stamp. */
  timeGiven: boolean;
  event: CatalogEvent;
}

/** How an event that leaves out envelope fields is completed before validation. */
export interface EnvelopeDefaults {
  /** The events a record may be (a catalog). */
  catalog: EventLookup;
  /** `source` for an event without one. */
  source: string;
  /** Envelope `id` for an event without one; a function of the position keeps runs reproducible. */
  id: (position: number) => string;
  /**
   * `inherit`: an event without `time` takes the previous event's (in file order), else `start`, else
   * it is a problem; no event may come before `start`. `stamp`: the bus stamps it on arrival, and
   * `placeholder` only stands in for validation.
   */
  time: { mode: "inherit"; start?: string } | { mode: "stamp"; placeholder: string };
}

export interface ValidationOutcome {
  events: ValidEvent[];
  /** One line per invalid record: `line 4: detail.customerId: required`. */
  problems: string[];
}

/** Completes each record's envelope with `defaults` and validates it with `parseInboundEvent`. */
export function validateEvents(
  records: readonly RawEventRecord[],
  defaults: EnvelopeDefaults,
): ValidationOutcome {
  const events: ValidEvent[] = [];
  const problems: string[] = [];
  let previousTime = defaults.time.mode === "inherit" ? defaults.time.start : undefined;
  for (const record of records) {
    if (record.syntaxError !== undefined) {
      problems.push(`${record.label}: not valid JSON (${record.syntaxError})`);
      continue;
    }
    const raw = record.value;
    if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
      const parsed = parseInboundEvent(raw, defaults.catalog);
      problems.push(`${record.label}: ${parsed.ok ? "expected an event object" : parsed.summary}`);
      continue;
    }
    const given = raw as Record<string, unknown>;
    const timeGiven = given.time !== undefined;
    let time: unknown = given.time;
    if (!timeGiven) {
      if (defaults.time.mode === "stamp") time = defaults.time.placeholder;
      else if (previousTime !== undefined) time = previousTime;
      else {
        problems.push(
          `${record.label}: time: required — the first event needs a "time" (ISO-8601, like ` +
            '"2026-03-04T05:00:00Z"), or pass --start; later events without one take the previous time' +
            putEventsHint(given),
        );
        continue;
      }
    } else if (isIsoTime(time)) previousTime = time;

    const envelope = {
      ...given,
      id: given.id ?? defaults.id(record.position),
      source: given.source ?? defaults.source,
      time,
    };
    const parsed = parseInboundEvent(envelope, defaults.catalog);
    if (!parsed.ok) {
      problems.push(`${record.label}: ${parsed.summary}${putEventsHint(given)}`);
      continue;
    }
    const start = defaults.time.mode === "inherit" ? defaults.time.start : undefined;
    if (start !== undefined && Date.parse(time as string) < Date.parse(start)) {
      problems.push(`${record.label}: time ${String(time)} is before --start ${shortTime(start)}`);
      continue;
    }
    events.push({
      position: record.position,
      label: record.label,
      raw: given,
      time: new Date(time as string).toISOString(),
      timeGiven,
      event: parsed.event,
    });
  }
  return { events, problems };
}

/** `aws events put-events` entries are a common thing to paste; say how to turn one into an event. */
function putEventsHint(raw: Record<string, unknown>): string {
  if (!("DetailType" in raw) && !("Detail" in raw)) return "";
  return (
    ' (this looks like a PutEvents entry: write "detail-type", "detail" as an object, ' +
    '"source" and "time")'
  );
}
