import type { NotificationRecord } from "../core/notification.ts";

/** Hands notification decisions to the notifier. */
export interface NotificationQueue {
  enqueue(records: readonly NotificationRecord[]): Promise<void>;
}
