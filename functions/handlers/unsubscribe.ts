import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { KMSClient } from "@aws-sdk/client-kms";
import middy from "@middy/core";
import { EventPublisher } from "../../events/publisher.ts";
import { UNSUBSCRIBE_SOURCE } from "../../events/routing.ts";
import { EventBridgeEventEmitter } from "../adapters/eventbridge-event-emitter.ts";
import { KmsTokenSigner } from "../adapters/kms-token-signer.ts";
import { loadConfig } from "../config/load-config.ts";
import { UnsubscribeLinks } from "../use-cases/unsubscribe-links.ts";
import { logger } from "./observability.ts";
import { makeUnsubscribeHandler } from "./unsubscribe-handler.ts";

const config = loadConfig(["busName", "unsubscribeUrl", "unsubscribeKeyId"]);
const kms = new KMSClient({});
const eventBridge = new EventBridgeClient({});

export const unsubscribe = makeUnsubscribeHandler({
  links: new UnsubscribeLinks(new KmsTokenSigner(kms, config.unsubscribeKeyId), config.unsubscribeUrl),
  optOuts: new EventBridgeEventEmitter(
    new EventPublisher(eventBridge, { busName: config.busName, source: UNSUBSCRIBE_SOURCE }),
  ),
  clock: () => new Date(),
});

export const handler = middy(unsubscribe).use(injectLambdaContext(logger));
