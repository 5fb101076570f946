/** The console's frame: a header with the virtual time and whether updates are live, the views' tabs, the view. */
import { html } from "htm/preact";
import { api } from "./api.ts";
import { utcTime } from "./format.ts";
import { useLive, useLiveStatus } from "./live.ts";
import { href, type Route, useRoute } from "./router.ts";
import { ClockView } from "./views/clock-view.ts";
import { CustomerView } from "./views/customer-view.ts";
import { JourneysView } from "./views/journeys-view.ts";
import { OutboxView } from "./views/outbox-view.ts";
import { RejectedEventsView } from "./views/rejected-view.ts";

const TABS: { view: Route["view"]; label: string }[] = [
  { view: "journeys", label: "Journeys" },
  { view: "customers", label: "Customers" },
  { view: "outbox", label: "Outbox" },
  { view: "rejected", label: "Rejected" },
  { view: "clock", label: "Clock & events" },
];

export function App() {
  const route = useRoute();
  const live = useLiveStatus();
  const clock = useLive(() => api.clock(), []);
  return html`
    <a class="skip" href="#content">Skip to content</a>
    <header class="top">
      <h1><span class="logo" aria-hidden="true">W</span> Waymark <span class="muted">local console</span></h1>
      <p class="top-status">
        <span class=${live ? "live live--on" : "live"} role="status">${live ? "live" : "connecting…"}</span>
        <span>virtual time <time data-testid="header-clock" datetime=${clock.data?.now ?? ""}>${clock.data ? utcTime(clock.data.now) : "…"}</time></span>
      </p>
      <nav aria-label="Views">
        <ul class="tabs">
          ${TABS.map(
            (tab) =>
              html`<li><a href=${href({ view: tab.view } as Route)} aria-current=${route.view === tab.view ? "page" : undefined}>${tab.label}</a></li>`,
          )}
        </ul>
      </nav>
    </header>
    <main id="content" tabindex="-1">${view(route)}</main>
  `;
}

function view(route: Route) {
  switch (route.view) {
    case "journeys":
      return html`<${JourneysView} selected=${route.journey} />`;
    case "customers":
      return html`<${CustomerView} customerId=${route.customerId} />`;
    case "outbox":
      return html`<${OutboxView} />`;
    case "rejected":
      return html`<${RejectedEventsView} />`;
    case "clock":
      return html`<${ClockView} />`;
  }
}
