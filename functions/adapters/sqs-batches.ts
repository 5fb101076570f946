import {
  SendMessageBatchCommand,
  type SendMessageBatchRequestEntry,
  type SQSClient,
} from "@aws-sdk/client-sqs";

const SQS_BATCH_LIMIT = 10;

/**
 * Sends items with SendMessageBatch, ten at a time, and returns the indexes that SQS reported
 * as failed (a batch call can half-succeed; the caller decides what a failure means).
 */
export async function sendInBatches<T>(
  client: SQSClient,
  queueUrl: string,
  items: readonly T[],
  toEntry: (item: T) => Omit<SendMessageBatchRequestEntry, "Id">,
): Promise<number[]> {
  const failed: number[] = [];
  for (let start = 0; start < items.length; start += SQS_BATCH_LIMIT) {
    const slice = items.slice(start, start + SQS_BATCH_LIMIT);
    const result = await client.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: slice.map((item, offset) => ({ Id: String(start + offset), ...toEntry(item) })),
      }),
    );
    for (const failure of result.Failed ?? []) failed.push(Number(failure.Id));
  }
  return failed;
}
