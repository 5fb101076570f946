import { describe, expect, it } from "vitest";
import { EARTH_RADIUS_KM, haversineKm, type LatLon } from "../../../functions/core/geo.ts";
import {
  bounds,
  cellsCovering,
  distanceToCellKm,
  encode,
  neighbours,
  STOCK_CELL_PRECISION,
} from "../../../functions/core/geohash.ts";

/** A deterministic PRNG (mulberry32), so a failure names a reproducible case. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The point `km` away from `from` on initial bearing `bearingDeg` (great circle). */
function destination(from: LatLon, km: number, bearingDeg: number): LatLon {
  const rad = Math.PI / 180;
  const d = km / EARTH_RADIUS_KM;
  const φ1 = from.lat * rad;
  const λ1 = from.lon * rad;
  const θ = bearingDeg * rad;
  const φ2 = Math.asin(Math.sin(φ1) * Math.cos(d) + Math.cos(φ1) * Math.sin(d) * Math.cos(θ));
  const λ2 =
    λ1 + Math.atan2(Math.sin(θ) * Math.sin(d) * Math.cos(φ1), Math.cos(d) - Math.sin(φ1) * Math.sin(φ2));
  const lon = ((((λ2 / rad + 540) % 360) + 360) % 360) - 180;
  return { lat: φ2 / rad, lon };
}

describe("encode", () => {
  it("matches published vectors", () => {
    expect(encode(57.64911, 10.40744, 11)).toBe("u4pruydqqvj");
    expect(encode(42.605, -5.603, 5)).toBe("ezs42");
    expect(encode(37.5636, 126.9826, 6)).toBe("wydm9w");
    expect(encode(40.7637, -73.9727, 7)).toBe("dr5rusy");
    expect(encode(-33.8688, 151.2093, 8)).toBe("r3gx2f77");
  });

  it("puts the corners of the world in the corner cells", () => {
    expect(encode(-90, -180, 3)).toBe("000");
    expect(encode(90, 180, 3)).toBe("zzz");
    expect(encode(0, 0, 1)).toBe("s");
  });

  it("is a prefix code: a coarser hash is a prefix of a finer one", () => {
    const next = random(7);
    for (let i = 0; i < 200; i++) {
      const lat = next() * 180 - 90;
      const lon = next() * 360 - 180;
      expect(encode(lat, lon, 9).startsWith(encode(lat, lon, 4))).toBe(true);
    }
  });

  it("decodes to a rectangle containing the point", () => {
    const next = random(11);
    for (let i = 0; i < 200; i++) {
      const lat = next() * 180 - 90;
      const lon = next() * 360 - 180;
      const b = bounds(encode(lat, lon, 7));
      expect(lat).toBeGreaterThanOrEqual(b.minLat);
      expect(lat).toBeLessThanOrEqual(b.maxLat);
      expect(lon).toBeGreaterThanOrEqual(b.minLon);
      expect(lon).toBeLessThanOrEqual(b.maxLon);
    }
  });

  it("rejects bad input", () => {
    expect(() => encode(91, 0, 3)).toThrow(RangeError);
    expect(() => encode(0, Number.NaN, 3)).toThrow(RangeError);
    expect(() => encode(0, 0, 0)).toThrow(RangeError);
    expect(() => encode(0, 0, 13)).toThrow(RangeError);
    expect(() => bounds("abc")).toThrow(RangeError);
  });

  it("has the precision-3 cell size the stock index relies on", () => {
    const b = bounds(encode(37.5636, 126.9826, STOCK_CELL_PRECISION));
    expect(b.maxLat - b.minLat).toBe(1.40625);
    expect(b.maxLon - b.minLon).toBe(1.40625);
  });
});

describe("neighbours", () => {
  it("matches a published vector, clockwise from north", () => {
    expect(neighbours("dqcjq")).toEqual([
      "dqcjw",
      "dqcjx",
      "dqcjr",
      "dqcjp",
      "dqcjn",
      "dqcjj",
      "dqcjm",
      "dqcjt",
    ]);
  });

  it("wraps around the antimeridian", () => {
    const west = encode(0.5, 179.9, 3);
    const east = encode(0.5, -179.9, 3);
    expect(neighbours(west)).toContain(east);
    expect(neighbours(east)).toContain(west);
  });

  it("has nothing beyond a pole", () => {
    const top = encode(89.9, 0, 3);
    const around = neighbours(top);
    expect(around).toHaveLength(5);
    for (const cell of around) expect(bounds(cell).maxLat).toBeLessThanOrEqual(90);
    expect(neighbours(encode(-89.9, 10, 4))).toHaveLength(5);
  });

  it("is symmetric and never includes the cell itself", () => {
    const next = random(3);
    for (let i = 0; i < 100; i++) {
      // Away from the polar rows, which have no neighbours beyond the pole.
      const cell = encode(next() * 160 - 80, next() * 360 - 180, 2 + Math.floor(next() * 8));
      const around = neighbours(cell);
      expect(around).toHaveLength(8);
      expect(around).not.toContain(cell);
      for (const other of around) expect(neighbours(other)).toContain(cell);
    }
  });

  it("handles precision 1, where the world is 8 cells wide and 4 high", () => {
    expect(neighbours("s")).toEqual(["u", "v", "t", "m", "k", "7", "e", "g"]);
  });
});

describe("distanceToCellKm", () => {
  it("is 0 inside and agrees with a dense sampling of the edges outside", () => {
    const next = random(5);
    for (let i = 0; i < 60; i++) {
      const cell = bounds(encode(next() * 160 - 80, next() * 360 - 180, 3));
      const inside = { lat: (cell.minLat + cell.maxLat) / 2, lon: (cell.minLon + cell.maxLon) / 2 };
      expect(distanceToCellKm(inside, cell)).toBe(0);
      const point = destination(inside, 60 + next() * 200, next() * 360);
      const within =
        point.lat >= cell.minLat &&
        point.lat <= cell.maxLat &&
        point.lon >= cell.minLon &&
        point.lon <= cell.maxLon;
      if (within) continue;
      let sampled = Number.POSITIVE_INFINITY;
      for (let s = 0; s <= 400; s++) {
        const f = s / 400;
        const lat = cell.minLat + f * (cell.maxLat - cell.minLat);
        const lon = cell.minLon + f * (cell.maxLon - cell.minLon);
        for (const edge of [
          { lat, lon: cell.minLon },
          { lat, lon: cell.maxLon },
          { lat: cell.minLat, lon },
          { lat: cell.maxLat, lon },
        ]) {
          sampled = Math.min(sampled, haversineKm(point, edge));
        }
      }
      const exact = distanceToCellKm(point, cell);
      expect(exact).toBeLessThanOrEqual(sampled + 1e-6);
      expect(exact).toBeGreaterThan(sampled - 0.5);
    }
  });
});

describe("cellsCovering", () => {
  const seoul = { lat: 37.5636, lon: 126.9826 };

  it("reads at most the 3 × 3 block around the point's cell at mid latitudes, usually fewer", () => {
    const cells = cellsCovering(seoul, 50);
    const home = encode(seoul.lat, seoul.lon, 3);
    expect(cells).toContain(home);
    for (const cell of cells) expect([home, ...neighbours(home)]).toContain(cell);
    expect(cells.length).toBeLessThanOrEqual(4);
    expect(cells).toEqual(["wy9", "wyd", "wyf"]);
  });

  it("is one cell for a point at the middle of its cell", () => {
    const b = bounds(encode(seoul.lat, seoul.lon, 3));
    const middle = { lat: (b.minLat + b.maxLat) / 2, lon: (b.minLon + b.maxLon) / 2 };
    expect(cellsCovering(middle, 50)).toEqual([encode(middle.lat, middle.lon, 3)]);
  });

  it("contains every point within the radius, anywhere on Earth (poles and antimeridian included)", () => {
    const next = random(42);
    const centres: LatLon[] = [
      { lat: 0, lon: 180 },
      { lat: 0, lon: -180 },
      { lat: 89.8, lon: 45 },
      { lat: -89.95, lon: -120 },
      { lat: 71.5, lon: 179.7 },
      { lat: 64.1, lon: -21.9 },
    ];
    for (let i = 0; i < 300; i++) {
      const lat = Math.asin(2 * next() - 1) * (180 / Math.PI);
      centres.push({ lat, lon: next() * 360 - 180 });
    }
    for (const centre of centres) {
      const radius = 50;
      const cells = new Set(cellsCovering(centre, radius));
      for (let k = 0; k < 60; k++) {
        const point = destination(centre, radius * Math.sqrt(next()), next() * 360);
        expect(cells.has(encode(point.lat, point.lon, 3)), JSON.stringify({ centre, point })).toBe(true);
      }
      // On the circle itself too, where a miss would hide.
      for (let bearing = 0; bearing < 360; bearing += 5) {
        const point = destination(centre, radius - 1e-6, bearing);
        expect(cells.has(encode(point.lat, point.lon, 3)), JSON.stringify({ centre, point })).toBe(true);
      }
    }
  });

  it("returns no cell the circle cannot reach", () => {
    const next = random(9);
    for (let i = 0; i < 200; i++) {
      const centre = { lat: next() * 140 - 70, lon: next() * 360 - 180 };
      for (const cell of cellsCovering(centre, 50)) {
        expect(distanceToCellKm(centre, bounds(cell))).toBeLessThanOrEqual(50.001);
      }
    }
  });

  it("needs more columns where cells are narrow, and every longitude at a pole", () => {
    // At 75° a precision-3 cell is ~40 km wide: 100 km across takes 3 or 4 columns.
    expect(cellsCovering({ lat: 75, lon: 20 }, 50).length).toBeGreaterThanOrEqual(3);
    expect(cellsCovering({ lat: 89.9, lon: 20 }, 50)).toHaveLength(256);
  });

  it("works at other precisions and rejects absurd requests", () => {
    const cells = cellsCovering(seoul, 5, 5);
    expect(cells).toContain(encode(seoul.lat, seoul.lon, 5));
    expect(() => cellsCovering(seoul, 5000, 6)).toThrow(/coarser/);
    expect(() => cellsCovering(seoul, -1)).toThrow(RangeError);
  });
});
