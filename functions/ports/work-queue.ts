/** A standard (unordered) work queue: global events and fan-out continuations wait here. */
export interface WorkQueue {
  send(bodies: readonly unknown[]): Promise<void>;
}
