import type { Catalog } from "../core/catalog/catalog.ts";
import type { NoticeInput } from "../core/engine.ts";
import { ownedAffectedModel, travelStatus } from "../core/notice-eligibility.ts";
import type { StoreDirectory } from "../ports/store-directory.ts";
import { chooseReplacement, type ReferencePoint, referencePoint } from "./choose-replacement.ts";
import type { NoticeEnricher } from "./process-engine-input.ts";

/**
 * What a recall or travel restriction means for one customer, worked out before the pure engine
 * sees it: are they an owner (orders minus returns, from the engine's own context — the owner
 * index only nominated them), are they travelling (for travel restrictions), and which replacement
 * they get where — reserving a unit at the nearest store that has one (idempotent per notice and
 * customer), else free delivery.
 */
export function makeNoticeEnricher(directory: StoreDirectory, catalog: Catalog): NoticeEnricher {
  return async (state, notice, now) => {
    // What the event's descriptor says about whom it reaches and what it offers them.
    const reach = catalog.event(notice.detailType)?.reach;
    // A customer on an audience list is eligible by being on it: there is nothing to work out for them.
    if (reach?.kind === "audience") return { ...notice, detail: { ...notice.detail, eligible: true } };
    const owners = reach?.kind === "owners" ? reach : undefined;
    // A notice's detail comes off an internal queue, not through the parser: read what the hooks give defensively.
    const models = stringList(owners?.models(notice.detail));
    const skus = stringList(owners?.replacementSkus?.(notice.detail));
    const ineligible = (reason: string): NoticeInput => ({
      ...notice,
      detail: { ...notice.detail, eligible: false, ineligibleBecause: reason },
    });
    if (!state) return ineligible("Waymark knows nothing about this customer");
    const owned = ownedAffectedModel(state, models);
    if (!owned) return ineligible(`owns none of ${models.join(", ")} (or returned it)`);

    let reference: ReferencePoint | undefined;
    let travelWhy: string[] | undefined;
    if (owners?.travellersOnly) {
      const status = travelStatus(state, now);
      if (!status.travelling && !status.frequent)
        return ineligible(`not travelling: ${status.why.join("; ")}`);
      travelWhy = status.why;
      // The nearest store to where they are now, however long ago that was seen.
      reference = state.lastLocation
        ? { point: state.lastLocation, source: "recent-location", observedAt: state.lastLocation.at }
        : referencePoint(state, now);
    } else {
      reference = referencePoint(state, now);
    }

    const fulfilment =
      skus.length === 0
        ? {
            fulfilment: "none",
            why: [`remedy: ${String(notice.detail.remedy ?? "refund")}, no replacement to offer`],
          }
        : await chooseReplacement({
            directory,
            replacementSkus: skus,
            reference,
            reservationKey: `${notice.noticeId}#${notice.customerId}`,
            now,
          });
    return {
      ...notice,
      detail: {
        ...notice.detail,
        eligible: true,
        model: owned.model,
        orderId: owned.orderId,
        fulfilment,
        ...(travelWhy ? { travelWhy } : {}),
      },
    };
  };
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}
