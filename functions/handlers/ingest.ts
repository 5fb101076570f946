/**
 * The ingest Lambda: `ingestLambda(catalog)` is its handler for a catalog. The CDK construct generates the
 * entry module that calls it with the team's catalog (see infra/constructs/catalog-module.ts).
 */
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import { logMetrics } from "@aws-lambda-powertools/metrics/middleware";
import { S3Client } from "@aws-sdk/client-s3";
import { SQSClient } from "@aws-sdk/client-sqs";
import middy from "@middy/core";
import { S3ClaimCheckStore } from "../adapters/s3-claim-check-store.ts";
import { SqsEngineQueue } from "../adapters/sqs-engine-queue.ts";
import { SqsRejectedEventSink } from "../adapters/sqs-rejected-event-sink.ts";
import { SqsWorkQueue } from "../adapters/sqs-work-queue.ts";
import { EnvName } from "../config/env-names.ts";
import { loadConfig } from "../config/load-config.ts";
import type { Catalog } from "../core/catalog/catalog.ts";
import { ingestDependencies } from "../wiring/pipeline.ts";
import { makeIngestHandler } from "./ingest-handler.ts";
import { logger, metrics } from "./observability.ts";

const sqs = new SQSClient({});
const s3 = new S3Client({});

export function ingestLambda(catalog: Catalog) {
  const config = loadConfig(["engineQueueUrl", "globalQueueUrl", "rejectedQueueUrl", "rejectedBucketName"]);
  const globalSources = process.env[EnvName.globalEventSources];
  const ingest = makeIngestHandler(
    ingestDependencies({
      catalog,
      ...(globalSources !== undefined
        ? { globalSources: globalSources.split(",").filter((s) => s !== "") }
        : {}),
      clock: () => new Date(),
      engineQueue: new SqsEngineQueue(sqs, config.engineQueueUrl),
      globalQueue: new SqsWorkQueue(sqs, config.globalQueueUrl),
      rejected: new SqsRejectedEventSink(
        sqs,
        config.rejectedQueueUrl,
        new S3ClaimCheckStore(s3, config.rejectedBucketName),
      ),
    }),
  );
  return middy(ingest).use(injectLambdaContext(logger)).use(logMetrics(metrics));
}
