/** A journey referenced by a live instance is no longer deployed. */
export class JourneyVersionMissingError extends Error {
  override name = "JourneyVersionMissingError";
}

/** A journey that loops without ever waiting would spin forever inside one input. */
export class JourneyLoopError extends Error {
  override name = "JourneyLoopError";
}
