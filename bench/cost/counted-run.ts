import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { table } from "../../functions/config/table.ts";
import { itemBytes } from "../../functions/core/item-size.ts";
import { CallMeter } from "../../test/support/call-meter.ts";
import { startDynamo } from "../../test/support/dynalite.ts";
import { envelope, phone, profileUpdate } from "../../test/support/events.ts";
import { Pipeline } from "../../test/support/pipeline.ts";
import type { RunCounts } from "./model.ts";

export interface CountedRunOptions {
  customers: number;
  /** Monthly orders each customer goes through before the run is counted (12: a year of history). */
  historyMonths: number;
  /** Count what the handlers write to stdout as their logs (the bench's own process sets the log level). */
  captureLogs?: boolean;
}

export interface CountedRun extends RunCounts {
  /** The customer item's real size after the counted cycle, for the first customer. */
  customerItemBytes: number;
}

const DAY = 24 * 60 * 60 * 1000;
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.000Z$/, "Z");

/**
 * The post-purchase mix through the real handlers, adapters and SDK clients (DynamoDB on dynalite, the
 * rest answered by aws-sdk-client-mock), every request counted: per customer a profile update, an order, its
 * delivery, and the tips and survey timers with their SMS. With history, each customer first orders once a
 * month for `historyMonths` months, and only the last cycle is counted.
 */
export async function countedRun(options: CountedRunOptions): Promise<CountedRun> {
  const dynamo = await startDynamo();
  const meter = new CallMeter();
  const start = Date.parse("2026-01-01T00:00:00Z");
  const p = new Pipeline(dynamo, iso(start), undefined, { meter, facts: true });
  const ids = Array.from({ length: options.customers }, (_, i) => `cost-${i}`);
  const profile = (time: number) => ids.map((customerId) => profileUpdate(customerId, iso(time)));
  const busEventBytes: number[] = [];
  const put = async (events: Record<string, unknown>[]) => {
    for (const e of events)
      busEventBytes.push(
        Buffer.byteLength(String(e.source)) +
          Buffer.byteLength(String(e["detail-type"])) +
          Buffer.byteLength(JSON.stringify(e.detail)),
      );
    // The bus delivers to the ingest queue; Lambda takes up to ten at a time.
    for (let i = 0; i < events.length; i += 10) await p.put(...events.slice(i, i + 10));
  };
  const cycle = async (month: number, withProfile: boolean) => {
    const at = start + month * 30 * DAY;
    p.now = new Date(Math.max(p.now.getTime(), at));
    if (withProfile) await put(profile(at));
    await put(
      ids.map((customerId) =>
        envelope(
          "OrderPlaced",
          { customerId, orderId: `o-${month}`, items: [phone], currency: "USD" },
          { time: iso(at + 3600_000) },
        ),
      ),
    );
    p.now = new Date(at + DAY + 14 * 3600_000);
    await put(
      ids.map((customerId) =>
        envelope(
          "OrderDelivered",
          { customerId, orderId: `o-${month}` },
          { time: iso(at + DAY + 14 * 3600_000) },
        ),
      ),
    );
    await p.advanceTo(iso(at + 29 * DAY));
  };

  const restore = options.captureLogs ? meter.captureStdout() : undefined;
  try {
    await put(profile(start));
    for (let month = 0; month < options.historyMonths; month++) await cycle(month, false);
    meter.reset();
    busEventBytes.length = 0;
    p.factRecords.length = 0;
    await cycle(options.historyMonths, true);
  } finally {
    restore?.();
  }
  const stepFacts = p.factRecords
    .flatMap((record) => record.split("\n"))
    .filter((line) => line.includes('"type":"JourneyStepReached"')).length;
  const engineInputs = meter.invocations.filter((i) => i.fn === "engine").reduce((n, i) => n + i.records, 0);
  const counted: RunCounts = {
    busEvents: busEventBytes.length,
    busEventBytes,
    engineInputs,
    stepFacts,
    operations: Object.fromEntries(meter.operations),
    invocations: meter.invocations.map((i) => ({ ...i })),
    logBytes: { ...meter.logBytes },
    readUnits: meter.readUnits,
    writeUnits: meter.writeUnits,
  };
  // Read after the counts are taken: the bench's look-up is not the path's.
  const { Item } = await dynamo.documentClient.send(
    new GetCommand({ TableName: dynamo.tableName, Key: table.keys.customerState(ids[0]!) }),
  );
  await dynamo.stop();
  return { ...counted, customerItemBytes: Item ? itemBytes(Item) : 0 };
}

/** `countedRun` in a child process that logs as Lambda would (see counted-run-main.ts). */
export async function countedRunAsDeployed(
  options: Omit<CountedRunOptions, "captureLogs">,
): Promise<CountedRun> {
  const { spawn } = await import("node:child_process");
  const { mkdtempSync, readFileSync, rmSync } = await import("node:fs");
  const { tmpdir } = await import("node:os");
  const { join } = await import("node:path");
  const dir = mkdtempSync(join(tmpdir(), "waymark-counted-"));
  const out = join(dir, "run.json");
  try {
    const env: NodeJS.ProcessEnv = { ...process.env, POWERTOOLS_LOG_LEVEL: "INFO" };
    delete env.POWERTOOLS_METRICS_DISABLED;
    await new Promise<void>((resolve, reject) => {
      const child = spawn(
        process.execPath,
        [
          new URL("./counted-run-main.ts", import.meta.url).pathname,
          String(options.customers),
          String(options.historyMonths),
          out,
        ],
        { env, stdio: ["ignore", "inherit", "inherit"] },
      );
      child.on("error", reject);
      child.on("exit", (code) =>
        code === 0 ? resolve() : reject(new Error(`counted run exited with ${code}`)),
      );
    });
    return JSON.parse(readFileSync(out, "utf8")) as CountedRun;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
