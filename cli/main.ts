/**
 * The `waymark` command: dispatches to a command module and turns errors into messages and exit
 * statuses. Command modules are loaded on demand, so `waymark --help` does not load the AWS SDK and a
 * simulation does not load it either.
 */
import { seeHelp, wantsHelp } from "./args.ts";
import { CliError, type CliIo, EXIT, InputProblems } from "./io.ts";

interface CommandModule {
  help: string;
  run(args: readonly string[], io: CliIo): Promise<number>;
}

interface Command {
  usage: string;
  summary: string;
  load(): Promise<CommandModule>;
}

const COMMANDS: Readonly<Record<string, Command>> = {
  start: {
    usage: "start [--catalog <file>] [--port <port>] [--data <dir>]",
    summary: "run all of Waymark locally on a catalog (no AWS)",
    load: () => import("./start-command.ts"),
  },
  init: {
    usage: "init <dir> [--waymark <npm spec>]",
    summary: "scaffold a project: catalog, journey, CDK app, tests",
    load: () => import("./init-command.ts"),
  },
  simulate: {
    usage: "simulate <journey> --events <file.jsonl> [--catalog <file>]",
    summary: "dry-run one journey over a scripted timeline (no AWS)",
    load: () => import("./simulate-command.ts"),
  },
  report: {
    usage: "report <journey> [--endpoint <url> | --data <dir>] [--json]",
    summary: "a journey's funnel, goals, NPS and experiment lift",
    load: () => import("./report-command.ts"),
  },
  import: {
    usage: "import pinpoint <journey.json|dir> [--out <dir>]",
    summary: "import Amazon Pinpoint journeys: module, template stubs, report",
    load: () => import("./import-command.ts"),
  },
  send: {
    usage: "send <file.json|file.jsonl> [--catalog <file>]",
    summary: "put events on the Waymark bus (AWS or the local runtime)",
    load: () => import("./send-command.ts"),
  },
};

const COMMAND_NAMES = Object.keys(COMMANDS);
/** The usage column is as wide as the longest usage, so every summary lines up after it. */
const USAGE_WIDTH = Math.max(...COMMAND_NAMES.map((name) => COMMANDS[name]!.usage.length)) + 3;

export const help = `Usage: waymark <command> [options]

Waymark's command-line tool: try journeys and feed events to the bus.

Commands:
${COMMAND_NAMES.map((name) => `  ${COMMANDS[name]!.usage.padEnd(USAGE_WIDTH)}${COMMANDS[name]!.summary}`).join("\n")}
  ${"help [command]".padEnd(USAGE_WIDTH)}show help for waymark or a command

Run "waymark <command> --help" for a command's options.

Exit status: 0 success; 1 invalid input or a failed operation; 2 usage error.
`;

/**
 * Runs `waymark` with `argv` (the arguments after the program name) and returns the exit status.
 * Never throws and never exits the process, so tests call it directly.
 */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined) {
    io.stderr.write(help);
    return EXIT.usage;
  }
  if (name === "--help" || name === "-h") {
    io.stdout.write(help);
    return EXIT.ok;
  }
  if (name === "help") return showHelp(args[0], io);
  const command = lookUp(name);
  if (!command) {
    io.stderr.write(`waymark: ${unknownCommand(name)}\n${seeHelp("waymark")}\n`);
    return EXIT.usage;
  }
  const prefix = `waymark ${name}`;
  try {
    const module = await command.load();
    if (wantsHelp(args)) {
      io.stdout.write(module.help);
      return EXIT.ok;
    }
    return await module.run(args, io);
  } catch (error) {
    return report(error, prefix, io);
  }
}

async function showHelp(name: string | undefined, io: CliIo): Promise<number> {
  if (name === undefined) {
    io.stdout.write(help);
    return EXIT.ok;
  }
  const command = lookUp(name);
  if (!command) {
    io.stderr.write(`waymark help: ${unknownCommand(name)}\n`);
    return EXIT.usage;
  }
  io.stdout.write((await command.load()).help);
  return EXIT.ok;
}

function lookUp(name: string): Command | undefined {
  return Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
}

function unknownCommand(name: string): string {
  if (name.startsWith("-"))
    return `unknown option ${name} — put a command first: ${COMMAND_NAMES.join(", ")}`;
  const guess = COMMAND_NAMES.find(
    (c) => (name !== "" && c.startsWith(name.toLowerCase())) || editDistance(c, name) <= 2,
  );
  return (
    `unknown command ${JSON.stringify(name)}${guess ? ` (did you mean ${guess}?)` : ""} — ` +
    `commands: ${COMMAND_NAMES.join(", ")}`
  );
}

function report(error: unknown, prefix: string, io: CliIo): number {
  if (error instanceof InputProblems) {
    io.stderr.write(`${prefix}: ${error.message}\n${error.problems.map((p) => `${p}\n`).join("")}`);
    return error.exitCode;
  }
  if (error instanceof CliError) {
    io.stderr.write(`${prefix}: ${error.message}\n`);
    return error.exitCode;
  }
  // Not the user's doing: keep the stack, it is what a bug report needs.
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  io.stderr.write(`${prefix}: unexpected error — please report it with this output:\n${detail}\n`);
  return EXIT.failed;
}

/** Levenshtein distance, for "did you mean" on short command names. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length]!;
}
