import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import { logMetrics } from "@aws-lambda-powertools/metrics/middleware";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SQSClient } from "@aws-sdk/client-sqs";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import middy from "@middy/core";
import { DynamoDbFanOutCheckpoints } from "../adapters/dynamodb-fan-out-checkpoints.ts";
import { DynamoDbOwnerIndex } from "../adapters/dynamodb-owner-index.ts";
import { DynamoDbStoreDirectory } from "../adapters/dynamodb-store-directory.ts";
import { SqsEngineQueue } from "../adapters/sqs-engine-queue.ts";
import { SqsWorkQueue } from "../adapters/sqs-work-queue.ts";
import { loadConfig } from "../config/load-config.ts";
import { updateStoreInventory } from "../use-cases/update-store-inventory.ts";
import { makeFanOutHandler } from "./fan-out-handler.ts";
import { logger, metrics } from "./observability.ts";

const config = loadConfig(["tableName", "engineQueueUrl", "globalQueueUrl"]);
const dynamodb = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
  marshallOptions: { removeUndefinedValues: true },
});
const sqs = new SQSClient({});
const directory = new DynamoDbStoreDirectory(dynamodb, config.tableName);

export const fanOut = makeFanOutHandler({
  owners: new DynamoDbOwnerIndex(dynamodb, config.tableName),
  checkpoints: new DynamoDbFanOutCheckpoints(dynamodb, config.tableName),
  engineQueue: new SqsEngineQueue(sqs, config.engineQueueUrl),
  workQueue: new SqsWorkQueue(sqs, config.globalQueueUrl),
  applyInventory: async (event) => void (await updateStoreInventory(event, { directory })),
  clock: () => new Date(),
});

export const handler = middy(fanOut).use(injectLambdaContext(logger)).use(logMetrics(metrics));
