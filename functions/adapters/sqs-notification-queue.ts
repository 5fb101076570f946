import type { SQSClient } from "@aws-sdk/client-sqs";
import type { NotificationRecord } from "../core/notification.ts";
import type { NotificationQueue } from "../ports/notification-queue.ts";
import { sendInBatches } from "./sqs-batches.ts";

/** The outbound queue between the engine and the notifier (standard queue: order is not needed). */
export class SqsNotificationQueue implements NotificationQueue {
  readonly #client: SQSClient;
  readonly #queueUrl: string;

  constructor(client: SQSClient, queueUrl: string) {
    this.#client = client;
    this.#queueUrl = queueUrl;
  }

  async enqueue(records: readonly NotificationRecord[]): Promise<void> {
    const failed = await sendInBatches(this.#client, this.#queueUrl, records, (record) => ({
      MessageBody: JSON.stringify(record),
    }));
    if (failed.length > 0) {
      throw new Error(
        `could not queue ${failed.length} notification(s): ${failed.map((i) => records[i]!.id).join(", ")}`,
      );
    }
  }
}
