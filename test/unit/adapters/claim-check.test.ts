import "aws-sdk-client-mock-vitest/extend";
import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { SendMessageBatchCommand, SQSClient } from "@aws-sdk/client-sqs";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { S3ClaimCheckStore } from "../../../functions/adapters/s3-claim-check-store.ts";
import { SQS_MAX_BATCH_BYTES, sqsEntryBytes } from "../../../functions/adapters/sqs-batches.ts";
import {
  type RejectedClaimCheckMessage,
  SqsRejectedEventSink,
} from "../../../functions/adapters/sqs-rejected-event-sink.ts";
import type { RejectedEvent } from "../../../functions/ports/rejected-event-sink.ts";

const sqs = mockClient(SQSClient);
const s3 = mockClient(S3Client);
afterEach(() => {
  sqs.reset();
  s3.reset();
});

/** An event near EventBridge's 256 KB limit, Korean text (3 UTF-8 bytes a character) and a long issue list. */
function bigRejection(): RejectedEvent {
  return {
    receivedAt: "2026-12-04T10:00:00.000Z",
    reason: "detail.items[0].quantity: expected a positive integer (and 299 more)",
    issues: Array.from({ length: 300 }, (_, i) => ({
      path: `detail.items[${i}].quantity`,
      message: "expected a positive integer",
    })),
    event: {
      id: "bus-1",
      source: "shop.orders",
      "detail-type": "OrderPlaced",
      detail: { customerId: "c-1", note: "배송".repeat(42_000) },
    },
  };
}

describe("rejected events too large for a message (issue 9: kept whole)", () => {
  const sink = () =>
    new SqsRejectedEventSink(
      new SQSClient({}),
      "https://sqs/rejected",
      new S3ClaimCheckStore(new S3Client({}), "waymark-rejected"),
    );

  it("keeps the whole record in S3 and puts a claim check with the reason on the rejected queue", async () => {
    s3.on(PutObjectCommand).resolves({});
    sqs
      .on(SendMessageBatchCommand)
      .resolves({ Successful: [{ Id: "0", MessageId: "m", MD5OfMessageBody: "" }] });
    const rejection = bigRejection();
    const whole = JSON.stringify(rejection);
    expect(Buffer.byteLength(whole)).toBeGreaterThan(SQS_MAX_BATCH_BYTES);

    await sink().reject([rejection]);

    const put = s3.commandCalls(PutObjectCommand)[0]!.args[0].input;
    expect(put).toMatchObject({
      Bucket: "waymark-rejected",
      Body: whole,
      ContentType: "application/json; charset=utf-8",
      ContentLength: Buffer.byteLength(whole),
    });
    expect(put.Key).toMatch(/^rejected\/2026-12-04\/[A-Za-z0-9_-]{32}\.json$/);
    const entry = sqs.commandCalls(SendMessageBatchCommand)[0]!.args[0].input.Entries![0]!;
    expect(sqsEntryBytes(entry)).toBeLessThan(SQS_MAX_BATCH_BYTES);
    expect(entry.MessageAttributes?.reason?.StringValue).toBe(rejection.reason);
    const message = JSON.parse(entry.MessageBody!) as RejectedClaimCheckMessage;
    expect(message).toEqual({
      receivedAt: rejection.receivedAt,
      reason: rejection.reason,
      issues: rejection.issues.slice(0, 20),
      issueCount: 300,
      event: { id: "bus-1", source: "shop.orders", "detail-type": "OrderPlaced" },
      claimCheck: { location: `s3://waymark-rejected/${put.Key}`, bytes: Buffer.byteLength(whole) },
    });
  });

  it("a retried batch writes the same document again, never a second one; a small record goes to the queue whole", async () => {
    s3.on(PutObjectCommand).resolves({});
    sqs.on(SendMessageBatchCommand).resolves({});
    const small: RejectedEvent = {
      receivedAt: "2026-12-04T10:00:00Z",
      reason: "x: y",
      issues: [],
      event: { a: 1 },
    };
    await sink().reject([bigRejection(), small]);
    await sink().reject([bigRejection()]);
    const keys = s3.commandCalls(PutObjectCommand).map((call) => call.args[0].input.Key);
    expect(keys).toHaveLength(2);
    expect(keys[0]).toBe(keys[1]);
    const bodies = sqs
      .commandCalls(SendMessageBatchCommand)
      .flatMap((c) => c.args[0].input.Entries!.map((e) => e.MessageBody));
    expect(bodies[1]).toBe(JSON.stringify(small));
  });

  it("fails the batch (retried, never dropped) when the claim check cannot be written, or when there is no store", async () => {
    s3.on(PutObjectCommand).rejects(Object.assign(new Error("SlowDown"), { name: "SlowDown" }));
    await expect(sink().reject([bigRejection()])).rejects.toThrow("SlowDown");
    expect(sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(0);
    const noStore = new SqsRejectedEventSink(new SQSClient({}), "https://sqs/rejected");
    await expect(noStore.reject([bigRejection()])).rejects.toThrow("could not keep 1 rejected event(s)");
  });
});
