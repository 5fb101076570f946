import type { OwnerCursor } from "./owner-index.ts";

export interface FanOutCheckpoint {
  /** Where the next page of owners starts; absent once every owner has been queued. */
  cursor?: OwnerCursor;
  /** An audience list: the byte offset of the next line to read; absent once the list has been read. */
  offset?: number;
  /** An audience list: lines without a usable customer id, skipped so far. */
  skipped?: number;
  queued: number;
  pages: number;
  done: boolean;
  updatedAt: string;
  /** When the first page was queued: with the pace, when everything queued so far is sent. */
  startedAt?: string;
  /** The earliest the next page may be queued, when the fan-out is paced to a sending rate. */
  nextPageAt?: string;
}

/** Progress of one notice's fan-out, so a crashed or timed-out worker resumes instead of restarting. */
export interface FanOutCheckpoints {
  load(kind: string, noticeId: string): Promise<FanOutCheckpoint | undefined>;
  save(kind: string, noticeId: string, checkpoint: FanOutCheckpoint): Promise<void>;
}
