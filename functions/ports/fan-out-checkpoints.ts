import type { OwnerCursor } from "./owner-index.ts";

export interface FanOutCheckpoint {
  /** Where the next page starts; absent once every owner has been queued. */
  cursor?: OwnerCursor;
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
