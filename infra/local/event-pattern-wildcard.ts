/**
 * The `wildcard` operator: parsing, matching, and EventBridge's "rule is too complex" check.
 *
 * Syntax (EventBridge docs, aws/event-ruler): `*` matches any run of characters, including none;
 * `\*` is a literal asterisk and `\\` a literal backslash; any other escape, and two consecutive
 * wildcards, are invalid.
 */
import { invalidPattern } from "./event-pattern-error.ts";

/** A parsed wildcard pattern. */
export interface Wildcard {
  /** The literal runs between the wildcards, unescaped: "a*b\\*c" → ["a", "b*c"]. */
  readonly segments: readonly string[];
  matches(value: string): boolean;
}

/** Wildcard patterns that EventBridge weighs as one pattern (one operator) in the complexity check. */
export type WildcardGroup = readonly Wildcard[];

/**
 * The largest accepted complexity (see {@link assertWildcardComplexity}). EventBridge does not publish
 * its threshold. What AWS was seen accepting weighs at most 8 in this model (four "*.ext" suffixes on
 * one field; the docs' repeated "dir/" example, 7); what it rejects weighs 11 and more (the docs'
 * "*:*:*:*:*:event-bus/*"; four "*" + "/datasync/*.ext" patterns on one field weigh 16). The most
 * lenient limit that still rejects those is 10.
 */
const MAX_COMPLEXITY = 10;

/** Parses and validates a wildcard pattern. */
export function parseWildcard(pattern: string, path: string): Wildcard {
  const segments = splitSegments(pattern, path);
  return { segments, matches: (value) => matchesSegments(segments, value) };
}

function splitSegments(pattern: string, path: string): string[] {
  const segments: string[] = [];
  let current = "";
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i];
    const next = pattern[i + 1];
    if (char === "*") {
      // Positions count from 1 like AWS's, whose parser sees the value with its opening quote.
      if (next === "*") invalidPattern(`Consecutive wildcard characters at pos ${i + 1}`, path);
      segments.push(current);
      current = "";
    } else if (char === "\\") {
      if (next !== "*" && next !== "\\") invalidPattern(`Invalid escape character at pos ${i + 1}`, path);
      current += next;
      i++;
    } else {
      current += char;
    }
  }
  segments.push(current);
  return segments;
}

/**
 * Glob matching without backtracking: the first segment must start the value, the last must end it,
 * and taking each middle segment at its leftmost occurrence never loses a match. This stays linear in
 * practice where a regular expression with several `.*` could backtrack polynomially.
 */
function matchesSegments(segments: readonly string[], value: string): boolean {
  const first = segments[0] ?? "";
  if (segments.length === 1) return value === first;
  const last = segments[segments.length - 1] ?? "";
  if (value.length < first.length + last.length || !value.startsWith(first) || !value.endsWith(last)) {
    return false;
  }
  const end = value.length - last.length;
  let position = first.length;
  for (const segment of segments.slice(1, -1)) {
    const found = value.indexOf(segment, position);
    if (found === -1 || found + segment.length > end) return false;
    position = found + segment.length;
  }
  return true;
}

/**
 * Rejects a field's wildcards that EventBridge would refuse as too complex.
 *
 * EventBridge matches a field's wildcard patterns with one byte-level automaton and refuses rules
 * under which too many wildcard-pattern prefixes can be alive at once for a worst-case value
 * (event-ruler's MachineComplexityEvaluator). This models that automaton: the quoted UTF-8 value, a
 * trie shared by all patterns up to their first wildcard, separate states after it, each state
 * weighing the number of patterns it leads to. The complexity is the heaviest set of states any
 * input reaches. Each group is one pattern: a `wildcard` operator, or one `anything-but` wildcard list.
 */
export function assertWildcardComplexity(groups: readonly WildcardGroup[], path: string): void {
  if (groups.length === 0) return;
  if (heaviestReachableWeight(buildAutomaton(groups)) > MAX_COMPLEXITY) {
    invalidPattern(
      "Rule is too complex - try using fewer wildcard characters or fewer repeating character " +
        "sequences after a wildcard character",
      path,
    );
  }
}

/** A byte, or {@link STAR} for a wildcard. */
type Token = number;
const STAR = -1;
/** Stands for every byte that no pattern spells out: such bytes only keep wildcard states alive. */
const OTHER_BYTE = 256;
const QUOTE = 0x22;

interface State {
  readonly id: number;
  /** The patterns reachable through this state. */
  readonly groups: Set<number>;
  readonly onByte: Map<number, State[]>;
  /** States entered without consuming a byte: a wildcard may match nothing. */
  readonly free: State[];
  /** Deterministic children, shared between patterns up to their first wildcard. */
  readonly trie: Map<number, State>;
  /** The wildcard state that follows this trie state, shared like the trie. */
  sharedStar?: State;
  loops: boolean;
}

interface Automaton {
  readonly start: State;
  readonly alphabet: ReadonlySet<number>;
}

function buildAutomaton(groups: readonly WildcardGroup[]): Automaton {
  let nextId = 0;
  const newState = (): State => ({
    id: nextId++,
    groups: new Set(),
    onByte: new Map(),
    free: [],
    trie: new Map(),
    loops: false,
  });
  const start = newState();
  const alphabet = new Set<number>([OTHER_BYTE]);
  groups.forEach((group, groupId) => {
    for (const wildcard of group) {
      const tokens = tokenize(wildcard);
      for (const token of tokens) if (token !== STAR) alphabet.add(token);
      addPattern(start, tokens, groupId, newState);
    }
  });
  return { start, alphabet };
}

function tokenize(wildcard: Wildcard): Token[] {
  const encoder = new TextEncoder();
  const tokens: Token[] = [QUOTE];
  wildcard.segments.forEach((segment, i) => {
    if (i > 0) tokens.push(STAR);
    tokens.push(...encoder.encode(segment));
  });
  tokens.push(QUOTE);
  return tokens;
}

function addPattern(start: State, tokens: readonly Token[], groupId: number, newState: () => State): void {
  let state = start;
  let shared = true;
  for (const token of tokens) {
    let next: State;
    if (token === STAR) {
      next = shared ? sharedStarAfter(state, newState) : newState();
      if (!state.free.includes(next)) state.free.push(next);
      next.loops = true;
      shared = false;
    } else {
      const existing = shared ? state.trie.get(token) : undefined;
      next = existing ?? newState();
      if (existing === undefined) {
        state.onByte.set(token, [...(state.onByte.get(token) ?? []), next]);
        if (shared) state.trie.set(token, next);
      }
    }
    next.groups.add(groupId);
    state = next;
  }
}

function sharedStarAfter(state: State, newState: () => State): State {
  if (state.sharedStar === undefined) state.sharedStar = newState();
  return state.sharedStar;
}

/** Explores every set of simultaneously active states; stops early once past the limit. */
function heaviestReachableWeight({ start, alphabet }: Automaton): number {
  const seen = new Set<string>();
  const pending = [withFreeMoves([start])];
  let heaviest = 0;
  for (let active = pending.pop(); active !== undefined; active = pending.pop()) {
    const key = [...active].map((state) => state.id).join(",");
    if (seen.has(key)) continue;
    seen.add(key);
    let weight = 0;
    for (const state of active) if (state !== start) weight += state.groups.size;
    heaviest = Math.max(heaviest, weight);
    if (heaviest > MAX_COMPLEXITY) break;
    for (const byte of alphabet) {
      const next = step(active, byte);
      if (next.length > 0) pending.push(withFreeMoves(next));
    }
  }
  return heaviest;
}

function step(active: ReadonlySet<State>, byte: number): State[] {
  const next: State[] = [];
  for (const state of active) {
    if (state.loops) next.push(state);
    next.push(...(state.onByte.get(byte) ?? []));
  }
  return next;
}

/** The states plus everything reachable from them by free moves, ordered by id for a stable key. */
function withFreeMoves(states: readonly State[]): ReadonlySet<State> {
  const closed = new Set<State>();
  const todo = [...states];
  for (let state = todo.pop(); state !== undefined; state = todo.pop()) {
    if (closed.has(state)) continue;
    closed.add(state);
    todo.push(...state.free);
  }
  return new Set([...closed].sort((a, b) => a.id - b.id));
}
