/**
 * The fan-out Lambda (store stock, and global events fanned out to their owners): `fanOutLambda(catalog)`
 * is its handler for a catalog. The CDK construct generates the entry module that calls it with the team's
 * catalog (see infra/constructs/catalog-module.ts).
 */
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import { logMetrics } from "@aws-lambda-powertools/metrics/middleware";
import { SQSClient } from "@aws-sdk/client-sqs";
import middy from "@middy/core";
import { SqsEngineQueue } from "../adapters/sqs-engine-queue.ts";
import { SqsWorkQueue } from "../adapters/sqs-work-queue.ts";
import { loadConfig } from "../config/load-config.ts";
import type { Catalog } from "../core/catalog/catalog.ts";
import { documentClient, fanOutDependencies, tablePorts } from "../wiring/pipeline.ts";
import { makeFanOutHandler } from "./fan-out-handler.ts";
import { logger, metrics } from "./observability.ts";

const dynamodb = documentClient();
const sqs = new SQSClient({});

export function fanOutLambda(catalog: Catalog) {
  const config = loadConfig(["tableName", "engineQueueUrl", "globalQueueUrl"]);
  const fanOut = makeFanOutHandler(
    fanOutDependencies({
      catalog,
      clock: () => new Date(),
      table: tablePorts(dynamodb, config.tableName),
      engineQueue: new SqsEngineQueue(sqs, config.engineQueueUrl),
      globalQueue: new SqsWorkQueue(sqs, config.globalQueueUrl),
    }),
  );
  return middy(fanOut).use(injectLambdaContext(logger)).use(logMetrics(metrics));
}
