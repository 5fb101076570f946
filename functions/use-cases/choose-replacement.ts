import {
  chooseFulfilment,
  describeAllPromised,
  describeStoreChoice,
  MAX_STORE_DISTANCE_KM,
  NoReplacementSkusError,
  type ReferencePoint,
  roundKm,
  type StockedStore,
  shipWhy,
} from "../core/fulfilment.ts";
import type { Reservation, StoreDirectory } from "../ports/store-directory.ts";

export { type ReferencePoint, referencePoint } from "../core/fulfilment.ts";

export interface ChooseReplacementRequest {
  directory: StoreDirectory;
  /** Most preferred first (ProductRecallIssued / TravelRestrictionIssued `replacementSkus`). */
  replacementSkus: readonly string[];
  /** Where "nearest" is measured from (`referencePoint`); none → ship. */
  reference: ReferencePoint | undefined;
  /** One per owner and notice, e.g. `<recallId>#<customerId>`: a retry gets the same answer. */
  reservationKey: string;
  /** For the wording of `why` ("seen 2 days ago"). */
  now?: Date;
  maxKm?: number;
}

export type ReplacementChoice =
  | {
      fulfilment: "store";
      replacementSku: string;
      storeId: string;
      storeName: string;
      storeAddress: string;
      /** From the reference point, one decimal. */
      distanceKm: number;
      why: string[];
    }
  | { fulfilment: "ship"; replacementSku: string; why: string[] };

/**
 * Chooses the replacement and where the owner gets it (docs/reference-journeys.md), promising a unit when it is a
 * store: the first SKU in preference order that some store within 50 km has free units of; among those
 * stores the nearest whose unit can still be reserved (one already fully promised gives way to the next
 * nearest); when every such store is fully promised, the next SKU; nothing → ship the first SKU home.
 *
 * Idempotent per `reservationKey`: the choice is recorded with the reservation, and a retry returns it
 * unchanged without reserving a second unit. A `ship` answer reserves nothing and is not recorded — a
 * retry may find stock that arrived in between, which is the better answer anyway.
 */
export async function chooseReplacement(request: ChooseReplacementRequest): Promise<ReplacementChoice> {
  const { directory, replacementSkus, reference, reservationKey, now } = request;
  const maxKm = request.maxKm ?? MAX_STORE_DISTANCE_KM;
  const first = replacementSkus[0];
  if (first === undefined) throw new NoReplacementSkusError(`${reservationKey}: no replacement SKUs`);

  // The one read of the key: a retry gets its recorded answer without a search, and reserve() below is
  // called only for a key found free (it does not read the key again).
  const earlier = await directory.reservationFor(reservationKey);
  if (earlier) return fromReservation(earlier);

  if (reference === undefined) {
    return {
      fulfilment: "ship",
      replacementSku: first,
      why: [
        "no location seen in the last 7 days and no home on file, so no store can be chosen",
        shipWhy(first),
      ],
    };
  }

  const candidatesBySku = new Map<string, readonly StockedStore[]>();
  const exhausted = new Set<string>();
  for (const sku of replacementSkus) {
    // Only as many SKUs are looked up as it takes to find one in stock nearby: usually one.
    candidatesBySku.set(sku, await directory.storesWithFreeStock(sku, reference.point, maxKm));
    const plan = chooseFulfilment({ replacementSkus, candidatesBySku, reference, maxKm, now, exhausted });
    if (plan.fulfilment === "ship") continue;

    const passedOver = plan.why.slice(0, -1);
    const fullyPromised: string[] = [];
    for (const attempt of plan.attempts) {
      const why = [
        ...passedOver,
        ...fullyPromised,
        describeStoreChoice(attempt, reference, now, fullyPromised.length === 0 ? "nearest" : "next"),
      ];
      const distanceKm = roundKm(attempt.distanceKm);
      const reservation = await directory.reserve(sku, attempt.storeId, attempt.cell, reservationKey, {
        distanceKm,
        why,
      });
      // Undefined: a nearer owner (or a stale read) took the last free unit here; try the next store.
      if (reservation === undefined) {
        fullyPromised.push(describeAllPromised(attempt));
        continue;
      }
      // A concurrent call with the same key may have recorded a different store first; that one stands.
      return fromReservation(reservation);
    }
    exhausted.add(sku);
  }
  const plan = chooseFulfilment({ replacementSkus, candidatesBySku, reference, maxKm, now, exhausted });
  return { fulfilment: "ship", replacementSku: plan.replacementSku, why: plan.why };
}

function fromReservation(reservation: Reservation): ReplacementChoice {
  return {
    fulfilment: "store",
    replacementSku: reservation.sku,
    storeId: reservation.storeId,
    storeName: reservation.storeName,
    storeAddress: reservation.storeAddress,
    distanceKm: reservation.distanceKm,
    why: reservation.why,
  };
}
