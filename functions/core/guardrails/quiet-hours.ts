import { fromLocal, toLocal } from "../time/local-time.ts";

export const QUIET_HOURS = { startHour: 21, endHour: 8 } as const;

/**
 * When `now` falls in the customer's quiet hours (21:00–08:00 local), the instant quiet hours
 * end (08:00 local, computed from the local calendar so a DST change cannot move it);
 * otherwise undefined.
 */
export function quietHoursEnd(now: Date, timeZone: string): Date | undefined {
  const local = toLocal(now, timeZone);
  if (local.hour >= QUIET_HOURS.startHour) {
    const tomorrow = new Date(Date.UTC(local.year, local.month - 1, local.day + 1));
    return fromLocal(
      {
        year: tomorrow.getUTCFullYear(),
        month: tomorrow.getUTCMonth() + 1,
        day: tomorrow.getUTCDate(),
        hour: QUIET_HOURS.endHour,
        minute: 0,
      },
      timeZone,
    );
  }
  if (local.hour < QUIET_HOURS.endHour) {
    return fromLocal({ ...local, hour: QUIET_HOURS.endHour, minute: 0 }, timeZone);
  }
  return undefined;
}
