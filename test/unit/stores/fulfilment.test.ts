import { describe, expect, it } from "vitest";
import { emptyCustomerState } from "../../../functions/core/customer-state.ts";
import {
  chooseFulfilment,
  describeReference,
  MAX_STORE_DISTANCE_KM,
  NoReplacementSkusError,
  type ReferencePoint,
  referencePoint,
  roundKm,
  type StockedStore,
} from "../../../functions/core/fulfilment.ts";
import { haversineKm, type LatLon } from "../../../functions/core/geo.ts";

const cityHall: LatLon = { lat: 37.5663, lon: 126.9779 };
const fromCityHall: ReferencePoint = { point: cityHall, source: "home" };
/** One degree of latitude on the R = 6371 km sphere. */
const KM_PER_DEGREE = (6371 * Math.PI) / 180;

function store(id: string, location: LatLon, quantity = 5, reserved = 0): StockedStore {
  return { storeId: id, name: id, address: `${id} street 1`, location, cell: "wyd", quantity, reserved };
}

/** A point `km` due north of City Hall. */
const north = (km: number): LatLon => ({ lat: cityHall.lat + km / KM_PER_DEGREE, lon: cityHall.lon });

describe("chooseFulfilment", () => {
  it("prefers the first SKU at a farther store over a nearer store that only has the second", () => {
    const myeongdong = store("Myeongdong", { lat: 37.5636, lon: 126.9826 });
    const gangnam = store("Gangnam", { lat: 37.4979, lon: 127.0276 });
    const plan = chooseFulfilment({
      replacementSkus: ["SM-S938N", "SM-S931N"],
      candidatesBySku: new Map([
        ["SM-S938N", [gangnam]],
        ["SM-S931N", [myeongdong]],
      ]),
      reference: fromCityHall,
    });
    expect(plan.fulfilment).toBe("store");
    if (plan.fulfilment !== "store") return;
    expect(plan.replacementSku).toBe("SM-S938N");
    expect(plan.attempts.map((a) => a.storeId)).toEqual(["Gangnam"]);
    expect(plan.why).toEqual([
      "nearest store with SM-S938N in stock: Gangnam, 8.8 km from the customer's home",
    ]);
  });

  it("falls to the second SKU only when no store within 50 km has the first", () => {
    const plan = chooseFulfilment({
      replacementSkus: ["A", "B"],
      candidatesBySku: new Map([
        ["A", [store("far", north(60)), store("sold-out", north(1), 3, 3)]],
        ["B", [store("near", north(2))]],
      ]),
      reference: fromCityHall,
    });
    expect(plan).toMatchObject({ fulfilment: "store", replacementSku: "B", attempts: [{ storeId: "near" }] });
    expect(plan.why[0]).toBe("no store within 50 km of the customer's home has A in stock");
  });

  it("orders the stores of the chosen SKU nearest first, with free units only", () => {
    const plan = chooseFulfilment({
      replacementSkus: ["A"],
      candidatesBySku: new Map([
        ["A", [store("c", north(30)), store("a", north(3), 2, 1), store("b", north(10))]],
      ]),
      reference: fromCityHall,
    });
    if (plan.fulfilment !== "store") throw new Error("expected a store");
    expect(plan.attempts.map((a) => [a.storeId, a.freeUnits])).toEqual([
      ["a", 1],
      ["b", 5],
      ["c", 5],
    ]);
  });

  it("ships the most preferred SKU when nothing is in stock within 50 km", () => {
    const plan = chooseFulfilment({
      replacementSkus: ["A", "B"],
      candidatesBySku: new Map([["A", [store("just-outside", north(50.05))]]]),
      reference: fromCityHall,
    });
    expect(plan).toEqual({
      fulfilment: "ship",
      replacementSku: "A",
      why: [
        "no store within 50 km of the customer's home has A in stock",
        "no store within 50 km of the customer's home has B in stock",
        "shipping A free to the customer's home",
      ],
    });
  });

  it("counts a store at 49.9 km as in range and one at 50.1 km as not", () => {
    const candidates = new Map([["A", [store("in", north(49.9)), store("out", north(50.1))]]]);
    const plan = chooseFulfilment({
      replacementSkus: ["A"],
      candidatesBySku: candidates,
      reference: fromCityHall,
    });
    if (plan.fulfilment !== "store") throw new Error("expected a store");
    expect(plan.attempts.map((a) => a.storeId)).toEqual(["in"]);
    expect(MAX_STORE_DISTANCE_KM).toBe(50);
  });

  it("measures great-circle distances with haversine (R = 6371 km)", () => {
    const busan = { lat: 35.1796, lon: 129.0756 };
    const plan = chooseFulfilment({
      replacementSkus: ["A"],
      candidatesBySku: new Map([
        ["A", [store("tenth-of-a-degree", north(KM_PER_DEGREE / 10)), store("busan", busan)]],
      ]),
      reference: fromCityHall,
      maxKm: 400,
    });
    if (plan.fulfilment !== "store") throw new Error("expected a store");
    expect(plan.attempts[0]?.distanceKm).toBeCloseTo(11.1195, 3);
    expect(plan.attempts[1]?.distanceKm).toBeCloseTo(haversineKm(cityHall, busan), 9);
    // Seoul City Hall to Busan City Hall is about 325 km as the crow flies.
    expect(roundKm(plan.attempts[1]?.distanceKm ?? 0)).toBeCloseTo(325, -1);
  });

  it("passes over a SKU whose stores have promised every unit already", () => {
    const plan = chooseFulfilment({
      replacementSkus: ["A", "B"],
      candidatesBySku: new Map([
        ["A", [store("a", north(1))]],
        ["B", [store("b", north(5))]],
      ]),
      reference: fromCityHall,
      exhausted: new Set(["A"]),
    });
    expect(plan).toMatchObject({ fulfilment: "store", replacementSku: "B" });
    expect(plan.why[0]).toBe(
      "every store within 50 km of the customer's home with A has promised all its units already",
    );
  });

  it("says how old the location is when it measures from one", () => {
    const now = new Date("2026-03-10T12:00:00Z");
    const plan = chooseFulfilment({
      replacementSkus: ["SM-S931N"],
      candidatesBySku: new Map([["SM-S931N", [store("Myeongdong", north(2.3))]]]),
      reference: { point: cityHall, source: "recent-location", observedAt: "2026-03-08T09:00:00Z" },
      now,
    });
    expect(plan.why).toEqual([
      "nearest store with SM-S931N in stock: Myeongdong, 2.3 km from the customer's location seen 2 days ago",
    ]);
    const recent = {
      point: cityHall,
      source: "recent-location" as const,
      observedAt: "2026-03-10T11:59:30Z",
    };
    expect(describeReference(recent, now)).toBe("the customer's location seen just now");
    expect(describeReference({ ...recent, observedAt: "2026-03-10T11:00:00Z" }, now)).toBe(
      "the customer's location seen 1 hour ago",
    );
    expect(describeReference({ ...recent, observedAt: "2026-03-10T11:45:00Z" }, now)).toBe(
      "the customer's location seen 15 minutes ago",
    );
    expect(describeReference(recent, undefined)).toBe("the customer's recent location");
  });

  it("refuses a recall without replacement SKUs", () => {
    expect(() =>
      chooseFulfilment({ replacementSkus: [], candidatesBySku: new Map(), reference: fromCityHall }),
    ).toThrow(NoReplacementSkusError);
  });
});

describe("referencePoint", () => {
  const now = new Date("2026-03-10T12:00:00Z");
  const home = { lat: 37.5663, lon: 126.9779, address: "Seoul" };
  const busan = { lat: 35.1796, lon: 129.0756 };
  const state = (lastLocationAt?: string, withHome = true) => ({
    ...emptyCustomerState("c-1", now),
    profile: withHome ? { home } : {},
    ...(lastLocationAt ? { lastLocation: { ...busan, at: lastLocationAt } } : {}),
  });

  it("uses a location seen within 7 days", () => {
    expect(referencePoint(state("2026-03-08T12:00:00Z"), now)).toEqual({
      point: busan,
      source: "recent-location",
      observedAt: "2026-03-08T12:00:00Z",
    });
    expect(referencePoint(state("2026-03-03T12:00:00Z"), now)?.source).toBe("recent-location");
  });

  it("falls back to home when the location is older than 7 days", () => {
    expect(referencePoint(state("2026-03-03T11:59:59Z"), now)).toEqual({
      point: { lat: home.lat, lon: home.lon },
      source: "home",
    });
  });

  it("uses home when no location was ever seen, and nothing when there is no home either", () => {
    expect(referencePoint(state(), now)?.source).toBe("home");
    expect(referencePoint(state("2026-02-01T00:00:00Z", false), now)).toBeUndefined();
    expect(referencePoint(state(undefined, false), now)).toBeUndefined();
  });
});
