/**
 * Pattern leaves: the array of alternatives under a field, e.g. `["a", {"prefix": "b"}, {"exists": false}]`.
 * Each alternative compiles to a test on one event value; the leaf matches if any alternative does.
 * Validation follows EventBridge (aws/event-ruler's JsonRuleCompiler), with AWS's wording for reasons.
 */
import { invalidPattern } from "./event-pattern-error.ts";
import { parseCidr, parseIpAddress, sameAddress } from "./event-pattern-ip.ts";
import { assertWildcardComplexity, parseWildcard, type WildcardGroup } from "./event-pattern-wildcard.ts";

/** A leaf value in an event: what pattern values are compared against. */
export type Scalar = string | number | boolean | null;

/** A compiled pattern leaf. */
export interface LeafMatcher {
  /** Whether some alternative matches this (present) event value. */
  test(value: Scalar): boolean;
  /** Whether the leaf also holds when the field is absent: `{"exists": false}` is among the alternatives. */
  readonly matchesAbsent: boolean;
}

type ValueTest = (value: Scalar) => boolean;

interface LeafBuilder {
  readonly path: string;
  readonly tests: ValueTest[];
  /** Wildcard patterns by operator, for the complexity check; keys dedupe identical operators. */
  readonly wildcards: Map<string, WildcardGroup>;
  matchesAbsent: boolean;
}

type OperatorCompiler = (operand: unknown, leaf: LeafBuilder) => void;

type AnythingButKind = "prefix" | "suffix" | "equals-ignore-case" | "wildcard";

export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function isScalar(value: unknown): value is Scalar {
  return (
    value === null ||
    typeof value === "string" ||
    typeof value === "boolean" ||
    (typeof value === "number" && Number.isFinite(value))
  );
}

/** Compiles and validates the array of alternatives under one pattern field. */
export function compileLeaf(alternatives: readonly unknown[], path: string): LeafMatcher {
  if (alternatives.length === 0) invalidPattern("Empty arrays are not allowed", path);
  const leaf: LeafBuilder = { path, tests: [], wildcards: new Map(), matchesAbsent: false };
  for (const alternative of alternatives) {
    if (isScalar(alternative)) leaf.tests.push(exactTest(alternative));
    else if (isJsonObject(alternative)) compileOperator(alternative, leaf);
    else invalidPattern("Match value must be String, number, true, false, or null", path);
  }
  // Per field leaf. EventBridge also pools the wildcards of `$or` branches that reach a field through
  // identical preceding conditions; not pooling them errs towards accepting a rule AWS would refuse
  // (and does refuse, at deploy time) rather than refusing one AWS accepts.
  assertWildcardComplexity([...leaf.wildcards.values()], path);
  const { tests, matchesAbsent } = leaf;
  return { test: (value) => tests.some((test) => test(value)), matchesAbsent };
}

/**
 * Exact match. Types must agree ("300" is not 300) but numbers compare by value (300 is 300.0), and
 * IP address literals by address, as EventBridge turns them into single-address ranges.
 */
function exactTest(expected: Scalar): ValueTest {
  const address = typeof expected === "string" ? parseIpAddress(expected) : undefined;
  if (address === undefined) return (value) => value === expected;
  return (value) =>
    value === expected || (typeof value === "string" && sameAddress(address, parseIpAddress(value)));
}

const OPERATORS = new Map<string, OperatorCompiler>([
  ["prefix", (operand, leaf) => void leaf.tests.push(affixTest("prefix", operand, leaf.path))],
  ["suffix", (operand, leaf) => void leaf.tests.push(affixTest("suffix", operand, leaf.path))],
  ["equals-ignore-case", compileEqualsIgnoreCase],
  ["wildcard", compileWildcard],
  ["anything-but", compileAnythingBut],
  ["numeric", compileNumeric],
  ["exists", compileExists],
  ["cidr", compileCidr],
]);

function compileOperator(expression: Record<string, unknown>, leaf: LeafBuilder): void {
  const [operator, operand] = singleEntry(expression, "Match expression name not found", leaf.path);
  // Operator names are case-sensitive: {"EXISTS": true} is an error, not a field named EXISTS.
  const compile = OPERATORS.get(operator);
  if (compile === undefined) invalidPattern(`Unrecognized match type ${operator}`, leaf.path);
  compile(operand, leaf);
}

function singleEntry(
  expression: Record<string, unknown>,
  whenEmpty: string,
  path: string,
): [string, unknown] {
  const entries = Object.entries(expression);
  const [entry] = entries;
  if (entry === undefined) invalidPattern(whenEmpty, path);
  if (entries.length > 1) invalidPattern("Only one key allowed in match expression", path);
  return entry;
}

function requireString(operand: unknown, reason: string, path: string): string {
  if (typeof operand !== "string") invalidPattern(reason, path);
  return operand;
}

/** Case folding for the ignore-case operators; upper-casing first folds "ß" and "SS" together. */
function foldCase(text: string): string {
  return text.toUpperCase().toLowerCase();
}

function hasAffix(kind: "prefix" | "suffix", value: string, affix: string): boolean {
  return kind === "prefix" ? value.startsWith(affix) : value.endsWith(affix);
}

/**
 * `prefix`/`suffix`: a string, or `{"equals-ignore-case": string}`. An empty string is valid and
 * matches every string value (a common "match all" idiom), but no number, boolean or null.
 */
function affixTest(kind: "prefix" | "suffix", operand: unknown, path: string): ValueTest {
  if (typeof operand === "string") {
    return (value) => typeof value === "string" && hasAffix(kind, value, operand);
  }
  if (!isJsonObject(operand)) invalidPattern(`${kind} match pattern must be a string`, path);
  const [modifier, text] = singleEntry(operand, `${capitalize(kind)} expression name not found`, path);
  if (modifier !== "equals-ignore-case") invalidPattern(`Unsupported ${kind} pattern: ${modifier}`, path);
  const folded = foldCase(requireString(text, "equals-ignore-case match pattern must be a string", path));
  return (value) => typeof value === "string" && hasAffix(kind, foldCase(value), folded);
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function compileEqualsIgnoreCase(operand: unknown, leaf: LeafBuilder): void {
  const folded = foldCase(
    requireString(operand, "equals-ignore-case match pattern must be a string", leaf.path),
  );
  leaf.tests.push((value) => typeof value === "string" && foldCase(value) === folded);
}

function compileWildcard(operand: unknown, leaf: LeafBuilder): void {
  const text = requireString(operand, "wildcard match pattern must be a string", leaf.path);
  const wildcard = parseWildcard(text, leaf.path);
  leaf.tests.push((value) => typeof value === "string" && wildcard.matches(value));
  leaf.wildcards.set(`wildcard:${text}`, [wildcard]);
}

function compileExists(operand: unknown, leaf: LeafBuilder): void {
  if (operand === true) leaf.tests.push(() => true);
  else if (operand === false) leaf.matchesAbsent = true;
  else invalidPattern("exists match pattern must be either true or false.", leaf.path);
}

function compileCidr(operand: unknown, leaf: LeafBuilder): void {
  const block = parseCidr(
    requireString(operand, "cidr match pattern must be a string", leaf.path),
    leaf.path,
  );
  leaf.tests.push((value) => typeof value === "string" && block.contains(value));
}

/**
 * `anything-but`: a string, a number, a list of only strings or only numbers, or an object applying
 * prefix/suffix/equals-ignore-case/wildcard. It needs the field to be present but accepts any value
 * the exclusion does not cover, including null and values of another type (the vectors confirm
 * `{"anything-but": {"prefix": "init"}}` matches 12 and null).
 */
function compileAnythingBut(operand: unknown, leaf: LeafBuilder): void {
  if (typeof operand === "string" || (typeof operand === "number" && Number.isFinite(operand))) {
    leaf.tests.push((value) => value !== operand);
  } else if (Array.isArray(operand)) {
    const excluded = anythingButValues(operand, leaf.path);
    leaf.tests.push((value) => !excluded.has(value));
  } else if (isJsonObject(operand)) {
    const excludes = anythingButOperator(operand, leaf);
    leaf.tests.push((value) => !(typeof value === "string" && excludes(value)));
  } else {
    invalidPattern("Value of anything-but must be an array or single string/number value.", leaf.path);
  }
}

function anythingButValues(values: readonly unknown[], path: string): ReadonlySet<Scalar> {
  for (const value of values) {
    const isNumber = typeof value === "number" && Number.isFinite(value);
    if (typeof value !== "string" && !isNumber) {
      invalidPattern("Inside anything but list, start|null|boolean is not supported.", path);
    }
  }
  if (new Set(values.map((value) => typeof value)).size !== 1) {
    invalidPattern(
      "Inside anything but list, either all values are number or string, mixed type is not supported",
      path,
    );
  }
  return new Set(values as Scalar[]);
}

const ANYTHING_BUT_TYPE_ERRORS: Readonly<Record<AnythingButKind, string>> = {
  prefix: "prefix/suffix match pattern must be a string",
  suffix: "prefix/suffix match pattern must be a string",
  "equals-ignore-case":
    "Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.",
  wildcard: "wildcard match pattern must be a string",
};

function isAnythingButKind(name: string): name is AnythingButKind {
  return Object.hasOwn(ANYTHING_BUT_TYPE_ERRORS, name);
}

/** Returns what the `anything-but` object excludes, as a test on string values. */
function anythingButOperator(
  expression: Record<string, unknown>,
  leaf: LeafBuilder,
): (value: string) => boolean {
  const [kind, operand] = singleEntry(expression, "Anything-But expression name not found", leaf.path);
  if (!isAnythingButKind(kind)) invalidPattern(`Unsupported anything-but pattern: ${kind}`, leaf.path);
  // Each takes one string or a list of strings; an empty list excludes nothing, as in event-ruler.
  const texts: readonly unknown[] = Array.isArray(operand) ? operand : [operand];
  if (!texts.every((text) => typeof text === "string")) {
    invalidPattern(ANYTHING_BUT_TYPE_ERRORS[kind], leaf.path);
  }
  switch (kind) {
    case "prefix":
    case "suffix":
      // An empty prefix/suffix would exclude every string; EventBridge refuses it.
      if (texts.includes("")) invalidPattern("Null prefix/suffix not allowed", leaf.path);
      return (value) => texts.some((text) => hasAffix(kind, value, text));
    case "equals-ignore-case": {
      const folded = new Set(texts.map(foldCase));
      return (value) => folded.has(foldCase(value));
    }
    case "wildcard": {
      const wildcards = texts.map((text) => parseWildcard(text, leaf.path));
      leaf.wildcards.set(`anything-but:${JSON.stringify([...texts].sort())}`, wildcards);
      return (value) => wildcards.some((wildcard) => wildcard.matches(value));
    }
  }
}

interface Bound {
  readonly value: number;
  readonly inclusive: boolean;
}

interface NumericRange {
  readonly lower?: Bound;
  readonly upper?: Bound;
}

/**
 * `numeric`: `["=", n]`, `["<" | "<=", n]`, or `[">" | ">=", n]` optionally followed by
 * `"<" | "<=", m` with n < m. Only JSON numbers match: "300" in an event is a string.
 */
function compileNumeric(operand: unknown, leaf: LeafBuilder): void {
  if (!Array.isArray(operand)) invalidPattern("Value of numeric must be an array.", leaf.path);
  const { lower, upper } = numericRange(operand, leaf.path);
  leaf.tests.push(
    (value) => typeof value === "number" && withinLower(value, lower) && withinUpper(value, upper),
  );
}

function withinLower(value: number, bound: Bound | undefined): boolean {
  return bound === undefined || value > bound.value || (bound.inclusive && value === bound.value);
}

function withinUpper(value: number, bound: Bound | undefined): boolean {
  return bound === undefined || value < bound.value || (bound.inclusive && value === bound.value);
}

function numericRange(terms: readonly unknown[], path: string): NumericRange {
  const [operator, operand] = terms;
  if (typeof operator !== "string") {
    invalidPattern(`Invalid member in numeric match: ${describeTerm(operator)}`, path);
  }
  switch (operator) {
    case "=": {
      const value = numericOperand("equals", operand, path);
      expectNoMoreTerms(terms, 2, "Too many elements in numeric expression", path);
      return { lower: { value, inclusive: true }, upper: { value, inclusive: true } };
    }
    case "<":
    case "<=": {
      const value = numericOperand(operator, operand, path);
      expectNoMoreTerms(terms, 2, "Too many elements in numeric expression", path);
      return { upper: { value, inclusive: operator === "<=" } };
    }
    case ">":
    case ">=": {
      const lower = { value: numericOperand(operator, operand, path), inclusive: operator === ">=" };
      return terms.length === 2 ? { lower } : { lower, upper: upperBoundAfter(lower, terms, path) };
    }
    default:
      return invalidPattern(`Unrecognized numeric range operator: ${operator}`, path);
  }
}

function upperBoundAfter(lower: Bound, terms: readonly unknown[], path: string): Bound {
  const [, , operator, operand] = terms;
  if (typeof operator !== "string") {
    invalidPattern(`Bad value in numeric range: ${describeTerm(operator)}`, path);
  }
  if (operator !== "<" && operator !== "<=") invalidPattern(`Bad numeric range operator: ${operator}`, path);
  const value = numericOperand(operator, operand, path);
  expectNoMoreTerms(terms, 4, "Too many terms in numeric range expression", path);
  if (!(lower.value < value)) invalidPattern("Bottom must be less than top", path);
  return { value, inclusive: operator === "<=" };
}

function numericOperand(operatorName: string, operand: unknown, path: string): number {
  if (typeof operand !== "number" || !Number.isFinite(operand)) {
    invalidPattern(`Value of ${operatorName} must be numeric`, path);
  }
  return operand;
}

function expectNoMoreTerms(terms: readonly unknown[], count: number, reason: string, path: string): void {
  if (terms.length > count) invalidPattern(reason, path);
}

function describeTerm(term: unknown): string {
  // Like AWS, name the closing bracket when the array ran out where a term was expected.
  return term === undefined ? "]" : JSON.stringify(term);
}
