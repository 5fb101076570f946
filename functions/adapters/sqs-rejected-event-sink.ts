import type { SQSClient } from "@aws-sdk/client-sqs";
import type { RejectedEvent, RejectedEventSink } from "../ports/rejected-event-sink.ts";
import { sendInBatches } from "./sqs-batches.ts";

/**
 * Rejected events wait on their own queue (14 days) with the reason beside the original, so an
 * operator can read why, fix the producer, and replay them with `waymark send`.
 */
export class SqsRejectedEventSink implements RejectedEventSink {
  readonly #client: SQSClient;
  readonly #queueUrl: string;

  constructor(client: SQSClient, queueUrl: string) {
    this.#client = client;
    this.#queueUrl = queueUrl;
  }

  async reject(events: readonly RejectedEvent[]): Promise<void> {
    const failed = await sendInBatches(this.#client, this.#queueUrl, events, (event) => ({
      MessageBody: JSON.stringify(event),
      MessageAttributes: {
        reason: { DataType: "String", StringValue: event.reason.slice(0, 1000) || "invalid" },
      },
    }));
    if (failed.length > 0) throw new Error(`could not keep ${failed.length} rejected event(s); will retry`);
  }
}
