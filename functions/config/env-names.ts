/**
 * Environment variable names, declared once: the CDK stack sets them with the permission
 * that goes with them, the handlers read them at cold start, the local runtime fills them in.
 */
export const EnvName = {
  tableName: "WAYMARK_TABLE_NAME",
  busName: "WAYMARK_BUS_NAME",
  engineQueueUrl: "WAYMARK_ENGINE_QUEUE_URL",
  engineQueueArn: "WAYMARK_ENGINE_QUEUE_ARN",
  globalQueueUrl: "WAYMARK_GLOBAL_QUEUE_URL",
  outboundQueueUrl: "WAYMARK_OUTBOUND_QUEUE_URL",
  rejectedQueueUrl: "WAYMARK_REJECTED_QUEUE_URL",
  /** Where a rejected event too large for the rejected queue is kept whole (a claim check). */
  rejectedBucketName: "WAYMARK_REJECTED_BUCKET",
  emailTopicArn: "WAYMARK_EMAIL_TOPIC_ARN",
  /** The verified address every email comes from. */
  emailFromAddress: "WAYMARK_EMAIL_FROM_ADDRESS",
  /** The SES configuration set every email is sent with (its events are the email feedback). */
  emailConfigurationSetName: "WAYMARK_EMAIL_CONFIGURATION_SET",
  scheduleGroupName: "WAYMARK_SCHEDULE_GROUP",
  schedulerRoleArn: "WAYMARK_SCHEDULER_ROLE_ARN",
  timerDeadLetterQueueArn: "WAYMARK_TIMER_DLQ_ARN",
  /** The End User Messaging SMS configuration set every SMS is sent with (its events are the SMS feedback). */
  smsConfigurationSetName: "WAYMARK_SMS_CONFIGURATION_SET",
  /** The phone number, sender ID or pool SMS is sent from; absent: the service picks one of the account's. */
  smsOriginationIdentity: "WAYMARK_SMS_ORIGINATION_IDENTITY",
  unsubscribeUrl: "WAYMARK_UNSUBSCRIBE_URL",
  unsubscribeKeyId: "WAYMARK_UNSUBSCRIBE_KEY_ID",
  /** The deployment's base of customer-facing links; absent: the catalog's own. */
  linkBaseUrl: "WAYMARK_LINK_BASE_URL",
  /** The catalog's sending rate per channel, JSON (`{"sms":20}`); absent: no pacing. */
  sendingRate: "WAYMARK_SENDING_RATE",
  /** The bucket audience lists are read from (AudienceEntryRequested's s3:// sources); absent: none are. */
  audienceBucketName: "WAYMARK_AUDIENCE_BUCKET",
  /** Comma-separated sources allowed to put global events that reach owners; absent: any. */
  globalEventSources: "WAYMARK_GLOBAL_EVENT_SOURCES",
  /** The Firehose delivery stream the engine puts lifecycle facts on; absent: facts are not kept. */
  factsStreamName: "WAYMARK_FACTS_STREAM",
} as const;

export type EnvName = (typeof EnvName)[keyof typeof EnvName];
