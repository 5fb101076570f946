import type { Channel } from "../customer-state.ts";
import {
  addCalendarDays,
  formatLocal,
  fromLocal,
  type LocalDateTime,
  parseTimeOfDay,
  toLocal,
} from "../time/local-time.ts";
import type { ClosedDay, OpenHours, QuietHours, Weekday } from "./delivery-policy.ts";
import { WEEKDAYS } from "./delivery-policy.ts";

/** What holds a message back, for one channel: any of them may be absent. */
export interface DeliveryWindow {
  quietHours?: QuietHours | null;
  /** The channel's open hours (absent: open all day). */
  openHours?: OpenHours[Channel];
  closedDays?: readonly ClosedDay[];
}

export interface Release {
  /** When the message may go: `now` when nothing holds it back. */
  at: Date;
  /** Why it waits, one line per rule that held it (empty when it goes now). */
  why: string[];
}

const MAX_HOPS = 100;

/**
 * The first instant at or after `now` when the message is outside quiet hours, inside open hours and outside
 * closed days in *every* zone the customer may be in — so an estimated zone can never release a message into
 * the customer's own night. Wall-clock boundaries are computed on the local calendar (DST-safe: 08:00 is 08:00
 * on the day the clocks change).
 */
export function releaseTime(now: Date, zones: readonly string[], window: DeliveryWindow): Release {
  const why: string[] = [];
  let at = now;
  for (let hop = 0; hop < MAX_HOPS; hop++) {
    let next = at;
    for (const zone of zones) {
      for (const hold of holds(at, zone, window)) {
        if (hold.until.getTime() > next.getTime()) next = hold.until;
        if (!why.includes(hold.why)) why.push(hold.why);
      }
    }
    if (next.getTime() === at.getTime()) return { at, why };
    at = next;
  }
  throw new RangeError(
    "no delivery window within 100 hops: the open hours and closed days leave no time to send",
  );
}

interface Hold {
  until: Date;
  why: string;
}

function holds(at: Date, zone: string, window: DeliveryWindow): Hold[] {
  const local = toLocal(at, zone);
  const found: Hold[] = [];
  const shown = formatLocal(at, zone);
  if (window.quietHours) {
    const until = quietEnd(local, zone, window.quietHours);
    if (until)
      found.push({
        until,
        why: `${shown} is within quiet hours ${window.quietHours.start}–${window.quietHours.end}: deferred to ${formatLocal(until, zone)}`,
      });
  }
  for (const day of window.closedDays ?? []) {
    const stamp = localStamp(local);
    if (stamp >= day.start && stamp < day.end) {
      const until = fromLocal(parseStamp(day.end), zone);
      found.push({
        until,
        why: `${shown} is within ${day.name} (closed): deferred to ${formatLocal(until, zone)}`,
      });
    }
  }
  if (window.openHours) {
    const until = nextOpening(local, zone, window.openHours);
    if (until)
      found.push({ until, why: `${shown} is outside open hours: deferred to ${formatLocal(until, zone)}` });
  }
  return found;
}

function minutes(text: string): number {
  const { hour, minute } = parseTimeOfDay(text);
  return hour * 60 + minute;
}

/** When `local` is in the quiet window, the instant it ends; a window with start > end runs over midnight. */
function quietEnd(local: LocalDateTime, zone: string, quiet: QuietHours): Date | undefined {
  const now = local.hour * 60 + local.minute;
  const start = minutes(quiet.start);
  const end = minutes(quiet.end);
  const { hour, minute } = parseTimeOfDay(quiet.end);
  const overnight = start > end;
  const inside = overnight ? now >= start || now < end : now >= start && now < end;
  if (!inside) return undefined;
  const day = overnight && now >= start ? addCalendarDays(local, 1) : local;
  return fromLocal({ ...day, hour, minute }, zone);
}

/** When `local` is outside the day's open windows, the next window's start (within a week); else undefined. */
function nextOpening(
  local: LocalDateTime,
  zone: string,
  open: NonNullable<OpenHours[Channel]>,
): Date | undefined {
  const now = local.hour * 60 + local.minute;
  const today = open[weekdayOf(local)] ?? [];
  if (today.some((w) => now >= minutes(w.start) && now < minutes(w.end))) return undefined;
  for (let offset = 0; offset <= 7; offset++) {
    const day = addCalendarDays(local, offset);
    const windows = [...(open[weekdayOf(day)] ?? [])].sort((a, b) => minutes(a.start) - minutes(b.start));
    const window = windows.find((w) => offset > 0 || minutes(w.start) > now);
    if (window) return fromLocal({ ...day, ...parseTimeOfDay(window.start) }, zone);
  }
  throw new RangeError("open hours with no window in the coming week");
}

function weekdayOf(local: Pick<LocalDateTime, "year" | "month" | "day">): Weekday {
  // 1970-01-05 was a Monday.
  const days = Math.floor(Date.UTC(local.year, local.month - 1, local.day) / 86_400_000);
  return WEEKDAYS[(((days - 4) % 7) + 7) % 7]!;
}

function localStamp(l: LocalDateTime): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${l.year}-${pad(l.month)}-${pad(l.day)}T${pad(l.hour)}:${pad(l.minute)}`;
}

function parseStamp(stamp: string): LocalDateTime {
  const [date, time] = stamp.split("T") as [string, string];
  const [year, month, day] = date.split("-").map(Number) as [number, number, number];
  return { year, month, day, ...parseTimeOfDay(time) };
}
