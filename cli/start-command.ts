/**
 * `waymark start`: the whole of Waymark on this machine for a catalog, no AWS account needed — the local
 * runtime (docs/local-runtime.md) on the team's `waymark.config.ts`. It runs until Ctrl-C.
 */
import { DEFAULT_PORT } from "../infra/local/local-defaults.ts";
import { parseCommandArgs } from "./args.ts";
import { CliError, type CliIo, EXIT } from "./io.ts";
import { loadCatalog } from "./load-catalog.ts";

export const help = `Usage: waymark start [--catalog <file>] [--port <port>] [--data <dir>]

Runs all of Waymark locally on a virtual clock: the same handlers Lambda runs, DynamoDB on dynalite,
an EventBridge-compatible endpoint, timers, and an outbox instead of real SMS and email. Put events with
any EventBridge client pointed at it; read GET /outbox; move time with POST /clock. Ctrl-C stops it.

Options:
  --catalog <file>       the catalog module (default: the nearest waymark.config.ts, here or above)
  --port <port>          HTTP port, 0 for any free one (default: WAYMARK_PORT or 4010)
  --data <dir>           keep state on disk in <dir> across restarts (default: in memory)
  -h, --help             show this help

No AWS credentials are needed: the local endpoint accepts any (the SDK still wants some, so set
AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local, or pass credentials to the client).
`;

export async function run(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs("waymark start", {
    args: [...args],
    allowPositionals: true,
    strict: true,
    options: { catalog: { type: "string" }, port: { type: "string" }, data: { type: "string" } },
  });
  if (positionals.length > 0)
    throw new CliError(`unexpected argument ${positionals[0]} (waymark start --help)`);
  const portText = values.port ?? io.env.WAYMARK_PORT;
  const port = Number(portText ?? DEFAULT_PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new CliError(`invalid port "${portText}": pass a number from 0 to 65535`, EXIT.usage);
  }
  const started = performance.now();
  const { catalog, file } = await loadCatalog(values.catalog, io.cwd);

  // The terminal tells the story line by line; the handlers' JSON logs and metrics would drown it. Set
  // before the handler modules load (they read these once): hence the dynamic import below.
  process.env.POWERTOOLS_LOG_LEVEL ??= "ERROR";
  process.env.POWERTOOLS_METRICS_DISABLED ??= "true";
  const { LocalRuntime } = await import("../infra/local/runtime.ts");
  const { supportsColour } = await import("../infra/local/terminal.ts");

  let runtime: Awaited<ReturnType<typeof LocalRuntime.start>>;
  try {
    runtime = await LocalRuntime.start({
      port,
      catalog,
      ...(values.data ? { dataDir: values.data } : {}),
      write: (line) => io.stdout.write(`${line}\n`),
      colour: supportsColour(),
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliError(
      code === "EADDRINUSE"
        ? `port ${port} is already in use: stop the other process or pass --port with a free port`
        : `could not start: ${(error as Error).message}`,
      EXIT.failed,
    );
  }

  // Handlers first, then the ready line: a Ctrl-C the moment it appears must still stop cleanly.
  const stopped = new Promise<number>((resolve) => {
    let stopping = false;
    for (const signal of ["SIGINT", "SIGTERM"] as const) {
      process.on(signal, () => {
        if (stopping) process.exit(1);
        stopping = true;
        io.stdout.write("\nstopping…\n");
        runtime.stop().then(
          () => resolve(EXIT.ok),
          () => resolve(EXIT.failed),
        );
      });
    }
  });
  const journeys = [...new Set(catalog.latest().map((j) => j.id))].join(", ") || "none";
  io.stdout.write(
    `Waymark is running on ${runtime.url} (${values.data ? `data in ${values.data}` : "in memory"}, ` +
      `virtual clock ${runtime.clock.now().toISOString()}) — ready in ${Math.round(performance.now() - started)} ms\n` +
      `Catalog ${file}: journeys ${journeys}\n` +
      `The console is at ${runtime.url}/. Put events with the EventBridge API, read GET /outbox, move time with POST /clock. Ctrl-C stops.\n`,
  );
  return stopped;
}
