import { parseInboundEvent } from "../../events/parse.ts";
import type { Catalog } from "../core/catalog/catalog.ts";
import { messageGroupIdFor, stableId } from "../core/ids.ts";
import { eventMessage, oversizeMessageBytes, QUEUE_MESSAGE_LIMIT_BYTES } from "../messages/queue-messages.ts";
import type { EngineQueue, EngineQueueMessage } from "../ports/engine-queue.ts";
import type { RejectedEvent, RejectedEventSink } from "../ports/rejected-event-sink.ts";
import type { WorkQueue } from "../ports/work-queue.ts";

export interface IngestDependencies {
  /**
   * The sources allowed to put global events that reach owners (a recall reaches every owner of a
   * model, on every channel, at night if critical). Absent: any source the bus admits.
   */
  globalSources?: readonly string[];
  /** The events accepted, and how each is routed. */
  catalog: Catalog;
  engineQueue: EngineQueue;
  /** Global events (recalls, travel restrictions, store stock) go to the fan-out worker. */
  globalQueue: WorkQueue;
  rejected: RejectedEventSink;
  clock: () => Date;
}

export interface IngestResult {
  accepted: number;
  rejected: RejectedEvent[];
  /** Indexes of inputs that could not be handed on; the caller retries them. */
  failed: number[];
}

/**
 * Validates raw bus events before any side effect: invalid ones go to the rejected sink with
 * their reasons; valid ones go to the engine queue grouped by customer, which gives
 * per-customer order (an EventBridge rule can only set a static MessageGroupId).
 */
export async function ingestEvents(
  raws: readonly unknown[],
  deps: IngestDependencies,
): Promise<IngestResult> {
  const receivedAt = deps.clock().toISOString();
  const rejected: RejectedEvent[] = [];
  const messages: EngineQueueMessage[] = [];
  const messageSource: number[] = [];
  const globalEvents: unknown[] = [];
  raws.forEach((raw, index) => {
    const parsed = parseInboundEvent(raw, deps.catalog);
    if (!parsed.ok) {
      rejected.push({ receivedAt, reason: parsed.summary, issues: parsed.issues, event: raw });
      return;
    }
    const { event } = parsed;
    const body = eventMessage(raw);
    // Valid, but more than the next queue can carry (EventBridge takes 256 KB, the wrapper adds a few bytes):
    // rejected with the reason and kept whole, rather than failing until it is dead-lettered without one.
    const bytes = oversizeMessageBytes(body);
    if (bytes !== undefined) {
      const issue = {
        path: "event",
        message: `${bytes} bytes, more than the ${QUEUE_MESSAGE_LIMIT_BYTES} a queue message can hold`,
      };
      rejected.push({ receivedAt, reason: `${issue.path}: ${issue.message}`, issues: [issue], event: raw });
      return;
    }
    if (!deps.catalog.isCustomerEvent(event)) {
      const reachesOwners = deps.catalog.event(event.detailType)?.reach?.kind === "owners";
      if (reachesOwners && deps.globalSources && !deps.globalSources.includes(event.source)) {
        const issue = {
          path: "source",
          message: `${JSON.stringify(event.source)} may not put ${event.detailType} (allowed: ${deps.globalSources.join(", ") || "none"})`,
        };
        rejected.push({ receivedAt, reason: `${issue.path}: ${issue.message}`, issues: [issue], event: raw });
        return;
      }
      globalEvents.push(body);
      return;
    }
    messages.push({
      groupId: messageGroupIdFor(event.detail.customerId),
      deduplicationId: stableId(event.eventId),
      body,
    });
    messageSource.push(index);
  });
  if (rejected.length > 0) await deps.rejected.reject(rejected);
  // A failure here fails the whole batch: global events are few, and redelivery is harmless.
  if (globalEvents.length > 0) await deps.globalQueue.send(globalEvents);
  const { failed } = messages.length > 0 ? await deps.engineQueue.enqueue(messages) : { failed: [] };
  return {
    accepted: messages.length - failed.length + globalEvents.length,
    rejected,
    failed: failed.map((i) => messageSource[i]!),
  };
}
