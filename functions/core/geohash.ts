/**
 * Geohash cells for the store stock index ("nearest store within 50 km with SKU X in stock" without a
 * Scan, docs/architecture.md, what Waymark knows). Standard base32 geohash: bits alternate longitude, latitude (longitude first), five
 * bits per character.
 */
import { EARTH_RADIUS_KM, haversineKm, type LatLon } from "./geo.ts";

const BASE32 = "0123456789bcdefghjkmnpqrstuvwxyz";
const MAX_PRECISION = 12;
/** A guard against a radius far too large for the precision (it would mean thousands of queries). */
const MAX_COVERING_CELLS = 4096;

/**
 * The precision of the cells the stock index is keyed by (pk = STOCK#<sku>#<cell>). Fixed, because a query
 * can only read cells of the precision the items were written with.
 *
 * Cell sizes (height × width at the equator; width shrinks with cos(latitude)):
 *   precision 2: 5.625° × 11.25°  ≈ 625 km × 1,250 km
 *   precision 3: 1.40625° × 1.40625° ≈ 156 km × 156 km (≈ 124 km wide at Seoul, 118 km at New York)
 *   precision 4: 0.17578° × 0.35156° ≈ 19.5 km × 39 km
 *
 * Precision 3 for a 50 km radius: a circle 100 km across is shorter than a cell is tall at every latitude,
 * and narrower than a cell is wide up to |lat| ≈ 50°, so it touches at most 2 × 2 cells there (typically
 * 1–3, since the corner cells are only read when the circle really reaches them), and at most 2 × 3 up to
 * |lat| ≈ 71°. This is the "precision 3 plus its neighbours" block, minus the cells the circle cannot
 * reach. Precision 4 would need up to ~30 queries per search; precision 2 would put every store of a
 * country in one partition and read them all. One precision-3 partition holds the stores of one SKU in a
 * metropolitan area: a few hundred ~250-byte items at most, one Query page.
 */
export const STOCK_CELL_PRECISION = 3;

export interface CellBounds {
  minLat: number;
  maxLat: number;
  minLon: number;
  maxLon: number;
}

/** Number of latitude and longitude bits at a precision (longitude gets the extra bit when odd). */
function bitCounts(precision: number): { latBits: number; lonBits: number } {
  const bits = precision * 5;
  return { lonBits: Math.ceil(bits / 2), latBits: Math.floor(bits / 2) };
}

function checkPrecision(precision: number): void {
  if (!Number.isInteger(precision) || precision < 1 || precision > MAX_PRECISION) {
    throw new RangeError(`geohash precision must be an integer from 1 to ${MAX_PRECISION}, got ${precision}`);
  }
}

function checkPoint(lat: number, lon: number): void {
  if (!(lat >= -90 && lat <= 90) || !(lon >= -180 && lon <= 180)) {
    throw new RangeError(`not a latitude/longitude: ${lat}, ${lon}`);
  }
}

/**
 * The geohash of the cell containing (lat, lon). Points on the upper edge (lat 90, lon 180) belong to the
 * last cell.
 */
export function encode(lat: number, lon: number, precision: number): string {
  checkPrecision(precision);
  checkPoint(lat, lon);
  let minLat = -90;
  let maxLat = 90;
  let minLon = -180;
  let maxLon = 180;
  let hash = "";
  let bit = 0;
  let value = 0;
  let lonTurn = true;
  while (hash.length < precision) {
    if (lonTurn) {
      const mid = (minLon + maxLon) / 2;
      if (lon >= mid) {
        value = value * 2 + 1;
        minLon = mid;
      } else {
        value *= 2;
        maxLon = mid;
      }
    } else {
      const mid = (minLat + maxLat) / 2;
      if (lat >= mid) {
        value = value * 2 + 1;
        minLat = mid;
      } else {
        value *= 2;
        maxLat = mid;
      }
    }
    lonTurn = !lonTurn;
    if (++bit === 5) {
      hash += BASE32[value];
      bit = 0;
      value = 0;
    }
  }
  return hash;
}

/** Row (latitude) and column (longitude) of a cell in the grid of its precision, counted from (-90, -180). */
function cellIndex(hash: string): { row: number; col: number } {
  if (hash.length === 0 || hash.length > MAX_PRECISION) {
    throw new RangeError(`not a geohash: ${JSON.stringify(hash)}`);
  }
  let row = 0;
  let col = 0;
  let lonTurn = true;
  for (const char of hash.toLowerCase()) {
    const value = BASE32.indexOf(char);
    if (value < 0) throw new RangeError(`not a geohash: ${JSON.stringify(hash)}`);
    for (let shift = 4; shift >= 0; shift--) {
      const bit = (value >> shift) & 1;
      if (lonTurn) col = col * 2 + bit;
      else row = row * 2 + bit;
      lonTurn = !lonTurn;
    }
  }
  return { row, col };
}

/** The geohash of the cell at (row, col) of a precision's grid; columns wrap around the antimeridian. */
function cellAt(row: number, col: number, precision: number): string {
  const { latBits, lonBits } = bitCounts(precision);
  const cols = 2 ** lonBits;
  const wrapped = ((col % cols) + cols) % cols;
  let hash = "";
  let value = 0;
  let lonBit = lonBits - 1;
  let latBit = latBits - 1;
  for (let i = 0; i < precision * 5; i++) {
    const bit = i % 2 === 0 ? Math.floor(wrapped / 2 ** lonBit--) % 2 : Math.floor(row / 2 ** latBit--) % 2;
    value = value * 2 + bit;
    if (i % 5 === 4) {
      hash += BASE32[value];
      value = 0;
    }
  }
  return hash;
}

function cellSize(precision: number): { latDeg: number; lonDeg: number; rows: number; cols: number } {
  const { latBits, lonBits } = bitCounts(precision);
  return { latDeg: 180 / 2 ** latBits, lonDeg: 360 / 2 ** lonBits, rows: 2 ** latBits, cols: 2 ** lonBits };
}

/** The latitude/longitude rectangle of a cell. */
export function bounds(hash: string): CellBounds {
  const { row, col } = cellIndex(hash);
  const { latDeg, lonDeg } = cellSize(hash.length);
  return {
    minLat: -90 + row * latDeg,
    maxLat: -90 + (row + 1) * latDeg,
    minLon: -180 + col * lonDeg,
    maxLon: -180 + (col + 1) * lonDeg,
  };
}

/**
 * The cells sharing an edge or a corner with `hash`, clockwise from north: N, NE, E, SE, S, SW, W, NW.
 * Longitude wraps around the antimeridian; there is nothing north of the top row or south of the bottom
 * row, so a polar cell has 5 neighbours (fewer at precision 1, where east and west can meet).
 */
export function neighbours(hash: string): string[] {
  const { row, col } = cellIndex(hash);
  const { rows } = cellSize(hash.length);
  const offsets: ReadonlyArray<readonly [number, number]> = [
    [1, 0],
    [1, 1],
    [0, 1],
    [-1, 1],
    [-1, 0],
    [-1, -1],
    [0, -1],
    [1, -1],
  ];
  const self = cellAt(row, col, hash.length);
  const found: string[] = [];
  for (const [dRow, dCol] of offsets) {
    const r = row + dRow;
    if (r < 0 || r >= rows) continue;
    const cell = cellAt(r, col + dCol, hash.length);
    if (cell !== self && !found.includes(cell)) found.push(cell);
  }
  return found;
}

const rad = (deg: number) => (deg * Math.PI) / 180;

/** Longitude difference folded into [0, 180]. */
function lonGap(a: number, b: number): number {
  const d = Math.abs(a - b) % 360;
  return d > 180 ? 360 - d : d;
}

/**
 * Great-circle distance (km) from a point to the nearest point of a latitude/longitude rectangle; 0 inside.
 * Exact on the sphere: for any latitude in the rectangle the nearest longitude is the one closest to the
 * point's own, so the minimum lies on the point's own meridian (when the rectangle spans it) or on the
 * nearer meridian edge, where it is the perpendicular foot if that falls on the edge, else a corner.
 */
export function distanceToCellKm(point: LatLon, cell: CellBounds): number {
  const clampedLat = Math.min(cell.maxLat, Math.max(cell.minLat, point.lat));
  const spansLon =
    cell.maxLon - cell.minLon >= 360 ||
    lonGap(point.lon, (cell.minLon + cell.maxLon) / 2) <= (cell.maxLon - cell.minLon) / 2;
  if (spansLon) return EARTH_RADIUS_KM * Math.abs(rad(point.lat - clampedLat));
  const edgeLon =
    lonGap(point.lon, cell.minLon) <= lonGap(point.lon, cell.maxLon) ? cell.minLon : cell.maxLon;
  const dLon = rad(lonGap(point.lon, edgeLon));
  // cos(d) = sin φ sin φ' + cos φ cos φ' cos Δλ peaks at φ' = atan2(sin φ, cos φ cos Δλ).
  const footLat =
    (Math.atan2(Math.sin(rad(point.lat)), Math.cos(rad(point.lat)) * Math.cos(dLon)) * 180) / Math.PI;
  const candidates = [cell.minLat, cell.maxLat];
  if (footLat > cell.minLat && footLat < cell.maxLat) candidates.push(footLat);
  return Math.min(...candidates.map((lat) => haversineKm(point, { lat, lon: edgeLon })));
}

/**
 * The cells of one precision that together surely contain every point within `radiusKm` of `point`: every
 * cell the circle reaches, and no other. Candidates come from the circle's latitude/longitude bounding box
 * (all longitudes when the circle reaches a pole; wrapped across the antimeridian); each is kept only if
 * its nearest point is within the radius. A metre of slack absorbs floating-point error, erring on the
 * side of one query too many rather than a store missed.
 */
export function cellsCovering(point: LatLon, radiusKm: number, precision = STOCK_CELL_PRECISION): string[] {
  checkPrecision(precision);
  checkPoint(point.lat, point.lon);
  if (!(radiusKm >= 0) || !Number.isFinite(radiusKm)) {
    throw new RangeError(`radius must be a finite number of km ≥ 0, got ${radiusKm}`);
  }
  const reachKm = radiusKm + 0.001;
  const angular = reachKm / EARTH_RADIUS_KM;
  const latReach = (angular * 180) / Math.PI;
  const south = Math.max(-90, point.lat - latReach);
  const north = Math.min(90, point.lat + latReach);
  const polar = point.lat + latReach >= 90 || point.lat - latReach <= -90 || angular >= Math.PI / 2;
  // Widest longitude deviation of a spherical cap: sin Δλ = sin(r/R) / cos φ.
  const lonReach = polar
    ? 180
    : (Math.asin(Math.min(1, Math.sin(angular) / Math.cos(rad(point.lat)))) * 180) / Math.PI;

  const { latDeg, lonDeg, rows, cols } = cellSize(precision);
  const firstRow = Math.min(rows - 1, Math.floor((south + 90) / latDeg));
  const lastRow = Math.min(rows - 1, Math.floor((north + 90) / latDeg));
  let firstCol: number;
  let lastCol: number;
  if (lonReach >= 180) {
    firstCol = 0;
    lastCol = cols - 1;
  } else {
    firstCol = Math.floor((point.lon - lonReach + 180) / lonDeg);
    lastCol = Math.floor((point.lon + lonReach + 180) / lonDeg);
    if (lastCol - firstCol + 1 > cols) lastCol = firstCol + cols - 1;
  }
  const candidateCount = (lastRow - firstRow + 1) * (lastCol - firstCol + 1);
  if (candidateCount > MAX_COVERING_CELLS) {
    throw new RangeError(
      `a ${radiusKm} km radius needs ${candidateCount} cells at precision ${precision}; use a coarser one`,
    );
  }

  const cells = new Set<string>();
  for (let row = firstRow; row <= lastRow; row++) {
    for (let col = firstCol; col <= lastCol; col++) {
      const hash = cellAt(row, col, precision);
      if (!cells.has(hash) && distanceToCellKm(point, bounds(hash)) <= reachKm) cells.add(hash);
    }
  }
  return [...cells];
}
