/** Views live in the URL's hash (`#/customers/jiwoo`), so a link or a reload opens the same view. */
import { useEffect, useState } from "preact/hooks";

export type Route =
  | { view: "journeys"; journey?: string }
  | { view: "customers"; customerId?: string }
  | { view: "outbox" }
  | { view: "rejected" }
  | { view: "clock" };

export function parseRoute(hash: string): Route {
  const [view = "", ...rest] = hash.replace(/^#\/?/, "").split("/");
  const arg = rest.length > 0 ? decodeURIComponent(rest.join("/")) : undefined;
  switch (view) {
    case "customers":
      return arg ? { view, customerId: arg } : { view };
    case "outbox":
    case "rejected":
    case "clock":
      return { view };
    default:
      return arg ? { view: "journeys", journey: arg } : { view: "journeys" };
  }
}

export function href(route: Route): string {
  switch (route.view) {
    case "journeys":
      return route.journey ? `#/journeys/${encodeURIComponent(route.journey)}` : "#/journeys";
    case "customers":
      return route.customerId ? `#/customers/${encodeURIComponent(route.customerId)}` : "#/customers";
    default:
      return `#/${route.view}`;
  }
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const update = () => setRoute(parseRoute(location.hash));
    addEventListener("hashchange", update);
    return () => removeEventListener("hashchange", update);
  }, []);
  return route;
}

export function navigate(route: Route): void {
  location.hash = href(route);
}
