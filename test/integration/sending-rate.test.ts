import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DynamoDbEmitClaims } from "../../functions/adapters/dynamodb-emit-claims.ts";
import { DynamoDbNotificationStore } from "../../functions/adapters/dynamodb-notification-store.ts";
import {
  DynamoDbSendingRate,
  RATE_LOOKAHEAD_SECONDS,
} from "../../functions/adapters/dynamodb-sending-rate.ts";
import type { NotificationRecord } from "../../functions/core/notification.ts";
import type { MessageSender } from "../../functions/ports/message-sender.ts";
import { ClaimedEventEmitter } from "../../functions/use-cases/claimed-event-emitter.ts";
import { deliverNotification, SendRateLimitedError } from "../../functions/use-cases/deliver-notification.ts";
import { type LocalDynamo, startDynamo } from "../support/dynalite.ts";

let dynamo: LocalDynamo;
beforeAll(async () => {
  dynamo = await startDynamo();
});
afterAll(async () => {
  await dynamo.stop();
});

const record = (n: number): NotificationRecord => ({
  id: `rate-${n}`,
  customerId: `rate-customer-${n}`,
  journeyId: "product-recall",
  instanceId: "product-recall#RC-1",
  template: "product-recall.notice",
  locale: "en-US",
  priority: "safety",
  channel: "sms",
  to: "+12125550123",
  body: "Safety recall",
  vars: {},
  why: [],
  status: "sent",
  at: "2026-07-01T00:00:00.000Z",
});

/** A clock that only moves when the notifier sleeps: no test here depends on the machine's speed. */
function virtualTime(start: string) {
  let now = Date.parse(start);
  return {
    clock: () => new Date(now),
    sleep: async (ms: number) => {
      now += ms;
    },
  };
}

describe("the sending-rate limit holds in the notifier (issue 10)", () => {
  it("publishes at most the rate per second, every invocation sharing one pace, on a mocked clock", async () => {
    const time = virtualTime("2026-07-01T00:00:00.200Z");
    const published: number[] = [];
    const sender: MessageSender = {
      sendSms: async () => {
        published.push(time.clock().getTime());
        return { messageId: `m-${published.length}` };
      },
      sendEmail: async () => ({ messageId: "e" }),
    };
    const noEmits = { emit: async () => {} };
    const deps = {
      store: new DynamoDbNotificationStore(dynamo.documentClient, dynamo.tableName),
      sender,
      events: new ClaimedEventEmitter(
        noEmits,
        new DynamoDbEmitClaims(dynamo.documentClient, dynamo.tableName),
        time.clock,
      ),
      feedback: noEmits,
      clock: time.clock,
      sleep: time.sleep,
      rate: new DynamoDbSendingRate(dynamo.documentClient, dynamo.tableName, { sms: 3 }),
    };
    for (let n = 0; n < 12; n++) expect(await deliverNotification(record(n), deps)).toBe("sent");
    const perSecond = new Map<number, number>();
    for (const at of published)
      perSecond.set(Math.floor(at / 1000), (perSecond.get(Math.floor(at / 1000)) ?? 0) + 1);
    expect([...perSecond.values()]).toEqual([3, 3, 3, 3]);
    // No message waited longer than its slot: 12 messages at 3 a second take 4 seconds.
    expect(published.at(-1)! - published[0]!).toBeLessThan(4000);
  });

  it("a channel with no slot free within the lookahead gives the claim back and fails the message, to be retried", async () => {
    const time = virtualTime("2026-07-02T00:00:00.000Z");
    const rate = new DynamoDbSendingRate(dynamo.documentClient, dynamo.tableName, { sms: 1 });
    // Another notifier took every slot of the next RATE_LOOKAHEAD_SECONDS seconds.
    for (let s = 0; s < RATE_LOOKAHEAD_SECONDS; s++)
      await rate.reserve("sms", new Date(time.clock().getTime() + s * 1000));
    const store = new DynamoDbNotificationStore(dynamo.documentClient, dynamo.tableName);
    const sent: string[] = [];
    const deps = {
      store,
      sender: {
        sendSms: async (m: { notificationId: string }) => {
          sent.push(m.notificationId);
          return { messageId: "m" };
        },
        sendEmail: async () => ({ messageId: "e" }),
      },
      events: { emit: async () => {} },
      feedback: { emit: async () => {} },
      clock: time.clock,
      sleep: time.sleep,
      rate,
    };
    const late = record(100);
    await expect(deliverNotification(late, deps)).rejects.toBeInstanceOf(SendRateLimitedError);
    expect(sent).toEqual([]);
    // The claim was given back: later, with room again, the same message goes.
    await time.sleep(RATE_LOOKAHEAD_SECONDS * 1000);
    expect(await deliverNotification(late, deps)).toBe("sent");
    expect(sent).toEqual([late.id]);
  });
});
