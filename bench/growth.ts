import { findEvent } from "../events/catalog.ts";
import { itemBytes } from "../functions/core/item-size.ts";
import { referenceCatalog } from "../journeys/registry.ts";
import { CallMeter } from "../test/support/call-meter.ts";
import { startDynamo } from "../test/support/dynalite.ts";
import { envelope, profileUpdate } from "../test/support/events.ts";
import { Pipeline } from "../test/support/pipeline.ts";

export interface GrowthRow {
  kind: string;
  events: number;
  /** The customer item's real size after the events. */
  itemBytes: number;
  /** Over the last ten inputs: write units, reads and engine CPU per input. */
  writeUnitsPerInput: number;
  readUnitsPerInput: number;
  engineCpuMsPerInput: number;
  activeInstances: number;
}

/** The kinds a customer accumulates: orders, deliveries (each starts a post-purchase run), usage, moves. */
const KINDS = ["OrderPlaced", "OrderDelivered", "DataUsageUpdated", "CustomerLocationUpdated"] as const;

/**
 * One customer through n events of one kind on the reference catalog (timers left pending, so deliveries
 * keep their post-purchase runs open): how the item, the write units and the CPU per input grow with the
 * customer's history.
 */
export async function benchGrowth(counts: readonly number[]): Promise<GrowthRow[]> {
  await growthOf("OrderPlaced", 10); // warm-up: the first run pays for compiling the code
  const rows: GrowthRow[] = [];
  for (const kind of KINDS) for (const n of counts) rows.push(await growthOf(kind, n));
  return rows;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

async function growthOf(kind: (typeof KINDS)[number], n: number): Promise<GrowthRow> {
  const sample = findEvent(kind)!.samples[0] as Record<string, unknown>;
  const dynamo = await startDynamo();
  const meter = new CallMeter();
  const p = new Pipeline(dynamo, "2026-01-01T00:00:00Z", referenceCatalog, { meter, facts: true });
  const customerId = "growth-1";
  await p.put(profileUpdate(customerId));
  const tail = Math.min(10, n);
  for (let i = 0; i < n; i++) {
    if (i === n - tail) meter.reset();
    const detail = { ...sample, customerId, eventId: `g-${kind}-${i}` };
    if ("orderId" in detail) detail.orderId = `o-${i}`;
    const at = new Date(Date.parse("2026-01-01T00:00:00Z") + i * 60_000).toISOString();
    p.now = new Date(at);
    await p.put(envelope(kind, { ...detail, occurredAt: at }, { time: at }));
  }
  const engine = meter.invocations.filter((invocation) => invocation.fn === "engine");
  const inputs = engine.reduce((sum, invocation) => sum + invocation.records, 0);
  const stored = await p.customers.load(customerId);
  await dynamo.stop();
  return {
    kind,
    events: n,
    itemBytes: itemBytes({
      pk: `CUSTOMER#${customerId}`,
      sk: "STATE",
      version: stored!.version,
      state: stored!.state,
    }),
    writeUnitsPerInput: meter.writeUnits / inputs,
    readUnitsPerInput: meter.readUnits / inputs,
    engineCpuMsPerInput: median(engine.map((invocation) => invocation.cpuMs / invocation.records)),
    activeInstances: stored!.state.instances.length,
  };
}
