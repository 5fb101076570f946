import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { type DynamoDBDocumentClient, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { table } from "../config/table.ts";
import type { Channel } from "../core/customer-state.ts";
import type { SendingRateLimiter } from "../ports/sending-rate.ts";

/** How far ahead a message may reserve its slot: a notifier waits at most this long before publishing. */
export const RATE_LOOKAHEAD_SECONDS = 10;

/**
 * One counter item per channel and second (`pk = RATE#<channel>`, `sk = <epoch second>`): a slot is a
 * conditional increment that succeeds while the second has room. A full second moves the message to the
 * next one, up to the lookahead. Counters expire a day later (`expiresAt`, the table's TTL attribute).
 */
export class DynamoDbSendingRate implements SendingRateLimiter {
  readonly #client: DynamoDBDocumentClient;
  readonly #tableName: string;
  readonly #rates: Partial<Record<Channel, number>>;

  constructor(client: DynamoDBDocumentClient, tableName: string, rates: Partial<Record<Channel, number>>) {
    this.#client = client;
    this.#tableName = tableName;
    this.#rates = rates;
  }

  async reserve(channel: Channel, now: Date): Promise<Date | undefined> {
    const rate = this.#rates[channel];
    if (rate === undefined) return now;
    // A rate below one a second is a slot every 1/rate seconds: one message in that many seconds.
    const perSlot = Math.max(1, Math.floor(rate));
    const slotSeconds = rate >= 1 ? 1 : Math.ceil(1 / rate);
    const first = Math.floor(now.getTime() / 1000 / slotSeconds) * slotSeconds;
    for (let slot = first; slot < first + RATE_LOOKAHEAD_SECONDS; slot += slotSeconds) {
      try {
        await this.#client.send(
          new UpdateCommand({
            TableName: this.#tableName,
            Key: table.keys.sendingRate(channel, slot),
            UpdateExpression: "ADD #count :one SET #expiresAt = :expiresAt",
            ConditionExpression: "attribute_not_exists(#count) OR #count < :limit",
            ExpressionAttributeNames: { "#count": "count", "#expiresAt": table.timeToLiveAttribute },
            ExpressionAttributeValues: { ":one": 1, ":limit": perSlot, ":expiresAt": slot + 86_400 },
          }),
        );
        return new Date(Math.max(now.getTime(), slot * 1000));
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    }
    return undefined;
  }
}
