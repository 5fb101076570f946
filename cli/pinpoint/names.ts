/**
 * Names for what an import generates: journey and node ids (kebab-case, never colliding), variable and
 * export names (camelCase), event detail-types (what EventBridge accepts).
 */

/** The words of a name: split at camelCase humps, digits stay with their word, anything else separates. */
function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w !== "")
    .map((w) => w.toLowerCase());
}

/** `WelcomeSeries_v2` → `welcome-series-v2`; starts with a letter (`prefix-` otherwise). */
export function kebab(name: string, prefix: string): string {
  const joined = words(name).join("-");
  if (joined === "") return prefix;
  return /^[a-z]/.test(joined) ? joined : `${prefix}-${joined}`;
}

/** `welcome-series` → `welcomeSeries`; a valid identifier (`_` before a leading digit). */
export function camel(name: string): string {
  const [first = "", ...rest] = words(name);
  const joined = first + rest.map((w) => w[0]!.toUpperCase() + w.slice(1)).join("");
  return /^[0-9]/.test(joined) ? `_${joined}` : joined || "_";
}

/** `welcome-series` → `WelcomeSeries`. */
export function pascal(name: string): string {
  const c = camel(name).replace(/^_/, "");
  return c[0]!.toUpperCase() + c.slice(1);
}

/** What EventBridge and defineEvent accept as a detail-type. */
export const DETAIL_TYPE = /^[A-Za-z][A-Za-z0-9.:_-]{0,127}$/;

/**
 * A Pinpoint event type as a detail-type: kept as it is when EventBridge accepts it (producers already send
 * that name), else its words in PascalCase (`_session.start` → `SessionStart`).
 */
export function detailTypeFor(eventType: string): string {
  if (DETAIL_TYPE.test(eventType)) return eventType;
  return pascal(eventType).slice(0, 128) || "PinpointEvent";
}

/** Two detail-types name the same event when their letters and digits match, case aside. */
export function sameEventName(a: string, b: string): boolean {
  const squash = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, "");
  return squash(a) === squash(b);
}

/** Hands out unique kebab-case ids: a second `send-email` becomes `send-email-2`. */
export class UniqueIds {
  readonly #taken = new Set<string>();

  take(name: string, prefix = "node"): string {
    const base = kebab(name, prefix);
    let id = base;
    for (let n = 2; this.#taken.has(id); n++) id = `${base}-${n}`;
    this.#taken.add(id);
    return id;
  }
}
