import {
  SendMessageBatchCommand,
  type SendMessageBatchRequestEntry,
  type SQSClient,
} from "@aws-sdk/client-sqs";

const SQS_BATCH_LIMIT = 10;

/** SendMessageBatch takes at most 256 KiB in all, and so does one message: body and attributes. */
export const SQS_MAX_BATCH_BYTES = 256 * 1024;

/** What SQS counts of an entry: the body and each attribute's name, type and value, in UTF-8 bytes. */
export function sqsEntryBytes(entry: Omit<SendMessageBatchRequestEntry, "Id">): number {
  let bytes = Buffer.byteLength(entry.MessageBody ?? "", "utf8");
  for (const [name, attribute] of Object.entries(entry.MessageAttributes ?? {})) {
    bytes += Buffer.byteLength(name, "utf8") + Buffer.byteLength(attribute.DataType ?? "", "utf8");
    bytes +=
      Buffer.byteLength(attribute.StringValue ?? "", "utf8") + (attribute.BinaryValue?.byteLength ?? 0);
  }
  return bytes;
}

/**
 * Sends items with SendMessageBatch — at most ten entries and 256 KiB per call — and returns the indexes
 * that SQS reported as failed (a batch call can half-succeed; the caller decides what a failure means).
 * An item too large for any message is reported failed without a call, so the rest still go.
 */
export async function sendInBatches<T>(
  client: SQSClient,
  queueUrl: string,
  items: readonly T[],
  toEntry: (item: T, index: number) => Omit<SendMessageBatchRequestEntry, "Id">,
): Promise<number[]> {
  const failed: number[] = [];
  let batch: SendMessageBatchRequestEntry[] = [];
  let batchBytes = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    const result = await client.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: batch }));
    for (const failure of result.Failed ?? []) failed.push(Number(failure.Id));
    batch = [];
    batchBytes = 0;
  };
  for (const [index, item] of items.entries()) {
    const entry = toEntry(item, index);
    const bytes = sqsEntryBytes(entry);
    if (bytes > SQS_MAX_BATCH_BYTES) {
      failed.push(index);
      continue;
    }
    if (batch.length === SQS_BATCH_LIMIT || batchBytes + bytes > SQS_MAX_BATCH_BYTES) await flush();
    batch.push({ Id: String(index), ...entry });
    batchBytes += bytes;
  }
  await flush();
  return failed.sort((a, b) => a - b);
}
