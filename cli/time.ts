/** Time helpers shared by the commands: what counts as a time, and how one is shown. */

const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/i;

/** Whether `value` is an ISO-8601 date-time with a zone that names a real instant. */
export function isIsoTime(value: unknown): value is string {
  return typeof value === "string" && ISO_WITH_ZONE.test(value) && !Number.isNaN(Date.parse(value));
}

/** `2026-03-06T01:00:00.000Z` → `2026-03-06T01:00:00Z`; sub-second times keep their milliseconds. */
export function shortTime(isoTime: string): string {
  return isoTime.replace(/\.000Z$/, "Z");
}
