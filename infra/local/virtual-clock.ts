/** What `--data` keeps of the clock: frozen at an instant, or running at an offset from real time. */
export type ClockState = { frozenAt: string } | { offsetMs: number };

/**
 * The local runtime's clock. It runs in real time until someone moves it; from then on it is
 * frozen at the instant it was moved to and only moves when told, so a scripted story (a test,
 * the demo) sees exactly the times it set. Everything that decides anything (handlers, timers,
 * event stamps) reads this clock, never Date.now().
 */
export class VirtualClock {
  #state: ClockState = { offsetMs: 0 };
  readonly #realNow: () => number;

  constructor(realNow: () => number = Date.now) {
    this.#realNow = realNow;
  }

  now(): Date {
    return "frozenAt" in this.#state
      ? new Date(this.#state.frozenAt)
      : new Date(this.#realNow() + this.#state.offsetMs);
  }

  get state(): ClockState {
    return this.#state;
  }

  restore(state: ClockState): void {
    this.#state = state;
  }

  /** Moves the clock to `instant` (forwards or back) and holds it there. */
  set(instant: Date): void {
    this.#state = { frozenAt: instant.toISOString() };
  }
}
