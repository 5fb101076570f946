import "aws-sdk-client-mock-vitest/extend";
import {
  AccessDeniedException,
  EventBridgeClient,
  PutEventsCommand,
  type PutEventsCommandInput,
  type PutEventsRequestEntry,
  ThrottlingException,
} from "@aws-sdk/client-eventbridge";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  DEFAULT_BUS_NAME,
  EventPublisher,
  type EventPublisherOptions,
  EventValidationError,
  entrySize,
  MAX_REQUEST_BYTES,
  type PublishEntry,
  PublishError,
  productRecallIssued,
  WAYMARK_SOURCE,
} from "../../../events/index.ts";

const eb = mockClient(EventBridgeClient);

let sleeps: number[];
let nextId: number;

beforeEach(() => {
  sleeps = [];
  nextId = 0;
});

afterEach(() => {
  eb.reset();
});

function publisher(options: Partial<EventPublisherOptions> = {}): EventPublisher {
  return new EventPublisher(new EventBridgeClient({ region: "ap-northeast-2" }), {
    busName: DEFAULT_BUS_NAME,
    source: "logistics.deliveries",
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    ...options,
  });
}

/** A PutEvents response that accepts every entry, except the listed positions which fail with `errorCode`. */
function respond(input: PutEventsCommandInput, failing: Record<number, string> = {}) {
  const entries = (input.Entries ?? []).map((_, position) => {
    const errorCode = failing[position];
    return errorCode
      ? { ErrorCode: errorCode, ErrorMessage: `${errorCode} for entry ${position}` }
      : { EventId: `evt-${nextId++}` };
  });
  return { FailedEntryCount: Object.keys(failing).length, Entries: entries };
}

function delivered(n: number): PublishEntry {
  return {
    detailType: "OrderDelivered",
    detail: { customerId: `cust-${n}`, orderId: `order-${n}`, eventId: `delivery-${n}` },
  };
}

function expectedEntry(n: number): PutEventsRequestEntry {
  return {
    EventBusName: "waymark",
    Source: "logistics.deliveries",
    DetailType: "OrderDelivered",
    Detail: JSON.stringify({ customerId: `cust-${n}`, orderId: `order-${n}`, eventId: `delivery-${n}` }),
  };
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, i) => from + i);
}

function sentOrderIds(call: number): (string | undefined)[] {
  const input = eb.commandCalls(PutEventsCommand)[call]?.args[0].input;
  return (input?.Entries ?? []).map((e) => e.Detail && JSON.parse(e.Detail).orderId);
}

describe("EventPublisher", () => {
  it("sends 23 events in 3 PutEvents calls of 10, 10 and 3, and returns ids in input order", async () => {
    eb.on(PutEventsCommand).callsFake((input: PutEventsCommandInput) => respond(input));

    const result = await publisher().publish(range(0, 23).map(delivered));

    expect(eb).toHaveReceivedCommandTimes(PutEventsCommand, 3);
    expect(eb).toHaveReceivedNthCommandWith(PutEventsCommand, 1, {
      Entries: range(0, 10).map(expectedEntry),
    });
    expect(eb).toHaveReceivedNthCommandWith(PutEventsCommand, 2, {
      Entries: range(10, 20).map(expectedEntry),
    });
    expect(eb).toHaveReceivedNthCommandWith(PutEventsCommand, 3, {
      Entries: range(20, 23).map(expectedEntry),
    });
    expect(result.eventIds).toEqual(range(0, 23).map((n) => `evt-${n}`));
    expect(sleeps).toEqual([]);
  });

  it("passes Time and Resources when given and leaves Time to EventBridge otherwise", async () => {
    eb.on(PutEventsCommand).callsFake((input: PutEventsCommandInput) => respond(input));
    const time = new Date("2025-03-10T00:00:00Z");

    await publisher({ source: "safety.recalls" }).publish([
      {
        detailType: "ProductRecallIssued",
        detail: productRecallIssued.samples[1],
        time,
        resources: ["arn:aws:example:recall/RC-2025-0008"],
      },
      { detailType: "OrderDelivered", detail: { customerId: "c", orderId: "o", eventId: "e" } },
    ]);

    expect(eb).toHaveReceivedCommandExactlyOnceWith(PutEventsCommand, {
      Entries: [
        {
          EventBusName: "waymark",
          Source: "safety.recalls",
          DetailType: "ProductRecallIssued",
          Detail: JSON.stringify(productRecallIssued.samples[1]),
          Time: time,
          Resources: ["arn:aws:example:recall/RC-2025-0008"],
        },
        {
          EventBusName: "waymark",
          Source: "safety.recalls",
          DetailType: "OrderDelivered",
          Detail: JSON.stringify({ customerId: "c", orderId: "o", eventId: "e" }),
        },
      ],
    });
  });

  it("publishes Waymark's emitted events with source waymark", async () => {
    eb.on(PutEventsCommand).callsFake((input: PutEventsCommandInput) => respond(input));
    const detail = {
      customerId: "cust-kr-0001",
      journeyId: "post-purchase",
      instanceId: "post-purchase#KR-1",
      journeyVersion: 1,
      outcome: "completed",
      at: "2025-03-17T01:00:00Z",
      eventId: "journey-end-1",
    };

    await publisher({ source: WAYMARK_SOURCE }).publish([{ detailType: "JourneyCompleted", detail }]);

    expect(eb).toHaveReceivedCommandWith(PutEventsCommand, {
      Entries: [
        {
          EventBusName: "waymark",
          Source: "waymark",
          DetailType: "JourneyCompleted",
          Detail: JSON.stringify(detail),
        },
      ],
    });
  });

  it("retries only the failed entry of a partial failure", async () => {
    eb.on(PutEventsCommand)
      .callsFakeOnce((input: PutEventsCommandInput) => respond(input, { 1: "ThrottlingException" }))
      .callsFake((input: PutEventsCommandInput) => respond(input));

    const result = await publisher().publish([delivered(0), delivered(1), delivered(2)]);

    expect(eb).toHaveReceivedCommandTimes(PutEventsCommand, 2);
    expect(eb).toHaveReceivedNthCommandWith(PutEventsCommand, 1, { Entries: [0, 1, 2].map(expectedEntry) });
    expect(eb).toHaveReceivedNthCommandWith(PutEventsCommand, 2, { Entries: [expectedEntry(1)] });
    // evt-0 and evt-1 went to entries 0 and 2 on the first call; the retried entry 1 got evt-2.
    expect(result.eventIds).toEqual(["evt-0", "evt-2", "evt-1"]);
    expect(sleeps).toHaveLength(1);
  });

  it("throws a PublishError listing entries that still fail after maxAttempts", async () => {
    eb.on(PutEventsCommand).callsFake((input: PutEventsCommandInput) => {
      const position = (input.Entries ?? []).findIndex((e) => e.Detail?.includes('"order-1"'));
      return respond(input, position >= 0 ? { [position]: "ThrottlingException" } : {});
    });

    const error = await publisher({ maxAttempts: 3, baseDelayMs: 50 })
      .publish([delivered(0), delivered(1), delivered(2)])
      .then(
        () => expect.fail("publish should have failed"),
        (e: unknown) => e,
      );

    expect(error).toBeInstanceOf(PublishError);
    const publishError = error as PublishError;
    expect(publishError.failures).toEqual([
      {
        index: 1,
        detailType: "OrderDelivered",
        errorCode: "ThrottlingException",
        errorMessage: "ThrottlingException for entry 0",
      },
    ]);
    expect(publishError.eventIds).toEqual(["evt-0", undefined, "evt-1"]);
    expect(publishError.message).toMatch(/^1 of 3 events could not be published/);
    expect(eb).toHaveReceivedCommandTimes(PutEventsCommand, 3);
    expect(sentOrderIds(1)).toEqual(["order-1"]);
    expect(sentOrderIds(2)).toEqual(["order-1"]);
    // Full jitter: the n-th wait is somewhere in [0, base × 2^(n-1)].
    expect(sleeps).toHaveLength(2);
    expect(sleeps[0]).toBeGreaterThanOrEqual(0);
    expect(sleeps[0]).toBeLessThanOrEqual(50);
    expect(sleeps[1]).toBeLessThanOrEqual(100);
  });

  it("does not retry entries AWS documents as permanently failed", async () => {
    eb.on(PutEventsCommand).callsFake((input: PutEventsCommandInput) =>
      respond(input, { 0: "MalformedDetail" }),
    );

    await expect(publisher().publish([delivered(0), delivered(1)])).rejects.toMatchObject({
      name: "PublishError",
      failures: [{ index: 0, errorCode: "MalformedDetail" }],
      eventIds: [undefined, "evt-0"],
    });
    expect(eb).toHaveReceivedCommandTimes(PutEventsCommand, 1);
  });

  it("retries a thrown throttling error, then succeeds", async () => {
    eb.on(PutEventsCommand)
      .rejectsOnce(new ThrottlingException({ message: "Rate exceeded", $metadata: {} }))
      .callsFake((input: PutEventsCommandInput) => respond(input));

    const result = await publisher().publish([delivered(0), delivered(1)]);

    expect(result.eventIds).toEqual(["evt-0", "evt-1"]);
    expect(eb).toHaveReceivedCommandTimes(PutEventsCommand, 2);
    expect(eb).toHaveReceivedNthCommandWith(PutEventsCommand, 2, { Entries: [0, 1].map(expectedEntry) });
    expect(sleeps).toHaveLength(1);
  });

  it("does not retry a thrown access-denied error, but still sends the other batches", async () => {
    eb.on(PutEventsCommand)
      .rejectsOnce(new AccessDeniedException({ message: "not authorized", $metadata: {} }))
      .callsFake((input: PutEventsCommandInput) => respond(input));

    const error = (await publisher()
      .publish(range(0, 12).map(delivered))
      .catch((e: unknown) => e)) as PublishError;

    expect(error).toBeInstanceOf(PublishError);
    expect(error.failures.map((f) => f.index)).toEqual(range(0, 10));
    expect(error.failures[0]).toMatchObject({
      errorCode: "AccessDeniedException",
      errorMessage: "not authorized",
    });
    expect(error.eventIds).toEqual([...range(0, 10).map(() => undefined), "evt-0", "evt-1"]);
    expect(eb).toHaveReceivedCommandTimes(PutEventsCommand, 2);
    expect(sleeps).toEqual([]);
  });

  it("rejects an invalid detail with an EventValidationError naming the field; sends nothing", async () => {
    eb.on(PutEventsCommand).callsFake((input: PutEventsCommandInput) => respond(input));

    const attempt = publisher().publish([
      delivered(0),
      { detailType: "SurveyResponded", detail: { customerId: "cust-kr-0001", surveyId: "srv-1", score: 11 } },
    ]);

    await expect(attempt).rejects.toBeInstanceOf(EventValidationError);
    await expect(attempt).rejects.toMatchObject({
      detailType: "SurveyResponded",
      issues: [{ path: "detail.score", message: "expected an integer score from 0 to 10" }],
      message:
        "Invalid SurveyResponded event at index 1: detail.score: expected an integer score from 0 to 10",
    });
    expect(eb).not.toHaveReceivedAnyCommand();
  });

  it("adds an eventId when the detail has none, and keeps it across retries", async () => {
    eb.on(PutEventsCommand)
      .callsFakeOnce((input: PutEventsCommandInput) => respond(input, { 0: "InternalFailure" }))
      .callsFake((input: PutEventsCommandInput) => respond(input));

    await publisher().publish([{ detailType: "OrderDelivered", detail: { customerId: "c", orderId: "o" } }]);

    const details = eb
      .commandCalls(PutEventsCommand)
      .map((call) => JSON.parse(call.args[0].input.Entries?.[0]?.Detail ?? ""));
    expect(details).toHaveLength(2);
    expect(details[0]).toEqual({
      customerId: "c",
      orderId: "o",
      eventId: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    expect(details[1]).toEqual(details[0]);
  });

  it("keeps each request under 256 KB", async () => {
    eb.on(PutEventsCommand).callsFake((input: PutEventsCommandInput) => respond(input));
    // Producers may add fields the contract does not know; they count towards the size limit.
    const big = (n: number): PublishEntry => ({
      detailType: "OrderDelivered",
      detail: {
        customerId: `c-${n}`,
        orderId: `o-${n}`,
        eventId: `e-${n}`,
        note: "x".repeat(60_000),
      } as never,
    });

    const result = await publisher().publish(range(0, 5).map(big));

    expect(result.eventIds).toHaveLength(5);
    expect(eb).toHaveReceivedCommandTimes(PutEventsCommand, 2);
    const sizes = eb
      .commandCalls(PutEventsCommand)
      .map((call) => (call.args[0].input.Entries ?? []).reduce((sum, entry) => sum + entrySize(entry), 0));
    expect(eb.commandCalls(PutEventsCommand).map((c) => c.args[0].input.Entries?.length)).toEqual([4, 1]);
    for (const size of sizes) expect(size).toBeLessThan(MAX_REQUEST_BYTES);
  });

  it("rejects an event too large for EventBridge before sending anything", async () => {
    const huge: PublishEntry = {
      detailType: "OrderDelivered",
      detail: { customerId: "c", orderId: "o", note: "x".repeat(MAX_REQUEST_BYTES) } as never,
    };

    await expect(publisher().publish([delivered(0), huge])).rejects.toMatchObject({
      name: "EventValidationError",
      issues: [{ path: "detail", message: expect.stringMatching(/^event is \d+ bytes/) }],
    });
    expect(eb).not.toHaveReceivedAnyCommand();
  });

  it("computes entry size as AWS documents it", () => {
    expect(entrySize({ Source: "shop", DetailType: "OrderPlaced", Detail: '{"a":"가"}' })).toBe(4 + 11 + 11);
    expect(entrySize({ Source: "s", DetailType: "d", Time: new Date(), Resources: ["ab", "c"] })).toBe(
      1 + 1 + 14 + 3,
    );
  });

  it("resolves at once for no events", async () => {
    await expect(publisher().publish([])).resolves.toEqual({ eventIds: [] });
    expect(eb).not.toHaveReceivedAnyCommand();
  });

  it("refuses nonsensical options", () => {
    expect(() => publisher({ maxAttempts: 0 })).toThrow(RangeError);
    expect(() => publisher({ busName: "" })).toThrow(RangeError);
  });

  it("ties each detail to its detail-type at compile time", () => {
    const typed = (entries: PublishEntry[]) => entries;
    typed([
      { detailType: "NotificationOptOut", detail: { customerId: "c", channel: "sms" } },
      // @ts-expect-error a SurveyResponded detail needs surveyId and score, not an opt-out channel
      { detailType: "SurveyResponded", detail: { customerId: "c", channel: "sms" } },
    ]);
  });
});
