import type { Rng } from "./fault-plan.ts";

export interface SimMessage {
  id: string;
  body: string;
  groupId?: string;
  receiveCount: number;
  visibleAt: number;
  /** Extra deliveries still to come after a successful one (at-least-once delivery). */
  copiesLeft: number;
}

export interface SimQueueOptions {
  name: string;
  fifo: boolean;
  /** After this many receives without a delete the message moves to the dead-letter queue (as the stack sets). */
  maxReceiveCount: number;
  visibilityTimeoutMs: number;
  batchSize: number;
}

/** FIFO queues drop a repeated deduplication id for five minutes. */
const FIFO_DEDUPE_WINDOW_MS = 5 * 60_000;

/**
 * An SQS queue with what the suite needs of it: receive counts, visibility timeouts, a dead-letter queue
 * (`maxReceiveCount` as the stack sets it), FIFO ordering per message group (a group whose head is in flight or
 * invisible hands out nothing), FIFO deduplication, and at-least-once extra deliveries.
 */
export class SimQueue {
  readonly options: SimQueueOptions;
  readonly messages: SimMessage[] = [];
  readonly deadLetters: SimMessage[] = [];
  readonly #dedupe = new Map<string, number>();
  #counter = 0;
  deadLettered = 0;

  constructor(options: SimQueueOptions) {
    this.options = options;
  }

  send(body: string, now: number, copies: number, groupId?: string, deduplicationId?: string): boolean {
    if (this.options.fifo && deduplicationId !== undefined) {
      const seen = this.#dedupe.get(deduplicationId);
      if (seen !== undefined && now - seen < FIFO_DEDUPE_WINDOW_MS) return false;
      this.#dedupe.set(deduplicationId, now);
    }
    this.messages.push({
      id: `${this.options.name}-${++this.#counter}`,
      body,
      receiveCount: 0,
      visibleAt: now,
      copiesLeft: copies,
      ...(groupId !== undefined ? { groupId } : {}),
    });
    return true;
  }

  /** The next batch a poller would receive now: in group order for FIFO, in any order otherwise. */
  receive(now: number, rng: Rng): SimMessage[] {
    if (!this.options.fifo) {
      const visible = this.messages.filter((m) => m.visibleAt <= now);
      return rng.shuffle(visible).slice(0, this.options.batchSize);
    }
    const blocked = new Set<string>();
    const batch: SimMessage[] = [];
    for (const message of this.messages) {
      const group = message.groupId ?? "";
      if (blocked.has(group)) continue;
      if (message.visibleAt > now) {
        blocked.add(group);
        continue;
      }
      batch.push(message);
      if (batch.length === this.options.batchSize) break;
    }
    return batch;
  }

  /** When the next invisible message becomes visible again, if any. */
  nextVisibleAt(now: number): number | undefined {
    const later = this.messages.filter((m) => m.visibleAt > now).map((m) => m.visibleAt);
    return later.length > 0 ? Math.min(...later) : undefined;
  }

  /** A worker deleted it; an extra delivery (if the plan owes one) comes back as the same message. */
  delete(message: SimMessage, now: number, rng: Rng): "deleted" | "redelivered" {
    const index = this.messages.indexOf(message);
    if (index < 0) return "deleted";
    this.messages.splice(index, 1);
    if (message.copiesLeft <= 0) return "deleted";
    const copy: SimMessage = {
      ...message,
      receiveCount: 0,
      copiesLeft: message.copiesLeft - 1,
      visibleAt: now,
    };
    // A FIFO redelivery comes back before the group's next message (a visibility timeout ran out) or after
    // everything (an operator's redrive); a standard queue's anywhere.
    if (this.options.fifo && rng.chance(0.5)) this.messages.splice(index, 0, copy);
    else this.messages.push(copy);
    return "redelivered";
  }

  /** No worker deleted it: visible again after the timeout, or dead-lettered after its last receive. */
  fail(message: SimMessage, now: number): void {
    if (message.receiveCount < this.options.maxReceiveCount) {
      message.visibleAt = now + this.options.visibilityTimeoutMs;
      return;
    }
    const index = this.messages.indexOf(message);
    if (index >= 0) this.messages.splice(index, 1);
    this.deadLetters.push(message);
    this.deadLettered++;
  }

  /** The operator's redrive: every dead letter back on the queue, its receive count reset. */
  redrive(now: number): number {
    const moved = this.deadLetters.splice(0);
    for (const message of moved)
      this.messages.push({ ...message, receiveCount: 0, visibleAt: now, copiesLeft: 0 });
    return moved.length;
  }
}
