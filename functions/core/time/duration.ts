/**
 * ISO-8601 durations as journeys write them ("P14D", "PT2H", "P1DT12H", "PT30M"). Days are
 * exact 24-hour days here; calendar days in a customer's zone are `localTimeOnDay`'s job.
 */
const pattern = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/;

export function isDuration(text: string): boolean {
  return pattern.test(text) && text !== "P" && !text.endsWith("T");
}

export function durationMs(text: string): number {
  const match = pattern.exec(text);
  if (!match || !isDuration(text)) {
    throw new RangeError(`invalid duration "${text}": expected ISO-8601 like P14D, PT2H or P1DT12H`);
  }
  const [, w, d, h, m, s] = match.map((part) => Number(part ?? 0));
  return ((((w! * 7 + d!) * 24 + h!) * 60 + m!) * 60 + s!) * 1000;
}

export function addDuration(instant: Date, text: string): Date {
  return new Date(instant.getTime() + durationMs(text));
}
