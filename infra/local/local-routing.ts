import type { Route } from "../../events/routing.ts";
import { compileEventPattern } from "./event-pattern.ts";

/**
 * The rules an event matches on the local bus: the same declarations (events/routing.ts) the CDK stack
 * turns into EventBridge rules for the same catalog, matched with EventBridge's pattern semantics.
 */
export class LocalRouter {
  readonly #compiled: { route: Route; pattern: ReturnType<typeof compileEventPattern> }[];

  constructor(routes: readonly Route[]) {
    this.#compiled = routes.map((route) => ({ route, pattern: compileEventPattern(route.pattern) }));
  }

  matchingRoutes(envelope: unknown): Route[] {
    return this.#compiled.filter(({ pattern }) => pattern.matches(envelope)).map(({ route }) => route);
  }
}
