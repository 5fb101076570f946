/**
 * The journey-engine Lambda: `engineLambda(catalog)` is its handler for a catalog. The CDK construct
 * generates the entry module that calls it with the team's catalog (see infra/constructs/catalog-module.ts).
 */
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import { logMetrics } from "@aws-lambda-powertools/metrics/middleware";
import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { FirehoseClient } from "@aws-sdk/client-firehose";
import { SchedulerClient } from "@aws-sdk/client-scheduler";
import { SQSClient } from "@aws-sdk/client-sqs";
import middy from "@middy/core";
import { WAYMARK_SOURCE } from "../../events/catalog.ts";
import { EventPublisher } from "../../events/publisher.ts";
import { EventBridgeEventEmitter } from "../adapters/eventbridge-event-emitter.ts";
import { EventBridgeSchedulerTimers } from "../adapters/eventbridge-scheduler-timers.ts";
import { FirehoseFactSink } from "../adapters/firehose-fact-sink.ts";
import { SqsNotificationQueue } from "../adapters/sqs-notification-queue.ts";
import { EnvName } from "../config/env-names.ts";
import { loadConfig } from "../config/load-config.ts";
import type { Catalog } from "../core/catalog/catalog.ts";
import { documentClient, engineDependencies, tablePorts } from "../wiring/pipeline.ts";
import { makeEngineHandler } from "./engine-handler.ts";
import { logger, metrics } from "./observability.ts";

const dynamodb = documentClient();
const eventBridge = new EventBridgeClient({});
const scheduler = new SchedulerClient({});
const sqs = new SQSClient({});
const firehose = new FirehoseClient({});

export function engineLambda(catalog: Catalog) {
  const config = loadConfig([
    "tableName",
    "busName",
    "outboundQueueUrl",
    "engineQueueArn",
    "scheduleGroupName",
    "schedulerRoleArn",
    "timerDeadLetterQueueArn",
  ]);
  // A deployment builds customer-facing links on a domain it owns (the construct's linkBaseUrl).
  const linkBaseUrl = process.env[EnvName.linkBaseUrl];
  // The lifecycle facts' delivery stream (the construct always sets it). The facts are an effect of the committed
  // transition like the others: put after the commit, again on a replay, under the same factIds.
  const factsStream = process.env[EnvName.factsStreamName];
  const engine = makeEngineHandler(
    engineDependencies({
      catalog: linkBaseUrl ? catalog.withLinkBaseUrl(linkBaseUrl) : catalog,
      clock: () => new Date(),
      table: tablePorts(dynamodb, config.tableName),
      timers: new EventBridgeSchedulerTimers(scheduler, {
        groupName: config.scheduleGroupName,
        targetArn: config.engineQueueArn,
        roleArn: config.schedulerRoleArn,
        deadLetterQueueArn: config.timerDeadLetterQueueArn,
      }),
      outbound: new SqsNotificationQueue(sqs, config.outboundQueueUrl),
      events: new EventBridgeEventEmitter(
        new EventPublisher(eventBridge, { busName: config.busName, source: WAYMARK_SOURCE, catalog }),
      ),
      ...(factsStream ? { facts: new FirehoseFactSink(firehose, factsStream) } : {}),
    }),
  );
  return middy(engine).use(injectLambdaContext(logger)).use(logMetrics(metrics));
}
