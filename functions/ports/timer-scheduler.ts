export interface TimerRequest {
  customerId: string;
  timerId: string;
  dueAt: string;
}

/** One-time timers that come back to the engine as inputs when they are due. */
export interface TimerScheduler {
  /** Idempotent: scheduling the same timer id twice keeps one timer. */
  schedule(timer: TimerRequest): Promise<void>;
  /** Idempotent: cancelling a timer that fired or never existed is fine. */
  cancel(timer: Omit<TimerRequest, "dueAt">): Promise<void>;
}
