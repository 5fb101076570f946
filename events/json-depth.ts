/**
 * How deeply a JSON value nests, measured without recursion: a hostile event 10,000 levels deep must be
 * rejected with a reason at the edge, not overflow a recursive validator or matcher further in.
 */

/** Deeper than any real event; a reference event nests at most 5 levels. */
export const MAX_EVENT_DEPTH = 32;

/** True when `value` nests objects or arrays more than `limit` levels deep. */
export function nestsDeeperThan(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (current === null || typeof current !== "object") continue;
    if (depth + 1 > limit) return true;
    for (const child of Array.isArray(current) ? current : Object.values(current)) {
      if (child !== null && typeof child === "object") stack.push([child, depth + 1]);
    }
  }
  return false;
}
