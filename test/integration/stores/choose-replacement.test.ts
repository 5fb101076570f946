import { GetCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sampleEnvelope } from "../../../events/envelope-samples.ts";
import { parseInboundEvent } from "../../../events/parse.ts";
import { storeInventoryUpdated } from "../../../events/store-inventory-updated.ts";
import { DynamoDbStoreDirectory } from "../../../functions/adapters/dynamodb-store-directory.ts";
import { table } from "../../../functions/config/table.ts";
import { emptyCustomerState } from "../../../functions/core/customer-state.ts";
import type { LatLon } from "../../../functions/core/geo.ts";
import { encode } from "../../../functions/core/geohash.ts";
import type { InventoryUpdate, StoreDirectory } from "../../../functions/ports/store-directory.ts";
import {
  chooseReplacement,
  type ReferencePoint,
  type ReplacementChoice,
  referencePoint,
} from "../../../functions/use-cases/choose-replacement.ts";
import { updateStoreInventory } from "../../../functions/use-cases/update-store-inventory.ts";
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

const now = new Date("2026-03-10T12:00:00Z");
const cityHall: LatLon = { lat: 37.5663, lon: 126.9779 };
const fromCityHall: ReferencePoint = { point: cityHall, source: "home" };
const busan: LatLon = { lat: 35.1796, lon: 129.0756 };

async function stock(storeId: string, name: string, location: LatLon, items: InventoryUpdate["stock"]) {
  await directory.applyInventory({
    storeId,
    name,
    address: `${name} street 1`,
    location,
    stock: items,
    at: "2026-03-10T00:00:00Z",
  });
}

async function reserved(sku: string, storeId: string, location: LatLon): Promise<number> {
  const { Item } = await dynamo.documentClient.send(
    new GetCommand({
      TableName: dynamo.tableName,
      Key: table.keys.stock(sku, encode(location.lat, location.lon, 3), storeId),
      ConsistentRead: true,
    }),
  );
  return Number(Item?.reserved);
}

/** Runs `tasks` with at most `limit` in flight, keeping their order in the results. */
async function limited<T>(tasks: readonly (() => Promise<T>)[], limit: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < tasks.length) {
        const index = next++;
        results[index] = await tasks[index]!();
      }
    }),
  );
  return results;
}

/** A directory that counts the requests it makes. */
function counting(inner: StoreDirectory) {
  const calls: string[] = [];
  const counted: StoreDirectory = {
    applyInventory: (u) => inner.applyInventory(u),
    storesWithFreeStock: (...args) => {
      calls.push("storesWithFreeStock");
      return inner.storesWithFreeStock(...args);
    },
    reserve: (...args) => {
      calls.push("reserve");
      return inner.reserve(...args);
    },
    reservationFor: (key) => {
      calls.push("reservationFor");
      return inner.reservationFor(key);
    },
  };
  return { calls, directory: counted };
}

describe("chooseReplacement", () => {
  it("offers a 2-unit store to exactly 2 of 1,000 owners; the rest: next free store or ship", async () => {
    const near = { lat: 37.5636, lon: 126.9826 }; // 0.5 km
    const second = { lat: 37.5704, lon: 126.9921 }; // 1.3 km
    const third = { lat: 37.4979, lon: 127.0276 }; // 8.8 km
    const otherSku = { lat: 37.5651, lon: 126.9895 }; // 1.0 km, only the second SKU
    const tooFar = { lat: 37.8813, lon: 127.7298 }; // 75 km
    await stock("t-near", "Myeongdong", near, [{ sku: "X1", quantity: 2 }]);
    await stock("t-second", "Jongno", second, [{ sku: "X1", quantity: 300 }]);
    await stock("t-third", "Gangnam", third, [{ sku: "X1", quantity: 100 }]);
    await stock("t-other", "Euljiro", otherSku, [{ sku: "Y1", quantity: 50 }]);
    await stock("t-far", "Chuncheon", tooFar, [
      { sku: "X1", quantity: 1000 },
      { sku: "Y1", quantity: 1000 },
    ]);

    const owners = Array.from({ length: 1000 }, (_, i) => `owner-${i}`);
    const choices = await limited(
      owners.map(
        (owner) => () =>
          chooseReplacement({
            directory,
            replacementSkus: ["X1", "Y1"],
            reference: fromCityHall,
            reservationKey: `RC-1#${owner}`,
            now,
          }),
      ),
      50,
    );

    const byStore = new Map<string, number>();
    for (const choice of choices) {
      const key = choice.fulfilment === "store" ? `${choice.storeId}/${choice.replacementSku}` : "ship";
      byStore.set(key, (byStore.get(key) ?? 0) + 1);
    }
    expect(Object.fromEntries(byStore)).toEqual({
      "t-near/X1": 2,
      "t-second/X1": 300,
      "t-third/X1": 100,
      "t-other/Y1": 50,
      ship: 548,
    });
    expect(await reserved("X1", "t-near", near)).toBe(2);
    expect(await reserved("X1", "t-second", second)).toBe(300);
    expect(await reserved("X1", "t-third", third)).toBe(100);
    expect(await reserved("Y1", "t-other", otherSku)).toBe(50);
    expect(await reserved("X1", "t-far", tooFar)).toBe(0);

    const nearest = choices.find((c) => c.fulfilment === "store" && c.storeId === "t-near");
    expect(nearest).toMatchObject({
      storeName: "Myeongdong",
      storeAddress: "Myeongdong street 1",
      distanceKm: 0.5,
      why: ["nearest store with X1 in stock: Myeongdong, 0.5 km from the customer's home"],
    });
    // A shipped owner either found nothing free, or saw free units that others promised first.
    const explanations = new Set(
      choices.filter((c) => c.fulfilment === "ship").map((c) => JSON.stringify([c.replacementSku, ...c.why])),
    );
    const nothingFree = (sku: string) => `no store within 50 km of the customer's home has ${sku} in stock`;
    const allPromised = (sku: string) =>
      `every store within 50 km of the customer's home with ${sku} has promised all its units already`;
    for (const explanation of explanations) {
      const [sku, aboutX, aboutY, decision] = JSON.parse(explanation) as string[];
      expect(sku).toBe("X1");
      expect([nothingFree("X1"), allPromised("X1")]).toContain(aboutX);
      expect([nothingFree("Y1"), allPromised("Y1")]).toContain(aboutY);
      expect(decision).toBe("shipping X1 free to the customer's home");
    }
    expect(explanations).toContain(
      JSON.stringify(["X1", nothingFree("X1"), nothingFree("Y1"), "shipping X1 free to the customer's home"]),
    );
    // Every owner's reservation is on record, and each store's promises add up to its reserved count.
    const recorded = await Promise.all(owners.map((owner) => directory.reservationFor(`RC-1#${owner}`)));
    expect(recorded.filter((r) => r?.storeId === "t-near")).toHaveLength(2);
    expect(recorded.filter((r) => r !== undefined)).toHaveLength(452);
  });

  it("gives the next nearest store when the nearest one's units are all promised, and says so", async () => {
    const near = { lat: 37.5636, lon: 126.9826 };
    const next = { lat: 37.5704, lon: 126.9921 };
    await stock("n-near", "Myeongdong", near, [{ sku: "N1", quantity: 1 }]);
    await stock("n-next", "Jongno", next, [{ sku: "N1", quantity: 5 }]);
    // Another owner takes the last unit between this owner's search and its reservation.
    const racing: StoreDirectory = {
      applyInventory: (u) => directory.applyInventory(u),
      storesWithFreeStock: async (...args) => {
        const found = await directory.storesWithFreeStock(...args);
        await directory.reserve("N1", "n-near", "wyd", "other-owner", { distanceKm: 0.5, why: [] });
        return found;
      },
      reserve: (...args) => directory.reserve(...args),
      reservationFor: (key) => directory.reservationFor(key),
    };
    const choice = await chooseReplacement({
      directory: racing,
      replacementSkus: ["N1"],
      reference: fromCityHall,
      reservationKey: "RC-2#c-1",
      now,
    });
    expect(choice).toEqual({
      fulfilment: "store",
      replacementSku: "N1",
      storeId: "n-next",
      storeName: "Jongno",
      storeAddress: "Jongno street 1",
      distanceKm: 1.3,
      why: [
        "Myeongdong (0.5 km): every unit of N1 already promised to other owners",
        "next nearest store with N1 in stock: Jongno, 1.3 km from the customer's home",
      ],
    });
  });

  it("answers a retry with the same choice and no second unit", async () => {
    const location = { lat: 37.5636, lon: 126.9826 };
    await stock("r-store", "Myeongdong", location, [{ sku: "R1", quantity: 10 }]);
    const request = {
      directory,
      replacementSkus: ["R1"],
      reference: fromCityHall,
      reservationKey: "RC-3#c-1",
      now,
    };
    const first = await chooseReplacement(request);
    expect(first).toMatchObject({ fulfilment: "store", storeId: "r-store", distanceKm: 0.5 });

    const { calls, directory: counted } = counting(directory);
    // Even if the customer has moved since: the owner was already promised this unit.
    const retry = await chooseReplacement({
      ...request,
      directory: counted,
      reference: { point: busan, source: "recent-location", observedAt: now.toISOString() },
    });
    expect(retry).toEqual(first);
    expect(calls).toEqual(["reservationFor"]);
    expect(await reserved("R1", "r-store", location)).toBe(1);
  });

  it("makes one read of the key, a Query per covering cell and two reservation writes", async () => {
    await stock("c-store", "Myeongdong", { lat: 37.5636, lon: 126.9826 }, [{ sku: "C1", quantity: 10 }]);
    const client = dynamo.documentClient;
    const sent: string[] = [];
    const watched = new DynamoDbStoreDirectory(
      {
        send: (command: { constructor: { name: string } }) => {
          sent.push(command.constructor.name);
          return client.send(command as never);
        },
      } as never,
      dynamo.tableName,
    );
    await chooseReplacement({
      directory: watched,
      replacementSkus: ["C1", "C2"],
      reference: fromCityHall,
      reservationKey: "RC-4#c-1",
      now,
    });
    expect(sent).toEqual([
      "GetCommand", // reservationFor: an earlier answer?
      "QueryCommand", // wy9
      "QueryCommand", // wyd
      "QueryCommand", // wyf
      "UpdateCommand", // reserved + 1 if reserved < quantity
      "PutCommand", // the reservation record
    ]);
    expect(sent.filter((name) => name === QueryCommand.name)).toHaveLength(3);
  });

  it("measures from a recent location rather than home", async () => {
    await stock("h-seoul", "Myeongdong", { lat: 37.5636, lon: 126.9826 }, [{ sku: "H1", quantity: 5 }]);
    await stock("h-busan", "Seomyeon", { lat: 35.1578, lon: 129.0597 }, [{ sku: "H1", quantity: 5 }]);
    const state = {
      ...emptyCustomerState("c-travel", now),
      profile: { home: { ...cityHall, address: "Seoul" } },
      lastLocation: { ...busan, at: "2026-03-08T09:00:00Z" },
    };
    const reference = referencePoint(state, now);
    expect(reference?.source).toBe("recent-location");
    const choice = await chooseReplacement({
      directory,
      replacementSkus: ["H1"],
      reference,
      reservationKey: "RC-5#c-travel",
      now,
    });
    expect(choice).toMatchObject({ fulfilment: "store", storeId: "h-busan", storeName: "Seomyeon" });
    expect(choice.why).toEqual([
      "nearest store with H1 in stock: Seomyeon, 2.8 km from the customer's location seen 2 days ago",
    ]);
  });

  it("falls back to home when the latest location is older than 7 days", async () => {
    await stock("o-seoul", "Myeongdong", { lat: 37.5636, lon: 126.9826 }, [{ sku: "O1", quantity: 5 }]);
    await stock("o-busan", "Seomyeon", { lat: 35.1578, lon: 129.0597 }, [{ sku: "O1", quantity: 5 }]);
    const state = {
      ...emptyCustomerState("c-home", now),
      profile: { home: { ...cityHall } },
      lastLocation: { ...busan, at: "2026-03-03T11:59:00Z" },
    };
    const choice = await chooseReplacement({
      directory,
      replacementSkus: ["O1"],
      reference: referencePoint(state, now),
      reservationKey: "RC-6#c-home",
      now,
    });
    expect(choice).toMatchObject({ fulfilment: "store", storeId: "o-seoul", distanceKm: 0.5 });
    expect(choice.why[0]).toContain("from the customer's home");
  });

  it("ships when there is neither a recent location nor a home", async () => {
    const state = { ...emptyCustomerState("c-unknown", now) };
    const choice: ReplacementChoice = await chooseReplacement({
      directory,
      replacementSkus: ["Z1", "Z2"],
      reference: referencePoint(state, now),
      reservationKey: "RC-7#c-unknown",
      now,
    });
    expect(choice).toEqual({
      fulfilment: "ship",
      replacementSku: "Z1",
      why: [
        "no location seen in the last 7 days and no home on file, so no store can be chosen",
        "shipping Z1 free to the customer's home",
      ],
    });
  });
});

describe("updateStoreInventory", () => {
  it("files a parsed StoreInventoryUpdated at its occurredAt", async () => {
    const detail = storeInventoryUpdated.samples[1];
    const parsed = parseInboundEvent(sampleEnvelope(storeInventoryUpdated, detail));
    if (!parsed.ok || parsed.event.detailType !== "StoreInventoryUpdated")
      throw new Error("sample must parse");
    const result = await updateStoreInventory(parsed.event, { directory });
    expect(result).toMatchObject({ outcome: "applied", moved: false, itemsWritten: 2 });
    const found = await directory.storesWithFreeStock("VP-20K-V2-WHT", cityHall, 50);
    expect(found).toEqual([
      expect.objectContaining({ storeId: "store-seoul-myeongdong", name: "Waymark 명동점", quantity: 12 }),
    ]);
    expect(await directory.storesWithFreeStock("VP-20K-V2-BLK", cityHall, 50)).toEqual([]);

    // The envelope time stands in when the producer gave no occurredAt; here it is older, so it is ignored.
    const { occurredAt: _, ...withoutTime } = detail;
    const older = parseInboundEvent(
      sampleEnvelope(storeInventoryUpdated, { ...withoutTime, stock: [] }, { time: "2025-03-09T00:00:00Z" }),
    );
    if (!older.ok || older.event.detailType !== "StoreInventoryUpdated") throw new Error("sample must parse");
    expect(await updateStoreInventory(older.event, { directory })).toEqual({
      outcome: "stale",
      appliedAt: "2025-03-09T23:00:00.000Z",
    });
  });
});
