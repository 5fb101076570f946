import { durationMs } from "../../functions/core/time/duration.ts";

/**
 * The local runtime's clock: real time by default, moved on demand. Everything that decides
 * anything (handlers, timers, event stamps) reads this clock, never Date.now().
 */
export class VirtualClock {
  #offsetMs = 0;
  readonly #realNow: () => number;

  constructor(realNow: () => number = Date.now) {
    this.#realNow = realNow;
  }

  now(): Date {
    return new Date(this.#realNow() + this.#offsetMs);
  }

  /** Moves the clock so that now() reads `instant` (forwards or back). */
  set(instant: Date): void {
    this.#offsetMs = instant.getTime() - this.#realNow();
  }

  advanceBy(duration: string): Date {
    const target = new Date(this.now().getTime() + durationMs(duration));
    this.set(target);
    return target;
  }
}
