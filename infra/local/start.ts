/**
 * `npm start`: the whole of Waymark on this machine, no AWS account needed.
 *
 *   npm start                      in memory, on http://127.0.0.1:4010 (WAYMARK_PORT to change)
 *   npm start -- --data .waymark   keep state on disk; it survives a restart
 */
import { parseArgs } from "node:util";

// The terminal tells the story line by line; the handlers' JSON logs and metrics would drown it.
// Set before the handler modules load (they read these once): hence the dynamic imports below.
process.env.POWERTOOLS_LOG_LEVEL ??= "ERROR";
process.env.POWERTOOLS_METRICS_DISABLED ??= "true";
const { DEFAULT_PORT, LocalRuntime } = await import("./runtime.ts");
const { supportsColour } = await import("./terminal.ts");

const started = performance.now();
const { values } = parseArgs({
  options: {
    data: { type: "string" },
    port: { type: "string" },
    help: { type: "boolean", short: "h" },
  },
});
if (values.help) {
  console.log(
    "usage: npm start [-- --data <dir>] [-- --port <port>]\n\nRuns Waymark locally; see README.md.",
  );
  process.exit(0);
}
const port = Number(values.port ?? process.env.WAYMARK_PORT ?? DEFAULT_PORT);
if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  console.error(`invalid port "${values.port ?? process.env.WAYMARK_PORT}": pass a number from 0 to 65535`);
  process.exit(2);
}

let runtime: Awaited<ReturnType<typeof LocalRuntime.start>>;
try {
  runtime = await LocalRuntime.start({
    port,
    ...(values.data ? { dataDir: values.data } : {}),
    write: (line) => console.log(line),
    colour: supportsColour(),
  });
} catch (error) {
  const code = (error as NodeJS.ErrnoException).code;
  console.error(
    code === "EADDRINUSE"
      ? `port ${port} is already in use: stop the other process or set WAYMARK_PORT to a free port`
      : `could not start: ${(error as Error).message}`,
  );
  process.exit(1);
}

// Handlers first, then the ready line: a Ctrl-C the moment it appears must still stop cleanly.
let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) process.exit(1);
    stopping = true;
    console.log("\nstopping…");
    runtime.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}

console.log(
  `Waymark is running on ${runtime.url} (${values.data ? `data in ${values.data}` : "in memory"}, ` +
    `virtual clock ${runtime.clock.now().toISOString()}) — ready in ${Math.round(performance.now() - started)} ms`,
);
console.log(
  "Put events with the EventBridge API, read GET /outbox, move time with POST /clock. Ctrl-C stops.",
);
