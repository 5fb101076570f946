import type { SQSBatchResponse, SQSRecord } from "aws-lambda";

/** The most messages SQS hands a Lambda function from a FIFO queue in one batch. */
export const FIFO_BATCH_MAX = 10;

export interface FifoBatchOptions {
  /**
   * How many message groups are worked on at once. A batch holds at most 10 records, so the default
   * (every group of the batch, at most 10) bounds nothing in practice; 1 processes the batch one
   * record after another. @default FIFO_BATCH_MAX
   */
  concurrency?: number;
}

type FifoRecord = Pick<SQSRecord, "messageId" | "attributes">;

/** Thrown when the handler is built, not at the first batch: a wrong setting fails the cold start. */
export function checkedConcurrency(concurrency: number | undefined): number {
  const limit = concurrency ?? FIFO_BATCH_MAX;
  if (!Number.isInteger(limit) || limit < 1) {
    throw new RangeError(`concurrency must be a whole number of message groups, 1 or more: got ${limit}`);
  }
  return limit;
}

/**
 * A batch's records by message group: each group's records in the order SQS gave them, groups in the
 * order of their first record. A record without a group id (never on a FIFO queue) joins the one group
 * of such records, so it is still processed in order and still skipped after a failure.
 */
export function messageGroups<R extends FifoRecord>(records: readonly R[]): R[][] {
  const groups = new Map<string | undefined, R[]>();
  for (const record of records) {
    const id = record.attributes?.MessageGroupId;
    const group = groups.get(id);
    if (group) group.push(record);
    else groups.set(id, [record]);
  }
  return [...groups.values()];
}

/**
 * A FIFO batch processed group by group: the records of one group strictly one after another, different
 * groups at the same time (up to `concurrency`), since each group is one customer and the customers'
 * network calls need not wait for each other. When a record fails, it and every later record of its group
 * are reported failed without being processed: SQS then hands the group back from that record on, in
 * order. Other groups go on. Failures are listed in the batch's order, whatever order the groups ended in.
 */
export async function processFifoBatch<R extends FifoRecord>(
  records: readonly R[],
  handle: (record: R) => Promise<void>,
  options: FifoBatchOptions = {},
): Promise<SQSBatchResponse> {
  const groups = messageGroups(records);
  const failed = new Set<string>();
  let next = 0;
  // Each worker takes the next group not yet started; the index moves before the first await, so no
  // two workers ever take the same group.
  const worker = async () => {
    for (let group = groups[next++]; group !== undefined; group = groups[next++]) {
      for (const [index, record] of group.entries()) {
        try {
          await handle(record);
        } catch {
          for (const rest of group.slice(index)) failed.add(rest.messageId);
          break;
        }
      }
    }
  };
  const workers = Math.min(groups.length, checkedConcurrency(options.concurrency));
  await Promise.all(Array.from({ length: workers }, worker));
  return {
    batchItemFailures: records
      .filter((record) => failed.has(record.messageId))
      .map((record) => ({ itemIdentifier: record.messageId })),
  };
}
