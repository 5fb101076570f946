/**
 * zod's issues against the Pinpoint model, as one plain line each at the input's JSON path: an unknown key
 * with the key it probably meant, an enum value with the values the SDK allows, a type, a range, a format.
 */
import type * as z from "zod";
import { type Finding, jsonPath, type PathSegment } from "./json-path.ts";

export function schemaProblems(
  issues: readonly z.core.$ZodIssue[],
  schema: z.core.$ZodType,
  root: string,
): Finding[] {
  const findings: Finding[] = [];
  for (const issue of issues) {
    const path = issue.path as PathSegment[];
    if (issue.code === "unrecognized_keys") {
      const known = keysAt(schema, path);
      for (const key of issue.keys) {
        const guess = closest(key, known);
        findings.push({
          path: jsonPath(root, [...path, key]),
          message:
            `unknown key ${JSON.stringify(key)}` +
            (guess ? ` — did you mean ${guess}?` : known.length > 0 ? ` (known: ${known.join(", ")})` : ""),
        });
      }
      continue;
    }
    findings.push({ path: jsonPath(root, path), message: describe(issue) });
  }
  return findings;
}

function describe(issue: z.core.$ZodIssue): string {
  const input = (issue as { input?: unknown }).input;
  switch (issue.code) {
    case "invalid_value":
      return `expected one of ${issue.values.map((v) => String(v)).join(", ")} (got ${show(input)})`;
    case "invalid_type":
      if (input === undefined) return `required (${article(issue.expected)})`;
      if (issue.expected === "int") return `expected a whole number (got ${show(input)})`;
      return `expected ${article(issue.expected)} (got ${show(input)})`;
    case "too_big":
      return issue.origin === "string"
        ? issue.message
        : `expected at most ${String(issue.maximum)} (got ${show(input)})`;
    case "too_small":
      return issue.origin === "string"
        ? `expected at least ${String(issue.minimum)} character(s)`
        : `expected at least ${String(issue.minimum)} (got ${show(input)})`;
    case "invalid_format":
      return `${issue.message} (got ${show(input)})`;
    default:
      return issue.message;
  }
}

function article(expected: string): string {
  if (expected === "object") return "an object";
  if (expected === "array") return "a list";
  return `a ${expected}`;
}

function show(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "an object";
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

/** The keys the schema allows for the object at `path`. */
function keysAt(schema: z.core.$ZodType, path: readonly PathSegment[]): string[] {
  let current: z.core.$ZodType | undefined = schema;
  for (const segment of [...path, undefined]) {
    current = current && unwrap(current);
    if (!current) return [];
    const def = current._zod.def as {
      type: string;
      shape?: Record<string, z.core.$ZodType>;
      valueType?: z.core.$ZodType;
      element?: z.core.$ZodType;
    };
    if (segment === undefined) return def.type === "object" && def.shape ? Object.keys(def.shape) : [];
    if (def.type === "object") current = def.shape?.[String(segment)];
    else if (def.type === "record") current = def.valueType;
    else if (def.type === "array") current = def.element;
    else return [];
  }
  return [];
}

function unwrap(schema: z.core.$ZodType): z.core.$ZodType {
  let current = schema;
  for (;;) {
    const def = current._zod.def as { type: string; innerType?: z.core.$ZodType };
    if ((def.type === "optional" || def.type === "default" || def.type === "nullable") && def.innerType)
      current = def.innerType;
    else return current;
  }
}

/** The known key a mistyped one most likely meant: same letters in another case, or two edits away. */
function closest(key: string, known: readonly string[]): string | undefined {
  const lower = key.toLowerCase();
  const sameCase = known.find((k) => k.toLowerCase() === lower);
  if (sameCase) return sameCase;
  let best: { key: string; distance: number } | undefined;
  for (const candidate of known) {
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance <= Math.max(2, Math.floor(candidate.length / 5)) && (!best || distance < best.distance))
      best = { key: candidate, distance };
  }
  return best?.key;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current.push(
        Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1)),
      );
    }
    previous = current;
  }
  return previous[b.length]!;
}
