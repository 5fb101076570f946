import type { Channel } from "../core/customer-state.ts";

/**
 * The account-wide pace of one channel (messages per second): a message takes a slot before it is handed to
 * the provider. Shared by every notifier invocation, so concurrency cannot add up past the provider's quota.
 */
export interface SendingRateLimiter {
  /** The start of the slot reserved for one message, at or after `now`; undefined when none is free soon. */
  reserve(channel: Channel, now: Date): Promise<Date | undefined>;
}
