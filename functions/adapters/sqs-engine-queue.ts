import type { SQSClient } from "@aws-sdk/client-sqs";
import type { EngineQueue, EngineQueueMessage } from "../ports/engine-queue.ts";
import { SQS_SEND_CONCURRENCY, sendInBatches } from "./sqs-batches.ts";

/** The engine's FIFO input queue: one message group per customer keeps their inputs in order. */
export class SqsEngineQueue implements EngineQueue {
  readonly #client: SQSClient;
  readonly #queueUrl: string;
  readonly #sendConcurrency: number;

  /**
   * `sendConcurrency`: SendMessageBatch calls in flight at once. The stack keeps the default; the recall bench
   * passes 1 to measure, in the same run, the one-call-after-another sending this replaced (issue 14).
   */
  constructor(client: SQSClient, queueUrl: string, sendConcurrency = SQS_SEND_CONCURRENCY) {
    this.#client = client;
    this.#queueUrl = queueUrl;
    this.#sendConcurrency = sendConcurrency;
  }

  async enqueue(messages: readonly EngineQueueMessage[]): Promise<{ failed: number[] }> {
    const failed = await sendInBatches(
      this.#client,
      this.#queueUrl,
      messages,
      (message) => ({
        MessageBody: JSON.stringify(message.body),
        MessageGroupId: message.groupId,
        MessageDeduplicationId: message.deduplicationId,
      }),
      this.#sendConcurrency,
    );
    return { failed };
  }
}
