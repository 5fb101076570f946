/**
 * `waymark report`: a journey's numbers on the terminal — funnel, goals, NPS, experiments with their lift —
 * from a running local runtime, or offline from a `--data` directory's facts.
 */
import { parseCommandArgs } from "./args.ts";
import { formatReport } from "./format-report.ts";
import { CliError, type CliIo, EXIT } from "./io.ts";
import { loadCatalog } from "./load-catalog.ts";

const COMMAND = "waymark report";
const DEFAULT_ENDPOINT = "http://127.0.0.1:4010";

export const help = `Usage: waymark report <journey> [--endpoint <url>] [--json]
       waymark report <journey> --data <dir> [--catalog <file>] [--json]

Prints a journey's measurements per version: the funnel (runs that reached each node, and those waiting
there), its goal's conversions, NPS with its margin of error, and every experiment's variants with their
conversion rates and lift against the control (Newcombe's hybrid score interval, 95%; "not enough data
yet" while an arm is small).

Options:
  --endpoint <url>       the local runtime to ask (default ${DEFAULT_ENDPOINT}, or WAYMARK_ENDPOINT)
  --data <dir>           read the facts a runtime kept with --data instead (no runtime needed)
  --catalog <file>       with --data: the catalog module (default: the nearest waymark.config.ts)
  --json                 print the measurements as JSON (GET /analytics/journeys/{id}'s answer)
  -h, --help             show this help

In AWS the same numbers come from the Athena named queries the stack creates (docs/measurement.md).

Exit status: 0 printed; 1 the runtime could not be reached; 2 usage error (no or unknown journey).
`;

export async function run(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(COMMAND, {
    args: [...args],
    allowPositionals: true,
    strict: true,
    options: {
      endpoint: { type: "string" },
      data: { type: "string" },
      catalog: { type: "string" },
      json: { type: "boolean" },
    },
  });
  const [journeyId, ...extra] = positionals;
  if (journeyId === undefined) throw new CliError(`which journey? e.g. ${COMMAND} post-purchase`);
  if (extra.length > 0) throw new CliError(`unexpected argument ${extra[0]} — one journey per report`);
  const measurements =
    values.data !== undefined
      ? await offline(journeyId, values.data, values.catalog, io)
      : await fromRuntime(journeyId, values.endpoint ?? io.env.WAYMARK_ENDPOINT ?? DEFAULT_ENDPOINT);
  io.stdout.write(values.json ? `${JSON.stringify(measurements, null, 2)}\n` : formatReport(measurements));
  return EXIT.ok;
}

async function fromRuntime(journeyId: string, endpoint: string) {
  let response: Response;
  try {
    response = await fetch(
      `${endpoint.replace(/\/+$/, "")}/analytics/journeys/${encodeURIComponent(journeyId)}`,
    );
  } catch (error) {
    throw new CliError(
      `could not reach the local runtime at ${endpoint} (${(error as Error).message}): start it with "waymark start", or pass --data`,
      EXIT.failed,
    );
  }
  const body = (await response.json()) as { message?: string };
  if (response.status === 404) throw new CliError(body.message ?? `no journey ${journeyId}`);
  if (!response.ok)
    throw new CliError(`the runtime answered ${response.status}: ${body.message ?? ""}`, EXIT.failed);
  return body as Awaited<ReturnType<typeof offline>>;
}

async function offline(journeyId: string, dataDir: string, catalogFile: string | undefined, io: CliIo) {
  const { catalog } = await loadCatalog(catalogFile, io.cwd);
  if (!catalog.journeys.some((journey) => journey.id === journeyId)) {
    const known = [...new Set(catalog.journeys.map((j) => j.id))].sort().join(", ");
    throw new CliError(`the catalog has no journey ${journeyId} (it has: ${known})`);
  }
  // DuckDB loads only for an offline report: the rest of the CLI never needs it.
  const { LocalMeasurements } = await import("../infra/local/local-measurements.ts");
  const measurements = await LocalMeasurements.open(dataDir);
  try {
    return await measurements.journey(journeyId, catalog);
  } finally {
    measurements.close();
  }
}
