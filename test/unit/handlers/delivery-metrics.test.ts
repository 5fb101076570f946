import { describe, expect, it, vi } from "vitest";
import { JourneyMetric } from "../../../functions/config/metric-names.ts";
import type { NotificationRecord } from "../../../functions/core/notification.ts";
import { captureEmf, emfValues } from "../../support/emf.ts";

// The test config turns metrics off; these tests read them. The sinks decide at construction, so the handler
// module is imported once the switch is off.
vi.stubEnv("POWERTOOLS_METRICS_DISABLED", "false");
const { publishDeliveryMetrics } = await import("../../../functions/handlers/notifier-handler.ts");

const decision: NotificationRecord = {
  id: "n-1",
  customerId: "c-1",
  journeyId: "post-purchase",
  instanceId: "i-1",
  template: "post-purchase.tips",
  locale: "ko-KR",
  priority: "service",
  channel: "sms",
  vars: {},
  why: ["test"],
  status: "sent",
  at: "2026-03-06T01:00:00.000Z",
};

describe("notifier: journey metrics", () => {
  it("counts a message sent under its journey and channel, never the customer", async () => {
    const records = await captureEmf(() => publishDeliveryMetrics(decision, "sent"));
    const [sent, ...more] = emfValues(records, JourneyMetric.sent);
    expect(more).toEqual([]);
    expect(sent).toMatchObject({ value: 1, dimensions: [["service", "journey", "channel"]] });
    expect(sent!.record).toMatchObject({ service: "waymark", journey: "post-purchase", channel: "sms" });
    expect(sent!.record._aws.CloudWatchMetrics[0]!.Namespace).toBe("Waymark");
    expect(JSON.stringify(records)).not.toContain("c-1");
  });

  it("counts a suppression by journey and reason, and by reason alone, once: a redelivery is not counted", async () => {
    const suppressed: NotificationRecord = { ...decision, status: "suppressed", reason: "holdout" };
    const stderr = vi.spyOn(process.stderr, "write");
    const records = await captureEmf(() => {
      publishDeliveryMetrics(suppressed, "recorded");
      publishDeliveryMetrics(suppressed, "duplicate");
    });
    // The reason shared by both dimension sets is not worth a warning line in the log per message.
    expect(stderr.mock.calls.map(([chunk]) => String(chunk)).join("")).not.toContain("is defined as both");
    stderr.mockRestore();
    const counted = emfValues(records, JourneyMetric.suppressed);
    expect(counted).toHaveLength(1);
    expect(counted[0]).toMatchObject({
      value: 1,
      dimensions: [
        ["service", "journey", "reason"],
        ["service", "reason"],
      ],
    });
    expect(counted[0]!.record).toMatchObject({ journey: "post-purchase", reason: "holdout" });
    expect(emfValues(records, JourneyMetric.sent)).toEqual([]);
  });

  it("counts neither for a message whose send is uncertain or already done", async () => {
    const records = await captureEmf(() => {
      publishDeliveryMetrics(decision, "uncertain");
      publishDeliveryMetrics(decision, "duplicate");
    });
    expect(records).toEqual([]);
  });
});
