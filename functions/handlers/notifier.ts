import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import { logMetrics } from "@aws-lambda-powertools/metrics/middleware";
import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { KMSClient } from "@aws-sdk/client-kms";
import { SNSClient } from "@aws-sdk/client-sns";
import { STSClient } from "@aws-sdk/client-sts";
import middy from "@middy/core";
import { WAYMARK_SOURCE } from "../../events/catalog.ts";
import { EventPublisher } from "../../events/publisher.ts";
import { NOTIFIER_SOURCE } from "../../events/routing.ts";
import { DynamoDbEmitClaims } from "../adapters/dynamodb-emit-claims.ts";
import { DynamoDbNotificationStore } from "../adapters/dynamodb-notification-store.ts";
import { DynamoDbSendingRate } from "../adapters/dynamodb-sending-rate.ts";
import { EventBridgeEventEmitter } from "../adapters/eventbridge-event-emitter.ts";
import { KmsTokenSigner } from "../adapters/kms-token-signer.ts";
import { SnsMessageSender } from "../adapters/sns-message-sender.ts";
import { assumeRoleCredentials } from "../adapters/sts-role-credentials.ts";
import { EnvName } from "../config/env-names.ts";
import { loadConfig, sendingRateSetting } from "../config/load-config.ts";
import { UnsubscribeLinks } from "../use-cases/unsubscribe-links.ts";
import { documentClient, notifierDependencies } from "../wiring/pipeline.ts";
import { makeNotifierHandler } from "./notifier-handler.ts";
import { logger, metrics } from "./observability.ts";

const config = loadConfig(["tableName", "busName", "emailTopicArn", "unsubscribeUrl", "unsubscribeKeyId"]);
const smsSenderId = process.env[EnvName.smsSenderId];
const smsRoleArn = process.env[EnvName.smsRoleArn];
const sendingRate = sendingRateSetting(process.env[EnvName.sendingRate]);
const dynamodb = documentClient();
const eventBridge = new EventBridgeClient({});
const sns = new SNSClient({});
const kms = new KMSClient({});
// The execution role may publish to the email topic only. SMS to a phone number can only be allowed on
// "*", so it goes out under a role of its own that may publish to anything but a topic or an endpoint: a
// second SNS client, with that role's temporary credentials. STS is called with the execution role's
// credentials (from the environment, in the bundle).
const smsSns = smsRoleArn
  ? new SNSClient({
      credentials: assumeRoleCredentials(new STSClient({}), {
        roleArn: smsRoleArn,
        sessionName: "waymark-notifier-sms",
      }),
    })
  : sns;

export const notifier = makeNotifierHandler(
  notifierDependencies({
    store: new DynamoDbNotificationStore(dynamodb, config.tableName),
    emitClaims: new DynamoDbEmitClaims(dynamodb, config.tableName),
    sender: new SnsMessageSender(
      { sms: smsSns, email: sns },
      {
        emailTopicArn: config.emailTopicArn,
        ...(smsSenderId ? { smsSenderId } : {}),
      },
    ),
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
