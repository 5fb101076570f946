/** A message for the engine: a validated event, in its original envelope. */
export interface EngineQueueMessage {
  /** Per-customer order: messages with the same group are processed one at a time. */
  groupId: string;
  /** Same id within the queue's dedupe window: delivered once. */
  deduplicationId: string;
  body: unknown;
}

export interface EngineQueue {
  /** Returns the indexes of the messages that could not be queued. */
  enqueue(messages: readonly EngineQueueMessage[]): Promise<{ failed: number[] }>;
}
