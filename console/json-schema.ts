/**
 * Checks a value against a JSON Schema (2020-12) as zod's `toJSONSchema` writes them for the catalog's events:
 * types, properties and required, enum and const, lengths, patterns, bounds, items, anyOf / oneOf / allOf /
 * not, and local `$ref`s. The console checks an event against its schema before putting it, so a typo is
 * caught in the page; ingest checks it again with the zod schema itself, which also runs the checks JSON
 * Schema cannot state. Lengths count UTF-16 units, as zod does.
 */

export type Schema = Record<string, unknown>;

export interface SchemaIssue {
  /** Where, as ingest writes it: `detail.items[0].quantity`. */
  path: string;
  message: string;
}

export function validate(value: unknown, schema: Schema, path = "detail"): SchemaIssue[] {
  return check(value, schema, path, schema);
}

function check(value: unknown, schema: Schema | boolean, path: string, root: Schema): SchemaIssue[] {
  if (schema === true) return [];
  if (schema === false) return [{ path, message: "is not allowed" }];
  if (typeof schema.$ref === "string") return check(value, resolve(schema.$ref, root), path, root);
  const issues: SchemaIssue[] = [];
  const fail = (message: string) => issues.push({ path, message });

  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string];
    if (!types.some((type) => hasType(value, type))) {
      fail(`expected ${types.join(" or ")}, got ${describe(value)}`);
      return issues;
    }
  }
  if (Array.isArray(schema.enum) && !schema.enum.some((option) => same(option, value))) {
    fail(`expected one of ${schema.enum.map((option) => JSON.stringify(option)).join(", ")}`);
  }
  if ("const" in schema && !same(schema.const, value)) fail(`expected ${JSON.stringify(schema.const)}`);

  if (typeof value === "string") {
    if (typeof schema.minLength === "number" && value.length < schema.minLength) {
      fail(schema.minLength === 1 ? "must not be empty" : `must be at least ${schema.minLength} characters`);
    }
    if (typeof schema.maxLength === "number" && value.length > schema.maxLength) {
      fail(`must be at most ${schema.maxLength} characters`);
    }
    if (typeof schema.pattern === "string" && !new RegExp(schema.pattern).test(value)) {
      fail(typeof schema.format === "string" ? `expected ${schema.format}` : `must match ${schema.pattern}`);
    }
  }
  if (typeof value === "number") {
    if (typeof schema.minimum === "number" && value < schema.minimum)
      fail(`must be at least ${schema.minimum}`);
    if (typeof schema.maximum === "number" && value > schema.maximum)
      fail(`must be at most ${schema.maximum}`);
    if (typeof schema.exclusiveMinimum === "number" && value <= schema.exclusiveMinimum) {
      fail(`must be more than ${schema.exclusiveMinimum}`);
    }
    if (typeof schema.exclusiveMaximum === "number" && value >= schema.exclusiveMaximum) {
      fail(`must be less than ${schema.exclusiveMaximum}`);
    }
    if (typeof schema.multipleOf === "number" && !Number.isInteger(value / schema.multipleOf)) {
      fail(`must be a multiple of ${schema.multipleOf}`);
    }
  }
  if (Array.isArray(value)) {
    if (typeof schema.minItems === "number" && value.length < schema.minItems) {
      fail(`must have at least ${schema.minItems} item${schema.minItems === 1 ? "" : "s"}`);
    }
    if (typeof schema.maxItems === "number" && value.length > schema.maxItems) {
      fail(`must have at most ${schema.maxItems} items`);
    }
    const prefix = Array.isArray(schema.prefixItems) ? (schema.prefixItems as Schema[]) : [];
    value.forEach((item, index) => {
      const itemSchema =
        index < prefix.length ? prefix[index] : (schema.items as Schema | boolean | undefined);
      if (itemSchema !== undefined) issues.push(...check(item, itemSchema, `${path}[${index}]`, root));
    });
  }
  if (isObject(value)) {
    const properties = (schema.properties ?? {}) as Record<string, Schema>;
    for (const name of (schema.required ?? []) as string[]) {
      if (!Object.hasOwn(value, name)) issues.push({ path: `${path}.${name}`, message: "required" });
    }
    for (const [name, field] of Object.entries(value)) {
      if (Object.hasOwn(properties, name))
        issues.push(...check(field, properties[name]!, `${path}.${name}`, root));
      else if (schema.additionalProperties !== undefined) {
        issues.push(
          ...check(field, schema.additionalProperties as Schema | boolean, `${path}.${name}`, root),
        );
      }
    }
  }
  if (Array.isArray(schema.allOf))
    for (const part of schema.allOf) issues.push(...check(value, part, path, root));
  if (Array.isArray(schema.anyOf))
    issues.push(...oneOrMore(value, schema.anyOf as Schema[], path, root, false));
  if (Array.isArray(schema.oneOf))
    issues.push(...oneOrMore(value, schema.oneOf as Schema[], path, root, true));
  if (isObject(schema.not) && check(value, schema.not, path, root).length === 0) fail("is not allowed");
  return issues;
}

/** anyOf / oneOf: the issues of the closest option when none fits (what a person most likely meant). */
function oneOrMore(
  value: unknown,
  options: Schema[],
  path: string,
  root: Schema,
  exactlyOne: boolean,
): SchemaIssue[] {
  const results = options.map((option) => check(value, option, path, root));
  const fitting = results.filter((issues) => issues.length === 0).length;
  if (fitting === 0) return results.reduce((best, issues) => (issues.length < best.length ? issues : best));
  if (exactlyOne && fitting > 1) return [{ path, message: "matches more than one of the allowed forms" }];
  return [];
}

function resolve(ref: string, root: Schema): Schema {
  if (!ref.startsWith("#")) throw new Error(`only local $refs are supported, not ${ref}`);
  let target: unknown = root;
  for (const part of ref.slice(1).split("/").filter(Boolean)) {
    target = (target as Record<string, unknown>)[part.replace(/~1/g, "/").replace(/~0/g, "~")];
  }
  if (!isObject(target)) throw new Error(`$ref ${ref} points at nothing`);
  return target;
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case "string":
      return typeof value === "string";
    case "number":
      return typeof value === "number" && Number.isFinite(value);
    case "integer":
      return Number.isInteger(value);
    case "boolean":
      return typeof value === "boolean";
    case "null":
      return value === null;
    case "array":
      return Array.isArray(value);
    case "object":
      return isObject(value);
    default:
      return true;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (Number.isInteger(value)) return "an integer";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
