/** Where a document too large for a queue message is kept whole; the message carries its claim check. */
export interface ClaimCheck {
  /** Where the document is, e.g. `s3://bucket/rejected/2026-12-04/…json`. */
  location: string;
  bytes: number;
}

export interface ClaimCheckStore {
  /** Keeps `body` under `key` (a path without a leading slash) and says where. Idempotent for a key. */
  put(key: string, body: string): Promise<ClaimCheck>;
}
