/**
 * EventBridge event patterns for the local runtime: validation and matching with EventBridge's
 * semantics, so events are routed locally by the same rules the CDK stack deploys.
 *
 * Semantics follow the AWS docs ("Amazon EventBridge event patterns", "content filtering") and the
 * behaviour AWS was recorded with (the vectors in shared/eventbridge-patterns); where both are silent,
 * aws/event-ruler, the open-source form of EventBridge's matcher. No dependencies: this module is
 * bundled into the local runtime.
 *
 * Split by concern: event-pattern-operators.ts (leaf operators), event-pattern-match.ts (matching an
 * event), event-pattern-wildcard.ts, event-pattern-ip.ts, event-pattern-error.ts.
 */
import { invalidPattern } from "./event-pattern-error.ts";
import { type ConditionNode, createMatcher, type FieldCondition } from "./event-pattern-match.ts";
import { compileLeaf, isJsonObject } from "./event-pattern-operators.ts";

export { InvalidEventPatternError } from "./event-pattern-error.ts";

/** A validated pattern, ready to test any number of events. */
export interface CompiledPattern {
  /**
   * Whether `event` (a JSON object, or its JSON text) matches, as `TestEventPattern` would answer.
   * Throws a TypeError if the event is not a JSON object, and a SyntaxError if its text is not JSON.
   */
  matches(event: unknown): boolean;
}

const OR_KEY = "$or";

/** Parses (if a string) and validates a pattern; throws InvalidEventPatternError with a reason. */
export function compileEventPattern(pattern: unknown): CompiledPattern {
  const matcher = createMatcher(compileNode(parsePattern(pattern), ""));
  return { matches: (event) => matcher(parseEvent(event)) };
}

/** Convenience: compile + match (TestEventPattern semantics). */
export function testEventPattern(pattern: unknown, event: unknown): boolean {
  return compileEventPattern(pattern).matches(event);
}

function parsePattern(pattern: unknown): Record<string, unknown> {
  let parsed = pattern;
  if (typeof pattern === "string") {
    try {
      // JSON.parse keeps the last of duplicated keys, which is what EventBridge does too.
      parsed = JSON.parse(pattern);
    } catch (error) {
      invalidPattern(`Filter is not valid JSON: ${error instanceof Error ? error.message : error}`, "");
    }
  }
  if (!isJsonObject(parsed)) invalidPattern("Filter is not an object", "");
  return parsed;
}

function parseEvent(event: unknown): Record<string, unknown> {
  const parsed: unknown = typeof event === "string" ? JSON.parse(event) : event;
  if (!isJsonObject(parsed)) throw new TypeError("An event must be a JSON object");
  return parsed;
}

/**
 * Compiles one pattern object. Nested objects only lengthen the path, so their fields join this
 * conjunction; `$or` adds a group of alternatives evaluated at this object's path. Empty objects are
 * accepted and constrain nothing, as AWS was recorded doing (`{}` matches every event).
 */
function compileNode(pattern: Record<string, unknown>, prefix: string): ConditionNode {
  const fields: FieldCondition[] = [];
  const orGroups: (readonly ConditionNode[])[] = [];
  for (const [key, value] of Object.entries(pattern)) {
    if (key === OR_KEY) {
      orGroups.push(compileOr(value, prefix));
      continue;
    }
    const path = joinPath(prefix, key);
    if (isJsonObject(value)) {
      const nested = compileNode(value, path);
      fields.push(...nested.fields);
      orGroups.push(...nested.orGroups);
    } else if (Array.isArray(value)) {
      fields.push({ path, leaf: compileLeaf(value, path) });
    } else {
      invalidPattern(`"${key}" must be an object or an array`, path);
    }
  }
  return { fields, orGroups };
}

function compileOr(value: unknown, prefix: string): ConditionNode[] {
  const path = joinPath(prefix, OR_KEY);
  if (!Array.isArray(value)) invalidPattern(`${OR_KEY} must be followed by an array of objects`, path);
  if (value.length < 2) invalidPattern(`There must be at least 2 objects in ${OR_KEY} relationship.`, path);
  return value.map((alternative: unknown) => {
    if (!isJsonObject(alternative)) {
      invalidPattern(`Only JSON object is allowed in array of ${OR_KEY} relationship.`, path);
    }
    return compileNode(alternative, prefix);
  });
}

/** Dots join levels on both sides, so a key containing dots addresses nested fields and vice versa. */
function joinPath(prefix: string, key: string): string {
  return prefix === "" ? key : `${prefix}.${key}`;
}
