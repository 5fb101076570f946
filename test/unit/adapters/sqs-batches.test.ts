import type { SendMessageBatchCommand, SQSClient } from "@aws-sdk/client-sqs";
import { describe, expect, it } from "vitest";
import { SQS_SEND_CONCURRENCY, sendInBatches } from "../../../functions/adapters/sqs-batches.ts";

interface Call {
  ids: string[];
  groups: string[];
  startedAt: number;
  endedAt?: number;
}

/**
 * An SQS client whose SendMessageBatch answers after `latencyMs` of real time, recording when each call
 * started and ended; `fail(call)` makes a call throw instead.
 */
function slowSqs(latencyMs: number, fail: (index: number) => boolean = () => false) {
  const calls: Call[] = [];
  let tick = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  const client = {
    send: async (command: SendMessageBatchCommand) => {
      const entries = command.input.Entries ?? [];
      const call: Call = {
        ids: entries.map((e) => e.Id!),
        groups: entries.flatMap((e) => (e.MessageGroupId ? [e.MessageGroupId] : [])),
        startedAt: tick++,
      };
      const index = calls.push(call) - 1;
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((resolve) => setTimeout(resolve, latencyMs));
      inFlight--;
      call.endedAt = tick++;
      if (fail(index)) throw new Error(`call ${index} failed`);
      return { Successful: [], Failed: [] };
    },
  } as unknown as SQSClient;
  return { client, calls, maxInFlight: () => maxInFlight };
}

const entry = (group?: string) => (item: number) => ({
  MessageBody: String(item),
  ...(group !== undefined ? { MessageGroupId: `${group}${item}` } : {}),
});

describe("sendInBatches (issue 14: a fan-out page's 50 calls, not one after another)", () => {
  it("keeps up to ten calls in flight, started in the items' order", async () => {
    const sqs = slowSqs(20);
    const items = Array.from({ length: 500 }, (_, i) => i);
    expect(await sendInBatches(sqs.client, "https://sqs/q", items, entry())).toEqual([]);
    expect(sqs.calls).toHaveLength(50);
    // Ten calls overlap (the count of calls in flight, not the wall clock: the machine may be busy).
    expect(sqs.maxInFlight()).toBe(SQS_SEND_CONCURRENCY);
    expect(sqs.calls.flatMap((c) => c.ids)).toEqual(items.map(String));
  });

  it("sends a FIFO group's later messages only after the call holding its earlier ones has answered", async () => {
    const sqs = slowSqs(5);
    // 40 messages in 4 calls: groups g0…g29, then g0…g9 again (a customer with two inputs in one enqueue).
    const groups = [
      ...Array.from({ length: 30 }, (_, i) => `g${i}`),
      ...Array.from({ length: 10 }, (_, i) => `g${i}`),
    ];
    await sendInBatches(sqs.client, "https://sqs/q.fifo", groups, (group) => ({
      MessageBody: group,
      MessageGroupId: group,
    }));
    expect(sqs.calls).toHaveLength(4);
    const [first, second, third, fourth] = sqs.calls as [Call, Call, Call, Call];
    // Calls of distinct groups overlap; the call repeating g0…g9 starts after the one that sent them ended.
    expect(second.startedAt).toBeLessThan(first.endedAt!);
    expect(third.startedAt).toBeLessThan(first.endedAt!);
    expect(fourth.groups).toEqual(first.groups);
    expect(fourth.startedAt).toBeGreaterThan(first.endedAt!);
  });

  it("starts no further call once one has thrown, and throws after the calls in flight have settled", async () => {
    const sqs = slowSqs(5, (index) => index === 2);
    const items = Array.from({ length: 300 }, (_, i) => i);
    await expect(sendInBatches(sqs.client, "https://sqs/q", items, entry("c"))).rejects.toThrow(
      "call 2 failed",
    );
    // No call was started after the third failed, and every call started had ended before the error came.
    const failedAt = sqs.calls[2]!.endedAt!;
    expect(sqs.calls.length).toBeLessThan(30);
    expect(sqs.calls.every((c) => c.startedAt < failedAt)).toBe(true);
    expect(sqs.calls.every((c) => c.endedAt !== undefined)).toBe(true);
  });

  it("one at a time when asked: the order of the calls is the order of the items", async () => {
    const sqs = slowSqs(1);
    await sendInBatches(sqs.client, "https://sqs/q", [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], entry(), 1);
    expect(sqs.maxInFlight()).toBe(1);
    expect(sqs.calls.map((c) => c.ids.length)).toEqual([10, 2]);
  });
});
