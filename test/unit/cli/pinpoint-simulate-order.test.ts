import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { brief, event, importFixture, messagesOf } from "./pinpoint-project.ts";

const REFERENCE = fileURLToPath(new URL("../../../api/reference.ts", import.meta.url));

/**
 * OrderFeedback (valid/order-feedback.json) imported with --catalog: its OrderPlaced is the reference
 * catalog's, so the module defines no event. Web or app orders in KRW enter; three days later, the feedback
 * email. The customer is in Seoul; the reference catalog's advertising settings mark it (광고).
 */
describe("the imported OrderFeedback, on a catalog that has its event", () => {
  it("uses the catalog's OrderPlaced, and asks for feedback three days after a web order in KRW", async () => {
    const project = await importFixture("valid/order-feedback.json", ["--catalog", "waymark.config.ts"]);
    expect(project.run.code).toBe(0);
    project.catalog(
      [
        `import { referenceCatalog, referenceEvents } from ${JSON.stringify(REFERENCE)};`,
        `import { orderFeedback } from "./order-feedback.ts";`,
      ].join("\n"),
      "{ ...orderFeedback, events: [...referenceEvents, ...orderFeedback.events], delivery: { ...referenceCatalog.delivery, ...orderFeedback.delivery } }",
    );
    const order = (orderId: string, time: string, detail: Record<string, unknown>) =>
      event("OrderPlaced", time, {
        customerId: "kr-1",
        orderId,
        items: [{ sku: "NX2", name: "Nova X2", quantity: 1, unitPrice: 1250000 }],
        currency: "KRW",
        channel: "web",
        ...detail,
      });
    const entries = await project.simulate("order-feedback", [
      event("CustomerProfileUpdated", "2026-03-01T00:00:00Z", {
        customerId: "kr-1",
        locale: "ko-KR",
        timeZone: "Asia/Seoul",
        email: "jiwoo@example.com",
        consent: { marketingEmail: true },
      }),
      // 10:00 in Seoul.
      order("o-1", "2026-03-02T01:00:00Z", {}),
      order("o-2", "2026-03-02T02:00:00Z", { channel: "store" }),
      order("o-3", "2026-03-02T03:00:00Z", { currency: "USD" }),
    ]);
    expect(messagesOf(entries).map(brief)).toEqual([
      ["2026-03-05T01:00:00.000Z", "order-feedback.order-feedback", "email", "sent", ""],
    ]);
    expect(messagesOf(entries)[0]!.subject).toBe("(광고) [임시] OrderFeedback");
    expect(entries.filter((e) => e.kind === "started")).toHaveLength(1);
  });
});
