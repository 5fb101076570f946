/**
 * Amazon Pinpoint's journey model, as the AWS SDK defines it (`@aws-sdk/client-pinpoint`, models_0.ts:
 * JourneyResponse, WriteJourneyRequest, Activity and what they hold), in zod — the single source of what
 * `waymark import pinpoint` accepts. Every object is strict: a key the SDK does not define is an error, so a
 * misspelt `NextActivty` or an invented activity type is caught rather than silently dropped. Fields the SDK
 * marks required are required; enums are the SDK's enums; where the SDK documents a format or a range
 * ("HH:MM", "maximum value is 100"), it is checked too. What a journey needs to run but Pinpoint lets a
 * draft leave out (a wait's time, a message's template) is optional here and reported as a draft later.
 */
import * as z from "zod";

/** An ISO-8601 duration as Pinpoint writes them: PnYnMnWnDTnHnMnS (at least one part). */
const ISO_DURATION = /^P(?=\d|T\d)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/;
export const isoDuration = z.string().regex(ISO_DURATION, "expected an ISO-8601 duration like PT1H or P7D");

/** An ISO-8601 date-time; a zone is optional here (the mapping reports what it assumes without one). */
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;
export const isoDateTime = z
  .string()
  .regex(ISO_DATE_TIME, "expected an ISO-8601 date-time like 2026-11-27T09:00:00Z");

/** 24-hour HH:MM, as QuietTime and OpenHoursRule document it. */
export const hhmm = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, "expected 24-hour HH:MM like 09:00 or 21:30");

/** "The maximum value is 100" (caps and re-entries); 0 switches the limit off. */
const upTo100 = z.number().int("expected a whole number").min(0).max(100);

// --- Enums (enums.ts) ---
export const ATTRIBUTE_TYPES = [
  "INCLUSIVE",
  "EXCLUSIVE",
  "CONTAINS",
  "BEFORE",
  "AFTER",
  "ON",
  "BETWEEN",
] as const;
export const DIMENSION_TYPES = ["INCLUSIVE", "EXCLUSIVE"] as const;
/** MetricDimension.ComparisonOperator: a string in the SDK, with these documented valid values. */
export const COMPARISON_OPERATORS = [
  "GREATER_THAN",
  "LESS_THAN",
  "GREATER_THAN_OR_EQUAL",
  "LESS_THAN_OR_EQUAL",
  "EQUAL",
] as const;
export const DAYS_OF_WEEK = [
  "MONDAY",
  "TUESDAY",
  "WEDNESDAY",
  "THURSDAY",
  "FRIDAY",
  "SATURDAY",
  "SUNDAY",
] as const;
export const ENDPOINT_TYPES = [
  "PUSH",
  "GCM",
  "APNS",
  "APNS_SANDBOX",
  "APNS_VOIP",
  "APNS_VOIP_SANDBOX",
  "ADM",
  "SMS",
  "VOICE",
  "EMAIL",
  "BAIDU",
  "CUSTOM",
  "IN_APP",
] as const;
export const STATES = ["ACTIVE", "CANCELLED", "CLOSED", "COMPLETED", "DRAFT", "PAUSED"] as const;
/** JourneySchedule.Timezone: a string in the SDK, with these documented valid values. */
export const SCHEDULE_TIMEZONES = [
  "UTC",
  "UTC+01",
  "UTC+02",
  "UTC+03",
  "UTC+03:30",
  "UTC+04",
  "UTC+04:30",
  "UTC+05",
  "UTC+05:30",
  "UTC+05:45",
  "UTC+06",
  "UTC+06:30",
  "UTC+07",
  "UTC+08",
  "UTC+08:45",
  "UTC+09",
  "UTC+09:30",
  "UTC+10",
  "UTC+10:30",
  "UTC+11",
  "UTC+12",
  "UTC+12:45",
  "UTC+13",
  "UTC+13:45",
  "UTC-02",
  "UTC-02:30",
  "UTC-03",
  "UTC-03:30",
  "UTC-04",
  "UTC-05",
  "UTC-06",
  "UTC-07",
  "UTC-08",
  "UTC-09",
  "UTC-09:30",
  "UTC-10",
  "UTC-11",
] as const;

// --- Dimensions ---
export const attributeDimensionSchema = z.strictObject({
  AttributeType: z.enum(ATTRIBUTE_TYPES).optional(),
  Values: z.array(z.string()),
});
export type AttributeDimension = z.infer<typeof attributeDimensionSchema>;

export const setDimensionSchema = z.strictObject({
  DimensionType: z.enum(DIMENSION_TYPES).optional(),
  Values: z.array(z.string()),
});
export type SetDimension = z.infer<typeof setDimensionSchema>;

export const metricDimensionSchema = z.strictObject({
  ComparisonOperator: z.enum(COMPARISON_OPERATORS),
  Value: z.number(),
});
export type MetricDimension = z.infer<typeof metricDimensionSchema>;

export const eventDimensionsSchema = z.strictObject({
  Attributes: z.record(z.string(), attributeDimensionSchema).optional(),
  EventType: setDimensionSchema.optional(),
  Metrics: z.record(z.string(), metricDimensionSchema).optional(),
});
export type EventDimensions = z.infer<typeof eventDimensionsSchema>;

const segmentDimensionsSchema = z.strictObject({
  Attributes: z.record(z.string(), attributeDimensionSchema).optional(),
  Behavior: z
    .strictObject({
      Recency: z
        .strictObject({
          Duration: z.enum(["HR_24", "DAY_7", "DAY_14", "DAY_30"]),
          RecencyType: z.enum(["ACTIVE", "INACTIVE"]),
        })
        .optional(),
    })
    .optional(),
  Demographic: z
    .strictObject({
      AppVersion: setDimensionSchema.optional(),
      Channel: setDimensionSchema.optional(),
      DeviceType: setDimensionSchema.optional(),
      Make: setDimensionSchema.optional(),
      Model: setDimensionSchema.optional(),
      Platform: setDimensionSchema.optional(),
    })
    .optional(),
  Location: z
    .strictObject({
      Country: setDimensionSchema.optional(),
      GPSPoint: z
        .strictObject({
          Coordinates: z.strictObject({ Latitude: z.number(), Longitude: z.number() }),
          RangeInKilometers: z.number().optional(),
        })
        .optional(),
    })
    .optional(),
  Metrics: z.record(z.string(), metricDimensionSchema).optional(),
  UserAttributes: z.record(z.string(), attributeDimensionSchema).optional(),
});
export type SegmentDimensions = z.infer<typeof segmentDimensionsSchema>;

// --- Conditions ---
export const simpleConditionSchema = z.strictObject({
  EventCondition: z
    .strictObject({ Dimensions: eventDimensionsSchema.optional(), MessageActivity: z.string().optional() })
    .optional(),
  SegmentCondition: z.strictObject({ SegmentId: z.string() }).optional(),
  SegmentDimensions: segmentDimensionsSchema.optional(),
});
export type SimpleCondition = z.infer<typeof simpleConditionSchema>;

export const waitTimeSchema = z.strictObject({
  WaitFor: isoDuration.optional(),
  WaitUntil: isoDateTime.optional(),
});
export type WaitTime = z.infer<typeof waitTimeSchema>;

// --- Activities ---
const next = z.string().optional();
const template = { TemplateName: z.string().optional(), TemplateVersion: z.string().optional() };

export const emailActivitySchema = z.strictObject({
  MessageConfig: z.strictObject({ FromAddress: z.string().optional() }).optional(),
  NextActivity: next,
  ...template,
});
export const smsActivitySchema = z.strictObject({
  MessageConfig: z
    .strictObject({
      MessageType: z.enum(["TRANSACTIONAL", "PROMOTIONAL"]).optional(),
      OriginationNumber: z.string().optional(),
      SenderId: z.string().optional(),
      EntityId: z.string().optional(),
      TemplateId: z.string().optional(),
    })
    .optional(),
  NextActivity: next,
  ...template,
});
export const pushActivitySchema = z.strictObject({
  MessageConfig: z.strictObject({ TimeToLive: z.string().optional() }).optional(),
  NextActivity: next,
  ...template,
});
export const customActivitySchema = z.strictObject({
  DeliveryUri: z.string().optional(),
  EndpointTypes: z.array(z.enum(ENDPOINT_TYPES)).optional(),
  MessageConfig: z.strictObject({ Data: z.string().optional() }).optional(),
  NextActivity: next,
  ...template,
});
export const contactCenterActivitySchema = z.strictObject({ NextActivity: next });
export const waitActivitySchema = z.strictObject({ NextActivity: next, WaitTime: waitTimeSchema.optional() });
export const holdoutActivitySchema = z.strictObject({
  NextActivity: next,
  Percentage: z.number().min(0).max(100),
});
export const randomSplitActivitySchema = z.strictObject({
  Branches: z
    .array(z.strictObject({ NextActivity: next, Percentage: z.number().min(0).max(100).optional() }))
    .optional(),
});
export const conditionalSplitActivitySchema = z.strictObject({
  Condition: z
    .strictObject({
      Conditions: z.array(simpleConditionSchema).optional(),
      Operator: z.enum(["ALL", "ANY"]).optional(),
    })
    .optional(),
  EvaluationWaitTime: waitTimeSchema.optional(),
  FalseActivity: next,
  TrueActivity: next,
});
export const multiConditionActivitySchema = z.strictObject({
  Branches: z
    .array(z.strictObject({ Condition: simpleConditionSchema.optional(), NextActivity: next }))
    .optional(),
  DefaultActivity: next,
  EvaluationWaitTime: waitTimeSchema.optional(),
});

/** The activity types, each a key of Activity; an activity sets exactly one (none: a draft). */
export const ACTIVITY_TYPES = [
  "CUSTOM",
  "ConditionalSplit",
  "EMAIL",
  "Holdout",
  "MultiCondition",
  "PUSH",
  "RandomSplit",
  "SMS",
  "Wait",
  "ContactCenter",
] as const;
export type ActivityType = (typeof ACTIVITY_TYPES)[number];

export const activitySchema = z.strictObject({
  CUSTOM: customActivitySchema.optional(),
  ConditionalSplit: conditionalSplitActivitySchema.optional(),
  Description: z.string().optional(),
  EMAIL: emailActivitySchema.optional(),
  Holdout: holdoutActivitySchema.optional(),
  MultiCondition: multiConditionActivitySchema.optional(),
  PUSH: pushActivitySchema.optional(),
  RandomSplit: randomSplitActivitySchema.optional(),
  SMS: smsActivitySchema.optional(),
  Wait: waitActivitySchema.optional(),
  ContactCenter: contactCenterActivitySchema.optional(),
});
export type Activity = z.infer<typeof activitySchema>;

// --- Journey settings ---
const channelRecord = <T extends z.ZodType>(value: T) =>
  z.strictObject({
    EMAIL: value.optional(),
    SMS: value.optional(),
    PUSH: value.optional(),
    VOICE: value.optional(),
    CUSTOM: value.optional(),
  });

const openHoursRuleSchema = z.strictObject({ StartTime: hhmm.optional(), EndTime: hhmm.optional() });
export const openHoursSchema = channelRecord(
  z.partialRecord(z.enum(DAYS_OF_WEEK), z.array(openHoursRuleSchema)),
);
export type OpenHours = z.infer<typeof openHoursSchema>;

const closedDaysRuleSchema = z.strictObject({
  Name: z.string().optional(),
  StartDateTime: isoDateTime.optional(),
  EndDateTime: isoDateTime.optional(),
});
export const closedDaysSchema = channelRecord(z.array(closedDaysRuleSchema));
export type ClosedDays = z.infer<typeof closedDaysSchema>;

export const limitsSchema = z.strictObject({
  DailyCap: upTo100.optional(),
  EndpointReentryCap: upTo100.optional(),
  MessagesPerSecond: z.number().int("expected a whole number").min(1).max(20_000).optional(),
  EndpointReentryInterval: isoDuration.optional(),
  TimeframeCap: z
    .strictObject({
      Cap: upTo100.optional(),
      Days: z.number().int("expected a whole number").min(0).max(30).optional(),
    })
    .optional(),
  TotalCap: upTo100.optional(),
});
export type JourneyLimits = z.infer<typeof limitsSchema>;

export const startConditionSchema = z.strictObject({
  Description: z.string().optional(),
  EventStartCondition: z
    .strictObject({
      EventFilter: z
        .strictObject({ Dimensions: eventDimensionsSchema, FilterType: z.enum(["SYSTEM", "ENDPOINT"]) })
        .optional(),
      SegmentId: z.string().optional(),
    })
    .optional(),
  SegmentStartCondition: z.strictObject({ SegmentId: z.string() }).optional(),
});
export type StartCondition = z.infer<typeof startConditionSchema>;

/** What WriteJourneyRequest and JourneyResponse share. */
const journeyFields = {
  Activities: z.record(z.string(), activitySchema).optional(),
  CreationDate: z.string().optional(),
  LastModifiedDate: z.string().optional(),
  Limits: limitsSchema.optional(),
  LocalTime: z.boolean().optional(),
  Name: z.string().min(1).max(150, "a journey name has at most 150 characters"),
  QuietTime: z.strictObject({ End: hhmm.optional(), Start: hhmm.optional() }).optional(),
  RefreshFrequency: isoDuration.optional(),
  Schedule: z
    .strictObject({
      EndTime: isoDateTime.optional(),
      StartTime: isoDateTime.optional(),
      Timezone: z.enum(SCHEDULE_TIMEZONES).optional(),
    })
    .optional(),
  StartActivity: z.string().optional(),
  StartCondition: startConditionSchema.optional(),
  State: z.enum(STATES).optional(),
  WaitForQuietTime: z.boolean().optional(),
  RefreshOnSegmentUpdate: z.boolean().optional(),
  JourneyChannelSettings: z
    .strictObject({
      ConnectCampaignArn: z.string().optional(),
      ConnectCampaignExecutionRoleArn: z.string().optional(),
    })
    .optional(),
  SendingSchedule: z.boolean().optional(),
  OpenHours: openHoursSchema.optional(),
  ClosedDays: closedDaysSchema.optional(),
  TimezoneEstimationMethods: z.array(z.enum(["PHONE_NUMBER", "POSTAL_CODE"])).optional(),
};

export const writeJourneyRequestSchema = z.strictObject(journeyFields);
export const journeyResponseSchema = z.strictObject({
  ...journeyFields,
  ApplicationId: z.string(),
  Id: z.string(),
  /** "This object is not used or supported." */
  tags: z.record(z.string(), z.string()).optional(),
});

/** A journey as either shape gives it; `ApplicationId` and `Id` only come with a JourneyResponse. */
export type PinpointJourney = z.infer<typeof writeJourneyRequestSchema> & {
  ApplicationId?: string;
  Id?: string;
  tags?: Record<string, string>;
};
