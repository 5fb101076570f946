import { type _Record, type FirehoseClient, PutRecordBatchCommand } from "@aws-sdk/client-firehose";
import type { LifecycleFact } from "../core/measurement/lifecycle-facts.ts";
import type { FactSink } from "../ports/fact-sink.ts";

/**
 * Firehose bills ingestion per record rounded up to 5 KB: facts are packed as JSON lines into records of up
 * to this many bytes, so a transition's few facts cost one unit, not one each.
 */
export const FACT_RECORD_BYTES = 5 * 1024;
/** PutRecordBatch takes at most 500 records and 4 MiB per call. */
const BATCH_RECORDS = 500;
const BATCH_BYTES = 4 * 1024 * 1024;
const ATTEMPTS = 3;

/**
 * Lifecycle facts to Amazon Data Firehose (PutRecordBatch), which writes them to S3 for Athena
 * (docs/measurement.md). Records a call rejected are sent again; if some still fail, the input fails and is
 * retried — facts are at least once, and every query counts distinct `factId`s.
 */
export class FirehoseFactSink implements FactSink {
  readonly #client: FirehoseClient;
  readonly #streamName: string;

  constructor(client: FirehoseClient, streamName: string) {
    this.#client = client;
    this.#streamName = streamName;
  }

  async put(facts: readonly LifecycleFact[]): Promise<void> {
    let pending = packFacts(facts);
    for (let attempt = 1; pending.length > 0; attempt++) {
      const failed: _Record[] = [];
      for (const batch of batches(pending)) {
        const result = await this.#client.send(
          new PutRecordBatchCommand({ DeliveryStreamName: this.#streamName, Records: batch }),
        );
        if (!result.FailedPutCount) continue;
        result.RequestResponses?.forEach((response, index) => {
          if (response.ErrorCode) failed.push(batch[index]!);
        });
      }
      if (failed.length > 0 && attempt >= ATTEMPTS)
        throw new Error(
          `Firehose refused ${failed.length} fact record(s) ${ATTEMPTS} times; the input will be retried`,
        );
      pending = failed;
    }
  }
}

/** Facts as JSON lines, packed into records of at most FACT_RECORD_BYTES (one line per record when larger). */
export function packFacts(facts: readonly LifecycleFact[]): _Record[] {
  const records: _Record[] = [];
  let lines: string[] = [];
  let bytes = 0;
  const flush = () => {
    if (lines.length > 0) records.push({ Data: Buffer.from(lines.join("")) });
    lines = [];
    bytes = 0;
  };
  for (const fact of facts) {
    const line = `${JSON.stringify(fact)}\n`;
    const size = Buffer.byteLength(line);
    if (bytes + size > FACT_RECORD_BYTES) flush();
    lines.push(line);
    bytes += size;
  }
  flush();
  return records;
}

function* batches(records: readonly _Record[]): Generator<_Record[]> {
  let batch: _Record[] = [];
  let bytes = 0;
  for (const record of records) {
    const size = record.Data?.byteLength ?? 0;
    if (batch.length === BATCH_RECORDS || bytes + size > BATCH_BYTES) {
      yield batch;
      batch = [];
      bytes = 0;
    }
    batch.push(record);
    bytes += size;
  }
  if (batch.length > 0) yield batch;
}
