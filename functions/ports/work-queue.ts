/** A standard (unordered) work queue: global events and fan-out continuations wait here. */
export interface WorkQueue {
  /** `delaySeconds` (0–900, SQS's DelaySeconds) holds the messages back, e.g. a paced fan-out's next page. */
  send(bodies: readonly unknown[], options?: { delaySeconds?: number }): Promise<void>;
}
