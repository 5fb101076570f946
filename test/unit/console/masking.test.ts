import { describe, expect, it } from "vitest";
import { maskJson, unmaskJson } from "../../../console/masking.ts";

const profile = {
  customerId: "jiwoo",
  phone: "+821012345678",
  email: "jiwoo@example.com",
  note: "call me at +821098765432 or write to jiwoo.kim@example.org",
  contacts: [{ to: "+12125550123" }],
  deliveredAt: "2026-03-04T05:00:00Z",
  orderId: "KR-20250301-000124",
};

describe("contact points in the console", () => {
  it("are masked wherever they are in an event, as the logs mask them", () => {
    const masked = maskJson(profile) as typeof profile;
    expect(masked).toEqual({
      customerId: "jiwoo",
      phone: "+82-10-****-5678",
      email: "j***@example.com",
      note: "call me at +821098765432 or write to j***@example.org",
      contacts: [{ to: "+1-***-***-0123" }],
      deliveredAt: "2026-03-04T05:00:00Z",
      orderId: "KR-20250301-000124",
    });
    expect(JSON.stringify(masked)).not.toContain("jiwoo@example.com");
    expect(maskJson({ customerId: "+821012345678" })).toEqual({ customerId: "+82-10-****-5678" });
  });

  it("come back as they were when a fixed copy leaves them masked, and as edited when changed", () => {
    const edited = { ...(maskJson(profile) as typeof profile), orderId: "KR-1", email: "new@example.com" };
    expect(unmaskJson(edited, profile)).toEqual({ ...profile, orderId: "KR-1", email: "new@example.com" });
  });
});
