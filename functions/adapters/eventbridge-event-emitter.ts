import { type EventPublisher, PublishError } from "../../events/publisher.ts";
import { EmitError, type EmittedEvent, type EventEmitter } from "../ports/event-emitter.ts";

/** Waymark's own events go through the same validated, batching, retrying publisher upstream teams use. */
export class EventBridgeEventEmitter implements EventEmitter {
  readonly #publisher: EventPublisher;

  constructor(publisher: EventPublisher) {
    this.#publisher = publisher;
  }

  async emit(events: readonly EmittedEvent[]): Promise<void> {
    try {
      await this.#publisher.publish(events as Parameters<EventPublisher["publish"]>[0]);
    } catch (error) {
      if (!(error instanceof PublishError)) throw error;
      throw new EmitError(
        error.message,
        error.eventIds.map((id) => id !== undefined),
        { cause: error },
      );
    }
  }
}
