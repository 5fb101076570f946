/**
 * AWS list prices, US East (N. Virginia), on demand, no free tier, as published in December 2026. The one
 * table every figure of the cost model is priced from; change it here for another region.
 */
export const PRICES_USD = {
  /** Custom events put on a bus, per 64 KB chunk. */
  eventBridgeEvent: 1.0 / 1e6,
  /** Events archived (processed into the archive), per GB; stored, per GB-month. */
  eventBridgeArchivedGb: 0.1,
  eventBridgeArchiveStoredGbMonth: 0.023,
  /** One-time schedules that fire. */
  schedulerInvocation: 1.0 / 1e6,
  /** SQS requests, per 64 KB chunk of the request. */
  sqsStandardRequest: 0.4 / 1e6,
  sqsFifoRequest: 0.5 / 1e6,
  /** SNS publishes, per 64 KB chunk. */
  snsPublish: 0.5 / 1e6,
  lambdaRequest: 0.2 / 1e6,
  lambdaArmGbSecond: 0.0000133334,
  /** On-demand capacity (the November 2024 prices). */
  dynamoWriteUnit: 0.625 / 1e6,
  dynamoReadUnit: 0.125 / 1e6,
  /** Direct PUT ingestion, per GB, each record rounded up to 5 KB. */
  firehoseIngestedGb: 0.029,
  /** Standard log ingestion, per GB. */
  cloudWatchLogsIngestedGb: 0.5,
  /** Traces recorded. */
  xrayTrace: 5.0 / 1e6,
  /** Standard workflows, per state transition. */
  stepFunctionsTransition: 25 / 1e6,
} as const;

/** Message delivery is priced per country and carrier: the model lists it apart, never in a total. */
export const DELIVERY_PRICES_USD = {
  /** End User Messaging SMS, United States, per outbound message part (carrier fees vary). */
  smsUs: 0.00581,
  /** SES, per email. */
  sesEmail: 0.1 / 1000,
} as const;

/**
 * Request latencies the model adds to each invocation's billed time, in milliseconds: typical in-region
 * figures, not measured here (there is no AWS account on this machine). A Lambda waits on them, so they are
 * billed at its memory size.
 */
export const LATENCY_MS: Record<string, number> = {
  "DynamoDB.GetItem": 5,
  "DynamoDB.PutItem": 6,
  "DynamoDB.UpdateItem": 6,
  "DynamoDB.DeleteItem": 6,
  "DynamoDB.Query": 7,
  "DynamoDB.BatchWriteItem": 9,
  "DynamoDB.BatchGetItem": 7,
  "SQS.SendMessageBatch": 8,
  "SQS.SendMessageBatch.fifo": 10,
  "EventBridge.PutEvents": 12,
  "Scheduler.CreateSchedule": 25,
  "Scheduler.DeleteSchedule": 20,
  "SNS.Publish": 10,
  "EndUserMessagingSMS.SendTextMessage": 40,
  "Firehose.PutRecordBatch": 15,
};

/**
 * What Lambda gives a function of this memory: CPU in proportion, one vCPU at 1,769 MB. Single-threaded
 * work measured on one core here takes 1,769 / memory times as long below that (Graviton's core taken as
 * this machine's).
 */
export function cpuSlowdown(memoryMb: number): number {
  return Math.max(1, 1769 / memoryMb);
}

/** What CloudWatch Logs ingests per invocation besides the function's own lines: START, END and REPORT. */
export const PLATFORM_LOG_BYTES_PER_INVOCATION = 600;
/** X-Ray's default sampling past the first request each second: the share of invocations traced at volume. */
export const XRAY_SAMPLED_SHARE = 0.05;
