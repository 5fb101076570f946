import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DynamoDbCustomerRepository } from "../../functions/adapters/dynamodb-customer-repository.ts";
import { DynamoDbEmitClaims } from "../../functions/adapters/dynamodb-emit-claims.ts";
import { type EngineInput, INPUT_MEMORY } from "../../functions/core/engine.ts";
import type { EmittedEvent } from "../../functions/ports/event-emitter.ts";
import { ClaimedEventEmitter } from "../../functions/use-cases/claimed-event-emitter.ts";
import type { EffectPorts } from "../../functions/use-cases/execute-effects.ts";
import { processEngineInput } from "../../functions/use-cases/process-engine-input.ts";
import { postPurchaseOnly } from "../support/catalogs.ts";
import { type LocalDynamo, startDynamo } from "../support/dynalite.ts";
import { customerEvent } from "../support/events.ts";
import { recordingPorts } from "../support/recording-ports.ts";

let dynamo: LocalDynamo;
beforeAll(async () => {
  dynamo = await startDynamo();
});
afterAll(async () => {
  await dynamo.stop();
});

const at = (minutes: number) => new Date(Date.parse("2026-05-01T00:00:00Z") + minutes * 60_000);

const delivered = (customerId: string, orderId: string, minutes: number): EngineInput => ({
  kind: "event",
  event: customerEvent(
    "OrderDelivered",
    { customerId, orderId },
    { time: at(minutes).toISOString(), id: `delivered-${orderId}` },
  ),
});
const moved = (customerId: string, n: number): EngineInput => ({
  kind: "event",
  event: customerEvent(
    "CustomerLocationUpdated",
    { customerId, lat: 37.5 + n / 1000, lon: 127, observedAt: at(n).toISOString() },
    { time: at(n).toISOString(), id: `moved-${customerId}-${n}` },
  ),
});

/** The engine with effect ports that record, timers that fail while `failing` says so, and a movable clock. */
function engine(customerId: string) {
  const ports = recordingPorts();
  const control = { failing: false, now: at(0) };
  const timers: EffectPorts["timers"] = {
    schedule: async (t) => {
      if (control.failing) throw new Error("Scheduler unavailable");
      await ports.timers.schedule(t);
    },
    cancel: async (t) => {
      if (control.failing) throw new Error("Scheduler unavailable");
      await ports.timers.cancel(t);
    },
  };
  const deps = {
    ...ports,
    timers,
    customers: new DynamoDbCustomerRepository(dynamo.documentClient, dynamo.tableName),
    catalog: postPurchaseOnly,
    clock: () => control.now,
  };
  const schedules = () => ports.effects.filter((e) => e.type === "schedule" && e.customerId === customerId);
  return { deps, control, ports, schedules };
}

describe("a redelivered input is recognised for as long as AWS can redeliver it (issue 9)", () => {
  it("an input dead-lettered after its commit and redriven after 40 newer inputs replays what it owes, once", async () => {
    const { deps, control, schedules } = engine("redrive-1");
    const input = delivered("redrive-1", "o-1", 0);
    control.failing = true;
    // The engine queue's five receives: committed on the first, effects failing every time, then the DLQ.
    for (let receive = 1; receive <= 5; receive++)
      await expect(processEngineInput(input, deps)).rejects.toThrow("Scheduler unavailable");
    control.failing = false;
    for (let n = 1; n <= 40; n++) await processEngineInput(moved("redrive-1", n), deps);
    expect(schedules()).toHaveLength(0);
    // Nine days later an operator redrives the dead-letter queue.
    control.now = at(9 * 24 * 60);
    const redriven = await processEngineInput(input, deps);
    expect(redriven.outcome).toBe("replay");
    // The tips timer the committed transition owed is scheduled now, and only once.
    expect(schedules()).toHaveLength(1);
    expect((await processEngineInput(input, deps)).outcome).toBe("replay");
  });

  it("a retry a day later, after 100 newer inputs, is a duplicate, not a second transition", async () => {
    const { deps, control } = engine("retry-1");
    const first = moved("retry-1", 0);
    expect((await processEngineInput(first, deps)).outcome).toBe("applied");
    for (let n = 1; n <= 100; n++) await processEngineInput(moved("retry-1", n), deps);
    control.now = at(23 * 60);
    expect((await processEngineInput(first, deps)).outcome).toBe("duplicate");
  });

  it("the memory of recent inputs is bounded by time and count, so it cannot grow the item", async () => {
    const { deps } = engine("retry-2");
    for (let n = 0; n < INPUT_MEMORY.recentMax + 20; n++) await processEngineInput(moved("retry-2", n), deps);
    const stored = await deps.customers.load("retry-2");
    expect(stored!.state.processedInputs).toHaveLength(INPUT_MEMORY.recentMax);
  });
});

describe("a replayed transition emits its events once (issue 9: duplicates)", () => {
  it("an exit whose timer cancel fails twice emits one JourneyCompleted over three attempts", async () => {
    const { deps, control } = engine("emit-once-1");
    const bus: EmittedEvent[] = [];
    const events = new ClaimedEventEmitter(
      { emit: async (e) => void bus.push(...e) },
      new DynamoDbEmitClaims(dynamo.documentClient, dynamo.tableName),
      () => control.now,
    );
    const claimedDeps = { ...deps, events };
    await processEngineInput(delivered("emit-once-1", "o-9", 0), claimedDeps);
    const returned: EngineInput = {
      kind: "event",
      event: customerEvent(
        "OrderReturned",
        { customerId: "emit-once-1", orderId: "o-9" },
        { time: at(60).toISOString(), id: "returned-o-9" },
      ),
    };
    control.now = at(60);
    let cancels = 0;
    const flaky = {
      ...claimedDeps,
      timers: {
        schedule: claimedDeps.timers.schedule,
        cancel: async (t: Parameters<EffectPorts["timers"]["cancel"]>[0]) => {
          if (++cancels <= 2) throw new Error("Scheduler unavailable");
          await deps.timers.cancel(t);
        },
      },
    };
    await expect(processEngineInput(returned, flaky)).rejects.toThrow("Scheduler unavailable");
    await expect(processEngineInput(returned, flaky)).rejects.toThrow("Scheduler unavailable");
    expect((await processEngineInput(returned, flaky)).outcome).toBe("replay");
    expect(bus.filter((e) => e.detailType === "JourneyCompleted")).toHaveLength(1);
  });
});
