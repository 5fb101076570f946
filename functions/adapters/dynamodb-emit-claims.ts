import { type DynamoDBDocumentClient, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { table } from "../config/table.ts";
import type { EmitClaimOutcome, EmitClaims, EmittedEvent } from "../ports/event-emitter.ts";
import { claimWithLease, releaseLease } from "./dynamodb-leased-claim.ts";

/** Emit claims live beside the customer's other items (one partition per customer), or in one of their own. */
export class DynamoDbEmitClaims implements EmitClaims {
  readonly #client: DynamoDBDocumentClient;
  readonly #tableName: string;

  constructor(client: DynamoDBDocumentClient, tableName: string) {
    this.#client = client;
    this.#tableName = tableName;
  }

  async claim(event: EmittedEvent, now: Date): Promise<EmitClaimOutcome> {
    const claim = await claimWithLease(
      this.#client,
      this.#tableName,
      keyOf(event),
      { detailType: event.detailType },
      now,
    );
    return claim.outcome;
  }

  async markEmitted(event: EmittedEvent, now: Date): Promise<void> {
    await this.#client.send(
      new UpdateCommand({
        TableName: this.#tableName,
        Key: keyOf(event),
        UpdateExpression: "SET #delivery = :emitted, #emittedAt = :now REMOVE #leaseUntil",
        ExpressionAttributeNames: {
          "#delivery": "delivery",
          "#emittedAt": "emittedAt",
          "#leaseUntil": "leaseUntil",
        },
        ExpressionAttributeValues: { ":emitted": "emitted", ":now": now.toISOString() },
      }),
    );
  }

  async release(event: EmittedEvent): Promise<void> {
    await releaseLease(this.#client, this.#tableName, keyOf(event));
  }
}

function keyOf(event: EmittedEvent): { pk: string; sk: string } {
  const customerId = typeof event.detail.customerId === "string" ? event.detail.customerId : undefined;
  return table.keys.emitClaim(customerId, event.detailType, eventIdOf(event));
}

/** Every event Waymark emits carries a deterministic id; one without cannot be claimed, so it is refused. */
export function eventIdOf(event: EmittedEvent): string {
  const id = event.detail.eventId;
  if (typeof id !== "string" || id.length === 0)
    throw new TypeError(`${event.detailType}: an emitted event needs a detail.eventId to be claimed`);
  return id;
}
