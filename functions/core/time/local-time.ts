/**
 * Wall-clock arithmetic in a customer's IANA time zone with nothing but Intl: Lambda's Node
 * runtime ships full ICU, so no time-zone database needs to be bundled.
 */

export interface LocalDateTime {
  year: number;
  month: number; // 1–12
  day: number;
  hour: number;
  minute: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The wall-clock time that `instant` shows in `timeZone`, read from Intl (the slow, exact way). */
function toLocalExact(instant: Date, timeZone: string): LocalDateTime & { second: number } {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(instant)) {
    if (part.type !== "literal") parts[part.type] = Number(part.value);
  }
  return {
    year: parts.year!,
    month: parts.month!,
    day: parts.day!,
    hour: parts.hour!,
    minute: parts.minute!,
    second: parts.second!,
  };
}

/** A zone's offset is constant within a quarter hour: every offset change since 1970 falls on one. */
const QUARTER_HOUR_MS = 900_000;
const offsets = new Map<string, number>();

function exactOffset(instant: number, timeZone: string): number {
  const l = toLocalExact(new Date(instant), timeZone);
  return Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute, l.second) - Math.floor(instant / 1000) * 1000;
}

/**
 * The zone's offset at `instant`, cached per quarter hour: Intl's formatToParts is the costliest call of a
 * transition, and the same few quarter hours recur. A quarter hour whose two ends disagree (a change inside
 * it, which no modern zone has) is never cached and always read exactly.
 */
function offsetAt(instant: number, timeZone: string): number {
  const bucket = Math.floor(instant / QUARTER_HOUR_MS);
  const key = `${timeZone}|${bucket}`;
  const cached = offsets.get(key);
  if (cached !== undefined) return cached;
  const start = exactOffset(bucket * QUARTER_HOUR_MS, timeZone);
  const end = exactOffset((bucket + 1) * QUARTER_HOUR_MS - 1000, timeZone);
  if (start !== end) return exactOffset(instant, timeZone);
  if (offsets.size >= 50_000) offsets.clear();
  offsets.set(key, start);
  return start;
}

/** The wall-clock time that `instant` shows in `timeZone`. */
export function toLocal(instant: Date, timeZone: string): LocalDateTime & { second: number } {
  formatterFor(timeZone); // an invalid zone throws here, as Intl would
  const shifted = new Date(instant.getTime() + offsetAt(instant.getTime(), timeZone));
  return {
    year: shifted.getUTCFullYear(),
    month: shifted.getUTCMonth() + 1,
    day: shifted.getUTCDate(),
    hour: shifted.getUTCHours(),
    minute: shifted.getUTCMinutes(),
    second: shifted.getUTCSeconds(),
  };
}

/** Offset of `timeZone` from UTC at `instant`, in milliseconds (Seoul: +9 h). */
export function offsetMs(instant: Date, timeZone: string): number {
  const local = toLocal(instant, timeZone);
  const asUtc = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second);
  return asUtc - Math.floor(instant.getTime() / 1000) * 1000;
}

/**
 * The instant at which the clocks in `timeZone` show `local`. A wall time that does not exist
 * (skipped by a spring-forward change) resolves to the same wall time plus the gap, so a 02:30
 * appointment on a change day lands at 03:30 — later, never earlier. A wall time that occurs
 * twice (fall-back) resolves to its first occurrence.
 */
export function fromLocal(local: LocalDateTime, timeZone: string): Date {
  const wall = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute);
  // Try the offsets in force a day either side: one of them is the offset at the answer.
  const candidates = [
    offsetMs(new Date(wall - 86_400_000), timeZone),
    offsetMs(new Date(wall + 86_400_000), timeZone),
  ];
  const matches = candidates
    .map((offset) => wall - offset)
    .filter((instant) => {
      const shown = toLocal(new Date(instant), timeZone);
      return Date.UTC(shown.year, shown.month - 1, shown.day, shown.hour, shown.minute) === wall;
    })
    .sort((a, b) => a - b);
  if (matches.length > 0) return new Date(matches[0]!);
  // In a gap: use the offset from before the change, which lands after the gap.
  return new Date(wall - Math.min(...candidates));
}

/** The calendar date `days` after `local`'s date (month and year roll over as needed). */
export function addCalendarDays(local: LocalDateTime, days: number): LocalDateTime {
  const shifted = new Date(Date.UTC(local.year, local.month - 1, local.day + days));
  return {
    ...local,
    year: shifted.getUTCFullYear(),
    month: shifted.getUTCMonth() + 1,
    day: shifted.getUTCDate(),
  };
}

/** Parses "HH:MM" (24 h). */
export function parseTimeOfDay(text: string): { hour: number; minute: number } {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(text);
  if (!match) throw new RangeError(`invalid time of day "${text}": expected HH:MM, 00:00–23:59`);
  return { hour: Number(match[1]), minute: Number(match[2]) };
}

/** `days` calendar days after `instant`'s local date, at `timeOfDay` local. */
export function localTimeOnDay(instant: Date, timeZone: string, days: number, timeOfDay: string): Date {
  const { hour, minute } = parseTimeOfDay(timeOfDay);
  const day = addCalendarDays(toLocal(instant, timeZone), days);
  return fromLocal({ ...day, hour, minute }, timeZone);
}

export function formatLocal(instant: Date, timeZone: string): string {
  const l = toLocal(instant, timeZone);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${l.year}-${pad(l.month)}-${pad(l.day)} ${pad(l.hour)}:${pad(l.minute)} ${timeZone}`;
}
