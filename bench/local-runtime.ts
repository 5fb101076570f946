import { spawn } from "node:child_process";
import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { LocalRuntime } from "../infra/local/runtime.ts";

/** Time from spawning `node infra/local/start.ts` to its "running on" line, as a newcomer sees it. */
export async function benchStartup(runs: number): Promise<{ medianMs: number }> {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await new Promise<void>((resolve, reject) => {
      const child = spawn(process.execPath, ["infra/local/start.ts", "--port", "0"], {
        env: { ...process.env, CI: "true" },
        stdio: ["ignore", "pipe", "pipe"],
      });
      child.stdout.on("data", (chunk: Buffer) => {
        if (chunk.toString().includes("is running on")) {
          samples.push(performance.now() - started);
          child.kill("SIGINT");
        }
      });
      child.on("exit", () => resolve());
      child.on("error", reject);
    });
  }
  samples.sort((a, b) => a - b);
  return { medianMs: samples[Math.floor(samples.length / 2)]! };
}

/**
 * End-to-end throughput of the local runtime: events put over HTTP with the real
 * EventBridgeClient, through ingest, engine and notifier, until the outbox is settled.
 */
export async function benchLocalThroughput(
  customers: number,
): Promise<{ events: number; seconds: number; perSecond: number }> {
  const runtime = await LocalRuntime.start({ port: 0, tickMs: 0 });
  const client = new EventBridgeClient({
    endpoint: runtime.url,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  await fetch(`${runtime.url}/clock`, {
    method: "POST",
    body: JSON.stringify({ set: "2026-03-01T00:00:00Z" }),
  });
  const entries = (i: number) => [
    {
      Source: "crm",
      DetailType: "CustomerProfileUpdated",
      Detail: JSON.stringify({
        customerId: `b-${i}`,
        name: "Jane",
        phone: "+12125550123",
        timeZone: "America/New_York",
      }),
    },
    {
      Source: "shop",
      DetailType: "OrderPlaced",
      Detail: JSON.stringify({
        customerId: `b-${i}`,
        orderId: "o",
        items: [{ sku: "s", name: "Phone", quantity: 1, unitPrice: 1 }],
        currency: "USD",
      }),
    },
    {
      Source: "logistics",
      DetailType: "OrderDelivered",
      Detail: JSON.stringify({ customerId: `b-${i}`, orderId: "o" }),
    },
  ];
  const started = performance.now();
  for (let i = 0; i < customers; i += 3) {
    const batch = [i, i + 1, i + 2].filter((n) => n < customers).flatMap(entries);
    for (let j = 0; j < batch.length; j += 10) {
      await client.send(new PutEventsCommand({ Entries: batch.slice(j, j + 10) }));
    }
  }
  await fetch(`${runtime.url}/clock`, { method: "POST", body: JSON.stringify({ advance: "P3D" }) });
  const outbox = (await (await fetch(`${runtime.url}/outbox`)).json()) as { notifications: unknown[] };
  const seconds = (performance.now() - started) / 1000;
  if (outbox.notifications.length !== customers)
    throw new Error(`expected ${customers} tips, got ${outbox.notifications.length}`);
  await runtime.stop();
  // Each customer: three events in and one timer firing one message.
  const events = customers * 4;
  return { events, seconds, perSecond: events / seconds };
}

/**
 * `POST /clock` over many pending timers: n customers each wait on a post-purchase timer, then one clock
 * move fires them all, each through the engine at its own due time.
 */
export async function benchClockAdvance(timers: number): Promise<{ timers: number; seconds: number }> {
  const runtime = await LocalRuntime.start({ port: 0, tickMs: 0 });
  const client = new EventBridgeClient({
    endpoint: runtime.url,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  const post = (path: string, body: unknown) =>
    fetch(`${runtime.url}${path}`, { method: "POST", body: JSON.stringify(body) });
  await post("/clock", { set: "2026-03-01T00:00:00Z" });
  for (let i = 0; i < timers; i += 10) {
    const entries = [];
    for (let n = i; n < Math.min(timers, i + 10); n++) {
      // Deliveries spread over a day, so the timers fall due at different instants.
      const deliveredAt = new Date(Date.parse("2026-02-28T00:00:00Z") + (n % 1440) * 60_000).toISOString();
      entries.push({
        Source: "logistics",
        DetailType: "OrderDelivered",
        Detail: JSON.stringify({ customerId: `clock-${n}`, orderId: "o", deliveredAt }),
      });
    }
    await client.send(new PutEventsCommand({ Entries: entries }));
  }
  const pending = (await (await fetch(`${runtime.url}/clock`)).json()) as { pendingTimers: number };
  if (pending.pendingTimers !== timers)
    throw new Error(`expected ${timers} pending timers, got ${pending.pendingTimers}`);
  const started = performance.now();
  const moved = await post("/clock", { advance: "P3D" });
  if (!moved.ok) throw new Error(`POST /clock answered ${moved.status}`);
  const seconds = (performance.now() - started) / 1000;
  await runtime.stop();
  return { timers, seconds };
}
