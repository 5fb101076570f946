/** Times as people read them: in the customer's zone when there is a customer, else the browser's. */

const cache = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string | undefined, withDate: boolean): Intl.DateTimeFormat {
  const key = `${timeZone ?? ""}|${withDate}`;
  let format = cache.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat("en-GB", {
      ...(timeZone ? { timeZone } : {}),
      ...(withDate ? { weekday: "short", day: "numeric", month: "short", year: "numeric" } : {}),
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    });
    cache.set(key, format);
  }
  return format;
}

/** "Fri 6 Mar 2026, 10:00" in `timeZone`. */
export function localTime(iso: string, timeZone?: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : formatter(timeZone, true).format(date);
}

/** "2026-03-06 01:00 UTC": the virtual clock and everything not about one customer. */
export function utcTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}
