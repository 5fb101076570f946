import type { Catalog } from "../catalog/catalog.ts";
import type { Effect } from "../effects.ts";
import { renderContent } from "./delivery.ts";
import { JourneyVersionMissingError } from "./errors.ts";

/** The replay copy of an effect drops what rendering gives back, to keep the customer item small. */
export function compactEffect(effect: Effect): Effect {
  if (effect.type !== "notify" || effect.record.status !== "sent") return effect;
  const { subject: _subject, body: _body, smsSegments: _segments, ...record } = effect.record;
  return { type: "notify", record };
}

/** The effect as it ran: a sent message's content rendered again, as rendering is a pure function of the record. */
export function expandEffect(effect: Effect, catalog: Catalog): Effect {
  if (effect.type !== "notify" || effect.record.status !== "sent" || effect.record.body !== undefined)
    return effect;
  const { record } = effect;
  const template = catalog.template(record.template);
  if (!template || !record.channel)
    throw new JourneyVersionMissingError(`template "${record.template}" is not deployed`);
  return {
    type: "notify",
    record: {
      ...record,
      ...renderContent(catalog, template, record.locale, record.channel, record.priority, record.vars),
    },
  };
}
