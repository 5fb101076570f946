/**
 * AWS list prices (US East, N. Virginia, on-demand, no free tier) used to turn measured request
 * counts into a cost per million events. Change them here for another region.
 */
export const PRICES_USD = {
  lambdaArmGbSecond: 0.0000133334,
  lambdaRequest: 0.2 / 1e6,
  dynamoWriteUnit: 0.625 / 1e6,
  dynamoReadUnit: 0.125 / 1e6,
  sqsStandardRequest: 0.4 / 1e6,
  sqsFifoRequest: 0.5 / 1e6,
  eventBridgeCustomEvent: 1.0 / 1e6,
  schedulerInvocation: 1.0 / 1e6,
} as const;

export interface CostInputs {
  /** Measured per engine input on the post-purchase path. */
  readUnitsPerInput: number;
  writeUnitsPerInput: number;
  /** Share of inputs that are timers (the rest come from the bus) and that send a message. */
  timerShare: number;
  messagesPerInput: number;
  /** Assumed Lambda billed duration per invocation (one SQS batch) and memory. */
  msPerInvocation: number;
  memoryMb: number;
  batchSize: number;
}

/** Cost of one million engine inputs, itemised; SMS and email delivery charges are excluded (per country). */
export function costPerMillionInputs(c: CostInputs): { item: string; usd: number }[] {
  const m = 1e6;
  const busEvents = m * (1 - c.timerShare);
  const timers = m * c.timerShare;
  const messages = m * c.messagesPerInput;
  // Each SQS message: one send, plus receive and delete amortised over a batch.
  const perMessageRequests = 1 + 2 / c.batchSize;
  const invocations = (busEvents + busEvents + timers + messages) / c.batchSize; // ingest, engine, notifier
  const gbSeconds = invocations * (c.msPerInvocation / 1000) * (c.memoryMb / 1024);
  return [
    {
      item: "EventBridge: inbound events + emitted NotificationSent",
      usd: (busEvents + messages) * PRICES_USD.eventBridgeCustomEvent,
    },
    {
      item: "SQS ingest queue (standard)",
      usd: busEvents * perMessageRequests * PRICES_USD.sqsStandardRequest,
    },
    {
      item: "SQS engine queue (FIFO)",
      usd: (busEvents + timers) * perMessageRequests * PRICES_USD.sqsFifoRequest,
    },
    {
      item: "SQS outbound queue (standard)",
      usd: messages * perMessageRequests * PRICES_USD.sqsStandardRequest,
    },
    { item: "EventBridge Scheduler invocations", usd: timers * PRICES_USD.schedulerInvocation },
    { item: "Lambda requests", usd: invocations * PRICES_USD.lambdaRequest },
    { item: "Lambda compute (arm64)", usd: gbSeconds * PRICES_USD.lambdaArmGbSecond },
    { item: "DynamoDB reads (on-demand)", usd: m * c.readUnitsPerInput * PRICES_USD.dynamoReadUnit },
    { item: "DynamoDB writes (on-demand)", usd: m * c.writeUnitsPerInput * PRICES_USD.dynamoWriteUnit },
  ];
}
