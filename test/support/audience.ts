/** A journey entered for a list of customers (AudienceEntryRequested), for the audience entry's tests. */
import { referenceEvents } from "../../events/catalog.ts";
import { defineCatalog } from "../../events/define-catalog.ts";
import { defineJourney, eq, ref } from "../../functions/core/journey/define-journey.ts";
import { defineTemplate } from "../../functions/core/journey/template.ts";

export const listOffer = defineJourney({
  id: "list-offer",
  version: 1,
  description: "A service note to every customer on a list.",
  entry: {
    event: "AudienceEntryRequested",
    key: ref("event.audienceId"),
    when: eq(ref("event.journeyId"), "list-offer"),
    capture: { customerId: ref("event.customerId"), audienceId: ref("event.audienceId") },
  },
  exitOn: [],
  start: "note",
  nodes: {
    note: {
      type: "send",
      template: "list.note",
      priority: "service",
      channelOrder: ["sms"],
      vars: {},
      why: ["on the list of audience {vars.audienceId}"],
      next: "done",
    },
    done: { type: "exit", outcome: "noted" },
  },
});

const note = defineTemplate({
  id: "list.note",
  priority: "service",
  locales: {
    "en-US": { sms: () => "Your account has news.", email: { subject: () => "News", body: () => "News." } },
    "ko-KR": { sms: () => "계정 소식이 있어요.", email: { subject: () => "소식", body: () => "소식." } },
  },
});

export const audienceCatalog = defineCatalog({
  events: referenceEvents,
  journeys: [listOffer],
  templates: [note],
});

/** A US customer with a phone number, as CustomerProfileUpdated's detail. */
export const listMember = (customerId: string) => ({
  customerId,
  locale: "en-US",
  timeZone: "America/New_York",
  phone: "+12125550123",
});
