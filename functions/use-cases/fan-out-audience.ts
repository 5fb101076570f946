import type { AudienceList } from "../core/catalog/define-event.ts";
import type { NoticeInput } from "../core/engine.ts";
import type { FanOutJob } from "../messages/queue-messages.ts";
import { AudienceListError, type AudienceLists } from "../ports/audience-lists.ts";
import type { FanOutCheckpoint } from "../ports/fan-out-checkpoints.ts";
import { csvFields, csvLineReader, jsonLineReader, type LineReader, wholeLines } from "./audience-lines.ts";
import { DEFAULT_PAGE_SIZE, type FanOutDependencies, fanOutPages } from "./fan-out-notice.ts";

/** One read of the list: at most this many bytes, so a page never holds more than a slice of a big file. */
export const AUDIENCE_READ_BYTES = 256 * 1024;
/** A CSV header longer than this is not a header. */
const HEADER_BYTES = 64 * 1024;

/**
 * Fans an audience entry out to every customer on its list, through the same paged, checkpointed loop as a
 * recall (fan-out-notice.ts): each page is up to `pageSize` lines read with one ranged read from the byte
 * offset the checkpoint keeps, so a crash or a timeout resumes at the first line not yet queued. Each
 * customer gets a notice carrying the event's detail and their `customerId`. Lines without a usable id are
 * skipped and counted in the checkpoint.
 */
export async function fanOutAudience(
  job: FanOutJob,
  list: AudienceList,
  deps: FanOutDependencies,
): Promise<FanOutCheckpoint> {
  const lists = deps.audiences;
  if (!lists) throw new AudienceListError("this deployment reads no audience lists");
  const pageSize = deps.pageSize ?? DEFAULT_PAGE_SIZE;
  let reader: { read: LineReader; firstLine: number } | undefined;
  return fanOutPages(job, deps, {
    next: async (checkpoint) => {
      reader ??= await lineReader(lists, list);
      const offset = Math.max(checkpoint.offset ?? 0, reader.firstLine);
      const { bytes, size } = await lists.read(list.source, offset, AUDIENCE_READ_BYTES);
      const last = offset + bytes.length >= size;
      const { lines, consumed } = wholeLines(bytes, pageSize, last);
      if (lines.length === 0 && !last)
        throw new AudienceListError(
          `${list.source}: the line at byte ${offset} is longer than ${AUDIENCE_READ_BYTES} bytes`,
        );
      const customers: string[] = [];
      let skipped = checkpoint.skipped ?? 0;
      for (const line of lines) {
        if (line.trim() === "") continue;
        const id = reader.read(line);
        if (id === undefined) skipped++;
        else customers.push(id);
      }
      const next = offset + consumed;
      const done = next >= size;
      return {
        customers,
        resume: { ...(done ? {} : { offset: next }), ...(skipped > 0 ? { skipped } : {}) },
        done,
      };
    },
    notice: (customerId): NoticeInput => ({
      kind: "notice",
      customerId,
      detailType: job.detailType,
      noticeId: job.noticeId,
      detail: { ...job.detail, customerId },
      occurredAt: job.occurredAt,
    }),
  });
}

/** How to read this list's lines, and the byte its first customer line starts at (after a CSV header). */
async function lineReader(
  lists: AudienceLists,
  list: AudienceList,
): Promise<{ read: LineReader; firstLine: number }> {
  if (list.format === "jsonl") return { read: jsonLineReader(list), firstLine: 0 };
  const { bytes, size } = await lists.read(list.source, 0, HEADER_BYTES);
  const { lines, consumed } = wholeLines(bytes, 1, bytes.length >= size);
  const header = lines[0]?.replace(/^\uFEFF/, "");
  if (header === undefined) return { read: () => undefined, firstLine: 0 };
  const columns = csvFields(header)?.map((column) => column.trim());
  const column = columns?.indexOf(list.customerIdField) ?? -1;
  if (column < 0)
    throw new AudienceListError(
      `${list.source}: no column ${JSON.stringify(list.customerIdField)} in its header (${columns?.join(", ") ?? header})`,
    );
  return { read: csvLineReader(column), firstLine: consumed };
}
