import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import { logMetrics } from "@aws-lambda-powertools/metrics/middleware";
import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { KMSClient } from "@aws-sdk/client-kms";
import { PinpointSMSVoiceV2Client } from "@aws-sdk/client-pinpoint-sms-voice-v2";
import { SNSClient } from "@aws-sdk/client-sns";
import middy from "@middy/core";
import { WAYMARK_SOURCE } from "../../events/catalog.ts";
import { EventPublisher } from "../../events/publisher.ts";
import { NOTIFIER_SOURCE } from "../../events/routing.ts";
import { DynamoDbEmitClaims } from "../adapters/dynamodb-emit-claims.ts";
import { DynamoDbNotificationStore } from "../adapters/dynamodb-notification-store.ts";
import { DynamoDbSendingRate } from "../adapters/dynamodb-sending-rate.ts";
import { EventBridgeEventEmitter } from "../adapters/eventbridge-event-emitter.ts";
import { KmsTokenSigner } from "../adapters/kms-token-signer.ts";
import { SmsVoiceSender } from "../adapters/sms-voice-sender.ts";
import { SnsEmailSender } from "../adapters/sns-email-sender.ts";
import { EnvName } from "../config/env-names.ts";
import { loadConfig, sendingRateSetting } from "../config/load-config.ts";
import { UnsubscribeLinks } from "../use-cases/unsubscribe-links.ts";
import { documentClient, messageSender, notifierDependencies } from "../wiring/pipeline.ts";
import { makeNotifierHandler } from "./notifier-handler.ts";
import { logger, metrics } from "./observability.ts";

const config = loadConfig([
  "tableName",
  "busName",
  "emailTopicArn",
  "smsConfigurationSetName",
  "unsubscribeUrl",
  "unsubscribeKeyId",
]);
const smsOriginationIdentity = process.env[EnvName.smsOriginationIdentity];
const sendingRate = sendingRateSetting(process.env[EnvName.sendingRate]);
const dynamodb = documentClient();
const eventBridge = new EventBridgeClient({});
const sns = new SNSClient({});
const smsVoice = new PinpointSMSVoiceV2Client({});
const kms = new KMSClient({});

export const notifier = makeNotifierHandler(
  notifierDependencies({
    store: new DynamoDbNotificationStore(dynamodb, config.tableName),
    emitClaims: new DynamoDbEmitClaims(dynamodb, config.tableName),
    sender: messageSender({
      sms: new SmsVoiceSender(smsVoice, {
        configurationSetName: config.smsConfigurationSetName,
        ...(smsOriginationIdentity ? { originationIdentity: smsOriginationIdentity } : {}),
      }),
      email: new SnsEmailSender(sns, { emailTopicArn: config.emailTopicArn }),
    }),
    events: new EventBridgeEventEmitter(
      new EventPublisher(eventBridge, { busName: config.busName, source: WAYMARK_SOURCE }),
    ),
    feedback: new EventBridgeEventEmitter(
      new EventPublisher(eventBridge, { busName: config.busName, source: NOTIFIER_SOURCE }),
    ),
    unsubscribe: new UnsubscribeLinks(
      new KmsTokenSigner(kms, config.unsubscribeKeyId),
      config.unsubscribeUrl,
    ),
    clock: () => new Date(),
    ...(sendingRate ? { rate: new DynamoDbSendingRate(dynamodb, config.tableName, sendingRate) } : {}),
  }),
);

export const handler = middy(notifier).use(injectLambdaContext(logger)).use(logMetrics(metrics));
