import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandOutput,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import * as z from "zod";
import { table } from "../config/table.ts";
import type { StockedStore, StoreCandidate } from "../core/fulfilment.ts";
import { haversineKm, type LatLon } from "../core/geo.ts";
import { cellsCovering, encode, STOCK_CELL_PRECISION } from "../core/geohash.ts";
import {
  type ApplyInventoryResult,
  type ChoiceNote,
  ConcurrentStoreUpdateError,
  type InventoryUpdate,
  type Reservation,
  type StoreDirectory,
  StoreProfileTooLargeError,
} from "../ports/store-directory.ts";

/** Parallel writes per inventory update: fast for a big catalogue without a burst of throttling. */
const WRITE_CONCURRENCY = 16;
/** Global events are serialised in one FIFO group, so a profile conflict is rare; re-read and redo. */
const MAX_PROFILE_ATTEMPTS = 5;
/** Well under DynamoDB's 400 KB item limit, leaving room for the attribute names and the rest. */
const MAX_PROFILE_BYTES = 350_000;

const profileSchema = z.object({
  storeId: z.string(),
  name: z.string(),
  address: z.string(),
  location: z.object({ lat: z.number(), lon: z.number() }),
  cell: z.string(),
  skus: z.array(z.string()),
  at: z.string(),
  version: z.number(),
});
type StoreProfile = z.infer<typeof profileSchema>;

const reservationSchema = z.object({
  reservationKey: z.string(),
  sku: z.string(),
  storeId: z.string(),
  cell: z.string(),
  storeName: z.string(),
  storeAddress: z.string(),
  location: z.object({ lat: z.number(), lon: z.number() }),
  reservedAt: z.string(),
  distanceKm: z.number(),
  why: z.array(z.string()),
});

const stockItemSchema = z.object({
  storeId: z.string(),
  name: z.string(),
  address: z.string(),
  lat: z.number(),
  lon: z.number(),
  quantity: z.number(),
  reserved: z.number(),
});

interface StoreDetails {
  storeId: string;
  name: string;
  address: string;
  lat: number;
  lon: number;
}

/** Attribute names used in expressions (every one through a placeholder: `name` is a reserved word). */
const NAMES = {
  "#pk": table.partitionKey,
  "#storeId": "storeId",
  "#name": "name",
  "#address": "address",
  "#lat": "lat",
  "#lon": "lon",
  "#quantity": "quantity",
  "#reserved": "reserved",
  "#at": "at",
  "#movedTo": "movedTo",
  "#movedQuantity": "movedQuantity",
  "#carriedFrom": "carriedFrom",
} as const;

function pickNames(...keys: (keyof typeof NAMES)[]): Record<string, string> {
  return Object.fromEntries(keys.map((key) => [key, NAMES[key]]));
}

/**
 * The store directory on the single table (layout in functions/config/table.ts):
 *
 * - `STORE#<id> / PROFILE` remembers the store's cell and every SKU it has listed, so that an update can
 *   re-file the listings of a store that moved, and refresh the name and address copied onto them.
 * - `STOCK#<sku>#<cell> / STORE#<id>` is one listing; a search Queries only the cells its circle reaches.
 *   Every write to a listing is conditional on its `at`, so a late, older update cannot undo a newer one.
 * - `RESERVATION#<key> / RESERVATION` records the unit promised under a key. The unit is taken first
 *   (`reserved + 1` if `reserved < quantity`) and recorded second, if the key holds nothing yet, so a crash
 *   in between leaves at worst one unit reserved and unused — never one unit promised to two owners. A key
 *   that holds a unit already keeps it: the unit just taken goes back.
 *
 * No multi-item transactions (docs/architecture.md): each step is a single-item conditional write, ordered so
 * that a retry after a crash completes the work instead of repeating it.
 */
export class DynamoDbStoreDirectory implements StoreDirectory {
  readonly #client: DynamoDBDocumentClient;
  readonly #tableName: string;
  readonly #clock: () => Date;

  constructor(client: DynamoDBDocumentClient, tableName: string, clock: () => Date = () => new Date()) {
    this.#client = client;
    this.#tableName = tableName;
    this.#clock = clock;
  }

  async applyInventory(update: InventoryUpdate): Promise<ApplyInventoryResult> {
    const at = normalizeTime(update.at);
    const details: StoreDetails = {
      storeId: update.storeId,
      name: update.name,
      address: update.address,
      lat: update.location.lat,
      lon: update.location.lon,
    };
    const listed = new Map<string, number>();
    for (const { sku, quantity } of update.stock) listed.set(sku, quantity);
    const cell = encode(details.lat, details.lon, STOCK_CELL_PRECISION);

    for (let attempt = 1; attempt <= MAX_PROFILE_ATTEMPTS; attempt++) {
      const profile = await this.#loadProfile(update.storeId);
      // An equal `at` is applied again: it is a redelivery, and re-applying completes a crashed attempt.
      if (profile && profile.at > at) return { outcome: "stale", appliedAt: profile.at };

      const known = profile?.skus ?? [];
      const knownSet = new Set(known);
      const moved = profile !== undefined && profile.cell !== cell;
      const detailsChanged =
        profile === undefined ||
        profile.name !== details.name ||
        profile.address !== details.address ||
        profile.location.lat !== details.lat ||
        profile.location.lon !== details.lon;

      const writes: (() => Promise<void>)[] = [];
      if (moved) {
        const from = profile.cell;
        for (const sku of known)
          writes.push(() => this.#moveListing(sku, from, cell, details, at, listed.get(sku)));
      }
      for (const [sku, quantity] of listed) {
        if (moved && knownSet.has(sku)) continue;
        writes.push(() => this.#upsertListing(sku, cell, details, at, quantity));
      }
      if (!moved && detailsChanged) {
        for (const sku of known) {
          if (!listed.has(sku)) writes.push(() => this.#refreshDetails(sku, cell, details, at));
        }
      }
      await runLimited(writes, WRITE_CONCURRENCY);

      const skus = [...known, ...[...listed.keys()].filter((sku) => !knownSet.has(sku))];
      if (await this.#saveProfile(details, cell, skus, at, profile?.version)) {
        return { outcome: "applied", cell, moved, itemsWritten: writes.length };
      }
    }
    throw new ConcurrentStoreUpdateError(
      `store ${update.storeId}: profile changed under ${MAX_PROFILE_ATTEMPTS} attempts in a row`,
    );
  }

  async storesWithFreeStock(sku: string, point: LatLon, radiusKm: number): Promise<StoreCandidate[]> {
    const cells = cellsCovering(point, radiusKm, STOCK_CELL_PRECISION);
    const perCell = await Promise.all(cells.map((cell) => this.#listingsIn(sku, cell)));
    return perCell
      .flat()
      .map((store) => ({ ...store, distanceKm: haversineKm(point, store.location) }))
      .filter((store) => store.distanceKm <= radiusKm && store.quantity > store.reserved)
      .sort((a, b) => a.distanceKm - b.distanceKm || compare(a.storeId, b.storeId));
  }

  async reserve(
    sku: string,
    storeId: string,
    cell: string,
    reservationKey: string,
    note: ChoiceNote,
  ): Promise<Reservation | undefined> {
    // No read of the key first: callers look before they choose (chooseReplacement does, so a retry gets its
    // answer without a search), and the conditional record below settles a key already held. Reading here too
    // cost every reserving owner a second read of the same item.
    let listing: z.infer<typeof stockItemSchema>;
    try {
      const { Attributes } = await this.#client.send(
        new UpdateCommand({
          TableName: this.#tableName,
          Key: table.keys.stock(sku, cell, storeId),
          UpdateExpression: "SET #reserved = #reserved + :one",
          ConditionExpression: "#reserved < #quantity",
          ExpressionAttributeNames: pickNames("#reserved", "#quantity"),
          ExpressionAttributeValues: { ":one": 1 },
          ReturnValues: "ALL_NEW",
        }),
      );
      listing = stockItemSchema.parse(Attributes);
    } catch (error) {
      // Every unit promised already, the store no longer lists the SKU here, or it moved away. The key may
      // hold a unit all the same (a concurrent call with it took the last one): that answer stands.
      if (error instanceof ConditionalCheckFailedException) return this.reservationFor(reservationKey);
      throw error;
    }

    const reservation: Reservation = {
      reservationKey,
      sku,
      storeId,
      cell,
      storeName: listing.name,
      storeAddress: listing.address,
      location: { lat: listing.lat, lon: listing.lon },
      reservedAt: this.#clock().toISOString(),
      distanceKm: note.distanceKm,
      why: [...note.why],
    };
    try {
      await this.#client.send(
        new PutCommand({
          TableName: this.#tableName,
          Item: { ...table.keys.reservation(reservationKey), ...reservation },
          ConditionExpression: "attribute_not_exists(#pk)",
          ExpressionAttributeNames: pickNames("#pk"),
        }),
      );
      return reservation;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
    // A concurrent call with the same key recorded its choice first. The unit taken above was never
    // promised to anyone, so it goes back; the recorded choice stands.
    await this.#release(sku, storeId, cell);
    return this.reservationFor(reservationKey);
  }

  async reservationFor(reservationKey: string): Promise<Reservation | undefined> {
    const { Item } = await this.#client.send(
      new GetCommand({
        TableName: this.#tableName,
        Key: table.keys.reservation(reservationKey),
        ConsistentRead: true,
      }),
    );
    return Item ? reservationSchema.parse(Item) : undefined;
  }

  async #release(sku: string, storeId: string, cell: string): Promise<void> {
    try {
      await this.#client.send(
        new UpdateCommand({
          TableName: this.#tableName,
          Key: table.keys.stock(sku, cell, storeId),
          UpdateExpression: "SET #reserved = #reserved - :one",
          ConditionExpression: "#reserved > :zero",
          ExpressionAttributeNames: pickNames("#reserved"),
          ExpressionAttributeValues: { ":one": 1, ":zero": 0 },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  async #listingsIn(sku: string, cell: string): Promise<StockedStore[]> {
    const stores: StockedStore[] = [];
    let startKey: QueryCommandOutput["LastEvaluatedKey"];
    do {
      const page: QueryCommandOutput = await this.#client.send(
        new QueryCommand({
          TableName: this.#tableName,
          KeyConditionExpression: "#pk = :pk",
          // Fewer bytes back; the read is charged either way. Eventually consistent on purpose: the
          // conditional reservation is the authority, a stale read only costs one failed attempt.
          FilterExpression: "#quantity > #reserved",
          ExpressionAttributeNames: pickNames("#pk", "#quantity", "#reserved"),
          ExpressionAttributeValues: { ":pk": table.keys.stockCell(sku, cell) },
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) {
        const listing = stockItemSchema.parse(item);
        stores.push({
          storeId: listing.storeId,
          name: listing.name,
          address: listing.address,
          location: { lat: listing.lat, lon: listing.lon },
          cell,
          quantity: listing.quantity,
          reserved: listing.reserved,
        });
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return stores;
  }

  async #loadProfile(storeId: string): Promise<StoreProfile | undefined> {
    const { Item } = await this.#client.send(
      new GetCommand({
        TableName: this.#tableName,
        Key: table.keys.storeProfile(storeId),
        ConsistentRead: true,
      }),
    );
    return Item ? profileSchema.parse(Item) : undefined;
  }

  /** Writes the profile if nobody else did since we read it; `false` means re-read and redo. */
  async #saveProfile(
    details: StoreDetails,
    cell: string,
    skus: string[],
    at: string,
    expectedVersion: number | undefined,
  ): Promise<boolean> {
    const profile: StoreProfile = {
      storeId: details.storeId,
      name: details.name,
      address: details.address,
      location: { lat: details.lat, lon: details.lon },
      cell,
      skus,
      at,
      version: (expectedVersion ?? 0) + 1,
    };
    const bytes = Buffer.byteLength(JSON.stringify(profile));
    if (bytes > MAX_PROFILE_BYTES) {
      throw new StoreProfileTooLargeError(
        `store ${details.storeId} has listed ${skus.length} SKUs; its profile would be ${bytes} bytes`,
      );
    }
    const isNew = expectedVersion === undefined;
    try {
      await this.#client.send(
        new PutCommand({
          TableName: this.#tableName,
          Item: { ...table.keys.storeProfile(details.storeId), ...profile },
          ConditionExpression: isNew ? "attribute_not_exists(#pk)" : "#version = :expected",
          ExpressionAttributeNames: isNew ? pickNames("#pk") : { "#version": "version" },
          ...(isNew ? {} : { ExpressionAttributeValues: { ":expected": expectedVersion } }),
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /** Sets a listing's quantity and store details; creates it with nothing reserved. */
  async #upsertListing(
    sku: string,
    cell: string,
    details: StoreDetails,
    at: string,
    quantity: number,
    carry?: { reserved: number; tag: string },
  ): Promise<void> {
    const set = [
      "#storeId = :storeId",
      "#name = :name",
      "#address = :address",
      "#lat = :lat",
      "#lon = :lon",
      "#quantity = :quantity",
      "#at = :at",
      // An inventory update never reduces `reserved`: a lower quantity only means no more free units.
      carry
        ? "#reserved = if_not_exists(#reserved, :zero) + :carried"
        : "#reserved = if_not_exists(#reserved, :zero)",
    ];
    let update = `SET ${set.join(", ")} REMOVE #movedTo, #movedQuantity`;
    let condition = "attribute_not_exists(#at) OR #at <= :at";
    const values: Record<string, unknown> = {
      ":storeId": details.storeId,
      ":name": details.name,
      ":address": details.address,
      ":lat": details.lat,
      ":lon": details.lon,
      ":quantity": quantity,
      ":at": at,
      ":zero": 0,
    };
    const names = pickNames(
      "#storeId",
      "#name",
      "#address",
      "#lat",
      "#lon",
      "#quantity",
      "#at",
      "#reserved",
      "#movedTo",
      "#movedQuantity",
    );
    if (carry) {
      // The carried count is added once per move, whatever the retries: the move's tag is remembered.
      update += " ADD #carriedFrom :tags";
      const notCarried = "attribute_not_exists(#carriedFrom) OR NOT contains(#carriedFrom, :tag)";
      condition = `(${condition}) AND (${notCarried})`;
      values[":carried"] = carry.reserved;
      values[":tags"] = new Set([carry.tag]);
      values[":tag"] = carry.tag;
      names["#carriedFrom"] = NAMES["#carriedFrom"];
    }
    try {
      await this.#client.send(
        new UpdateCommand({
          TableName: this.#tableName,
          Key: table.keys.stock(sku, cell, details.storeId),
          UpdateExpression: update,
          ConditionExpression: condition,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      // Carried already by an earlier attempt of this move: still set the quantity and details.
      // Otherwise a newer update wrote this listing; it stands.
      if (carry) await this.#upsertListing(sku, cell, details, at, quantity);
    }
  }

  /** New name, address or position for a listing the update does not mention; its quantity stays. */
  async #refreshDetails(sku: string, cell: string, details: StoreDetails, at: string): Promise<void> {
    try {
      await this.#client.send(
        new UpdateCommand({
          TableName: this.#tableName,
          Key: table.keys.stock(sku, cell, details.storeId),
          UpdateExpression: "SET #name = :name, #address = :address, #lat = :lat, #lon = :lon, #at = :at",
          ConditionExpression: "attribute_exists(#pk) AND #at <= :at",
          ExpressionAttributeNames: pickNames("#pk", "#name", "#address", "#lat", "#lon", "#at"),
          ExpressionAttributeValues: {
            ":name": details.name,
            ":address": details.address,
            ":lat": details.lat,
            ":lon": details.lon,
            ":at": at,
          },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  /**
   * Re-files one listing of a store that changed cells, in three single-item steps that a retry can
   * repeat: (1) close the old listing (quantity 0, so no reservation can succeed there any more, which
   * makes its `reserved` final) and read what it held; (2) write the new listing with that quantity (or the
   * update's) and add the old `reserved`, once; (3) delete the old listing.
   */
  async #moveListing(
    sku: string,
    fromCell: string,
    toCell: string,
    details: StoreDetails,
    at: string,
    listedQuantity: number | undefined,
  ): Promise<void> {
    let held: { quantity: number; reserved: number } | undefined;
    try {
      const { Attributes } = await this.#client.send(
        new UpdateCommand({
          TableName: this.#tableName,
          Key: table.keys.stock(sku, fromCell, details.storeId),
          UpdateExpression:
            "SET #movedQuantity = if_not_exists(#movedQuantity, #quantity), #quantity = :zero, " +
            "#movedTo = :toCell, #at = :at",
          ConditionExpression: "attribute_exists(#pk) AND #at <= :at",
          ExpressionAttributeNames: pickNames("#pk", "#movedQuantity", "#quantity", "#movedTo", "#at"),
          ExpressionAttributeValues: { ":zero": 0, ":toCell": toCell, ":at": at },
          ReturnValues: "ALL_NEW",
        }),
      );
      held = {
        quantity: Number(Attributes?.movedQuantity ?? 0),
        reserved: Number(Attributes?.reserved ?? 0),
      };
    } catch (error) {
      // Gone: an earlier attempt of this move finished with it. Or newer: a later update owns it.
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }

    if (held) {
      await this.#upsertListing(sku, toCell, details, at, listedQuantity ?? held.quantity, {
        reserved: held.reserved,
        tag: `${fromCell}@${at}`,
      });
    } else if (listedQuantity !== undefined) {
      await this.#upsertListing(sku, toCell, details, at, listedQuantity);
    } else {
      await this.#refreshDetails(sku, toCell, details, at);
    }

    try {
      await this.#client.send(
        new DeleteCommand({
          TableName: this.#tableName,
          Key: table.keys.stock(sku, fromCell, details.storeId),
          ConditionExpression: "#movedTo = :toCell",
          ExpressionAttributeNames: pickNames("#movedTo"),
          ExpressionAttributeValues: { ":toCell": toCell },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
}

/** ISO-8601 in UTC with milliseconds, so that `at` values compare correctly as strings in conditions. */
function normalizeTime(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new RangeError(`not an ISO-8601 time: ${JSON.stringify(iso)}`);
  return new Date(ms).toISOString();
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Runs tasks with at most `limit` in flight; the first failure fails the whole (the event is retried). */
async function runLimited(tasks: readonly (() => Promise<void>)[], limit: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const task = tasks[next++]!;
      await task();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
}
