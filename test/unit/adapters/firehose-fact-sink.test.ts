import "aws-sdk-client-mock-vitest/extend";
import {
  FirehoseClient,
  PutRecordBatchCommand,
  type PutRecordBatchCommandInput,
} from "@aws-sdk/client-firehose";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import {
  FACT_RECORD_BYTES,
  FirehoseFactSink,
  packFacts,
} from "../../../functions/adapters/firehose-fact-sink.ts";
import type { LifecycleFact } from "../../../functions/core/measurement/lifecycle-facts.ts";

const firehose = mockClient(FirehoseClient);
afterEach(() => firehose.reset());

function fact(n: number, padding = 0): LifecycleFact {
  return {
    factId: `f-${n}`,
    type: "JourneyStepReached",
    recordedAt: "2026-03-01T00:00:00.000Z",
    day: "2026-03-01",
    seq: n,
    customerId: `c-${n}${"x".repeat(padding)}`,
    journeyId: "post-purchase",
    journeyVersion: 1,
    instanceId: "i-1",
    instanceKey: "o-1",
    runId: "r-1",
    variants: "{}",
    nodeId: "wait",
    nodeType: "wait",
    outcome: null,
    goal: null,
    experiment: null,
    variant: null,
    score: null,
  };
}

/** The facts in the records of every PutRecordBatch call, by factId, in order. */
function sentFactIds(): string[] {
  return firehose
    .commandCalls(PutRecordBatchCommand)
    .flatMap((call) => call.args[0].input.Records ?? [])
    .flatMap((record) => Buffer.from(record.Data!).toString("utf8").split("\n").filter(Boolean))
    .map((line) => (JSON.parse(line) as LifecycleFact).factId);
}

describe("packFacts", () => {
  it("packs facts as JSON lines into records of at most 5 KB, each line whole", () => {
    const facts = Array.from({ length: 40 }, (_, n) => fact(n));
    const records = packFacts(facts);
    const line = Buffer.byteLength(`${JSON.stringify(facts[0])}\n`);
    expect(records).toHaveLength(Math.ceil(40 / Math.floor(FACT_RECORD_BYTES / line)));
    for (const record of records) {
      expect(record.Data!.byteLength).toBeLessThanOrEqual(FACT_RECORD_BYTES);
      expect(Buffer.from(record.Data!).toString("utf8").endsWith("\n")).toBe(true);
    }
    const lines = records.flatMap((r) => Buffer.from(r.Data!).toString("utf8").split("\n").filter(Boolean));
    expect(lines.map((l) => (JSON.parse(l) as LifecycleFact).factId)).toEqual(facts.map((f) => f.factId));
  });

  it("gives a fact larger than a record a record of its own", () => {
    const records = packFacts([fact(1), fact(2, FACT_RECORD_BYTES), fact(3)]);
    expect(records).toHaveLength(3);
    expect(records[1]!.Data!.byteLength).toBeGreaterThan(FACT_RECORD_BYTES);
  });
});

describe("FirehoseFactSink", () => {
  it("puts a transition's facts as one record on the named stream", async () => {
    firehose.on(PutRecordBatchCommand).resolves({ FailedPutCount: 0, RequestResponses: [{ RecordId: "r" }] });
    await new FirehoseFactSink(new FirehoseClient({}), "waymark-facts").put([fact(1), fact(2), fact(3)]);
    expect(firehose).toHaveReceivedCommandTimes(PutRecordBatchCommand, 1);
    expect(firehose.commandCalls(PutRecordBatchCommand)[0]!.args[0].input).toMatchObject({
      DeliveryStreamName: "waymark-facts",
      Records: [expect.anything()],
    });
    expect(sentFactIds()).toEqual(["f-1", "f-2", "f-3"]);
  });

  it("splits at 500 records a call", async () => {
    firehose.on(PutRecordBatchCommand).resolves({ FailedPutCount: 0 });
    // Each fact its own record: 1,200 records, three calls.
    const big = Array.from({ length: 1_200 }, (_, n) => fact(n, FACT_RECORD_BYTES / 2 + 100));
    await new FirehoseFactSink(new FirehoseClient({}), "waymark-facts").put(big);
    const sizes = firehose.commandCalls(PutRecordBatchCommand).map((c) => c.args[0].input.Records!.length);
    expect(sizes).toEqual([500, 500, 200]);
  });

  it("sends again only the records Firehose refused", async () => {
    const big = [fact(1, FACT_RECORD_BYTES), fact(2, FACT_RECORD_BYTES), fact(3, FACT_RECORD_BYTES)];
    firehose
      .on(PutRecordBatchCommand)
      .resolvesOnce({
        FailedPutCount: 1,
        RequestResponses: [
          { RecordId: "a" },
          { ErrorCode: "ServiceUnavailableException" },
          { RecordId: "c" },
        ],
      })
      .resolves({ FailedPutCount: 0 });
    await new FirehoseFactSink(new FirehoseClient({}), "waymark-facts").put(big);
    expect(sentFactIds()).toEqual(["f-1", "f-2", "f-3", "f-2"]);
  });

  it("fails the input when Firehose keeps refusing, so that it is retried", async () => {
    firehose.on(PutRecordBatchCommand).callsFake((input: PutRecordBatchCommandInput) => ({
      FailedPutCount: input.Records!.length,
      RequestResponses: input.Records!.map(() => ({ ErrorCode: "ServiceUnavailableException" })),
    }));
    await expect(
      new FirehoseFactSink(new FirehoseClient({}), "waymark-facts").put([fact(1)]),
    ).rejects.toThrow(/refused 1 fact record\(s\) 3 times/);
    expect(firehose).toHaveReceivedCommandTimes(PutRecordBatchCommand, 3);
  });
});
