import type { z } from "zod";
import { defineEvent } from "../functions/core/catalog/define-event.ts";
import { applyOptOut } from "../functions/core/customer-context.ts";
import { customerEventBase } from "./customer-event-base.ts";
import { notificationChannel } from "./fields.ts";

export const notificationOptOut = defineEvent({
  detailType: "NotificationOptOut",
  context: (state, event) => applyOptOut(state, event.detail.channel, event.occurredAt),
  describe: (detail) => `opted out of ${detail.channel}`,
  scope: "customer",
  direction: "inbound",
  description:
    "The customer opted out of a channel (e.g. replied STOP). Waymark never uses that channel for them " +
    "again, safety messages included.",
  detail: customerEventBase.extend({
    channel: notificationChannel.describe("The channel the customer opted out of"),
  }),
  samples: [
    { customerId: "cust-us-0042", channel: "sms" },
    {
      customerId: "cust-kr-0001",
      eventId: "sns-optout-3c9a7e51",
      occurredAt: "2025-03-18T07:45:00+09:00",
      channel: "email",
    },
  ],
});

export type NotificationOptOutDetail = z.infer<typeof notificationOptOut.detail>;
