import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { table } from "../config/table.ts";

/** How long a claim protects work in progress (a publish, an emit) before another worker may retry it. */
export const CLAIM_LEASE_MS = 5 * 60_000;

export type LeasedClaimOutcome =
  /**
   * This worker owns the work now. `takenOver`: the claim was taken from a worker whose lease ran out, so
   * that worker died (or stalled) after claiming and may have done the work before it stopped.
   */
  | { outcome: "claimed"; takenOver: boolean }
  /** The work is done (or decided): `item` is the stored claim. */
  | { outcome: "done"; item: Record<string, unknown> }
  /** Another worker holds a live lease: try again later. */
  | { outcome: "busy" };

/**
 * The claim behind every exactly-once effect: the first conditional put of a key wins and holds a lease
 * (`delivery: "sending"`); the owner then marks the item done. A lease that ran out (its worker died) may be
 * taken over, so work is never stuck, only retried.
 */
export async function claimWithLease(
  client: DynamoDBDocumentClient,
  tableName: string,
  key: { pk: string; sk: string },
  attributes: Record<string, unknown>,
  now: Date,
): Promise<LeasedClaimOutcome> {
  try {
    const { Attributes } = await client.send(
      new PutCommand({
        TableName: tableName,
        Item: { ...key, ...attributes, delivery: "sending", leaseUntil: now.getTime() + CLAIM_LEASE_MS },
        ConditionExpression: "attribute_not_exists(#pk) OR (#delivery = :sending AND #leaseUntil < :now)",
        ExpressionAttributeNames: {
          "#pk": table.partitionKey,
          "#delivery": "delivery",
          "#leaseUntil": "leaseUntil",
        },
        ExpressionAttributeValues: { ":sending": "sending", ":now": now.getTime() },
        ReturnValues: "ALL_OLD",
      }),
    );
    return { outcome: "claimed", takenOver: Attributes !== undefined };
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
  const { Item } = await client.send(
    new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }),
  );
  if (!Item || Item.delivery === "sending") return { outcome: "busy" };
  return { outcome: "done", item: Item };
}

/** Gives a claim back after its work failed, so a retry can take it; one already done or gone is left alone. */
export async function releaseLease(
  client: DynamoDBDocumentClient,
  tableName: string,
  key: { pk: string; sk: string },
): Promise<void> {
  try {
    await client.send(
      new DeleteCommand({
        TableName: tableName,
        Key: key,
        ConditionExpression: "#delivery = :sending",
        ExpressionAttributeNames: { "#delivery": "delivery" },
        ExpressionAttributeValues: { ":sending": "sending" },
      }),
    );
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
}
