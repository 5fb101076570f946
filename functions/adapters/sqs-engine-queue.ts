import type { SQSClient } from "@aws-sdk/client-sqs";
import type { EngineQueue, EngineQueueMessage } from "../ports/engine-queue.ts";
import { sendInBatches } from "./sqs-batches.ts";

/** The engine's FIFO input queue: one message group per customer keeps their inputs in order. */
export class SqsEngineQueue implements EngineQueue {
  readonly #client: SQSClient;
  readonly #queueUrl: string;

  constructor(client: SQSClient, queueUrl: string) {
    this.#client = client;
    this.#queueUrl = queueUrl;
  }

  async enqueue(messages: readonly EngineQueueMessage[]): Promise<{ failed: number[] }> {
    const failed = await sendInBatches(this.#client, this.#queueUrl, messages, (message) => ({
      MessageBody: JSON.stringify(message.body),
      MessageGroupId: message.groupId,
      MessageDeduplicationId: message.deduplicationId,
    }));
    return { failed };
  }
}
