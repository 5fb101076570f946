/**
 * Command-line parsing on `node:util` parseArgs, with its errors reworded into what to do next. Every
 * command parses strictly: a mistyped option is an error, never silently a positional argument.
 */
import { type ParseArgsConfig, parseArgs } from "node:util";
import { CliError } from "./io.ts";
import { isIsoTime } from "./time.ts";

/**
 * parseArgs, except that a bad command line becomes a `CliError` (exit 2) that points at the command's
 * help. `command` is the full command, e.g. `waymark simulate`.
 */
export function parseCommandArgs<const T extends ParseArgsConfig>(
  command: string,
  config: T,
): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (error) {
    throw new CliError(`${describeParseError(error)}\n${seeHelp(command)}`);
  }
}

export function seeHelp(command: string): string {
  return `Run "${command} --help" for usage.`;
}

/** Whether the arguments ask for help (before any `--`, after which everything is positional). */
export function wantsHelp(args: readonly string[]): boolean {
  for (const arg of args) {
    if (arg === "--") return false;
    if (arg === "--help" || arg === "-h") return true;
  }
  return false;
}

/** Node's messages name the internals ("place it at the end of the command after '--'"); ours do not. */
function describeParseError(error: unknown): string {
  const { code, message } = error as { code?: string; message?: string };
  const text = String(message ?? error);
  const option = /'(-[^' ]*)/.exec(text)?.[1];
  switch (code) {
    case "ERR_PARSE_ARGS_UNKNOWN_OPTION":
      return `unknown option ${option ?? text}`;
    case "ERR_PARSE_ARGS_INVALID_OPTION_VALUE":
      return text.includes("argument missing")
        ? `option ${longName(text) ?? option} needs a value`
        : `option ${longName(text) ?? option} does not take a value`;
    case "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL":
      return `unexpected argument ${/'([^']*)'/.exec(text)?.[1] ?? text}`;
    default:
      return text;
  }
}

function longName(message: string): string | undefined {
  return /(--[\w-]+)/.exec(message)?.[1];
}

/**
 * An ISO-8601 date-time with a zone (a time without one would mean something different on every
 * machine, and the simulation must not depend on where it runs), normalised to UTC.
 */
export function parseIsoTime(flag: string, value: string): string {
  if (!isIsoTime(value)) {
    throw new CliError(
      `${flag} expects an ISO-8601 time with a zone, like 2026-03-01T09:00:00Z or ` +
        `2026-03-01T18:00:00+09:00 (got ${JSON.stringify(value)})`,
    );
  }
  return new Date(value).toISOString();
}
