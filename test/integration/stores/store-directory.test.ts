import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
} from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { DynamoDbStoreDirectory } from "../../../functions/adapters/dynamodb-store-directory.ts";
import { table } from "../../../functions/config/table.ts";
import type { LatLon } from "../../../functions/core/geo.ts";
import { cellsCovering, encode } from "../../../functions/core/geohash.ts";
import type { ChoiceNote, InventoryUpdate } from "../../../functions/ports/store-directory.ts";
import { type LocalDynamo, startDynamo } from "../../support/dynalite.ts";

let dynamo: LocalDynamo;
let directory: DynamoDbStoreDirectory;
beforeAll(async () => {
  dynamo = await startDynamo();
  directory = new DynamoDbStoreDirectory(dynamo.documentClient, dynamo.tableName);
});
afterAll(async () => {
  await dynamo.stop();
});

const cityHall: LatLon = { lat: 37.5663, lon: 126.9779 };
const myeongdong: LatLon = { lat: 37.5636, lon: 126.9826 };
const gangnam: LatLon = { lat: 37.4979, lon: 127.0276 };
const busan: LatLon = { lat: 35.1796, lon: 129.0756 };
const note: ChoiceNote = { distanceKm: 1, why: ["test"] };

function inventory(storeId: string, overrides: Partial<InventoryUpdate> = {}): InventoryUpdate {
  return {
    storeId,
    name: `Waymark ${storeId}`,
    address: `${storeId} street 14`,
    location: myeongdong,
    stock: [],
    at: "2026-03-10T08:00:00+09:00",
    ...overrides,
  };
}

async function getItem(key: { pk: string; sk: string }): Promise<Record<string, unknown> | undefined> {
  const { Item } = await dynamo.documentClient.send(
    new GetCommand({ TableName: dynamo.tableName, Key: key, ConsistentRead: true }),
  );
  return Item;
}

const listing = (sku: string, storeId: string, location: LatLon) =>
  getItem(table.keys.stock(sku, encode(location.lat, location.lon, 3), storeId));

/** A directory on its own document client, whose `send` can be watched or made to fail. */
function watchedDirectory(fail?: (command: object) => boolean) {
  const client = DynamoDBDocumentClient.from(dynamo.client);
  const original = client.send.bind(client) as (command: object) => Promise<unknown>;
  const sent: object[] = [];
  vi.spyOn(client, "send").mockImplementation((async (command: object) => {
    sent.push(command);
    if (fail?.(command)) throw new Error("simulated crash");
    return original(command);
  }) as never);
  return { sent, directory: new DynamoDbStoreDirectory(client, dynamo.tableName) };
}

describe("applyInventory", () => {
  it("files each listed SKU under the store's cell, nothing reserved, and a profile naming them", async () => {
    const result = await directory.applyInventory(
      inventory("s-1", {
        stock: [
          { sku: "A1", quantity: 3 },
          { sku: "B1", quantity: 0 },
        ],
      }),
    );
    expect(result).toEqual({ outcome: "applied", cell: "wyd", moved: false, itemsWritten: 2 });
    expect(await listing("A1", "s-1", myeongdong)).toEqual({
      pk: "STOCK#A1#wyd",
      sk: "STORE#s-1",
      storeId: "s-1",
      name: "Waymark s-1",
      address: "s-1 street 14",
      lat: myeongdong.lat,
      lon: myeongdong.lon,
      quantity: 3,
      reserved: 0,
      at: "2026-03-09T23:00:00.000Z",
    });
    expect(await getItem(table.keys.storeProfile("s-1"))).toMatchObject({
      cell: "wyd",
      skus: ["A1", "B1"],
      location: myeongdong,
      at: "2026-03-09T23:00:00.000Z",
    });
    const found = await directory.storesWithFreeStock("A1", cityHall, 50);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ storeId: "s-1", cell: "wyd", quantity: 3, reserved: 0 });
    expect(found[0]?.distanceKm).toBeCloseTo(0.51, 1);
    expect(await directory.storesWithFreeStock("B1", cityHall, 50)).toEqual([]);
  });

  it("takes the absolute quantity of each listed SKU and keeps the ones an update does not list", async () => {
    const stock = [
      { sku: "A2", quantity: 3 },
      { sku: "B2", quantity: 2 },
    ];
    await directory.applyInventory(inventory("s-2", { stock, at: "2026-03-10T00:00:00Z" }));
    await directory.applyInventory(
      inventory("s-2", { stock: [{ sku: "A2", quantity: 7 }], at: "2026-03-10T01:00:00Z" }),
    );
    expect(await listing("A2", "s-2", myeongdong)).toMatchObject({ quantity: 7, reserved: 0 });
    expect(await listing("B2", "s-2", myeongdong)).toMatchObject({ quantity: 2 });

    // Listed again: out of stock, then back in.
    await directory.applyInventory(
      inventory("s-2", { stock: [{ sku: "B2", quantity: 0 }], at: "2026-03-10T02:00:00Z" }),
    );
    expect(await directory.storesWithFreeStock("B2", cityHall, 50)).toEqual([]);
    await directory.applyInventory(
      inventory("s-2", { stock: [{ sku: "B2", quantity: 4 }], at: "2026-03-10T03:00:00Z" }),
    );
    expect((await directory.storesWithFreeStock("B2", cityHall, 50)).map((s) => s.quantity)).toEqual([4]);
    expect(await getItem(table.keys.storeProfile("s-2"))).toMatchObject({ skus: ["A2", "B2"] });
  });

  it("never reduces `reserved`: a lower quantity only means no free units", async () => {
    await directory.applyInventory(
      inventory("s-3", { stock: [{ sku: "A3", quantity: 3 }], at: "2026-03-10T00:00:00Z" }),
    );
    expect(await directory.reserve("A3", "s-3", "wyd", "r-3-1", note)).toBeDefined();
    expect(await directory.reserve("A3", "s-3", "wyd", "r-3-2", note)).toBeDefined();

    await directory.applyInventory(
      inventory("s-3", { stock: [{ sku: "A3", quantity: 1 }], at: "2026-03-10T01:00:00Z" }),
    );
    expect(await listing("A3", "s-3", myeongdong)).toMatchObject({ quantity: 1, reserved: 2 });
    expect(await directory.storesWithFreeStock("A3", cityHall, 50)).toEqual([]);
    expect(await directory.reserve("A3", "s-3", "wyd", "r-3-3", note)).toBeUndefined();

    await directory.applyInventory(
      inventory("s-3", { stock: [{ sku: "A3", quantity: 6 }], at: "2026-03-10T02:00:00Z" }),
    );
    const [store] = await directory.storesWithFreeStock("A3", cityHall, 50);
    expect(store).toMatchObject({ quantity: 6, reserved: 2 });
  });

  it("ignores an update older than the one applied and re-applies a redelivery of the same one", async () => {
    const latest = inventory("s-4", { stock: [{ sku: "A4", quantity: 5 }], at: "2026-03-10T10:00:00+09:00" });
    await directory.applyInventory(latest);
    await directory.reserve("A4", "s-4", "wyd", "r-4", note);

    const older = await directory.applyInventory(
      inventory("s-4", { name: "Old name", stock: [{ sku: "A4", quantity: 1 }], at: "2026-03-10T00:59:59Z" }),
    );
    expect(older).toEqual({ outcome: "stale", appliedAt: "2026-03-10T01:00:00.000Z" });
    expect(await listing("A4", "s-4", myeongdong)).toMatchObject({
      name: "Waymark s-4",
      quantity: 5,
      reserved: 1,
    });

    // The same instant written differently is the same update: applied again, changing nothing.
    expect(await directory.applyInventory({ ...latest, at: "2026-03-10T01:00:00Z" })).toMatchObject({
      outcome: "applied",
    });
    expect(await listing("A4", "s-4", myeongdong)).toMatchObject({ quantity: 5, reserved: 1 });
  });

  it("copies a new name and address onto the listings an update does not mention", async () => {
    await directory.applyInventory(
      inventory("s-5", {
        stock: [
          { sku: "A5", quantity: 1 },
          { sku: "B5", quantity: 1 },
        ],
        at: "2026-03-10T00:00:00Z",
      }),
    );
    const renamed = await directory.applyInventory(
      inventory("s-5", {
        name: "Waymark Myeongdong",
        address: "Myeongdong-gil 14",
        at: "2026-03-10T01:00:00Z",
      }),
    );
    expect(renamed).toMatchObject({ outcome: "applied", itemsWritten: 2 });
    for (const sku of ["A5", "B5"]) {
      expect(await listing(sku, "s-5", myeongdong)).toMatchObject({
        name: "Waymark Myeongdong",
        address: "Myeongdong-gil 14",
        quantity: 1,
      });
    }
    // Nothing changed: nothing to write but the profile.
    const again = await directory.applyInventory(
      inventory("s-5", {
        name: "Waymark Myeongdong",
        address: "Myeongdong-gil 14",
        at: "2026-03-10T02:00:00Z",
      }),
    );
    expect(again).toMatchObject({ itemsWritten: 0 });
  });

  it("re-files the listings of a store that moved to another cell, carrying its reservations", async () => {
    const stock = [
      { sku: "A6", quantity: 3 },
      { sku: "B6", quantity: 2 },
    ];
    await directory.applyInventory(inventory("s-6", { stock, at: "2026-03-10T00:00:00Z" }));
    await directory.reserve("A6", "s-6", "wyd", "r-6", note);

    const move = inventory("s-6", {
      location: busan,
      address: "Busan, Jung-gu",
      stock: [{ sku: "A6", quantity: 4 }],
      at: "2026-03-11T00:00:00Z",
    });
    const result = await directory.applyInventory(move);
    expect(result).toMatchObject({ outcome: "applied", moved: true, cell: encode(busan.lat, busan.lon, 3) });

    expect(await listing("A6", "s-6", myeongdong)).toBeUndefined();
    expect(await listing("B6", "s-6", myeongdong)).toBeUndefined();
    expect(await listing("A6", "s-6", busan)).toMatchObject({ quantity: 4, reserved: 1, lat: busan.lat });
    expect(await listing("B6", "s-6", busan)).toMatchObject({
      quantity: 2,
      reserved: 0,
      address: "Busan, Jung-gu",
    });
    expect(await directory.storesWithFreeStock("A6", cityHall, 50)).toEqual([]);
    expect(
      (await directory.storesWithFreeStock("A6", busan, 50)).map((s) => [s.storeId, s.quantity - s.reserved]),
    ).toEqual([["s-6", 3]]);
    // A reservation aimed at the old cell finds nothing there.
    expect(await directory.reserve("A6", "s-6", "wyd", "r-6-late", note)).toBeUndefined();

    // A redelivery of the move carries nothing twice.
    await directory.applyInventory(move);
    expect(await listing("A6", "s-6", busan)).toMatchObject({ quantity: 4, reserved: 1 });
  });

  it("moves within a cell by updating the position in place", async () => {
    await directory.applyInventory(
      inventory("s-7", { stock: [{ sku: "A7", quantity: 1 }], at: "2026-03-10T00:00:00Z" }),
    );
    const nearby = { lat: 37.57, lon: 126.99 };
    expect(encode(nearby.lat, nearby.lon, 3)).toBe("wyd");
    const result = await directory.applyInventory(
      inventory("s-7", { location: nearby, at: "2026-03-10T01:00:00Z" }),
    );
    expect(result).toMatchObject({ moved: false, itemsWritten: 1 });
    expect(await listing("A7", "s-7", nearby)).toMatchObject({ lat: 37.57, lon: 126.99, quantity: 1 });
  });

  it("completes a move that crashed half-way, carrying each reservation once", async () => {
    const stock = [
      { sku: "A8", quantity: 5 },
      { sku: "B8", quantity: 5 },
    ];
    await directory.applyInventory(inventory("s-8", { stock, at: "2026-03-10T00:00:00Z" }));
    await directory.reserve("A8", "s-8", "wyd", "r-8-1", note);
    await directory.reserve("A8", "s-8", "wyd", "r-8-2", note);
    await directory.reserve("B8", "s-8", "wyd", "r-8-3", note);

    // The first attempt dies before it deletes the old listings (after re-filing them).
    const move = inventory("s-8", { location: busan, at: "2026-03-11T00:00:00Z" });
    const crashing = watchedDirectory((command) => command instanceof DeleteCommand);
    await expect(crashing.directory.applyInventory(move)).rejects.toThrow("simulated crash");
    expect(await listing("A8", "s-8", busan)).toMatchObject({ quantity: 5, reserved: 2 });
    expect(await listing("A8", "s-8", myeongdong)).toMatchObject({ quantity: 0, movedTo: "wy7" });

    // The redelivery finishes the job without adding the reservations again.
    expect(await directory.applyInventory(move)).toMatchObject({ outcome: "applied", moved: true });
    expect(await listing("A8", "s-8", busan)).toMatchObject({ quantity: 5, reserved: 2 });
    expect(await listing("B8", "s-8", busan)).toMatchObject({ quantity: 5, reserved: 1 });
    expect(await listing("A8", "s-8", myeongdong)).toBeUndefined();
    expect(await getItem(table.keys.storeProfile("s-8"))).toMatchObject({ cell: "wy7" });
  });
});

describe("storesWithFreeStock", () => {
  it("queries only the cells the circle reaches, never scans, and lists stores nearest first", async () => {
    const stores: [string, LatLon][] = [
      ["gangnam", gangnam],
      ["myeongdong", myeongdong],
      ["suwon", { lat: 37.2636, lon: 127.0286 }], // 34 km, same cell (wyd)
      ["incheon", { lat: 37.4563, lon: 126.7052 }], // 27 km, wyd
      ["chuncheon", { lat: 37.8813, lon: 127.7298 }], // 75 km, wyd: read, but too far
      ["yeongjong", { lat: 37.49, lon: 126.49 }], // 44 km, the cell to the west (wy9)
      ["north", { lat: 37.99, lon: 126.95 }], // 47 km, the cell to the north (wyf)
      ["west-55", { lat: 37.55, lon: 126.35 }], // 55 km, wy9: too far
      ["daejeon", { lat: 36.3504, lon: 127.3845 }], // 140 km, wy6: not even read
    ];
    for (const [id, location] of stores) {
      await directory.applyInventory(inventory(`q-${id}`, { location, stock: [{ sku: "Q1", quantity: 2 }] }));
    }
    const { sent, directory: watched } = watchedDirectory();
    const found = await watched.storesWithFreeStock("Q1", cityHall, 50);

    expect(found.map((s) => s.storeId)).toEqual([
      "q-myeongdong",
      "q-gangnam",
      "q-incheon",
      "q-suwon",
      "q-yeongjong",
      "q-north",
    ]);
    for (const store of found) expect(store.distanceKm).toBeLessThanOrEqual(50);
    expect(found.map((s) => s.distanceKm)).toEqual([...found.map((s) => s.distanceKm)].sort((a, b) => a - b));

    const covering = cellsCovering(cityHall, 50);
    expect(covering).toEqual(["wy9", "wyd", "wyf"]);
    const queried = sent.filter((c) => c instanceof QueryCommand) as QueryCommand[];
    expect(sent).toHaveLength(queried.length);
    expect(queried.map((q) => q.input.ExpressionAttributeValues?.[":pk"]).sort()).toEqual(
      covering.map((cell) => `STOCK#Q1#${cell}`).sort(),
    );
    expect(sent.some((c) => c.constructor.name === "ScanCommand")).toBe(false);
  });
});

describe("reserve", () => {
  it("promises at most as many units as the store has", async () => {
    await directory.applyInventory(inventory("r-1", { stock: [{ sku: "R1", quantity: 2 }] }));
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => directory.reserve("R1", "r-1", "wyd", `rk-1-${i}`, note)),
    );
    expect(results.filter((r) => r !== undefined)).toHaveLength(2);
    expect(await listing("R1", "r-1", myeongdong)).toMatchObject({ quantity: 2, reserved: 2 });
  });

  it("returns the recorded choice to a retry without taking a second unit", async () => {
    await directory.applyInventory(inventory("r-2", { stock: [{ sku: "R2", quantity: 5 }] }));
    await directory.applyInventory(
      inventory("r-2b", { location: gangnam, stock: [{ sku: "R2", quantity: 5 }] }),
    );
    const first = await directory.reserve("R2", "r-2", "wyd", "rk-2", { distanceKm: 0.5, why: ["nearest"] });
    expect(first).toMatchObject({
      reservationKey: "rk-2",
      sku: "R2",
      storeId: "r-2",
      cell: "wyd",
      storeName: "Waymark r-2",
      storeAddress: "r-2 street 14",
      location: myeongdong,
      distanceKm: 0.5,
      why: ["nearest"],
    });
    expect(await directory.reserve("R2", "r-2", "wyd", "rk-2", note)).toEqual(first);
    // Even when asked for another store: the key already holds a unit.
    expect(await directory.reserve("R2", "r-2b", "wyd", "rk-2", note)).toEqual(first);
    expect(await directory.reservationFor("rk-2")).toEqual(first);
    expect(await listing("R2", "r-2", myeongdong)).toMatchObject({ reserved: 1 });
    expect(await listing("R2", "r-2b", gangnam)).toMatchObject({ reserved: 0 });
    expect(await directory.reservationFor("rk-unknown")).toBeUndefined();
  });

  it("answers a key that holds a unit even where no unit is free any more, and takes none for it", async () => {
    await directory.applyInventory(inventory("r-6", { stock: [{ sku: "R6", quantity: 1 }] }));
    const first = await directory.reserve("R6", "r-6", "wyd", "rk-6", note);
    expect(first).toMatchObject({ storeId: "r-6" });
    // The store's one unit is this key's: the take fails, and the key's own reservation is the answer.
    expect(await directory.reserve("R6", "r-6", "wyd", "rk-6", note)).toEqual(first);
    expect(await directory.reserve("R6", "r-6", "wyd", "rk-6-other", note)).toBeUndefined();
    expect(await listing("R6", "r-6", myeongdong)).toMatchObject({ quantity: 1, reserved: 1 });
  });

  it("lets concurrent calls with one key promise a single unit", async () => {
    await directory.applyInventory(inventory("r-3", { stock: [{ sku: "R3", quantity: 10 }] }));
    const results = await Promise.all(
      Array.from({ length: 8 }, () => directory.reserve("R3", "r-3", "wyd", "rk-3", note)),
    );
    expect(new Set(results.map((r) => JSON.stringify(r))).size).toBe(1);
    expect(await listing("R3", "r-3", myeongdong)).toMatchObject({ reserved: 1 });
  });

  it("leaves at worst an unused unit when it crashes between taking the unit and recording it", async () => {
    await directory.applyInventory(inventory("r-4", { stock: [{ sku: "R4", quantity: 3 }] }));
    const crashing = watchedDirectory(
      (command) => command instanceof PutCommand && String(command.input.Item?.pk).startsWith("RESERVATION#"),
    );
    await expect(crashing.directory.reserve("R4", "r-4", "wyd", "rk-4", note)).rejects.toThrow(
      "simulated crash",
    );
    expect(await directory.reservationFor("rk-4")).toBeUndefined();

    const retried = await directory.reserve("R4", "r-4", "wyd", "rk-4", note);
    expect(retried).toMatchObject({ storeId: "r-4" });
    // Two units taken for one owner: one wasted, none promised twice.
    expect(await listing("R4", "r-4", myeongdong)).toMatchObject({ quantity: 3, reserved: 2 });
  });

  it("finds nothing to reserve at a store that does not list the SKU", async () => {
    expect(await directory.reserve("NOPE", "r-none", "wyd", "rk-5", note)).toBeUndefined();
    expect(await getItem(table.keys.stock("NOPE", "wyd", "r-none"))).toBeUndefined();
  });
});
