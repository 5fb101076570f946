import { parseInboundEvent } from "../../events/parse.ts";
import type { StoreInventoryUpdatedDetail } from "../../events/store-inventory-updated.ts";
import type { Catalog, CatalogEvent } from "../core/catalog/catalog.ts";
import { fanOutJob, globalMessageSchema } from "../messages/queue-messages.ts";
import type { FanOutCheckpoint } from "../ports/fan-out-checkpoints.ts";
import { type FanOutDependencies, fanOutEta, fanOutNotice } from "./fan-out-notice.ts";

export interface GlobalDependencies extends FanOutDependencies {
  catalog: Catalog;
  /** Keeps the store stock index up to date. */
  applyInventory: (event: CatalogEvent & { detail: StoreInventoryUpdatedDetail }) => Promise<void>;
}

/** One line for the log: how far the fan-out got, and at its pace when the last owner found so far is messaged. */
function progress(
  noticeId: string,
  checkpoint: FanOutCheckpoint,
  ownersPerSecond: number | undefined,
): string {
  const eta = fanOutEta(checkpoint, ownersPerSecond);
  const pace = eta ? `, paced at ${ownersPerSecond}/s: the owners queued so far are messaged by ${eta}` : "";
  return `fan-out ${noticeId}: ${checkpoint.queued} owner(s) queued${checkpoint.done ? ", done" : ""}${pace}`;
}

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
    return progress(message.data.noticeId, checkpoint, deps.ownersPerSecond);
  }
  const parsed = parseInboundEvent(message.data.envelope, deps.catalog);
  if (!parsed.ok) throw new InvalidGlobalMessageError(parsed.summary);
  const event = parsed.event;
  const reach = deps.catalog.event(event.detailType)?.reach;
  switch (reach?.kind) {
    case "store-stock": {
      const stock = event as CatalogEvent & { detail: StoreInventoryUpdatedDetail };
      await deps.applyInventory(stock);
      return `stock of store ${stock.detail.storeId} updated`;
    }
    case "owners": {
      const job = fanOutJob({
        detailType: event.detailType,
        noticeId: reach.noticeId(event.detail),
        models: [...reach.models(event.detail)],
        detail: event.detail,
        occurredAt: event.occurredAt,
      });
      const checkpoint = await fanOutNotice(job, deps);
      return progress(job.noticeId, checkpoint, deps.ownersPerSecond);
    }
    default:
      throw new InvalidGlobalMessageError(
        `${event.detailType} is customer-scoped or reaches nobody: it does not belong on the global queue`,
      );
  }
}
