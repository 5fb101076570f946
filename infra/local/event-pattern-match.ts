/**
 * Matching a compiled pattern against an event.
 *
 * Like EventBridge, both sides are seen as dotted paths: `{"a": {"b": 1}}` and `{"a.b": 1}` both hold
 * the value 1 at "a.b". Arrays in the event are transparent (a value inside an array is a value of the
 * field), and matching is array-consistent like event-ruler's `rulesForJSONEvent`: fields matched
 * together must not come from different elements of the same array.
 */
import { isJsonObject, isScalar, type LeafMatcher, type Scalar } from "./event-pattern-operators.ts";

/** One field of the pattern, with the alternatives its values are tested against. */
export interface FieldCondition {
  readonly path: string;
  readonly leaf: LeafMatcher;
}

/** A conjunction: every field, and one alternative of every `$or` group. */
export interface ConditionNode {
  readonly fields: readonly FieldCondition[];
  readonly orGroups: readonly (readonly ConditionNode[])[];
}

/** Which element of which array a value sits in, outermost array first. */
type ArrayPosition = readonly [arrayId: number, index: number];

interface EventLeaf {
  readonly value: Scalar;
  readonly positions: readonly ArrayPosition[];
}

type EventIndex = ReadonlyMap<string, readonly EventLeaf[]>;

/** Array elements chosen so far: array id → element index. */
type Membership = ReadonlyMap<number, number>;

interface SearchState {
  readonly membership: Membership;
  /** Fields the search decided are absent; verified once the whole membership is known. */
  readonly absentPaths: readonly string[];
}

type Continuation = (state: SearchState) => boolean;

/** Tests events against the pattern rooted at `root`. */
export function createMatcher(root: ConditionNode): (event: Record<string, unknown>) => boolean {
  const conditions = collectConditions(root);
  const pathPrefixes = new Set(conditions.flatMap((condition) => dottedPrefixes(condition.path)));
  return (event) => {
    const index = keepConflictingArrays(indexEvent(event, pathPrefixes), conditions);
    const initial: SearchState = { membership: new Map(), absentPaths: [] };
    return satisfyNode(root, index, initial, (state) =>
      state.absentPaths.every((path) => !hasConsistentLeaf(index.get(path), state.membership)),
    );
  };
}

function collectConditions(node: ConditionNode): FieldCondition[] {
  return [...node.fields, ...node.orGroups.flat().flatMap(collectConditions)];
}

/** "a", "a.b" and "a.b.c" for "a.b.c": the only event paths that can lead to that field. */
function dottedPrefixes(path: string): string[] {
  const prefixes: string[] = [];
  for (let end = path.indexOf("."); end !== -1; end = path.indexOf(".", end + 1)) {
    prefixes.push(path.slice(0, end));
  }
  prefixes.push(path);
  return prefixes;
}

function indexEvent(event: Record<string, unknown>, pathPrefixes: ReadonlySet<string>): EventIndex {
  const index = new Map<string, EventLeaf[]>();
  let nextArrayId = 0;
  const visit = (value: unknown, path: string, positions: readonly ArrayPosition[]): void => {
    if (Array.isArray(value)) {
      const arrayId = nextArrayId++;
      for (const [i, element] of value.entries()) visit(element, path, [...positions, [arrayId, i]]);
    } else if (isJsonObject(value)) {
      visitMembers(value, path, positions);
    } else if (isScalar(value)) {
      const leaves = index.get(path);
      if (leaves === undefined) index.set(path, [{ value, positions }]);
      else leaves.push({ value, positions });
    }
    // Anything else (undefined, functions, ...) has no JSON form, so the field counts as absent.
  };
  const visitMembers = (
    object: Record<string, unknown>,
    parent: string,
    positions: readonly ArrayPosition[],
  ) => {
    for (const [key, member] of Object.entries(object)) {
      const path = parent === "" ? key : `${parent}.${key}`;
      if (pathPrefixes.has(path)) visit(member, path, positions);
    }
  };
  visitMembers(event, "", []);
  return index;
}

/**
 * Drops array positions that cannot cause a conflict: an array whose elements hold values of only one
 * pattern condition. Without this, two fields in unrelated arrays would be tried in every combination
 * of their elements; with it, values that differ only in such positions collapse into one choice.
 */
function keepConflictingArrays(index: EventIndex, conditions: readonly FieldCondition[]): EventIndex {
  const conditionsPerArray = new Map<number, number>();
  for (const condition of conditions) {
    const arrays = new Set(
      (index.get(condition.path) ?? []).flatMap((leaf) => leaf.positions.map(([id]) => id)),
    );
    for (const id of arrays) conditionsPerArray.set(id, (conditionsPerArray.get(id) ?? 0) + 1);
  }
  if (conditionsPerArray.size === 0) return index;
  const conflicting = ([id]: ArrayPosition) => (conditionsPerArray.get(id) ?? 0) > 1;
  const projected = new Map<string, EventLeaf[]>();
  for (const [path, leaves] of index) {
    projected.set(
      path,
      leaves.map(({ value, positions }) => ({ value, positions: positions.filter(conflicting) })),
    );
  }
  return projected;
}

function satisfyNode(
  node: ConditionNode,
  index: EventIndex,
  state: SearchState,
  next: Continuation,
): boolean {
  return satisfyFields(node.fields, 0, index, state, (afterFields) =>
    satisfyOrGroups(node.orGroups, 0, index, afterFields, next),
  );
}

/** Tries each way the field at `i` can hold, backtracking if the remaining fields then cannot. */
function satisfyFields(
  fields: readonly FieldCondition[],
  i: number,
  index: EventIndex,
  state: SearchState,
  next: Continuation,
): boolean {
  const field = fields[i];
  if (field === undefined) return next(state);
  const rest: Continuation = (chosen) => satisfyFields(fields, i + 1, index, chosen, next);
  for (const membership of matchingMemberships(field, index.get(field.path), state.membership)) {
    if (rest({ ...state, membership })) return true;
  }
  return field.leaf.matchesAbsent && rest({ ...state, absentPaths: [...state.absentPaths, field.path] });
}

function satisfyOrGroups(
  groups: readonly (readonly ConditionNode[])[],
  i: number,
  index: EventIndex,
  state: SearchState,
  next: Continuation,
): boolean {
  const group = groups[i];
  if (group === undefined) return next(state);
  return group.some((alternative) =>
    satisfyNode(alternative, index, state, (chosen) => satisfyOrGroups(groups, i + 1, index, chosen, next)),
  );
}

/** The distinct array memberships under which one of the field's values matches. */
function matchingMemberships(
  field: FieldCondition,
  leaves: readonly EventLeaf[] | undefined,
  membership: Membership,
): Membership[] {
  const found = new Map<string, Membership>();
  for (const leaf of leaves ?? []) {
    if (!field.leaf.test(leaf.value)) continue;
    const merged = mergeMembership(membership, leaf.positions);
    if (merged === undefined) continue;
    // Values outside arrays never constrain later fields: one match is as good as any other.
    if (leaf.positions.length === 0) return [merged];
    found.set(leaf.positions.map(([arrayId, i]) => `${arrayId}:${i}`).join(","), merged);
  }
  return [...found.values()];
}

/** `membership` extended with the leaf's array positions, or undefined if they contradict it. */
function mergeMembership(
  membership: Membership,
  positions: readonly ArrayPosition[],
): Membership | undefined {
  let merged: Map<number, number> | undefined;
  for (const [arrayId, i] of positions) {
    const chosen = membership.get(arrayId);
    if (chosen === i) continue;
    if (chosen !== undefined) return undefined;
    merged ??= new Map(membership);
    merged.set(arrayId, i);
  }
  return merged ?? membership;
}

function hasConsistentLeaf(leaves: readonly EventLeaf[] | undefined, membership: Membership): boolean {
  return (leaves ?? []).some((leaf) => mergeMembership(membership, leaf.positions) !== undefined);
}
