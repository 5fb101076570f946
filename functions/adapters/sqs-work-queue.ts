import type { SQSClient } from "@aws-sdk/client-sqs";
import type { WorkQueue } from "../ports/work-queue.ts";
import { sendInBatches } from "./sqs-batches.ts";

export class SqsWorkQueue implements WorkQueue {
  readonly #client: SQSClient;
  readonly #queueUrl: string;

  constructor(client: SQSClient, queueUrl: string) {
    this.#client = client;
    this.#queueUrl = queueUrl;
  }

  async send(bodies: readonly unknown[], options: { delaySeconds?: number } = {}): Promise<void> {
    const delay = Math.min(900, Math.max(0, Math.ceil(options.delaySeconds ?? 0)));
    const failed = await sendInBatches(this.#client, this.#queueUrl, bodies, (body) => ({
      MessageBody: JSON.stringify(body),
      ...(delay > 0 ? { DelaySeconds: delay } : {}),
    }));
    if (failed.length > 0) throw new Error(`could not queue ${failed.length} message(s); will retry`);
  }
}
