import { randomUUID } from "node:crypto";
import type { CustomerInboundEvent, InboundDetails } from "../../events/catalog.ts";
import { parseInboundEvent } from "../../events/parse.ts";
import { FEEDBACK_SOURCE, isFeedbackDetailType } from "../../functions/core/message-feedback.ts";

type CustomerDetailType = CustomerInboundEvent["detailType"];

/** A raw EventBridge envelope, as it arrives from the bus. */
export function envelope<K extends keyof InboundDetails>(
  detailType: K,
  detail: Record<string, unknown>,
  options: { time?: string; id?: string; source?: string } = {},
): Record<string, unknown> {
  return {
    version: "0",
    id: options.id ?? randomUUID(),
    "detail-type": detailType,
    // Message feedback is accepted only from Waymark's own feedback source.
    source: options.source ?? (isFeedbackDetailType(detailType) ? FEEDBACK_SOURCE : "test.upstream"),
    account: "123456789012",
    time: options.time ?? "2026-03-01T00:00:00Z",
    region: "ap-northeast-2",
    resources: [],
    detail,
  };
}

/** A parsed customer event, ready for the pure engine. */
export function customerEvent<K extends CustomerDetailType>(
  detailType: K,
  detail: Record<string, unknown>,
  options: { time?: string; id?: string } = {},
): CustomerInboundEvent {
  const parsed = parseInboundEvent(envelope(detailType, detail, options));
  if (!parsed.ok) throw new Error(`test event is invalid: ${parsed.summary}`);
  return parsed.event as CustomerInboundEvent;
}

export const seoulCustomer = {
  customerId: "cust-kr-1",
  name: "김지우",
  locale: "ko-KR",
  timeZone: "Asia/Seoul",
  phone: "+821012345678",
  email: "jiwoo@example.com",
  preferredChannel: "sms",
} as const;

export const newYorkCustomer = {
  customerId: "cust-us-1",
  name: "Jane",
  locale: "en-US",
  timeZone: "America/New_York",
  phone: "+12125550123",
  email: "jane@example.com",
  preferredChannel: "sms",
} as const;

/** A New York customer's profile update (no preferred channel), as the benches put one per customer. */
export function profileUpdate(customerId: string, time = "2026-03-01T00:00:00Z"): Record<string, unknown> {
  return envelope(
    "CustomerProfileUpdated",
    {
      customerId,
      name: "Jane",
      locale: "en-US",
      timeZone: "America/New_York",
      phone: "+12125550123",
      email: "jane@example.com",
    },
    { time },
  );
}

export const phone = {
  sku: "SM-S931N",
  name: "Galaxy S26",
  model: "SM-S931",
  category: "phone",
  quantity: 1,
  unitPrice: 1155000,
};
