/**
 * `waymark send`: validates a file of events, then puts them on the Waymark bus — the real one on AWS,
 * or the local runtime's EventBridge-compatible endpoint.
 */
import { DEFAULT_BUS_NAME } from "../events/catalog.ts";
import { parseCommandArgs } from "./args.ts";
import { CliError, type CliIo, EXIT, InputProblems } from "./io.ts";
import { loadCatalog } from "./load-catalog.ts";
import { readEventFile, type ValidEvent, validateEvents } from "./read-events.ts";
import {
  createEventBridgeClient,
  DEFAULT_SOURCE,
  type FailedEvent,
  type SentEvent,
  sendEvents,
  sizeProblem,
} from "./send.ts";

const COMMAND = "waymark send";

const FILE_HINT =
  "pass the path of a .json file (one EventBridge event or an array of them) or a .jsonl file " +
  "(one event per line)";

export const help = `Usage: waymark send <file.json|file.jsonl> [--endpoint <url>] [--bus <name>]
                    [--region <region>]

Validates every event in the file with Waymark's own parser, then puts them on the bus with the typed
publisher (batches of 10, failed entries retried with backoff). If any event is invalid, every problem
is printed and nothing is sent.

Arguments:
  <file>                 .json: one event or an array of events; .jsonl: one event per line
                         (blank lines and // comments skipped). Each event is EventBridge-style:
                           {"detail-type": "OrderDelivered", "source": "shop.orders",
                            "detail": {"customerId": "cust-kr-1", "orderId": "kr-100"}}
                         "source" defaults to ${DEFAULT_SOURCE}; "time" (ISO-8601) defaults to when the bus
                         receives the event (the virtual clock's now on the local runtime). An "id" is
                         sent as detail.eventId when the detail has none, so re-sending the same file
                         is deduplicated by Waymark.

Options:
  --endpoint <url>       an EventBridge-compatible endpoint, e.g. http://127.0.0.1:4010 for the local
                         runtime (npm start). Region defaults to AWS_REGION or us-east-1, and dummy
                         credentials are used unless AWS credentials are set in the environment.
                         Without --endpoint, events go to AWS with the SDK's usual region and
                         credential chain (AWS_PROFILE, SSO, environment, instance role, ...).
  --bus <name>           bus name or ARN (default: ${DEFAULT_BUS_NAME})
  --catalog <file>       the catalog the events are checked against (default: the nearest
                         waymark.config.ts, here or above)
  --region <region>      AWS Region, e.g. ap-northeast-2
  -h, --help             show this help

Events are sent in file order, in runs of consecutive events with the same source.

Exit status: 0 all sent; 1 invalid events (nothing sent) or some events failed (each is listed);
2 usage error (missing file, bad option).

Examples:
  waymark send events.jsonl --endpoint http://127.0.0.1:4010
  AWS_PROFILE=shop-dev waymark send delivery.json --region ap-northeast-2
`;

export async function run(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(COMMAND, {
    args: [...args],
    allowPositionals: true,
    strict: true,
    options: {
      endpoint: { type: "string" },
      bus: { type: "string" },
      region: { type: "string" },
      catalog: { type: "string" },
    },
  });
  const [file, ...extra] = positionals;
  if (file === undefined) throw new CliError(`which file? ${FILE_HINT}`);
  if (extra.length > 0) {
    throw new CliError(`unexpected argument ${extra[0]} — send one file at a time (${COMMAND} --help)`);
  }
  const endpoint = values.endpoint === undefined ? undefined : checkEndpoint(values.endpoint);
  const busName = values.bus ?? DEFAULT_BUS_NAME;
  if (busName === "") throw new CliError(`--bus needs a bus name or ARN (default: ${DEFAULT_BUS_NAME})`);
  if (values.region === "") throw new CliError("--region needs a Region, e.g. ap-northeast-2");

  const { catalog } = await loadCatalog(values.catalog, io.cwd);
  const eventFile = await readEventFile(file, io.cwd, FILE_HINT);
  const { events, problems } = validateEvents(eventFile.records, {
    catalog,
    source: DEFAULT_SOURCE,
    // Stand-ins so the envelope validates: EventBridge assigns the id, and the time when absent.
    id: (position) => `cli-${position}`,
    time: { mode: "stamp", placeholder: (io.now?.() ?? new Date()).toISOString() },
  });
  for (const event of events) {
    const problem = sizeProblem(event);
    if (problem) problems.push(problem);
  }
  if (problems.length > 0) {
    throw new InputProblems(
      problems,
      `${problems.length} of ${eventFile.records.length} events in ${eventFile.path} ` +
        `${problems.length === 1 ? "is" : "are"} invalid; nothing was sent. Fix:`,
    );
  }

  const target = `${busName} (${endpoint ?? "AWS"})`;
  const client = createEventBridgeClient({
    ...(endpoint !== undefined ? { endpoint } : {}),
    ...(values.region !== undefined ? { region: values.region } : {}),
    env: io.env,
  });
  try {
    const { sent, failed, unsent } = await sendEvents(events, {
      client,
      busName,
      ...(io.sleep ? { sleep: io.sleep } : {}),
    });
    if (sent.length > 0 || failed.length === 0) {
      io.stdout.write(`sent ${sent.length} event${sent.length === 1 ? "" : "s"} to ${target}\n`);
      io.stdout.write(formatRows(sent.map(sentRow)));
    }
    if (failed.length === 0) return EXIT.ok;
    io.stderr.write(
      `waymark send: ${failed.length} of ${events.length} events could not be put on ${target}` +
        `${sent.length > 0 ? ` (the other ${sent.length} were sent)` : ""}:\n`,
    );
    io.stderr.write(formatRows(failed.map(failedRow)));
    if (unsent.length > 0) {
      io.stderr.write(
        `${unsent.length} later event${unsent.length === 1 ? " was" : "s were"} not sent, so that no ` +
          "customer's events arrive out of order:\n",
      );
      io.stderr.write(formatRows(unsent.map(unsentRow)));
    }
    for (const hint of hintsFor(failed, endpoint, busName)) io.stderr.write(`${hint}\n`);
    io.stderr.write(
      `Fix the cause, then send the ${unsent.length > 0 ? "failed and unsent" : "failed"} events again.\n`,
    );
    return EXIT.failed;
  } finally {
    client.destroy();
  }
}

function checkEndpoint(value: string): string {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== "http:" && url.protocol !== "https:")) {
    throw new CliError(
      `--endpoint expects an http(s) URL, like http://127.0.0.1:4010 (got ${JSON.stringify(value)})`,
    );
  }
  return value;
}

type Row = [string, string, string, string];

function sentRow({ event, eventId }: SentEvent): Row {
  return [event.label, event.event.detailType, customerOf(event), eventId];
}

function failedRow({ event, errorCode, errorMessage }: FailedEvent): Row {
  return [event.label, event.event.detailType, customerOf(event), `${errorCode}: ${errorMessage}`];
}

function unsentRow(event: ValidEvent): Row {
  return [event.label, event.event.detailType, customerOf(event), "not sent"];
}

function customerOf(event: ValidEvent): string {
  const detail = event.event.detail as { customerId?: unknown };
  return typeof detail.customerId === "string" ? detail.customerId : "(global)";
}

/** Aligned columns, indented under the heading; the last column is left ragged. */
function formatRows(rows: readonly Row[]): string {
  const widths = [0, 1, 2].map((column) => Math.max(0, ...rows.map((row) => row[column]!.length)));
  return rows
    .map(
      (row) =>
        `  ${row.map((cell, column) => (column < 3 ? cell.padEnd(widths[column]!) : cell)).join("  ")}\n`,
    )
    .join("");
}

/** What to do about the failures that have a usual cause. */
function hintsFor(failed: readonly FailedEvent[], endpoint: string | undefined, busName: string): string[] {
  const text = failed.map((f) => `${f.errorCode} ${f.errorMessage}`).join("\n");
  const hints: string[] = [];
  if (/ECONNREFUSED|ENOTFOUND|EAI_AGAIN|socket hang up/i.test(text) && endpoint !== undefined) {
    hints.push(`Nothing answered at ${endpoint}: is the local runtime running? Start it with npm start.`);
  }
  if (/Region is missing/i.test(text))
    hints.push("No AWS Region configured: pass --region or set AWS_REGION.");
  if (/CredentialsProviderError|Could not load credentials/i.test(text)) {
    hints.push(
      "No AWS credentials found: set AWS_PROFILE (or sign in with aws sso login), or pass " +
        "--endpoint http://127.0.0.1:4010 to use the local runtime.",
    );
  }
  if (/ResourceNotFoundException/.test(text)) {
    hints.push(`Bus ${busName} was not found: check --bus and --region (deploy with npx cdk deploy --all).`);
  }
  if (/AccessDenied|NotAuthorized/.test(text)) {
    hints.push(
      `These credentials may not put events on ${busName}: check the IAM policy and the bus policy.`,
    );
  }
  return hints;
}
