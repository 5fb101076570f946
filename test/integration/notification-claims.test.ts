import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DynamoDbEmitClaims } from "../../functions/adapters/dynamodb-emit-claims.ts";
import { DynamoDbNotificationStore } from "../../functions/adapters/dynamodb-notification-store.ts";
import { stableId } from "../../functions/core/ids.ts";
import type { NotificationRecord } from "../../functions/core/notification.ts";
import { EmitError, type EmittedEvent, type EventEmitter } from "../../functions/ports/event-emitter.ts";
import type { MessageSender } from "../../functions/ports/message-sender.ts";
import type { NotificationStore } from "../../functions/ports/notification-store.ts";
import { ClaimedEventEmitter } from "../../functions/use-cases/claimed-event-emitter.ts";
import { deliverNotification, SendInProgressError } from "../../functions/use-cases/deliver-notification.ts";
import { type LocalDynamo, startDynamo } from "../support/dynalite.ts";

let dynamo: LocalDynamo;
beforeAll(async () => {
  dynamo = await startDynamo();
});
afterAll(async () => {
  await dynamo.stop();
});

/** The notifier's emitters as the pipeline wires them: every event claimed on the table first. */
const claimed = (inner: EventEmitter, clock: () => Date = () => new Date()) =>
  new ClaimedEventEmitter(inner, new DynamoDbEmitClaims(dynamo.documentClient, dynamo.tableName), clock);

const record = (id: string, overrides: Partial<NotificationRecord> = {}): NotificationRecord => ({
  id,
  customerId: "claims-1",
  journeyId: "post-purchase",
  instanceId: "post-purchase#o-1",
  template: "post-purchase.tips",
  locale: "en-US",
  priority: "service",
  channel: "sms",
  to: "+12125550123",
  body: "Hi Jane, 3 quick tips…",
  vars: { name: "Jane" },
  why: ["order o-1 was delivered"],
  status: "sent",
  smsSegments: 1,
  at: "2026-05-01T14:00:00.000Z",
  ...overrides,
});

function countingSender(delayMs = 5) {
  const sent: string[] = [];
  const sender: MessageSender = {
    sendSms: async (m) => {
      await new Promise((r) => setTimeout(r, delayMs));
      sent.push(m.notificationId);
      return { messageId: `msg-${sent.length}` };
    },
    sendEmail: async (m) => {
      sent.push(m.notificationId);
      return { messageId: `msg-${sent.length}` };
    },
  };
  return { sent, sender };
}

describe("send claims on DynamoDB (dynalite)", () => {
  it("five concurrent deliveries of one decision publish exactly once", async () => {
    const store = new DynamoDbNotificationStore(dynamo.documentClient, dynamo.tableName);
    const { sent, sender } = countingSender(20);
    const emitted: EmittedEvent[] = [];
    const deps = {
      store,
      sender,
      events: claimed({ emit: async (e: readonly EmittedEvent[]) => void emitted.push(...e) }),
      feedback: { emit: async () => {} },
      clock: () => new Date("2026-05-01T14:00:00Z"),
    };
    const results = await Promise.allSettled(
      Array.from({ length: 5 }, () => deliverNotification(record("n-concurrent"), deps)),
    );
    expect(sent).toEqual(["n-concurrent"]);
    const outcomes = results.map((r) => (r.status === "fulfilled" ? r.value : (r.reason as Error).name));
    expect(outcomes.filter((o) => o === "sent")).toHaveLength(1);
    for (const o of outcomes.filter((o) => o !== "sent"))
      expect(["duplicate", "SendInProgressError"]).toContain(o);
    // once it is marked sent, every redelivery is a duplicate
    expect(await deliverNotification(record("n-concurrent"), deps)).toBe("duplicate");
    expect(emitted.filter((e) => e.detailType === "NotificationSent")).toHaveLength(1);
    // Its id is the decision's, so a re-emitted NotificationSent is recognisably the same fact.
    expect(emitted[0]!.detail.eventId).toBe(stableId("NotificationSent", "n-concurrent"));
  });

  it("a failed publish gives the claim back so the retry sends it", async () => {
    const store = new DynamoDbNotificationStore(dynamo.documentClient, dynamo.tableName);
    let attempts = 0;
    const sender: MessageSender = {
      sendSms: async () => {
        attempts++;
        if (attempts === 1) throw Object.assign(new Error("Rate exceeded"), { name: "ThrottlingException" });
        return { messageId: "msg-ok" };
      },
      sendEmail: async () => ({ messageId: "unused" }),
    };
    const deps = {
      store,
      sender,
      events: { emit: async () => {} },
      feedback: { emit: async () => {} },
      clock: () => new Date("2026-05-01T14:00:00Z"),
    };
    await expect(deliverNotification(record("n-throttled"), deps)).rejects.toThrow("Rate exceeded");
    expect(await deliverNotification(record("n-throttled"), deps)).toBe("sent");
    const [stored] = (await store.listForCustomer("claims-1")).filter((r) => r.id === "n-throttled");
    expect(stored).toMatchObject({ delivery: "sent" });
  });

  it("a claim held by a crashed worker blocks until its lease expires; then a safety message is sent again, a service message is not", async () => {
    const store = new DynamoDbNotificationStore(dynamo.documentClient, dynamo.tableName);
    const now = new Date("2026-05-01T14:00:00Z");
    const { sent, sender } = countingSender();
    const deps = (at: Date) => ({
      store,
      sender,
      events: { emit: async () => {} },
      feedback: { emit: async () => {} },
      clock: () => at,
    });
    const later = (ms: number) => new Date(now.getTime() + ms);
    for (const [id, priority] of [
      ["n-crashed-safety", "safety"],
      ["n-crashed-service", "service"],
    ] as const) {
      // The worker claims, perhaps publishes, and dies before it can say so.
      expect(await store.claim(record(id, { priority }), now)).toEqual({
        outcome: "claimed",
        takenOver: false,
      });
      await expect(deliverNotification(record(id, { priority }), deps(later(60_000)))).rejects.toBeInstanceOf(
        SendInProgressError,
      );
    }
    expect(sent).toEqual([]);
    // After the lease: at least once for safety, at most once for service (recorded as uncertain).
    expect(
      await deliverNotification(record("n-crashed-safety", { priority: "safety" }), deps(later(6 * 60_000))),
    ).toBe("sent");
    expect(await deliverNotification(record("n-crashed-service"), deps(later(6 * 60_000)))).toBe("uncertain");
    expect(sent).toEqual(["n-crashed-safety"]);
    const delivery = Object.fromEntries(
      (await store.listForCustomer("claims-1")).map((r) => [r.id, r.delivery]),
    );
    expect(delivery).toMatchObject({ "n-crashed-safety": "sent", "n-crashed-service": "uncertain" });
    expect(await deliverNotification(record("n-crashed-service"), deps(later(20 * 60_000)))).toBe(
      "duplicate",
    );
    expect(sent).toEqual(["n-crashed-safety"]);
  });

  it("suppressed and deferred decisions are recorded once and emit NotificationSuppressed once", async () => {
    const store = new DynamoDbNotificationStore(dynamo.documentClient, dynamo.tableName);
    const emitted: EmittedEvent[] = [];
    const { sent, sender } = countingSender();
    const deps = {
      store,
      sender,
      events: claimed({ emit: async (e: readonly EmittedEvent[]) => void emitted.push(...e) }),
      feedback: { emit: async () => {} },
      clock: () => new Date(),
    };
    const suppressed = record("n-suppressed", {
      status: "suppressed",
      reason: "no-consent",
      channel: undefined,
      to: undefined,
      body: undefined,
    });
    expect(await deliverNotification(suppressed, deps)).toBe("recorded");
    expect(await deliverNotification(suppressed, deps)).toBe("duplicate");
    expect(emitted).toEqual([
      expect.objectContaining({
        detailType: "NotificationSuppressed",
        detail: expect.objectContaining({ reason: "no-consent" }),
      }),
    ]);
    expect(sent).toEqual([]);
  });
});

describe("when the publish outcome is unknown (issue 9: duplicates)", () => {
  const timeout = () => Object.assign(new Error("socket timed out"), { name: "TimeoutError" });
  const flaky = (failures: number) => {
    let calls = 0;
    const sent: string[] = [];
    const sender: MessageSender = {
      sendSms: async (m) => {
        calls++;
        if (calls <= failures) throw timeout();
        sent.push(m.notificationId);
        return { messageId: `msg-${calls}` };
      },
      sendEmail: async () => ({ messageId: "unused" }),
    };
    return { sender, sent, calls: () => calls };
  };
  const depsWith = (sender: MessageSender, store: NotificationStore) => ({
    store,
    sender,
    events: { emit: async () => {} },
    feedback: { emit: async () => {} },
    clock: () => new Date("2026-05-01T14:00:00Z"),
  });

  it("a service message is sent at most once: the claim ends uncertain, and a redelivery publishes nothing", async () => {
    const store = new DynamoDbNotificationStore(dynamo.documentClient, dynamo.tableName);
    const { sender, calls } = flaky(1);
    expect(await deliverNotification(record("n-uncertain"), depsWith(sender, store))).toBe("uncertain");
    expect(await deliverNotification(record("n-uncertain"), depsWith(sender, store))).toBe("duplicate");
    expect(calls()).toBe(1);
    const [stored] = (await store.listForCustomer("claims-1")).filter((r) => r.id === "n-uncertain");
    expect(stored).toMatchObject({ delivery: "uncertain" });
  });

  it("a safety message is sent at least once: the claim is released and the retry publishes", async () => {
    const store = new DynamoDbNotificationStore(dynamo.documentClient, dynamo.tableName);
    const { sender, sent } = flaky(1);
    const safety = record("n-safety-timeout", { priority: "safety", template: "product-recall.notice" });
    await expect(deliverNotification(safety, depsWith(sender, store))).rejects.toThrow("socket timed out");
    expect(await deliverNotification(safety, depsWith(sender, store))).toBe("sent");
    expect(sent).toEqual(["n-safety-timeout"]);
  });

  it("once SNS has the message, a failing markSent is retried, and the message is never published again", async () => {
    const inner = new DynamoDbNotificationStore(dynamo.documentClient, dynamo.tableName);
    let markFailures = 2;
    const store: NotificationStore = {
      claim: (r, now) => inner.claim(r, now),
      markSent: async (r, id, now) => {
        if (markFailures-- > 0)
          throw Object.assign(new Error("throttled"), { name: "ProvisionedThroughputExceededException" });
        return inner.markSent(r, id, now);
      },
      markSuppressed: (r, now) => inner.markSuppressed(r, now),
      markUncertain: (r, now, cause) => inner.markUncertain(r, now, cause),
      release: (r) => inner.release(r),
      record: (r) => inner.record(r),
    };
    const { sender, sent } = flaky(0);
    expect(await deliverNotification(record("n-mark-retry"), depsWith(sender, store))).toBe("sent");
    expect(await deliverNotification(record("n-mark-retry"), depsWith(sender, store))).toBe("duplicate");
    expect(sent).toEqual(["n-mark-retry"]);
  });
});

describe("what a decision announces is announced once, even when the first announcement fails (issue 9)", () => {
  /** An emitter that fails its first `failures` calls outright, then records what it puts. */
  const failingFirst = (failures: number) => {
    const emitted: EmittedEvent[] = [];
    let calls = 0;
    const emitter: EventEmitter = {
      emit: async (events) => {
        if (++calls <= failures)
          throw Object.assign(new Error("bus unavailable"), { name: "InternalException" });
        emitted.push(...events);
      },
    };
    return { emitter, emitted };
  };

  it("a NotificationSent whose emit failed after markSent is emitted by the redelivery, and only once", async () => {
    const store = new DynamoDbNotificationStore(dynamo.documentClient, dynamo.tableName);
    const { sent, sender } = countingSender();
    const { emitter, emitted } = failingFirst(1);
    const deps = {
      store,
      sender,
      events: claimed(emitter),
      feedback: { emit: async () => {} },
      clock: () => new Date(),
    };
    await expect(deliverNotification(record("n-sent-emit-fails"), deps)).rejects.toThrow("bus unavailable");
    expect(await deliverNotification(record("n-sent-emit-fails"), deps)).toBe("duplicate");
    expect(await deliverNotification(record("n-sent-emit-fails"), deps)).toBe("duplicate");
    expect(sent).toEqual(["n-sent-emit-fails"]);
    expect(emitted.map((e) => [e.detailType, e.detail.messageId])).toEqual([["NotificationSent", "msg-1"]]);
  });

  it("a NotificationSuppressed whose emit failed is emitted by the redelivery, and only once", async () => {
    const store = new DynamoDbNotificationStore(dynamo.documentClient, dynamo.tableName);
    const { sender } = countingSender();
    const { emitter, emitted } = failingFirst(1);
    const deps = {
      store,
      sender,
      events: claimed(emitter),
      feedback: { emit: async () => {} },
      clock: () => new Date(),
    };
    const suppressed = record("n-suppressed-emit-fails", {
      status: "suppressed",
      reason: "quiet-hours" as never,
    });
    await expect(deliverNotification(suppressed, deps)).rejects.toThrow("bus unavailable");
    expect(await deliverNotification(suppressed, deps)).toBe("duplicate");
    expect(await deliverNotification(suppressed, deps)).toBe("duplicate");
    expect(emitted.map((e) => e.detailType)).toEqual(["NotificationSuppressed"]);
  });

  it("a carrier opt-out whose feedback emit failed is fed back by the redelivery, once, with an id of its own", async () => {
    const store = new DynamoDbNotificationStore(dynamo.documentClient, dynamo.tableName);
    const { RecipientOptedOutError } = await import("../../functions/ports/message-sender.ts");
    const sender: MessageSender = {
      sendSms: async () => {
        throw new RecipientOptedOutError("opted out");
      },
      sendEmail: async () => ({ messageId: "unused" }),
    };
    const feedback = failingFirst(1);
    const events = failingFirst(0);
    const deps = {
      store,
      sender,
      events: claimed(events.emitter),
      feedback: claimed(feedback.emitter),
      clock: () => new Date(),
    };
    await expect(deliverNotification(record("n-opt-out-a"), deps)).rejects.toThrow("bus unavailable");
    expect(await deliverNotification(record("n-opt-out-a"), deps)).toBe("duplicate");
    expect(await deliverNotification(record("n-opt-out-a"), deps)).toBe("duplicate");
    expect(await deliverNotification(record("n-opt-out-b"), deps)).toBe("recorded");
    const optOuts = feedback.emitted.filter((e) => e.detailType === "NotificationOptOut");
    expect(optOuts.map((e) => e.detail.eventId)).toEqual([
      stableId("NotificationOptOut", "n-opt-out-a"),
      stableId("NotificationOptOut", "n-opt-out-b"),
    ]);
    expect(events.emitted.filter((e) => e.detailType === "NotificationSuppressed")).toHaveLength(2);
  });
});

describe("emit claims on DynamoDB (dynalite)", () => {
  const event = (id: string): EmittedEvent => ({
    detailType: "AgentEscalationRequested",
    detail: { customerId: "claims-emit", eventId: id },
  });

  it("a replayed emit puts nothing twice; concurrent emitters put each event once", async () => {
    const emitted: EmittedEvent[] = [];
    const emitter = claimed({
      emit: async (events) => {
        await new Promise((r) => setTimeout(r, 10));
        emitted.push(...events);
      },
    });
    await Promise.allSettled(Array.from({ length: 4 }, () => emitter.emit([event("e-1"), event("e-2")])));
    await emitter.emit([event("e-1"), event("e-2"), event("e-3")]);
    expect(emitted.map((e) => e.detail.eventId).sort()).toEqual(["e-1", "e-2", "e-3"]);
  });

  it("when a put fails part-way, the events that went are kept and only the others are retried", async () => {
    const emitted: EmittedEvent[] = [];
    let calls = 0;
    const emitter = claimed({
      emit: async (events) => {
        if (++calls === 1) {
          emitted.push(events[0]!);
          throw new EmitError("1 of 2 events could not be published", [true, false]);
        }
        emitted.push(...events);
      },
    });
    await expect(emitter.emit([event("p-1"), event("p-2")])).rejects.toBeInstanceOf(EmitError);
    await emitter.emit([event("p-1"), event("p-2")]);
    expect(emitted.map((e) => e.detail.eventId)).toEqual(["p-1", "p-2"]);
  });

  it("an event without an eventId cannot be claimed and is refused by name", async () => {
    const emitter = claimed({ emit: async () => {} });
    await expect(
      emitter.emit([{ detailType: "JourneyCompleted", detail: { customerId: "c" } }]),
    ).rejects.toThrow(/JourneyCompleted: an emitted event needs a detail.eventId/);
  });
});
