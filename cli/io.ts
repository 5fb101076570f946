/**
 * What a command needs from the process, passed in so that tests can run `main` in-process and read
 * exactly what a terminal would show.
 */
export interface OutputStream {
  write(chunk: string): unknown;
  /** Set by Node on a terminal; colour is only ever used there. */
  isTTY?: boolean;
}

export interface CliIo {
  stdout: OutputStream;
  stderr: OutputStream;
  /** Environment variables (colour switches, AWS settings). */
  env: Readonly<Record<string, string | undefined>>;
  /** Directory relative paths are resolved against. */
  cwd: string;
  /** Wall clock, used only by `send` (to validate events whose time the bus will stamp). */
  now?: () => Date;
  /** Waits between publish retries; tests pass one that returns at once. */
  sleep?: (ms: number) => Promise<void>;
}

/** Exit statuses: documented in `waymark --help`, relied on by scripts and CI. */
export const EXIT = {
  ok: 0,
  /** The input was read but is wrong, or the operation failed. */
  failed: 1,
  /** The command line is wrong: unknown command or option, missing argument, missing file. */
  usage: 2,
} as const;

/** An error the user can fix; the message says how. Caught by `main` and printed without a stack. */
export class CliError extends Error {
  override readonly name: string = "CliError";
  readonly exitCode: number;

  constructor(message: string, exitCode: number = EXIT.usage) {
    super(message);
    this.exitCode = exitCode;
  }
}

/** Several problems with the input, all reported at once so they can be fixed in one pass. */
export class InputProblems extends CliError {
  override readonly name: string = "InputProblems";
  readonly problems: readonly string[];

  constructor(problems: readonly string[], heading: string) {
    super(heading, EXIT.failed);
    this.problems = problems;
  }
}

/**
 * Colour only on a terminal, and never when `CI` is set or `NO_COLOR` is (https://no-color.org: an
 * empty NO_COLOR does not count), so logs and pipes get plain text.
 */
export function useColor(io: Pick<CliIo, "stdout" | "env">): boolean {
  if (io.stdout.isTTY !== true) return false;
  if (io.env.CI !== undefined) return false;
  return io.env.NO_COLOR === undefined || io.env.NO_COLOR === "";
}
