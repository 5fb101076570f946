export interface EmittedEvent {
  detailType: string;
  detail: Record<string, unknown>;
}

/** Puts Waymark's own events (source `waymark`) on the bus. */
export interface EventEmitter {
  /** Throws `EmitError` when some events were put and others not, so the caller knows which. */
  emit(events: readonly EmittedEvent[]): Promise<void>;
}

/** Some events of one `emit` were not put: `delivered[i]` says which ones were. */
export class EmitError extends Error {
  override name = "EmitError";
  readonly delivered: readonly boolean[];

  constructor(message: string, delivered: readonly boolean[], options?: ErrorOptions) {
    super(message, options);
    this.delivered = delivered;
  }
}

/** What an emit claim has to say: one claim per event, keyed by its detail type and `eventId`. */
export type EmitClaimOutcome = "claimed" | "done" | "busy";

/**
 * The claims that make emits exactly-once in the way sends are: an event is claimed under its
 * deterministic `eventId` before it is put, and marked emitted after; a replay finds the mark and puts
 * nothing.
 */
export interface EmitClaims {
  claim(event: EmittedEvent, now: Date): Promise<EmitClaimOutcome>;
  markEmitted(event: EmittedEvent, now: Date): Promise<void>;
  /** Gives a claim back after the put failed, so a retry can take it. */
  release(event: EmittedEvent): Promise<void>;
}
