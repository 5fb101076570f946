import { parseInboundEvent } from "../../events/parse.ts";
import type { StoreInventoryUpdatedDetail } from "../../events/store-inventory-updated.ts";
import type { Catalog, CatalogEvent } from "../core/catalog/catalog.ts";
import { type FanOutJob, fanOutJob, globalMessageSchema } from "../messages/queue-messages.ts";
import type { FanOutCheckpoint } from "../ports/fan-out-checkpoints.ts";
import { fanOutAudience } from "./fan-out-audience.ts";
import { type FanOutDependencies, fanOutEta, fanOutNotice } from "./fan-out-notice.ts";

export interface GlobalDependencies extends FanOutDependencies {
  catalog: Catalog;
  /** Keeps the store stock index up to date. */
  applyInventory: (event: CatalogEvent & { detail: StoreInventoryUpdatedDetail }) => Promise<void>;
}

/** One line for the log: how far the fan-out got, and at its pace when the last one found so far is messaged. */
function progress(
  noticeId: string,
  checkpoint: FanOutCheckpoint,
  ownersPerSecond: number | undefined,
  who: "owner" | "customer" = "owner",
): string {
  const eta = fanOutEta(checkpoint, ownersPerSecond);
  const pace = eta ? `, paced at ${ownersPerSecond}/s: the ${who}s queued so far are messaged by ${eta}` : "";
  const skipped = checkpoint.skipped ? `, ${checkpoint.skipped} line(s) without a customer id skipped` : "";
  return `fan-out ${noticeId}: ${checkpoint.queued} ${who}(s) queued${skipped}${checkpoint.done ? ", done" : ""}${pace}`;
}

/** A fan-out job, started or resumed: owners of models, or the customers on an audience list. */
async function runFanOut(job: FanOutJob, deps: GlobalDependencies): Promise<string> {
  const reach = deps.catalog.event(job.detailType)?.reach;
  if (reach?.kind === "audience") {
    const checkpoint = await fanOutAudience(job, reach.list(job.detail), deps);
    return progress(job.noticeId, checkpoint, deps.ownersPerSecond, "customer");
  }
  const checkpoint = await fanOutNotice(job, deps);
  return progress(job.noticeId, checkpoint, deps.ownersPerSecond);
}

/** A message on the global queue that is neither a global event nor a fan-out job: kept in the DLQ. */
export class InvalidGlobalMessageError extends Error {
  override name = "InvalidGlobalMessageError";
}

/**
 * The global queue's consumer: store stock updates go to the stock index; a recall or a travel
 * restriction starts (or, for a continuation job, resumes) its fan-out to the affected owners; an audience
 * entry its fan-out to the customers on its list.
 */
export async function handleGlobalMessage(body: unknown, deps: GlobalDependencies): Promise<string> {
  const message = globalMessageSchema.safeParse(body);
  if (!message.success) throw new InvalidGlobalMessageError(message.error.message);
  if (message.data.kind === "fan-out") return runFanOut(message.data, deps);
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
    case "audience":
      return runFanOut(
        fanOutJob({
          detailType: event.detailType,
          noticeId: reach.noticeId(event.detail),
          models: [],
          detail: event.detail,
          occurredAt: event.occurredAt,
        }),
        deps,
      );
    default:
      throw new InvalidGlobalMessageError(
        `${event.detailType} is customer-scoped or reaches nobody: it does not belong on the global queue`,
      );
  }
}
