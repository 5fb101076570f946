import "aws-sdk-client-mock-vitest/extend";
import { ConditionalCheckFailedException, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { DynamoDbCustomerRepository } from "../../../functions/adapters/dynamodb-customer-repository.ts";
import { CLAIM_LEASE_MS } from "../../../functions/adapters/dynamodb-leased-claim.ts";
import { DynamoDbNotificationStore } from "../../../functions/adapters/dynamodb-notification-store.ts";
import { emptyCustomerState } from "../../../functions/core/customer-state.ts";
import type { NotificationRecord } from "../../../functions/core/notification.ts";
import { ConcurrentUpdateError } from "../../../functions/ports/customer-repository.ts";

const documentClient = DynamoDBDocumentClient.from(new DynamoDBClient({ region: "ap-northeast-2" }));
const ddb = mockClient(documentClient);
afterEach(() => ddb.reset());

const ccf = () =>
  new ConditionalCheckFailedException({ message: "The conditional request failed", $metadata: {} });
const now = new Date("2026-05-01T00:00:00Z");

describe("DynamoDbCustomerRepository", () => {
  const repo = new DynamoDbCustomerRepository(documentClient, "waymark");

  it("loads with one strongly consistent GetItem on the customer key", async () => {
    const state = emptyCustomerState("c-1", now);
    ddb.on(GetCommand).resolves({ Item: { pk: "CUSTOMER#c-1", sk: "STATE", version: 7, state } });
    expect(await repo.load("c-1")).toEqual({ state, version: 7 });
    expect(ddb).toHaveReceivedCommandWith(GetCommand, {
      TableName: "waymark",
      Key: { pk: "CUSTOMER#c-1", sk: "STATE" },
      ConsistentRead: true,
    });
  });

  it("returns undefined for a customer it has never seen", async () => {
    ddb.on(GetCommand).resolves({});
    expect(await repo.load("nobody")).toBeUndefined();
  });

  it("creates a new customer only if none exists (version 1)", async () => {
    ddb.on(PutCommand).resolves({});
    const state = emptyCustomerState("c-1", now);
    expect(await repo.save(state, undefined)).toBe(1);
    expect(ddb).toHaveReceivedCommandWith(PutCommand, {
      TableName: "waymark",
      Item: {
        pk: "CUSTOMER#c-1",
        sk: "STATE",
        version: 1,
        customerId: "c-1",
        updatedAt: state.updatedAt,
        state,
      },
      ConditionExpression: "attribute_not_exists(#pk)",
      ExpressionAttributeNames: { "#pk": "pk" },
    });
  });

  it("updates only if the stored version is the one read (optimistic lock)", async () => {
    ddb.on(PutCommand).resolves({});
    expect(await repo.save(emptyCustomerState("c-1", now), 4)).toBe(5);
    expect(ddb).toHaveReceivedCommandWith(PutCommand, {
      ConditionExpression: "#version = :expected",
      ExpressionAttributeNames: { "#version": "version" },
      ExpressionAttributeValues: { ":expected": 4 },
    });
  });

  it("turns a conditional check failure into ConcurrentUpdateError and passes other errors through", async () => {
    ddb.on(PutCommand).rejectsOnce(ccf()).rejectsOnce(new Error("ProvisionedThroughputExceededException"));
    await expect(repo.save(emptyCustomerState("c-1", now), 2)).rejects.toBeInstanceOf(ConcurrentUpdateError);
    await expect(repo.save(emptyCustomerState("c-1", now), 2)).rejects.toThrow(
      "ProvisionedThroughputExceeded",
    );
  });

  it("rejects a stored item that is not a customer state instead of acting on it", async () => {
    ddb
      .on(GetCommand)
      .resolves({ Item: { pk: "CUSTOMER#c-1", sk: "STATE", version: 1, state: { customerId: 42 } } });
    await expect(repo.load("c-1")).rejects.toThrow();
  });
});

const record: NotificationRecord = {
  id: "n-1",
  customerId: "c-1",
  journeyId: "post-purchase",
  instanceId: "post-purchase#o-1",
  template: "post-purchase.tips",
  locale: "en-US",
  priority: "service",
  channel: "sms",
  to: "+12125550123",
  body: "Hi",
  vars: {},
  why: ["because"],
  status: "sent",
  at: now.toISOString(),
};

describe("DynamoDbNotificationStore", () => {
  const store = new DynamoDbNotificationStore(documentClient, "waymark");

  it("claims with a conditional put that only an absent or expired claim satisfies", async () => {
    ddb.on(PutCommand).resolves({});
    expect(await store.claim(record, now)).toEqual({ outcome: "claimed", takenOver: false });
    expect(ddb).toHaveReceivedCommandWith(PutCommand, {
      TableName: "waymark",
      Item: {
        pk: "CUSTOMER#c-1",
        sk: "NOTIFICATION#n-1",
        record,
        delivery: "sending",
        leaseUntil: now.getTime() + CLAIM_LEASE_MS,
      },
      ConditionExpression: "attribute_not_exists(#pk) OR (#delivery = :sending AND #leaseUntil < :now)",
      ExpressionAttributeValues: { ":sending": "sending", ":now": now.getTime() },
      ReturnValues: "ALL_OLD",
    });
  });

  it("says when a claim was taken over from a worker whose lease ran out", async () => {
    ddb.on(PutCommand).resolves({ Attributes: { delivery: "sending", leaseUntil: now.getTime() - 1 } });
    expect(await store.claim(record, now)).toEqual({ outcome: "claimed", takenOver: true });
  });

  it("reports done when the record was already sent and busy when a live claim exists", async () => {
    ddb.on(PutCommand).rejects(ccf());
    ddb
      .on(GetCommand)
      .resolvesOnce({ Item: { delivery: "sent", messageId: "sns-1", record } })
      .resolvesOnce({ Item: { delivery: "sending" } });
    expect(await store.claim(record, now)).toEqual({
      outcome: "done",
      delivery: "sent",
      messageId: "sns-1",
      record,
    });
    expect(await store.claim(record, now)).toEqual({ outcome: "busy" });
    expect(ddb).toHaveReceivedCommandWith(GetCommand, {
      ConsistentRead: true,
      Key: { pk: "CUSTOMER#c-1", sk: "NOTIFICATION#n-1" },
    });
  });

  it("marks a claim sent with the SNS message id", async () => {
    ddb.on(UpdateCommand).resolves({});
    await store.markSent(record, "sns-123", now);
    expect(ddb).toHaveReceivedCommandWith(UpdateCommand, {
      Key: { pk: "CUSTOMER#c-1", sk: "NOTIFICATION#n-1" },
      UpdateExpression:
        "SET #delivery = :sent, #messageId = :messageId, #sentAt = :sentAt REMOVE #leaseUntil",
      ExpressionAttributeValues: { ":sent": "sent", ":messageId": "sns-123", ":sentAt": now.toISOString() },
    });
  });

  it("releases only a claim still in progress, and tolerates one already gone", async () => {
    ddb.on(DeleteCommand).rejects(ccf());
    await expect(store.release(record)).resolves.toBeUndefined();
    expect(ddb).toHaveReceivedCommandWith(DeleteCommand, { ConditionExpression: "#delivery = :sending" });
  });

  it("records a non-send decision once; the second time is a duplicate", async () => {
    ddb.on(PutCommand).resolvesOnce({}).rejectsOnce(ccf());
    const suppressed = { ...record, status: "suppressed" as const, reason: "no-consent" as const };
    expect(await store.record(suppressed)).toBe("recorded");
    expect(await store.record(suppressed)).toBe("duplicate");
  });
});
