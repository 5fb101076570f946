import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import { logMetrics } from "@aws-lambda-powertools/metrics/middleware";
import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import middy from "@middy/core";
import { EventPublisher } from "../../events/publisher.ts";
import { DynamoDbEmitClaims } from "../adapters/dynamodb-emit-claims.ts";
import { EventBridgeEventEmitter } from "../adapters/eventbridge-event-emitter.ts";
import { loadConfig } from "../config/load-config.ts";
import { FEEDBACK_SOURCE } from "../core/message-feedback.ts";
import { documentClient, feedbackDependencies } from "../wiring/pipeline.ts";
import { makeFeedbackHandler } from "./feedback-handler.ts";
import { logger, metrics } from "./observability.ts";

const config = loadConfig(["tableName", "busName"]);
const dynamodb = documentClient();
const eventBridge = new EventBridgeClient({});

export const feedback = makeFeedbackHandler(
  feedbackDependencies({
    clock: () => new Date(),
    events: new EventBridgeEventEmitter(
      new EventPublisher(eventBridge, { busName: config.busName, source: FEEDBACK_SOURCE }),
    ),
    emitClaims: new DynamoDbEmitClaims(dynamodb, config.tableName),
  }),
);

export const handler = middy(feedback).use(injectLambdaContext(logger)).use(logMetrics(metrics));
