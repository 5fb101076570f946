/**
 * One validated Pinpoint journey → an import plan: the Waymark journey, its events and template stubs, the
 * catalog's delivery settings it needs, and a report item for every activity and setting.
 */
import type { Catalog } from "../../functions/core/catalog/catalog.ts";
import { DEFAULT_DELIVERY_POLICY } from "../../functions/core/guardrails/delivery-policy.ts";
import { ref } from "../../functions/core/journey/define-journey.ts";
import { ImportContext } from "./import-context.ts";
import { ActivityMapper } from "./map-activities.ts";
import { mapEntry } from "./map-entry.ts";
import { mapSettings } from "./map-settings.ts";
import { needsAdvertising } from "./materialize.ts";
import { kebab } from "./names.ts";
import type { ImportPlan, JourneyInput } from "./plan.ts";
import type { ValidJourney } from "./validate-journey.ts";

export interface MapOptions {
  /** The file the journey came from, as the user named it. */
  file: string;
  /** The team's catalog (`--catalog`): its events are used, its locales and delivery policy kept. */
  catalog?: Catalog;
  /** The field of a Pinpoint endpoint that is the customer id. @default User.UserId */
  customerIdField?: string;
}

export const DEFAULT_CUSTOMER_ID_FIELD = "User.UserId";

export function mapJourney(valid: ValidJourney, options: MapOptions): ImportPlan {
  const { journey } = valid;
  const journeyId = kebab(journey.Name, "journey");
  const customerIdField = options.customerIdField ?? DEFAULT_CUSTOMER_ID_FIELD;
  const ctx = new ImportContext({
    root: valid.root,
    journeyId,
    ...(options.catalog ? { catalog: options.catalog } : {}),
    customerIdField,
  });
  const customers =
    `Pinpoint addresses endpoints, Waymark customers: an event's customerId, and an audience list's ` +
    `${customerIdField} column or field, is the endpoint's ${customerIdField}; a user with an email and an SMS ` +
    `endpoint was two participants in Pinpoint and is one customer here, each send going on the channel it names`;
  describeJourney(ctx, valid, journeyId, customers);

  const entry = mapEntry(ctx, journey);
  const priorities = new Set(
    valid.reachable.flatMap((id) => {
      const priority = ActivityMapper.priorityOf(journey.Activities![id]!);
      return priority ? [priority] : [];
    }),
  );
  // The settings' items are listed after the activities', though the caps' tag is needed first.
  const before = ctx.items.length;
  const settings = mapSettings(
    ctx,
    journey,
    priorities,
    options.catalog?.delivery ?? DEFAULT_DELIVERY_POLICY,
  );
  const settingItems = ctx.items.splice(before);
  const activities = new ActivityMapper(ctx, journey, valid.reachable, valid.start).map(settings.tag);
  if (journey.StartActivity !== undefined)
    ctx.items.splice(before, 0, {
      path: ctx.at("StartActivity"),
      pinpoint: `StartActivity ${journey.StartActivity}`,
      status: "mapped",
      waymark: `start ${activities.start}`,
    });
  ctx.items.push(...settingItems);
  if (needsAdvertising(activities.templates, options.catalog))
    ctx.item({
      path: ctx.at(),
      pinpoint: "marketing messages, in a catalog that writes ko-KR",
      status: "not mapped",
      waymark: "delivery.advertising, which the catalog must set",
      note: "Korean advertising law: a ko-KR marketing SMS names the sender after (광고) and ends with a free 080 opt-out number; set delivery.advertising { senderName, koreanOptOutNumber } (Pinpoint had no such setting)",
      catalogWide: true,
    });
  otherSettings(ctx, valid);

  const capture = ctx.needsCustomerIdVar
    ? { ...entry.entry.capture, customerId: ref("event.customerId") }
    : entry.entry.capture;
  const definition: JourneyInput = {
    id: journeyId,
    version: 1,
    description: `Imported from the Pinpoint journey ${journey.Name}${journey.StartCondition?.Description ? `: ${journey.StartCondition.Description}` : ""}.`,
    entry: { ...entry.entry, capture },
    exitOn: [],
    start: activities.start,
    nodes: activities.nodes,
    ...(activities.holdout ? { holdout: activities.holdout } : {}),
    ...(settings.delivery ? { delivery: settings.delivery } : {}),
  };
  // Deployment-wide settings of the construct: the first activity's, as the report says of each.
  const first = (read: (activity: NonNullable<typeof journey.Activities>[string]) => string | undefined) =>
    valid.reachable.map((id) => read(journey.Activities![id]!)).find((value) => value !== undefined);
  const senderId = first((a) => a.SMS?.MessageConfig?.SenderId);
  const originationNumber = first((a) => a.SMS?.MessageConfig?.OriginationNumber);
  const fromAddress = first((a) => a.EMAIL?.MessageConfig?.FromAddress);
  return {
    source: {
      file: options.file,
      root: valid.root,
      name: journey.Name,
      ...(journey.Id ? { id: journey.Id } : {}),
      ...(journey.ApplicationId ? { applicationId: journey.ApplicationId } : {}),
      ...(journey.State ? { state: journey.State } : {}),
    },
    journey: definition,
    nodeComments: activities.comments,
    events: ctx.events.filter((event) => !ctx.catalogHas(event.detailType)),
    templates: activities.templates,
    delivery: settings.catalogDelivery,
    deployment: {
      ...(senderId !== undefined ? { smsSenderId: senderId } : {}),
      ...(originationNumber !== undefined ? { sms: { originationIdentity: originationNumber } } : {}),
      ...(fromAddress !== undefined ? { email: { fromAddress } } : {}),
    },
    customers,
    items: ctx.items,
    drafts: valid.drafts,
    ...(entry.audience ? { audience: { journeyId, format: "jsonl" as const, customerIdField } } : {}),
  };
}

/** The journey as a whole: its name, ids, state, and who its participants are. */
function describeJourney(
  ctx: ImportContext,
  valid: ValidJourney,
  journeyId: string,
  customers: string,
): void {
  const { journey } = valid;
  ctx.item({
    path: ctx.at("Name"),
    pinpoint: `journey ${journey.Name}`,
    status: "mapped",
    waymark: `journey ${journeyId}, version 1`,
  });
  if (journey.Id !== undefined || journey.ApplicationId !== undefined)
    ctx.item({
      path: ctx.at(journey.Id !== undefined ? "Id" : "ApplicationId"),
      pinpoint: `journey id ${journey.Id ?? "—"}, project ${journey.ApplicationId ?? "—"}`,
      status: "mapped",
      waymark: "named in the module's header",
    });
  for (const key of ["CreationDate", "LastModifiedDate"] as const)
    if (journey[key] !== undefined)
      ctx.item({
        path: ctx.at(key),
        pinpoint: `${key} ${journey[key]}`,
        status: "mapped",
        waymark: "named in the module's header",
      });
  if (journey.State !== undefined) {
    const ended = ["CANCELLED", "CLOSED", "COMPLETED"].includes(journey.State);
    ctx.item({
      path: ctx.at("State"),
      pinpoint: `State ${journey.State}`,
      status: ended ? "approximated" : "mapped",
      waymark: "a journey version: it runs once the catalog that lists it is deployed",
      ...(ended
        ? {
            note: `the journey is ${journey.State.toLowerCase()} in Pinpoint: leave it out of the catalog if it should not run`,
          }
        : {}),
    });
  }
  ctx.item({
    path: ctx.at(),
    pinpoint: "participants (endpoints)",
    status: "approximated",
    waymark: "customers",
    note: customers,
  });
}

function otherSettings(ctx: ImportContext, valid: ValidJourney): void {
  const { journey } = valid;
  if (journey.RefreshFrequency !== undefined)
    ctx.item({
      path: ctx.at("RefreshFrequency"),
      pinpoint: `RefreshFrequency ${journey.RefreshFrequency}`,
      status: "not mapped",
      waymark: "—",
      note: "Waymark does not re-read a segment: put AudienceEntryRequested again with a new audienceId on a schedule (an EventBridge Scheduler schedule) to enter new members",
    });
  if (journey.RefreshOnSegmentUpdate !== undefined)
    ctx.item({
      path: ctx.at("RefreshOnSegmentUpdate"),
      pinpoint: `RefreshOnSegmentUpdate ${journey.RefreshOnSegmentUpdate}`,
      status: "not mapped",
      waymark: "—",
      note: "put AudienceEntryRequested with the new list when the segment changes",
    });
  if (journey.tags !== undefined)
    ctx.item({
      path: ctx.at("tags"),
      pinpoint: "tags",
      status: "not mapped",
      waymark: "—",
      note: "the SDK says this object is not used or supported",
    });
  if (journey.JourneyChannelSettings && !Object.values(journey.Activities ?? {}).some((a) => a.ContactCenter))
    ctx.item({
      path: ctx.at("JourneyChannelSettings"),
      pinpoint: "JourneyChannelSettings (Amazon Connect campaign and role)",
      status: "not mapped",
      waymark: "—",
      note: "no ContactCenter activity uses them",
    });
}
