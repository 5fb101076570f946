import {
  ConflictException,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  ResourceNotFoundException,
  type SchedulerClient,
} from "@aws-sdk/client-scheduler";
import { messageGroupIdFor, stableId } from "../core/ids.ts";
import { timerMessage } from "../messages/queue-messages.ts";
import type { TimerRequest, TimerScheduler } from "../ports/timer-scheduler.ts";

export interface SchedulerTimersOptions {
  groupName: string;
  /** The engine's FIFO input queue. */
  targetArn: string;
  /** Role EventBridge Scheduler assumes to send to the queue. */
  roleArn: string;
  deadLetterQueueArn: string;
}

/** Schedule names are deterministic, so scheduling twice is a harmless conflict. */
export function scheduleName(customerId: string, timerId: string): string {
  return `wm-${stableId(customerId, timerId)}`;
}

/** `at()` takes a local date-time without zone or fraction; we pass UTC and say so. */
export function atExpression(dueAt: string): string {
  return `at(${new Date(dueAt).toISOString().slice(0, 19)})`;
}

/**
 * Timers as EventBridge Scheduler one-time schedules that deliver straight to the engine's
 * FIFO queue in the customer's message group, and delete themselves after firing.
 */
export class EventBridgeSchedulerTimers implements TimerScheduler {
  readonly #client: SchedulerClient;
  readonly #options: SchedulerTimersOptions;

  constructor(client: SchedulerClient, options: SchedulerTimersOptions) {
    this.#client = client;
    this.#options = options;
  }

  async schedule(timer: TimerRequest): Promise<void> {
    const message = timerMessage(timer);
    try {
      await this.#client.send(
        new CreateScheduleCommand({
          Name: scheduleName(timer.customerId, timer.timerId),
          GroupName: this.#options.groupName,
          ScheduleExpression: atExpression(timer.dueAt),
          ScheduleExpressionTimezone: "UTC",
          FlexibleTimeWindow: { Mode: "OFF" },
          ActionAfterCompletion: "DELETE",
          Target: {
            Arn: this.#options.targetArn,
            RoleArn: this.#options.roleArn,
            Input: JSON.stringify(message),
            SqsParameters: { MessageGroupId: messageGroupIdFor(timer.customerId) },
            DeadLetterConfig: { Arn: this.#options.deadLetterQueueArn },
            RetryPolicy: { MaximumEventAgeInSeconds: 86_400, MaximumRetryAttempts: 185 },
          },
        }),
      );
    } catch (error) {
      if (error instanceof ConflictException) return; // already scheduled by an earlier attempt
      throw error;
    }
  }

  async cancel(timer: Omit<TimerRequest, "dueAt">): Promise<void> {
    try {
      await this.#client.send(
        new DeleteScheduleCommand({
          Name: scheduleName(timer.customerId, timer.timerId),
          GroupName: this.#options.groupName,
        }),
      );
    } catch (error) {
      if (error instanceof ResourceNotFoundException) return; // fired already, or never created
      throw error;
    }
  }
}
