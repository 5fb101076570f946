import * as z from "zod";
import type { InboundEvent } from "../../events/catalog.ts";
import { parseInboundEvent } from "../../events/parse.ts";
import { type FanOutDependencies, type FanOutJob, fanOutNotice } from "./fan-out-notice.ts";

export interface GlobalDependencies extends FanOutDependencies {
  /** Keeps the store stock index up to date. */
  applyInventory: (event: Extract<InboundEvent, { detailType: "StoreInventoryUpdated" }>) => Promise<void>;
}

const globalMessageSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("event"), envelope: z.unknown() }),
  z.object({
    kind: z.literal("fan-out"),
    detailType: z.enum(["ProductRecallIssued", "TravelRestrictionIssued"]),
    noticeId: z.string(),
    models: z.array(z.string()),
    detail: z.record(z.string(), z.unknown()),
    occurredAt: z.string(),
  }),
]);

/** A message on the global queue that is neither a global event nor a fan-out job: kept in the DLQ. */
export class InvalidGlobalMessageError extends Error {
  override name = "InvalidGlobalMessageError";
}

/**
 * The global queue's consumer: store stock updates go to the stock index; a recall or a travel
 * restriction starts (or, for a continuation job, resumes) its fan-out to the affected owners.
 */
export async function handleGlobalMessage(body: unknown, deps: GlobalDependencies): Promise<string> {
  const message = globalMessageSchema.safeParse(body);
  if (!message.success) throw new InvalidGlobalMessageError(message.error.message);
  if (message.data.kind === "fan-out") {
    const checkpoint = await fanOutNotice(message.data, deps);
    return `fan-out ${message.data.noticeId}: ${checkpoint.queued} owner(s) queued${checkpoint.done ? ", done" : ""}`;
  }
  const parsed = parseInboundEvent(message.data.envelope);
  if (!parsed.ok) throw new InvalidGlobalMessageError(parsed.summary);
  const event = parsed.event;
  switch (event.detailType) {
    case "StoreInventoryUpdated":
      await deps.applyInventory(event);
      return `stock of store ${event.detail.storeId} updated`;
    case "ProductRecallIssued":
    case "TravelRestrictionIssued": {
      const job: FanOutJob = {
        kind: "fan-out",
        detailType: event.detailType,
        noticeId:
          event.detailType === "ProductRecallIssued" ? event.detail.recallId : event.detail.restrictionId,
        models: [...event.detail.models],
        detail: event.detail as Record<string, unknown>,
        occurredAt: event.occurredAt,
      };
      const checkpoint = await fanOutNotice(job, deps);
      return `fan-out ${job.noticeId}: ${checkpoint.queued} owner(s) queued${checkpoint.done ? ", done" : ""}`;
    }
    default:
      throw new InvalidGlobalMessageError(
        `${event.detailType} is customer-scoped: it belongs on the engine queue`,
      );
  }
}
