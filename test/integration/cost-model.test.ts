import { describe, expect, it } from "vitest";
import { type CountedRun, countedRun } from "../../bench/cost/counted-run.ts";
import { type Deployment, priceFloor, priceRun } from "../../bench/cost/model.ts";
import { PRICES_USD } from "../../bench/cost/prices.ts";

const deployment: Deployment = {
  memoryMb: { ingest: 256, engine: 512, notifier: 256, "fan-out": 512 },
  tracing: true,
  archiveRetentionDays: 30,
};

const quantity = (report: ReturnType<typeof priceRun>, prefix: string) => {
  const line = report.lines.find((l) => l.item.startsWith(prefix));
  if (!line) throw new Error(`no cost line starting with ${prefix}`);
  return line.quantity;
};

describe("the bench's cost model against the counted calls of a small run", () => {
  let run: CountedRun;

  it("counts every AWS request of two customers through the post-purchase journey", async () => {
    run = await countedRun({ customers: 2, historyMonths: 0 });
    // Per customer: a profile update, an order and its delivery on the bus; the tips, the survey and the
    // survey's expiry as timers; the tips and the survey by SMS.
    expect(run.busEvents).toBe(6);
    expect(run.engineInputs).toBe(12);
    const requests = Object.fromEntries(
      Object.entries(run.operations).map(([name, c]) => [name, c.requests]),
    );
    expect(requests).toEqual({
      "DynamoDB.GetItem": 13,
      "DynamoDB.PutItem": 24,
      "DynamoDB.UpdateItem": 12,
      "DynamoDB.BatchWriteItem": 2,
      "SQS.SendMessageBatch.fifo": 3,
      "SQS.SendMessageBatch": 4,
      "Scheduler.CreateSchedule": 6,
      "Scheduler.DeleteSchedule": 2,
      "Scheduler.Invocation": 6,
      "EventBridge.PutEvents": 8,
      "Firehose.PutRecordBatch": 8,
      "EndUserMessagingSMS.SendTextMessage": 4,
    });
    expect(run.readUnits).toBe(12);
    expect(run.writeUnits).toBe(60);
    expect(run.invocations.map((i) => i.fn).sort()).toEqual([
      ...Array(9).fill("engine"),
      ...Array(3).fill("ingest"),
      ...Array(4).fill("notifier"),
    ]);
  }, 120_000);

  it("prices exactly what was counted, line by line", () => {
    const report = priceRun(run, deployment);
    const engine = run.invocations.filter((i) => i.fn === "engine").length;
    const ingest = run.invocations.filter((i) => i.fn === "ingest").length;
    const notifier = run.invocations.filter((i) => i.fn === "notifier").length;
    expect(quantity(report, "EventBridge: events from producers")).toBe(run.busEvents);
    expect(quantity(report, "EventBridge: events Waymark emits")).toBe(
      run.operations["EventBridge.PutEvents"]!.entries,
    );
    // The bus rule sends each event; the poller receives and deletes once per batch.
    expect(quantity(report, "SQS ingest queue")).toBe(run.busEvents + 2 * ingest);
    expect(quantity(report, "SQS engine queue")).toBe(
      run.operations["SQS.SendMessageBatch.fifo"]!.requests +
        run.operations["Scheduler.Invocation"]!.requests +
        2 * engine,
    );
    expect(quantity(report, "SQS outbound queue")).toBe(
      run.operations["SQS.SendMessageBatch"]!.requests + 2 * notifier,
    );
    expect(quantity(report, "EventBridge Scheduler")).toBe(run.operations["Scheduler.Invocation"]!.requests);
    expect(quantity(report, "Lambda requests")).toBe(run.invocations.length);
    expect(quantity(report, "DynamoDB reads")).toBe(run.readUnits);
    expect(quantity(report, "DynamoDB writes")).toBe(run.writeUnits);
    expect(report.lines.find((l) => l.item.startsWith("DynamoDB writes"))!.usd).toBeCloseTo(
      run.writeUnits * PRICES_USD.dynamoWriteUnit,
      12,
    );
    expect(report.delivery.find((l) => l.item.startsWith("SMS"))!.quantity).toBe(4);
    expect(report.totalUsd).toBeCloseTo(
      report.lines.reduce((s, l) => s + l.usd, 0),
      12,
    );
    expect(report.perMillionBusEventsUsd).toBeCloseTo((report.totalUsd / run.busEvents) * 1e6, 9);
    // The floor does the same work with one function per bus event and per timer.
    expect(quantity(priceFloor(run), "Lambda requests")).toBe(run.busEvents + 6);
  });

  it("refuses a run holding a request it has no price for, and a function with no deployed memory", () => {
    const unknown = {
      ...run,
      operations: {
        ...run.operations,
        "KMS.Decrypt": { requests: 1, entries: 1, entryBytes: [10], requestBytes: [10] },
      },
    };
    expect(() => priceRun(unknown, deployment)).toThrow(/no line for KMS\.Decrypt/);
    expect(() => priceRun(run, { ...deployment, memoryMb: { ingest: 256, notifier: 256 } })).toThrow(
      /no deployed memory size for function engine/,
    );
  });
});
