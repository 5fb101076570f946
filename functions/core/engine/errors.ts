/** A journey referenced by a live instance is no longer deployed. */
export class JourneyVersionMissingError extends Error {
  override name = "JourneyVersionMissingError";
}

/** A journey that loops without ever waiting would spin forever inside one input. */
export class JourneyLoopError extends Error {
  override name = "JourneyLoopError";
}

/** A journey's emit built a detail its event's schema refuses: a journey bug, caught before the commit. */
export class EmittedEventError extends Error {
  override name = "EmittedEventError";
}
