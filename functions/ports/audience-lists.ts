/**
 * Where the customer lists of audience entries are read: S3 in AWS (ranged GETs), files locally. A fan-out
 * reads a list a slice at a time and keeps its place as a byte offset, so it never holds a whole list.
 */
export interface AudienceLists {
  /** Up to `length` bytes of the list at `source` from byte `offset`, and the list's size in bytes. */
  read(source: string, offset: number, length: number): Promise<{ bytes: Uint8Array; size: number }>;
}

/** A list that cannot be read as said (missing, malformed, not allowed): the fan-out fails with the reason. */
export class AudienceListError extends Error {
  override name = "AudienceListError";
}
