import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import { logMetrics } from "@aws-lambda-powertools/metrics/middleware";
import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { SESv2Client } from "@aws-sdk/client-sesv2";
import middy from "@middy/core";
import { EventPublisher } from "../../events/publisher.ts";
import { DynamoDbDeliveryClaims } from "../adapters/dynamodb-delivery-claims.ts";
import { DynamoDbEmitClaims } from "../adapters/dynamodb-emit-claims.ts";
import { EventBridgeEventEmitter } from "../adapters/eventbridge-event-emitter.ts";
import { SesEmailTransport } from "../adapters/ses-email-transport.ts";
import { loadConfig } from "../config/load-config.ts";
import { FEEDBACK_SOURCE } from "../core/message-feedback.ts";
import { documentClient, emailSenderDependencies } from "../wiring/pipeline.ts";
import { makeEmailSenderHandler } from "./email-sender-handler.ts";
import { logger, metrics } from "./observability.ts";

const config = loadConfig(["tableName", "busName", "emailFromAddress", "emailConfigurationSetName"]);
const dynamodb = documentClient();
const eventBridge = new EventBridgeClient({});
// The SDK retries throttling and server errors itself (standard mode, with backoff) before SQS redelivers.
const ses = new SESv2Client({});

export const emailSender = makeEmailSenderHandler(
  emailSenderDependencies({
    clock: () => new Date(),
    claims: new DynamoDbDeliveryClaims(dynamodb, config.tableName, "email"),
    transport: new SesEmailTransport(ses, {
      fromAddress: config.emailFromAddress,
      configurationSetName: config.emailConfigurationSetName,
    }),
    feedback: new EventBridgeEventEmitter(
      new EventPublisher(eventBridge, { busName: config.busName, source: FEEDBACK_SOURCE }),
    ),
    emitClaims: new DynamoDbEmitClaims(dynamodb, config.tableName),
  }),
);

export const handler = middy(emailSender).use(injectLambdaContext(logger)).use(logMetrics(metrics));
