import type { Condition, Value, ValueRef } from "./definition.ts";

export type Scope = Record<string, unknown>;

function isRef(value: Value): value is ValueRef {
  return typeof value === "object" && value !== null && !Array.isArray(value) && "$ref" in value;
}

function lookup(scope: Scope, path: string): unknown {
  let current: unknown = scope;
  for (const part of path.split(".")) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

/** A literal as written, or the first defined of the referenced paths. */
export function evaluate(value: Value, scope: Scope): unknown {
  if (!isRef(value)) return value;
  const paths = Array.isArray(value.$ref) ? value.$ref : [value.$ref];
  for (const path of paths) {
    const found = lookup(scope, path);
    if (found !== undefined && found !== null) return found;
  }
  return undefined;
}

/** Every value of a record evaluated, with those that resolve to nothing left out. */
export function evaluateAll(values: Readonly<Record<string, Value>>, scope: Scope): Record<string, unknown> {
  const resolved: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(values)) {
    const found = evaluate(value, scope);
    if (found !== undefined) resolved[name] = found;
  }
  return resolved;
}

export function test(condition: Condition, scope: Scope): boolean {
  switch (condition.op) {
    case "all":
      return condition.conditions.every((c) => test(c, scope));
    case "any":
      return condition.conditions.some((c) => test(c, scope));
    case "not":
      return !test(condition.condition, scope);
    case "exists":
      return evaluate(condition.value, scope) !== undefined;
    case "in": {
      const right = evaluate(condition.right, scope);
      return Array.isArray(right) && right.includes(evaluate(condition.left, scope));
    }
    default: {
      const left = evaluate(condition.left, scope);
      const right = evaluate(condition.right, scope);
      if (condition.op === "eq") return left === right;
      if (condition.op === "ne") return left !== right;
      if (condition.op === "contains")
        return typeof left === "string" && typeof right === "string" && left.includes(right);
      if (typeof left !== typeof right || (typeof left !== "number" && typeof left !== "string"))
        return false;
      const l = left as number | string;
      const r = right as number | string;
      switch (condition.op) {
        case "lt":
          return l < r;
        case "lte":
          return l <= r;
        case "gt":
          return l > r;
        case "gte":
          return l >= r;
      }
    }
  }
}

/** Fills "{vars.name}"-style placeholders for why-lines. */
export function interpolate(text: string, scope: Scope): string {
  return text.replace(/\{([a-zA-Z0-9_.]+)\}/g, (_, path: string) => {
    const found = lookup(scope, path);
    if (found === undefined || found === null) return "?";
    return Array.isArray(found) ? found.join(", ") : String(found);
  });
}
