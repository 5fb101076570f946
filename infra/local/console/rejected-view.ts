/**
 * Rejected events and their replays. A fixed event is replayed through PutEvents like any producer's (the
 * console puts it with the EventBridge API, as `waymark send` does); `POST /rejected/{id}/replayed` then links
 * the rejected event to the event id PutEvents answered, and `GET /rejected` says what became of it.
 */
import type { RejectedEvent } from "../../../functions/ports/rejected-event-sink.ts";

export interface ReplayMark {
  /** The envelope id of the rejected event. */
  rejected: string;
  /** The envelope id PutEvents gave the fixed event. */
  eventId: string;
  /** Virtual time of the replay. */
  at: string;
}

export interface RejectedView extends RejectedEvent {
  /** The latest replay of this event, and whether ingest accepted it or rejected it again. */
  replayedAs?: { eventId: string; at: string; outcome: "accepted" | "rejected" };
}

/** The envelope id of a rejected event as the bus stamped it, when it has one. */
export function envelopeIdOf(rejected: RejectedEvent): string | undefined {
  const event = rejected.event as { id?: unknown } | null;
  return typeof event === "object" && event !== null && typeof event.id === "string" ? event.id : undefined;
}

export function rejectedView(
  rejected: readonly RejectedEvent[],
  marks: readonly ReplayMark[],
): RejectedView[] {
  const rejectedIds = new Set(rejected.map(envelopeIdOf));
  const latest = new Map(marks.map((mark) => [mark.rejected, mark]));
  return rejected.map((entry) => {
    const mark = latest.get(envelopeIdOf(entry) ?? "");
    if (!mark) return entry;
    return {
      ...entry,
      replayedAs: {
        eventId: mark.eventId,
        at: mark.at,
        outcome: rejectedIds.has(mark.eventId) ? "rejected" : "accepted",
      },
    };
  });
}
