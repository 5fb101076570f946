import { InvalidParameterException } from "@aws-sdk/client-sns";
import type { Context, SQSEvent } from "aws-lambda";
import { afterEach, describe, expect, it, vi } from "vitest";
import { maskIdentifier, scrubbedError, scrubContacts } from "../../../functions/core/mask.ts";
import { makeEngineHandler } from "../../../functions/handlers/engine-handler.ts";
import { logger } from "../../../functions/handlers/observability.ts";
import type { EngineDependencies } from "../../../functions/use-cases/process-engine-input.ts";
import { postPurchaseOnly } from "../../support/catalogs.ts";
import { envelope } from "../../support/events.ts";

afterEach(() => {
  vi.restoreAllMocks();
});

describe("contact points in logs (issue 9)", () => {
  it("masks customer ids that are an email address or a phone number, and leaves others alone", () => {
    expect(maskIdentifier("kim.jiwoo@example.com")).toBe("k***@example.com");
    expect(maskIdentifier("+82 10 1234 5678")).toBe("+82-10-****-5678");
    expect(maskIdentifier("01012345678")).toBe("+01-***-***-5678");
    expect(maskIdentifier("cust-kr-0001")).toBe("cust-kr-0001");
    expect(maskIdentifier("2026-03")).toBe("2026-03");
  });

  it("scrubs phone numbers and email addresses out of AWS error text", () => {
    const message = "Invalid parameter: PhoneNumber Reason: +821012345678 is opted out (ask kim@example.com)";
    expect(scrubContacts(message)).toBe(
      "Invalid parameter: PhoneNumber Reason: +82-10-****-5678 is opted out (ask k***@example.com)",
    );
    const error = new InvalidParameterException({ message, $metadata: {} });
    const scrubbed = scrubbedError(error);
    expect(scrubbed.name).toBe("InvalidParameterException");
    expect(scrubbed.message).not.toContain("12345678");
    expect(scrubbed.stack).not.toContain("+821012345678");
  });

  it("an engine failure is logged with the customer id masked and the error scrubbed", async () => {
    const logged = vi.spyOn(logger, "error").mockImplementation(() => {});
    const deps = {
      catalog: postPurchaseOnly,
      clock: () => new Date("2026-03-01T00:00:00Z"),
      customers: {
        load: async () => {
          throw new Error("throttled while reading jane@example.com / +12125550123");
        },
        save: async () => 1,
      },
    } as unknown as EngineDependencies;
    const body = JSON.stringify({
      kind: "event",
      envelope: envelope("OrderDelivered", { customerId: "jane@example.com", orderId: "o-1" }),
    });
    const event = {
      Records: [
        {
          messageId: "m-1",
          body,
          attributes: { MessageGroupId: "g", ApproximateReceiveCount: "1" },
          eventSource: "aws:sqs",
        },
      ],
    } as unknown as SQSEvent;
    const result = await makeEngineHandler(deps)(event, {} as Context);
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: "m-1" }]);
    const line = JSON.stringify(logged.mock.calls, (_, value) =>
      value instanceof Error ? { message: value.message, stack: value.stack } : value,
    );
    expect(line).toContain("j***@example.com");
    expect(line).not.toContain("jane@example.com");
    expect(line).not.toContain("5550123");
  });
});
