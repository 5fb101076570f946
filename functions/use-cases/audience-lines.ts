/**
 * Reading customer ids out of an audience list's lines: CSV (RFC 4180 fields, quoted or not, one record a
 * line) or JSON Lines. A line without a usable id (blank id, too long, malformed) is skipped and counted,
 * never guessed at.
 */
import type { AudienceList } from "../core/catalog/define-event.ts";

const NEWLINE = 0x0a;
const decoder = new TextDecoder("utf-8");

/** The fields of one CSV line; undefined when its quotes do not close. */
export function csvFields(line: string): string[] | undefined {
  const fields: string[] = [];
  let field = "";
  let quoted = false;
  let i = 0;
  while (i < line.length) {
    const char = line[i]!;
    if (quoted) {
      if (char === '"' && line[i + 1] === '"') {
        field += '"';
        i += 2;
        continue;
      }
      if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"' && field === "") quoted = true;
    else if (char === ",") {
      fields.push(field);
      field = "";
    } else field += char;
    i++;
  }
  if (quoted) return undefined;
  fields.push(field);
  return fields;
}

/** A customer id as Waymark takes them (1–128 characters), or undefined. */
function customerId(value: unknown): string | undefined {
  const id = typeof value === "number" && Number.isInteger(value) ? String(value) : value;
  if (typeof id !== "string") return undefined;
  const trimmed = id.trim();
  return trimmed.length >= 1 && trimmed.length <= 128 ? trimmed : undefined;
}

/** A field of a JSON object: the key as written, else a dotted path into nested objects (User.UserId). */
function fieldOf(record: unknown, field: string): unknown {
  if (typeof record !== "object" || record === null) return undefined;
  if (Object.hasOwn(record, field)) return (record as Record<string, unknown>)[field];
  let current: unknown = record;
  for (const part of field.split(".")) {
    if (typeof current !== "object" || current === null || !Object.hasOwn(current, part)) return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

/** How a list's lines give ids: for CSV, which column (from its header). */
export type LineReader = (line: string) => string | undefined;

export function jsonLineReader(list: AudienceList): LineReader {
  return (line) => {
    try {
      return customerId(fieldOf(JSON.parse(line), list.customerIdField));
    } catch {
      return undefined;
    }
  };
}

export function csvLineReader(column: number): LineReader {
  return (line) => customerId(csvFields(line)?.[column]);
}

export interface Lines {
  /** The text of each line read, without its line break (a CR before it is dropped too). */
  lines: string[];
  /** How many bytes those lines took, line breaks included: where the next read starts. */
  consumed: number;
}

/**
 * Up to `max` whole lines from a slice of the list. A line cut off at the end of the slice is left for the
 * next read, unless the slice ends the list (`last`).
 */
export function wholeLines(bytes: Uint8Array, max: number, last: boolean): Lines {
  const lines: string[] = [];
  let start = 0;
  while (lines.length < max && start < bytes.length) {
    let end = bytes.indexOf(NEWLINE, start);
    if (end === -1) {
      if (!last) break;
      end = bytes.length;
    }
    const text = decoder.decode(bytes.subarray(start, end));
    lines.push(text.endsWith("\r") ? text.slice(0, -1) : text);
    start = Math.min(end + 1, bytes.length);
  }
  return { lines, consumed: start };
}
