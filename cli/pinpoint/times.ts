/**
 * Pinpoint's times as Waymark writes them. Waymark's durations count weeks, days, hours, minutes and whole
 * seconds; Pinpoint's ISO-8601 durations may also count years and months, which become 365 and 30 days.
 * Waymark's instants carry their zone; a Pinpoint date-time without one is read as UTC.
 */

export interface Converted<T> {
  value: T;
  /** Why the value is not exactly Pinpoint's, when it is not. */
  approximation?: string;
}

const ISO =
  /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

export function waymarkDuration(iso: string): Converted<string> {
  const match = ISO.exec(iso);
  if (!match) throw new RangeError(`not an ISO-8601 duration: ${iso}`);
  const [, y, mo, w, d, h, mi, s] = match.map((part) => (part === undefined ? 0 : Number(part)));
  const days = y! * 365 + mo! * 30 + w! * 7 + d!;
  const seconds = Math.round(s!);
  const notes: string[] = [];
  if (y! > 0 || mo! > 0)
    notes.push(`${iso} counts years or months: read as ${days} days (a year 365, a month 30)`);
  if (seconds !== s) notes.push(`${iso} has a fraction of a second: rounded to ${seconds} s`);
  const time = `${h ? `${h}H` : ""}${mi ? `${mi}M` : ""}${seconds ? `${seconds}S` : ""}`;
  const value = `P${days ? `${days}D` : ""}${time ? `T${time}` : ""}`;
  return {
    value: value === "P" ? "PT0S" : value,
    ...(notes.length > 0 ? { approximation: notes.join("; ") } : {}),
  };
}

export function waymarkInstant(isoDateTime: string): Converted<string> {
  const hasZone = /(Z|[+-]\d{2}:?\d{2})$/.test(isoDateTime);
  const withSeconds = /T\d{2}:\d{2}$/.test(isoDateTime.replace(/(Z|[+-]\d{2}:?\d{2})$/, ""))
    ? isoDateTime.replace(/T(\d{2}:\d{2})/, "T$1:00")
    : isoDateTime;
  const normalised = withSeconds.replace(/([+-]\d{2})(\d{2})$/, "$1:$2");
  return hasZone
    ? { value: normalised }
    : { value: `${normalised}Z`, approximation: `${isoDateTime} has no zone: read as UTC` };
}

/** `2026-03-01T00:00:00Z` → `2026-03-01T00:00:00`: a UTC prefix every UTC spelling of a later instant sorts after. */
export function utcPrefix(isoDateTime: string): string {
  return new Date(waymarkInstant(isoDateTime).value).toISOString().slice(0, 19);
}
