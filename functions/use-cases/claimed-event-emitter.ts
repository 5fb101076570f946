import { type EmitClaims, EmitError, type EmittedEvent, type EventEmitter } from "../ports/event-emitter.ts";
import { retryRecording } from "./retry.ts";

/** Another worker is putting this very event right now; the input is retried later. */
export class EmitInProgressError extends Error {
  override name = "EmitInProgressError";
}

/**
 * Emits each event at most once per `eventId`, as sends are: claim, put, mark emitted. A replayed
 * transition or a redelivered notification finds the mark and puts nothing again. An event whose put
 * failed is released for the retry; when a put fails part-way the events that went are still marked.
 *
 * The one window left is the one EventBridge leaves to every producer: a put that timed out after the bus
 * took it is retried by the publisher, and the bus may then carry it twice, under the same `eventId`.
 */
export class ClaimedEventEmitter implements EventEmitter {
  readonly #inner: EventEmitter;
  readonly #claims: EmitClaims;
  readonly #clock: () => Date;

  constructor(inner: EventEmitter, claims: EmitClaims, clock: () => Date) {
    this.#inner = inner;
    this.#claims = claims;
    this.#clock = clock;
  }

  async emit(events: readonly EmittedEvent[]): Promise<void> {
    const now = this.#clock();
    const outcomes = await Promise.all(events.map((event) => this.#claims.claim(event, now)));
    const claimed = events.filter((_, i) => outcomes[i] === "claimed");
    const busy = events.filter((_, i) => outcomes[i] === "busy");
    if (claimed.length > 0) await this.#put(claimed);
    if (busy.length > 0) {
      throw new EmitInProgressError(
        `${busy.map((e) => `${e.detailType} ${String(e.detail.eventId)}`).join(", ")}: being emitted by another worker`,
      );
    }
  }

  async #put(events: readonly EmittedEvent[]): Promise<void> {
    try {
      await this.#inner.emit(events);
    } catch (error) {
      const delivered = error instanceof EmitError ? error.delivered : events.map(() => false);
      await Promise.all(
        events.map((event, i) => (delivered[i] ? this.#mark(event) : this.#claims.release(event))),
      );
      throw error;
    }
    await Promise.all(events.map((event) => this.#mark(event)));
  }

  /** The bus has the event: keep trying to say so, rather than let a retry put it again. */
  #mark(event: EmittedEvent): Promise<void> {
    return retryRecording(() => this.#claims.markEmitted(event, this.#clock()));
  }
}
