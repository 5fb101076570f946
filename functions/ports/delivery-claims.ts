/** Which message a delivery claim is for: one notification of one customer (on the adapter's channel). */
export interface DeliveryKey {
  customerId: string;
  notificationId: string;
}

export type DeliveryClaim =
  /**
   * This worker hands the message to the provider now. `takenOver`: the claim came from a worker whose lease ran
   * out; it died after claiming, perhaps after the provider took the message.
   */
  | { outcome: "claimed"; takenOver: boolean }
  /** Already settled: `sent`, `failed` (with the provider's reason) or `uncertain`. */
  | { outcome: "done"; delivery: string; reason?: string }
  /** Another worker holds a live claim: try again later. */
  | { outcome: "busy" };

/**
 * The claims that make a provider hand-off happen once per message however often its queue delivers it: the
 * message is claimed under its notification id before the provider is called, and settled after.
 */
export interface DeliveryClaims {
  claim(key: DeliveryKey, now: Date): Promise<DeliveryClaim>;
  markSent(key: DeliveryKey, messageId: string, now: Date): Promise<void>;
  /** The provider refused the message for good: it is not tried again, and the reason is kept. */
  markFailed(key: DeliveryKey, reason: string, now: Date): Promise<void>;
  /** The provider may or may not have the message (a timeout, a 5xx): it is not tried again (at most once). */
  markUncertain(key: DeliveryKey, cause: string, now: Date): Promise<void>;
  /** Gives a claim back after a definite "not sent", so a retry can take it. */
  release(key: DeliveryKey): Promise<void>;
}
