export interface EmittedEvent {
  detailType: string;
  detail: Record<string, unknown>;
}

/** Puts Waymark's own events (source `waymark`) on the bus. */
export interface EventEmitter {
  emit(events: readonly EmittedEvent[]): Promise<void>;
}
