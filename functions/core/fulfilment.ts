/**
 * Which replacement, from which store (docs/reference-journeys.md, product-recall and travel-restriction): pure rules,
 * no AWS. The directory finds candidate stores and promises units; this module decides the order in which
 * to ask and says why, in words an agent can read back to the customer.
 */
import type { CustomerState } from "./customer-state.ts";
import { haversineKm, type LatLon } from "./geo.ts";

/** A store is offered only within this great-circle distance of the reference point. */
export const MAX_STORE_DISTANCE_KM = 50;

/** A location older than this no longer says where the customer is; home is used instead. */
export const RECENT_LOCATION_MS = 7 * 24 * 60 * 60 * 1000;

/** Where "nearest" is measured from. */
export interface ReferencePoint {
  point: LatLon;
  source: "recent-location" | "home";
  /** When the location was observed (recent-location only), ISO-8601. */
  observedAt?: string;
}

/** A store's listing of one SKU, as the stock index holds it. */
export interface StockedStore {
  storeId: string;
  name: string;
  address: string;
  location: LatLon;
  /** The geohash cell the listing is filed under (needed to reserve a unit). */
  cell: string;
  quantity: number;
  /** Units already promised to owners. */
  reserved: number;
}

/** A store with free units of a SKU, at a distance from the reference point. */
export interface StoreCandidate extends StockedStore {
  distanceKm: number;
}

/** One store to try to reserve a unit at, in order. */
export interface StoreAttempt {
  sku: string;
  storeId: string;
  storeName: string;
  storeAddress: string;
  cell: string;
  /** Great-circle distance from the reference point, unrounded. */
  distanceKm: number;
  freeUnits: number;
}

export type FulfilmentPlan =
  | {
      fulfilment: "store";
      replacementSku: string;
      /** Stores with free units of `replacementSku` within range, nearest first. */
      attempts: StoreAttempt[];
      why: string[];
    }
  | { fulfilment: "ship"; replacementSku: string; why: string[] };

export interface FulfilmentRequest {
  /** Most preferred first. */
  replacementSkus: readonly string[];
  /**
   * Stores listing each SKU. A SKU missing from the map counts as stocked nowhere, so a caller can stop
   * looking up SKUs once one has a candidate.
   */
  candidatesBySku: ReadonlyMap<string, readonly StockedStore[]>;
  reference: ReferencePoint;
  maxKm?: number;
  /** For "seen 2 days ago"; without it the age of a location is not mentioned. */
  now?: Date;
  /** SKUs whose stores in range turned out to have every unit promised already: passed over. */
  exhausted?: ReadonlySet<string>;
}

/** A recall or restriction without replacement SKUs (a refund) has nothing to fulfil. */
export class NoReplacementSkusError extends Error {
  override readonly name = "NoReplacementSkusError";
}

/**
 * The first SKU in preference order that some store within range has free units of, with those stores
 * nearest first; a nearer store that only has a less preferred SKU loses (docs/reference-journeys.md). None → ship the
 * most preferred SKU to the customer's home.
 */
export function chooseFulfilment(request: FulfilmentRequest): FulfilmentPlan {
  const { replacementSkus, candidatesBySku, reference, now } = request;
  const maxKm = request.maxKm ?? MAX_STORE_DISTANCE_KM;
  const first = replacementSkus[0];
  if (first === undefined) throw new NoReplacementSkusError("no replacement SKUs to choose from");
  const from = describeReference(reference, now);
  const why: string[] = [];
  for (const sku of replacementSkus) {
    if (request.exhausted?.has(sku)) {
      why.push(`every store within ${maxKm} km of ${from} with ${sku} has promised all its units already`);
      continue;
    }
    const attempts = storeAttempts(sku, candidatesBySku.get(sku) ?? [], reference.point, maxKm);
    const nearest = attempts[0];
    if (nearest === undefined) {
      why.push(`no store within ${maxKm} km of ${from} has ${sku} in stock`);
      continue;
    }
    why.push(describeStoreChoice(nearest, reference, now, "nearest"));
    return { fulfilment: "store", replacementSku: sku, attempts, why };
  }
  why.push(shipWhy(first));
  return { fulfilment: "ship", replacementSku: first, why };
}

/** Stores of one SKU with free units within `maxKm` of `point`, nearest first (ties by store id). */
export function storeAttempts(
  sku: string,
  stores: readonly StockedStore[],
  point: LatLon,
  maxKm: number,
): StoreAttempt[] {
  return stores
    .map((store) => ({
      sku,
      storeId: store.storeId,
      storeName: store.name,
      storeAddress: store.address,
      cell: store.cell,
      distanceKm: haversineKm(point, store.location),
      freeUnits: store.quantity - store.reserved,
    }))
    .filter((attempt) => attempt.freeUnits > 0 && attempt.distanceKm <= maxKm)
    .sort(
      (a, b) => a.distanceKm - b.distanceKm || (a.storeId < b.storeId ? -1 : a.storeId > b.storeId ? 1 : 0),
    );
}

/** Distances as customers see them: kilometres to one decimal. */
export function roundKm(km: number): number {
  return Math.round(km * 10) / 10;
}

/**
 * "nearest store with SM-S931N in stock: Myeongdong, 2.3 km from the customer's location seen 2 days ago".
 * `next` is for a store chosen because nearer ones had every unit promised already.
 */
export function describeStoreChoice(
  attempt: Pick<StoreAttempt, "sku" | "storeName" | "distanceKm">,
  reference: ReferencePoint,
  now: Date | undefined,
  rank: "nearest" | "next",
): string {
  const label = rank === "nearest" ? "nearest store" : "next nearest store";
  return (
    `${label} with ${attempt.sku} in stock: ${attempt.storeName}, ${roundKm(attempt.distanceKm)} km ` +
    `from ${describeReference(reference, now)}`
  );
}

/** "Myeongdong (2.3 km): every unit of SM-S931N already promised to other owners". */
export function describeAllPromised(attempt: Pick<StoreAttempt, "sku" | "storeName" | "distanceKm">): string {
  return (
    `${attempt.storeName} (${roundKm(attempt.distanceKm)} km): every unit of ${attempt.sku} ` +
    "already promised to other owners"
  );
}

export function shipWhy(sku: string): string {
  return `shipping ${sku} free to the customer's home`;
}

/** "the customer's location seen 2 days ago", "the customer's home". */
export function describeReference(reference: ReferencePoint, now: Date | undefined): string {
  if (reference.source === "home") return "the customer's home";
  const observed = reference.observedAt === undefined ? Number.NaN : Date.parse(reference.observedAt);
  if (now === undefined || Number.isNaN(observed)) return "the customer's recent location";
  return `the customer's location seen ${describeAge(now.getTime() - observed)}`;
}

function describeAge(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 1) return "just now";
  if (minutes < 60) return `${minutes} minute${minutes === 1 ? "" : "s"} ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} hour${hours === 1 ? "" : "s"} ago`;
  const days = Math.floor(hours / 24);
  return `${days} day${days === 1 ? "" : "s"} ago`;
}

/**
 * Where to measure "nearest" from (docs/reference-journeys.md): the customer's latest location if observed within 7 days
 * of `now`, else home, else nothing (then the replacement is shipped). A location stamped slightly in the
 * future (producer clock skew) still counts as recent.
 */
export function referencePoint(
  state: Pick<CustomerState, "lastLocation" | "profile">,
  now: Date,
): ReferencePoint | undefined {
  const location = state.lastLocation;
  if (location) {
    const observed = Date.parse(location.at);
    if (!Number.isNaN(observed) && now.getTime() - observed <= RECENT_LOCATION_MS) {
      return {
        point: { lat: location.lat, lon: location.lon },
        source: "recent-location",
        observedAt: location.at,
      };
    }
  }
  const home = state.profile.home;
  if (home) return { point: { lat: home.lat, lon: home.lon }, source: "home" };
  return undefined;
}
