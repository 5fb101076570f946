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
 * SendMessageBatch calls in flight at once. A recall's fan-out queues 500 owners a page, 50 calls: one after
 * another they cost 50 round trips (~0.75 s at 15 ms), ten at a time five. Ten calls of ten messages stay far
 * below a high-throughput FIFO queue's quota, and a Lambda's sockets (the SDK keeps 50 per client).
 */
export const SQS_SEND_CONCURRENCY = 10;

/**
 * Sends items with SendMessageBatch — at most ten entries and 256 KiB per call — and returns the indexes
 * that SQS reported as failed (a batch call can half-succeed; the caller decides what a failure means).
 * An item too large for any message is reported failed without a call, so the rest still go.
 *
 * Up to `concurrency` calls are in flight, started in the items' order. A FIFO queue orders a group's
 * messages as its calls arrive, so a call naming a group that an earlier call names waits for that one:
 * a group's messages reach the queue in the items' order, as they did one call at a time. A call that
 * throws stops the calls not yet started (a group's later messages must not overtake the ones that did
 * not go) and its error is thrown once the calls in flight have settled.
 */
export async function sendInBatches<T>(
  client: SQSClient,
  queueUrl: string,
  items: readonly T[],
  toEntry: (item: T, index: number) => Omit<SendMessageBatchRequestEntry, "Id">,
  concurrency = SQS_SEND_CONCURRENCY,
): Promise<number[]> {
  const failed: number[] = [];
  const batches: SendMessageBatchRequestEntry[][] = [];
  let batch: SendMessageBatchRequestEntry[] = [];
  let batchBytes = 0;
  for (const [index, item] of items.entries()) {
    const entry = toEntry(item, index);
    const bytes = sqsEntryBytes(entry);
    if (bytes > SQS_MAX_BATCH_BYTES) {
      failed.push(index);
      continue;
    }
    if (batch.length === SQS_BATCH_LIMIT || batchBytes + bytes > SQS_MAX_BATCH_BYTES) {
      batches.push(batch);
      batch = [];
      batchBytes = 0;
    }
    batch.push({ Id: String(index), ...entry });
    batchBytes += bytes;
  }
  if (batch.length > 0) batches.push(batch);

  /** Per message group, the latest call that names it (these promises never reject). */
  const lastCallOf = new Map<string, Promise<void>>();
  let thrown: { error: unknown } | undefined;
  let next = 0;
  const send = async (entries: SendMessageBatchRequestEntry[], after: Promise<void>[]) => {
    if (after.length > 0) await Promise.all(after);
    if (thrown) return;
    try {
      const result = await client.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }));
      for (const failure of result.Failed ?? []) failed.push(Number(failure.Id));
    } catch (error) {
      thrown ??= { error };
    }
  };
  const worker = async () => {
    while (!thrown && next < batches.length) {
      const entries = batches[next++]!;
      const groups = new Set(entries.flatMap((e) => (e.MessageGroupId ? [e.MessageGroupId] : [])));
      const after = [...groups].flatMap((group) => lastCallOf.get(group) ?? []);
      const call = send(entries, after);
      for (const group of groups) lastCallOf.set(group, call);
      await call;
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, concurrency), batches.length) }, worker));
  if (thrown) throw thrown.error;
  return failed.sort((a, b) => a - b);
}
