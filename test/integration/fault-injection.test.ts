import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MessageSender } from "../../functions/ports/message-sender.ts";
import type { TimerScheduler } from "../../functions/ports/timer-scheduler.ts";
import { type LocalDynamo, startDynamo } from "../support/dynalite.ts";
import { FAULT_KINDS } from "../support/faults/fault-plan.ts";
import { boundaryPlan, chaosPlan, FaultFigures, runPlan, takeCensus } from "../support/faults/fault-suite.ts";

/**
 * Issue 9's fault-injection suite: the real handlers, use cases and adapters, DynamoDB on dynalite, the other
 * services mocked, under seeded fault plans. `npm run bench` runs the same plans longer (bench/fault-soak.ts).
 */
let dynamo: LocalDynamo;
const sweep = new FaultFigures();
const chaos = new FaultFigures();
beforeAll(async () => {
  dynamo = await startDynamo();
});
afterAll(async () => {
  await dynamo.stop();
  console.log(`${sweep.format("fault sweep")}\n${chaos.format("fault chaos")}`);
});

const SWEEP_SIZE = 2;
const CHAOS_SIZE = 4;
const CHAOS_SEEDS = [101, 102, 103, 104];

describe("the fault-injection suite (issue 9)", () => {
  it("a fault at every I/O boundary of ingest, engine, notifier and fan-out in turn: every promise holds", async () => {
    const boundaries = await takeCensus(dynamo.endpoint, SWEEP_SIZE);
    // Each function's every kind of call, at least: the suite would not notice a boundary it never reached.
    for (const fn of ["ingest", "engine", "notifier", "fan-out"])
      expect(boundaries.filter((b) => b.startsWith(`${fn}:`)).length).toBeGreaterThan(2);
    for (const [index, boundary] of boundaries.entries()) {
      sweep.add(
        await runPlan(dynamo.endpoint, boundary, boundaryPlan(boundary, 1000 + index), { size: SWEEP_SIZE }),
      );
    }
    expect(sweep.violations).toEqual([]);
    expect(sweep.faults).toBeGreaterThan(boundaries.length);
    for (const kind of FAULT_KINDS) expect(sweep.injected.get(kind) ?? 0).toBeGreaterThan(0);
    expect(sweep.transitions).toBeGreaterThan(0);
  }, 900_000);

  it("faults anywhere, every message delivered 1–5 times, concurrent duplicate workers: every promise holds", async () => {
    for (const seed of CHAOS_SEEDS)
      chaos.add(await runPlan(dynamo.endpoint, "chaos", chaosPlan(seed), { size: CHAOS_SIZE }));
    expect(chaos.violations).toEqual([]);
    expect(chaos.faults).toBeGreaterThan(50);
    expect(chaos.extraDeliveries).toBeGreaterThan(0);
    expect(chaos.concurrentBatches).toBeGreaterThan(0);
    expect(chaos.sends).toBeGreaterThan(0);
    expect(chaos.emits).toBeGreaterThan(0);
  }, 900_000);

  it("sees a broken pipeline: a timer dropped after its commit, a message published twice", async () => {
    const droppingTimers = (timers: TimerScheduler): TimerScheduler => ({
      schedule: async (timer) => {
        // One timer in four (by its id, not by call order, which concurrent workers shuffle) is "scheduled"
        // but never reaches the Scheduler, however often it is retried.
        if (createHash("sha256").update(timer.timerId).digest()[0]! % 4 === 0) return;
        await timers.schedule(timer);
      },
      cancel: (timer) => timers.cancel(timer),
    });
    const dropped = await runPlan(dynamo.endpoint, "dropping timers", chaosPlan(7), {
      size: SWEEP_SIZE,
      wrapTimers: droppingTimers,
    });
    expect(dropped.violations).toEqual(
      expect.arrayContaining([expect.stringMatching(/^lost effect: schedule/)]),
    );

    const doubling = (sender: MessageSender): MessageSender => ({
      sendSms: async (m) => {
        await sender.sendSms(m);
        return sender.sendSms(m);
      },
      sendEmail: (m) => sender.sendEmail(m),
    });
    const doubled = await runPlan(
      dynamo.endpoint,
      "doubling sender",
      { seed: 8, rules: [], redeliver: false, concurrentWorkers: 0 },
      { size: SWEEP_SIZE, wrapSender: doubling },
    );
    expect(doubled.violations).toEqual(
      expect.arrayContaining([expect.stringMatching(/message .* published 2 times/)]),
    );
  }, 300_000);
});
