/**
 * The Node.js version guard of the `waymark` command. `bin/waymark.ts` imports this module before
 * anything else, so it is written in syntax every Node.js with ES modules parses (no `??`, `?.`,
 * class fields or top-level await) and imports nothing: on an old Node.js the user gets one line
 * telling them what to do instead of a syntax error or a stack trace from deep inside a dependency.
 */

/** The oldest major version Waymark runs on (`.nvmrc`, `engines` in package.json). */
export const MINIMUM_NODE_MAJOR = 24;

/**
 * The message to print when `version` (like `process.versions.node`: `20.11.1`, no `v`) is too old,
 * or `undefined` when it is new enough.
 */
export function nodeVersionProblem(version: string): string | undefined {
  const bare = String(version).replace(/^v/, "");
  const major = Number.parseInt(bare.split(".")[0] || "", 10);
  if (major >= MINIMUM_NODE_MAJOR) return undefined;
  return `waymark needs Node.js ${MINIMUM_NODE_MAJOR} or newer; this is Node.js v${bare} — see .nvmrc / https://nodejs.org`;
}
