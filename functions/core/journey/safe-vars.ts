/**
 * Template variables come from events, so from producers, so from anyone: a name can hold a link, a
 * line break (into an email subject), a right-to-left override that turns "moc.evil" into "evil.com",
 * or 5 KB of text. Before a template sees them, text is cleaned and anything that must not reach a
 * customer is withheld — the template then falls back to its default ("Hi there"), and the message's why
 * says which var was withheld and why.
 */

import { setOwnProperty } from "../own-property.ts";

/** Longer than any name, product or store line a message should carry. */
export const MAX_VAR_TEXT = 200;

// C0/C1 controls (tab and line breaks included: no var is multi-line) become spaces; bidi embeddings,
// overrides and isolates and zero-width characters, which only hide or reorder text, are removed.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is this pattern's job
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/g;
const INVISIBLE_CHARACTERS = /[\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;
const LINK =
  /(?:[a-z][a-z0-9+.-]*:\/\/|www\.)\S|\b[a-z0-9-]+\.(?:com|net|org|io|ly|link|app|co|me|xyz|info|biz)\b/i;

export interface SafeVars {
  vars: Record<string, unknown>;
  /** One line per var withheld, for the message's why. */
  withheld: string[];
}

export function safeVars(vars: Readonly<Record<string, unknown>>): SafeVars {
  const safe: Record<string, unknown> = {};
  const withheld: string[] = [];
  for (const [name, value] of Object.entries(vars)) {
    const result = clean(value);
    if (result.ok) safe[name] = result.value;
    else withheld.push(`${name} withheld from the message: it ${result.because}`);
  }
  return { vars: safe, withheld };
}

type Cleaned = { ok: true; value: unknown } | { ok: false; because: string };

function clean(value: unknown, depth = 0): Cleaned {
  if (typeof value === "string") {
    const text = value
      .replace(INVISIBLE_CHARACTERS, "")
      .replace(CONTROL_CHARACTERS, " ")
      .replace(/ {2,}/g, " ")
      .trim();
    if (LINK.test(text)) return { ok: false, because: "contains a link" };
    if (text.length > MAX_VAR_TEXT)
      return { ok: false, because: `is longer than ${MAX_VAR_TEXT} characters` };
    return { ok: true, value: text };
  }
  if (Array.isArray(value) && depth < 3) {
    const items: unknown[] = [];
    for (const item of value) {
      const result = clean(item, depth + 1);
      if (!result.ok) return result;
      items.push(result.value);
    }
    return { ok: true, value: items };
  }
  if (value !== null && typeof value === "object" && depth < 3) {
    const fields: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(value)) {
      const result = clean(field, depth + 1);
      if (!result.ok) return result;
      setOwnProperty(fields, key, result.value);
    }
    return { ok: true, value: fields };
  }
  return { ok: true, value };
}
