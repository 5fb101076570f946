import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import { logMetrics } from "@aws-lambda-powertools/metrics/middleware";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { SchedulerClient } from "@aws-sdk/client-scheduler";
import { SQSClient } from "@aws-sdk/client-sqs";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import middy from "@middy/core";
import { WAYMARK_SOURCE } from "../../events/catalog.ts";
import { EventPublisher } from "../../events/publisher.ts";
import { journeyCatalog } from "../../journeys/registry.ts";
import { DynamoDbCustomerRepository } from "../adapters/dynamodb-customer-repository.ts";
import { DynamoDbOwnerIndex } from "../adapters/dynamodb-owner-index.ts";
import { DynamoDbStoreDirectory } from "../adapters/dynamodb-store-directory.ts";
import { EventBridgeEventEmitter } from "../adapters/eventbridge-event-emitter.ts";
import { EventBridgeSchedulerTimers } from "../adapters/eventbridge-scheduler-timers.ts";
import { SqsNotificationQueue } from "../adapters/sqs-notification-queue.ts";
import { loadConfig } from "../config/load-config.ts";
import { makeNoticeEnricher } from "../use-cases/enrich-notice.ts";
import { makeEngineHandler } from "./engine-handler.ts";
import { logger, metrics } from "./observability.ts";

const config = loadConfig([
  "tableName",
  "busName",
  "outboundQueueUrl",
  "engineQueueArn",
  "scheduleGroupName",
  "schedulerRoleArn",
  "timerDeadLetterQueueArn",
]);
const dynamodb = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
  marshallOptions: { removeUndefinedValues: true },
});
const eventBridge = new EventBridgeClient({});
const scheduler = new SchedulerClient({});
const sqs = new SQSClient({});

export const engine = makeEngineHandler({
  customers: new DynamoDbCustomerRepository(dynamodb, config.tableName),
  timers: new EventBridgeSchedulerTimers(scheduler, {
    groupName: config.scheduleGroupName,
    targetArn: config.engineQueueArn,
    roleArn: config.schedulerRoleArn,
    deadLetterQueueArn: config.timerDeadLetterQueueArn,
  }),
  notifications: new SqsNotificationQueue(sqs, config.outboundQueueUrl),
  events: new EventBridgeEventEmitter(
    new EventPublisher(eventBridge, { busName: config.busName, source: WAYMARK_SOURCE }),
  ),
  owners: new DynamoDbOwnerIndex(dynamodb, config.tableName),
  enrichNotice: makeNoticeEnricher(new DynamoDbStoreDirectory(dynamodb, config.tableName)),
  catalog: journeyCatalog,
  clock: () => new Date(),
});

export const handler = middy(engine).use(injectLambdaContext(logger)).use(logMetrics(metrics));
