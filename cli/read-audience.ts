/**
 * `waymark simulate`'s audience lists: the customer ids of a local CSV or JSON Lines file, read whole (a
 * simulation's lists are small) with the same line rules as the fan-out's paged reads.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { AudienceList } from "../functions/core/catalog/define-event.ts";
import {
  csvFields,
  csvLineReader,
  jsonLineReader,
  wholeLines,
} from "../functions/use-cases/audience-lines.ts";

export function readAudienceFile(list: AudienceList, baseDir: string): string[] {
  if (list.source.startsWith("s3://"))
    throw new Error(
      `${list.source}: a simulation reads audience lists from files; copy it and name its path`,
    );
  const file = list.source.startsWith("file:")
    ? fileURLToPath(list.source)
    : path.resolve(baseDir, list.source);
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    throw new Error(`audience list ${list.source}: ${(error as Error).message}`);
  }
  const lines = wholeLines(bytes, Number.POSITIVE_INFINITY, true).lines.filter((line) => line.trim() !== "");
  let read = jsonLineReader(list);
  if (list.format === "csv") {
    const columns = csvFields(lines.shift()?.replace(/^\uFEFF/, "") ?? "")?.map((c) => c.trim()) ?? [];
    const column = columns.indexOf(list.customerIdField);
    if (column < 0)
      throw new Error(
        `audience list ${list.source}: no column ${JSON.stringify(list.customerIdField)} in its header`,
      );
    read = csvLineReader(column);
  }
  return lines.flatMap((line) => read(line) ?? []);
}
