import * as z from "zod";
import { defineEvent } from "../functions/core/catalog/define-event.ts";
import { applyProfilePatch } from "../functions/core/customer-context.ts";
import { customerEventBase } from "./customer-event-base.ts";
import {
  displayName,
  e164Phone,
  emailAddress,
  latitude,
  locale,
  longitude,
  notificationChannel,
  postalAddress,
  timeZone,
} from "./fields.ts";

/** A consent flag in a merge patch: `true`/`false` sets it, `null` deletes it (back to "not given"). */
const consentFlag = z.boolean().nullable().optional();

export const customerProfileUpdated = defineEvent({
  detailType: "CustomerProfileUpdated",
  context: (state, event) => applyProfilePatch(state, event.detail, event.occurredAt),
  describe: (detail) =>
    `profile updated (${Object.keys(detail)
      .filter((k) => k !== "customerId" && k !== "eventId" && k !== "occurredAt")
      .join(", ")})`,
  scope: "customer",
  direction: "inbound",
  description:
    "The customer's profile, contact points or consents changed. The detail is a JSON merge patch " +
    "(RFC 7396): present fields overwrite, null deletes, absent fields stay as they are.",
  detail: customerEventBase.extend({
    name: displayName.nullable().optional().describe("How messages address the customer; null deletes"),
    locale: locale
      .nullable()
      .optional()
      .describe("BCP-47 locale that picks the message language, e.g. ko-KR or en-US; null deletes"),
    timeZone: timeZone
      .nullable()
      .optional()
      .describe(
        "IANA time zone for quiet hours and send times, e.g. Asia/Seoul; null deletes (the locale's usual " +
          "zone, else UTC, is used)",
      ),
    phone: e164Phone.nullable().optional().describe("Mobile number in E.164 form for SMS; null deletes"),
    email: emailAddress.nullable().optional().describe("Email address; null deletes"),
    preferredChannel: notificationChannel
      .nullable()
      .optional()
      .describe("Channel tried first when it is contactable and allowed; null deletes"),
    consent: z
      .object({
        marketingSms: consentFlag.describe("Consent to marketing by SMS"),
        marketingEmail: consentFlag.describe("Consent to marketing by email"),
        nightTimeMarketing: consentFlag.describe(
          "Consent to marketing during quiet hours (21:00–08:00 local), where the law requires it",
        ),
      })
      .nullable()
      .optional()
      .describe(
        "Marketing consents, merged flag by flag; null deletes them all. " +
          "Safety and service messages need none.",
      ),
    home: z
      .object({
        lat: latitude,
        lon: longitude,
        address: postalAddress.optional().describe("Postal address, used for free replacement shipping"),
      })
      .nullable()
      .optional()
      .describe(
        "Home location, replaced as a whole; the reference point for nearest-store lookups; null deletes",
      ),
  }),
  samples: [
    { customerId: "cust-kr-0001", locale: "ko-KR" },
    {
      customerId: "cust-kr-0001",
      eventId: "crm-8f3c2a10-profile-1",
      occurredAt: "2025-03-01T09:30:00+09:00",
      name: "김민지",
      locale: "ko-KR",
      timeZone: "Asia/Seoul",
      phone: "+821012345678",
      email: "minji.kim@example.com",
      preferredChannel: "sms",
      consent: { marketingSms: true, marketingEmail: false, nightTimeMarketing: false },
      home: { lat: 37.5665, lon: 126.978, address: "서울특별시 중구 세종대로 110" },
    },
    {
      customerId: "cust-us-0042",
      occurredAt: "2025-03-01T14:05:00Z",
      name: "Emily Carter",
      locale: "en-US",
      timeZone: "America/New_York",
      phone: "+12125550123",
      email: "emily.carter@example.com",
      preferredChannel: "email",
      consent: { marketingEmail: true },
      home: { lat: 40.7128, lon: -74.006, address: "350 5th Ave, New York, NY 10118" },
    },
    // Merge-patch deletions: the customer removed their email and home, and withdrew email consent.
    { customerId: "cust-us-0042", email: null, home: null, consent: { marketingEmail: null } },
  ],
});

export type CustomerProfileUpdatedDetail = z.infer<typeof customerProfileUpdated.detail>;
