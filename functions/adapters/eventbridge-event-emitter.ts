import type { EventPublisher } from "../../events/publisher.ts";
import type { EmittedEvent, EventEmitter } from "../ports/event-emitter.ts";

/** Waymark's own events go through the same validated, batching, retrying publisher upstream teams use. */
export class EventBridgeEventEmitter implements EventEmitter {
  readonly #publisher: EventPublisher;

  constructor(publisher: EventPublisher) {
    this.#publisher = publisher;
  }

  async emit(events: readonly EmittedEvent[]): Promise<void> {
    await this.#publisher.publish(events as Parameters<EventPublisher["publish"]>[0]);
  }
}
