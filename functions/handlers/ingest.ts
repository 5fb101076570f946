import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import { logMetrics } from "@aws-lambda-powertools/metrics/middleware";
import { SQSClient } from "@aws-sdk/client-sqs";
import middy from "@middy/core";
import { SqsEngineQueue } from "../adapters/sqs-engine-queue.ts";
import { SqsRejectedEventSink } from "../adapters/sqs-rejected-event-sink.ts";
import { SqsWorkQueue } from "../adapters/sqs-work-queue.ts";
import { loadConfig } from "../config/load-config.ts";
import { makeIngestHandler } from "./ingest-handler.ts";
import { logger, metrics } from "./observability.ts";

const config = loadConfig(["engineQueueUrl", "globalQueueUrl", "rejectedQueueUrl"]);
const sqs = new SQSClient({});

export const ingest = makeIngestHandler({
  engineQueue: new SqsEngineQueue(sqs, config.engineQueueUrl),
  globalQueue: new SqsWorkQueue(sqs, config.globalQueueUrl),
  rejected: new SqsRejectedEventSink(sqs, config.rejectedQueueUrl),
  clock: () => new Date(),
});

export const handler = middy(ingest).use(injectLambdaContext(logger)).use(logMetrics(metrics));
