import type { EventEmitter } from "../ports/event-emitter.ts";
import { type ProviderFeedback, providerFeedback } from "./provider-feedback.ts";

export interface FeedbackDependencies {
  /** Puts feedback events on the bus as input (source `waymark.feedback`), claimed: once per `eventId`. */
  events: EventEmitter;
}

/**
 * One record of the feedback topic: the feedback event it stands for goes on the bus, where ingest and the
 * engine take it like any producer's event (closing channels, sending fallbacks, waking journeys). A record
 * that is not Waymark's, of a type nobody acts on, or unreadable is only reported back: retrying it would not
 * change it.
 */
export async function relayFeedback(body: string, deps: FeedbackDependencies): Promise<ProviderFeedback> {
  const feedback = providerFeedback(body);
  if (feedback.kind === "event") await deps.events.emit([feedback.event]);
  return feedback;
}
