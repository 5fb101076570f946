/**
 * How participants enter: an event start condition becomes the journey's entry event (the catalog's, or one
 * the module defines) with its dimensions and the schedule as `entry.when`; a segment becomes an audience
 * entry (AudienceEntryRequested with the exported segment as the list). Re-entry limits become
 * `entry.reentry`.
 */
import { all, eq, gte, lt, ref } from "../../functions/core/journey/define-journey.ts";
import type { Condition } from "../../functions/core/journey/definition.ts";
import { describeCondition } from "../../infra/local/console/journey-graph.ts";
import type { ImportContext } from "./import-context.ts";
import { combine, dimensionConditions } from "./map-conditions.ts";
import type { PinpointJourney } from "./model.ts";
import type { JourneyInput } from "./plan.ts";
import { utcPrefix, waymarkDuration } from "./times.ts";

export interface MappedEntry {
  entry: JourneyInput["entry"];
  /** The journey is entered for a list of customers (a segment, or no start condition yet). */
  audience: boolean;
}

const AUDIENCE_EVENT = "AudienceEntryRequested";

export function mapEntry(ctx: ImportContext, journey: PinpointJourney): MappedEntry {
  const start = journey.StartCondition;
  const event = start?.EventStartCondition;
  const types = event?.EventFilter?.Dimensions.EventType;
  const conditions: Condition[] = [];
  let entry: JourneyInput["entry"];
  let audience = false;
  let when: Condition | undefined;
  const filterPath = ["StartCondition", "EventStartCondition", "EventFilter"];

  if (types && types.Values.length > 0 && types.DimensionType !== "EXCLUSIVE") {
    const [first, ...others] = types.Values as [string, ...string[]];
    const use = ctx.customerEvent(first);
    ctx.item({
      path: ctx.at(...filterPath, "Dimensions", "EventType"),
      pinpoint: `start on event ${first}`,
      status: event!.EventFilter!.FilterType === "SYSTEM" ? "approximated" : "mapped",
      waymark: `entry.event ${use.detailType} (${use.origin}), one instance per event (key: its eventId)`,
      ...(event!.EventFilter!.FilterType === "SYSTEM"
        ? { note: "a Pinpoint system event: in Waymark an upstream system puts it on the bus" }
        : {}),
    });
    for (const other of others)
      ctx.item({
        path: ctx.at(...filterPath, "Dimensions", "EventType"),
        pinpoint: `start on event ${other}`,
        status: "not mapped",
        waymark: "—",
        note: `a Waymark journey has one entry event (${use.detailType}): have producers put that, or import a second journey`,
      });
    conditions.push(
      ...dimensionConditions(ctx, event!.EventFilter!.Dimensions, {
        base: "event",
        path: [...filterPath, "Dimensions"],
        where: "entry.when",
        event: use,
      }),
    );
    // Keyed by the event, not the customer: a re-entry is a new instance (its messages get ids of their own),
    // and the re-entry limits below count per customer whatever the key.
    entry = { event: use.detailType, key: ref("event.eventId"), capture: {} };
    if (event!.SegmentId !== undefined)
      ctx.item({
        path: ctx.at("StartCondition", "EventStartCondition", "SegmentId"),
        pinpoint: `only members of segment ${event!.SegmentId}`,
        status: "not mapped",
        waymark: "—",
        note: "Waymark has no segments: every customer whose event matches enters (narrow entry.when on customer.attributes)",
      });
  } else {
    audience = true;
    entry = { event: AUDIENCE_EVENT, key: ref("event.audienceId"), capture: {} };
    when = eq(ref("event.journeyId"), ctx.journeyId);
    const segment = start?.SegmentStartCondition?.SegmentId;
    ctx.item(
      segment !== undefined
        ? {
            path: ctx.at("StartCondition", "SegmentStartCondition"),
            pinpoint: `start for segment ${segment}`,
            status: "approximated",
            waymark: `audience entry: ${AUDIENCE_EVENT} with journeyId ${ctx.journeyId}, one instance per customer and audienceId`,
            note:
              `Waymark has no segments: export the segment's endpoints as JSON Lines, upload the file to the audience ` +
              `bucket and put ${AUDIENCE_EVENT} (customerIdField ${ctx.customerIdField}); each run enters the customers on that list`,
          }
        : types?.DimensionType === "EXCLUSIVE"
          ? {
              path: ctx.at(...filterPath, "Dimensions", "EventType"),
              pinpoint: `start on any event but ${types.Values.join(", ")}`,
              status: "not mapped",
              waymark: `audience entry (${AUDIENCE_EVENT}) instead`,
              note: "a journey enters on one event; an EXCLUSIVE event type names the events it does not start on",
            }
          : {
              path: ctx.at("StartCondition"),
              pinpoint: "start condition",
              status: "draft",
              waymark: `audience entry (${AUDIENCE_EVENT}) until the journey has one`,
              note: "no event or segment yet: the journey can still be started for a list",
            },
    );
  }
  if (start?.Description !== undefined)
    ctx.item({
      path: ctx.at("StartCondition", "Description"),
      pinpoint: `description "${start.Description}"`,
      status: "mapped",
      waymark: "the journey's description",
    });

  conditions.push(...scheduleConditions(ctx, journey));
  if (conditions.length > 0) when = when ? all(when, ...conditions) : combine("ALL", conditions);
  if (when) entry = { ...entry, when };
  const reentry = reentryOf(ctx, journey);
  return { entry: reentry ? { ...entry, reentry } : entry, audience };
}

/** Schedule.StartTime and EndTime bound the entry event's time. */
function scheduleConditions(ctx: ImportContext, journey: PinpointJourney): Condition[] {
  const schedule = journey.Schedule;
  const conditions: Condition[] = [];
  const local = journey.LocalTime === true;
  const how =
    "compared with the entry event's occurredAt as ISO-8601 text in UTC: exact when producers send UTC times (…Z)" +
    (local ? "; LocalTime is not kept: the bound is the same instant for every customer" : "");
  for (const [key, bound] of [
    ["StartTime", (v: string) => gte(ref("event.occurredAt"), utcPrefix(v))],
    ["EndTime", (v: string) => lt(ref("event.occurredAt"), utcPrefix(v))],
  ] as const) {
    const value = schedule?.[key];
    if (value === undefined) continue;
    const condition = bound(value);
    conditions.push(condition);
    ctx.item({
      path: ctx.at("Schedule", key),
      pinpoint: `Schedule.${key} ${value}`,
      status: "approximated",
      waymark: `entry.when: ${describeCondition(condition)}`,
      note: how,
    });
  }
  if (schedule?.Timezone !== undefined)
    ctx.item({
      path: ctx.at("Schedule", "Timezone"),
      pinpoint: `Schedule.Timezone ${schedule.Timezone}`,
      status: local ? "not mapped" : "mapped",
      waymark: local ? "—" : "nothing to do: the times carry their zone",
      ...(local ? { note: "Waymark bounds the entry with instants, not each customer's local time" } : {}),
    });
  if (journey.LocalTime !== undefined)
    ctx.item({
      path: ctx.at("LocalTime"),
      pinpoint: `LocalTime ${journey.LocalTime}`,
      status: local ? "not mapped" : "mapped",
      waymark: local ? "—" : "the schedule's instants as they are",
      ...(local ? { note: "the schedule's times are instants for every customer in Waymark" } : {}),
    });
  return conditions;
}

/**
 * EndpointReentryCap and EndpointReentryInterval: how often a customer may enter, for the life of the customer
 * (Waymark counts entries and times the last one per customer, whatever the key).
 */
function reentryOf(ctx: ImportContext, journey: PinpointJourney): JourneyInput["entry"]["reentry"] {
  const cap = journey.Limits?.EndpointReentryCap;
  const interval = journey.Limits?.EndpointReentryInterval;
  if (cap === undefined) {
    ctx.item({
      path: ctx.at("Limits", "EndpointReentryCap"),
      pinpoint: "Limits.EndpointReentryCap not set",
      status: "approximated",
      waymark: "entry.reentry.maxEntries 1: a customer enters once",
      note: "the SDK documents no default for an unset cap (0 is unlimited): imported as one entry per customer",
    });
  } else
    ctx.item({
      path: ctx.at("Limits", "EndpointReentryCap"),
      pinpoint: `Limits.EndpointReentryCap ${cap}`,
      status: "mapped",
      waymark: cap === 0 ? "no entry.reentry.maxEntries: no limit" : `entry.reentry.maxEntries ${cap}`,
    });
  const converted = interval === undefined ? undefined : waymarkDuration(interval);
  const maxEntries = cap === undefined ? 1 : cap;
  if (maxEntries === 0 && !converted) return undefined;
  const reentry = {
    ...(maxEntries > 0 ? { maxEntries } : {}),
    ...(converted ? { interval: converted.value } : {}),
  };
  if (interval !== undefined)
    ctx.item({
      path: ctx.at("Limits", "EndpointReentryInterval"),
      pinpoint: `Limits.EndpointReentryInterval ${interval}`,
      status: converted!.approximation ? "approximated" : "mapped",
      waymark: `entry.reentry.interval ${converted!.value}: again only that long after the last entry`,
      ...(converted!.approximation ? { note: converted!.approximation } : {}),
    });
  return reentry;
}
