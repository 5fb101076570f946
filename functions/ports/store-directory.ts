import type { StoreCandidate } from "../core/fulfilment.ts";
import type { LatLon } from "../core/geo.ts";

/**
 * A store's details and the absolute quantities of the SKUs it lists (StoreInventoryUpdated). SKUs it
 * does not list keep their previous quantity (the event contract, events/store-inventory-updated.ts).
 */
export interface InventoryUpdate {
  storeId: string;
  name: string;
  address: string;
  location: LatLon;
  stock: ReadonlyArray<{ sku: string; quantity: number }>;
  /** When the update happened at the source (ISO-8601): an update older than the one applied is ignored. */
  at: string;
}

export type ApplyInventoryResult =
  | {
      outcome: "applied";
      /** The store's geohash cell now. */
      cell: string;
      /** The store changed cells: its listings were re-filed, reservations carried along. */
      moved: boolean;
      /** Stock items touched: listed SKUs, plus unlisted ones whose store details changed or moved. */
      itemsWritten: number;
    }
  /** A newer update (by `at`) was applied already; nothing changed. */
  | { outcome: "stale"; appliedAt: string };

/** A unit promised to one owner (a recall's or a restriction's customer) at one store. */
export interface Reservation {
  /** The caller's idempotency key, e.g. `<recallId>#<customerId>`. */
  reservationKey: string;
  sku: string;
  storeId: string;
  cell: string;
  storeName: string;
  storeAddress: string;
  location: LatLon;
  reservedAt: string;
  /** What the caller said about the choice when it was made, returned as is to a retry. */
  distanceKm: number;
  why: string[];
}

/** The caller's account of a choice, kept on the reservation so that a retry can repeat it word for word. */
export interface ChoiceNote {
  distanceKm: number;
  why: readonly string[];
}

/**
 * Stores and their stock, indexed by (SKU, geohash cell) so that "nearest store within 50 km with SKU X
 * free" reads a handful of small partitions, and units are promised with conditional writes so that a
 * store is never offered to more owners than it has units.
 */
export interface StoreDirectory {
  /** Idempotent upsert of a store's details and listed quantities; `reserved` counts are never reduced. */
  applyInventory(update: InventoryUpdate): Promise<ApplyInventoryResult>;
  /** Stores with `quantity − reserved > 0` of `sku` within `radiusKm` of `point`, nearest first. */
  storesWithFreeStock(sku: string, point: LatLon, radiusKm: number): Promise<StoreCandidate[]>;
  /**
   * Promises one unit of `sku` at the store, once per `reservationKey`. Returns the reservation held under
   * that key — the one just made, or the one recorded by an earlier call (which may name another store:
   * the caller should honour it) — or `undefined` when the store has no free unit left. `note` (distance and
   * reasons) is kept with the reservation so that a retry can give the same answer word for word.
   *
   * Made for a key the caller has just looked up (`reservationFor`) and found free: under a key already
   * held it still answers right, but may take a unit for a moment and give it back.
   */
  reserve(
    sku: string,
    storeId: string,
    cell: string,
    reservationKey: string,
    note: ChoiceNote,
  ): Promise<Reservation | undefined>;
  reservationFor(reservationKey: string): Promise<Reservation | undefined>;
}

/** Another writer changed the store's profile between our read and our write, too many times in a row. */
export class ConcurrentStoreUpdateError extends Error {
  override readonly name = "ConcurrentStoreUpdateError";
}

/** The store has listed more SKUs than one profile item can name (DynamoDB's 400 KB item limit). */
export class StoreProfileTooLargeError extends Error {
  override readonly name = "StoreProfileTooLargeError";
}
