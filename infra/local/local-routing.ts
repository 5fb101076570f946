import { type Route, routes } from "../../events/routing.ts";
import { compileEventPattern } from "./event-pattern.ts";

const compiled = routes.map((route) => ({ route, pattern: compileEventPattern(route.pattern) }));

/**
 * The rules an event matches on the local bus: the same declarations (events/routing.ts) the
 * CDK stack turns into EventBridge rules, matched with EventBridge's pattern semantics.
 */
export function matchingRoutes(envelope: unknown): Route[] {
  return compiled.filter(({ pattern }) => pattern.matches(envelope)).map(({ route }) => route);
}
