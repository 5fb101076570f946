/**
 * The fan-out Lambda (store stock, global events fanned out to their owners, audience lists):
 * `fanOutLambda(catalog)` is its handler for a catalog. The CDK construct generates the entry module that calls it with the team's
 * catalog (see infra/constructs/catalog-module.ts).
 */
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import { logMetrics } from "@aws-lambda-powertools/metrics/middleware";
import { S3Client } from "@aws-sdk/client-s3";
import { SQSClient } from "@aws-sdk/client-sqs";
import middy from "@middy/core";
import { S3AudienceLists } from "../adapters/s3-audience-lists.ts";
import { SqsEngineQueue } from "../adapters/sqs-engine-queue.ts";
import { SqsWorkQueue } from "../adapters/sqs-work-queue.ts";
import { EnvName } from "../config/env-names.ts";
import { loadConfig } from "../config/load-config.ts";
import type { Catalog } from "../core/catalog/catalog.ts";
import { documentClient, fanOutDependencies, tablePorts } from "../wiring/pipeline.ts";
import { makeFanOutHandler } from "./fan-out-handler.ts";
import { logger, metrics } from "./observability.ts";

const dynamodb = documentClient();
const sqs = new SQSClient({});

export function fanOutLambda(catalog: Catalog) {
  const config = loadConfig(["tableName", "engineQueueUrl", "globalQueueUrl"]);
  const audienceBucket = process.env[EnvName.audienceBucketName];
  const fanOut = makeFanOutHandler(
    fanOutDependencies({
      catalog,
      clock: () => new Date(),
      table: tablePorts(dynamodb, config.tableName),
      engineQueue: new SqsEngineQueue(sqs, config.engineQueueUrl),
      globalQueue: new SqsWorkQueue(sqs, config.globalQueueUrl),
      ...(audienceBucket ? { audiences: new S3AudienceLists(new S3Client({}), audienceBucket) } : {}),
    }),
  );
  return middy(fanOut).use(injectLambdaContext(logger)).use(logMetrics(metrics));
}
