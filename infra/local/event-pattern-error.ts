/** Thrown for event patterns that EventBridge itself rejects with `InvalidEventPatternException`. */
export class InvalidEventPatternError extends Error {
  override name = "InvalidEventPatternError";
  /** What is wrong, worded like the reason in AWS's `InvalidEventPatternException` where AWS has one. */
  readonly reason: string;
  /** Dotted path of the offending field in the pattern; "" for the pattern as a whole. */
  readonly path: string;

  constructor(reason: string, path = "") {
    // AWS's message starts the same way, so logs read alike locally and in the cloud.
    super(`Event pattern is not valid. Reason: ${reason}${path === "" ? "" : ` (at "${path}")`}`);
    this.reason = reason;
    this.path = path;
  }
}

/** Throws an {@link InvalidEventPatternError}; typed `never` so callers narrow after the call. */
export function invalidPattern(reason: string, path: string): never {
  throw new InvalidEventPatternError(reason, path);
}
