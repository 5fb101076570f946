import { vi } from "vitest";

/** One CloudWatch embedded-metric-format record as Powertools Metrics prints it. */
export interface EmfRecord {
  _aws: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string }[] }[] };
  [key: string]: unknown;
}

/**
 * The EMF records written to stdout while `run` runs (Powertools Metrics prints them there, for the Lambda
 * runtime to hand to CloudWatch Logs); other output passes through.
 */
export async function captureEmf(run: () => Promise<unknown> | unknown): Promise<EmfRecord[]> {
  const records: EmfRecord[] = [];
  const write = process.stdout.write.bind(process.stdout);
  const spy = vi.spyOn(process.stdout, "write").mockImplementation((chunk, ...rest) => {
    const text = String(chunk);
    if (text.includes('"_aws"')) {
      for (const line of text.split("\n").filter(Boolean)) records.push(JSON.parse(line) as EmfRecord);
      return true;
    }
    return write(chunk, ...(rest as []));
  });
  try {
    await run();
  } finally {
    spy.mockRestore();
  }
  return records;
}

/** The value of `metric` in each record that has it, with the record's dimension sets. */
export function emfValues(records: readonly EmfRecord[], metric: string) {
  return records
    .filter((r) => r._aws.CloudWatchMetrics[0]!.Metrics.some((m) => m.Name === metric))
    .map((r) => ({ value: r[metric], dimensions: r._aws.CloudWatchMetrics[0]!.Dimensions, record: r }));
}
