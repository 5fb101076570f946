/** The outbox: every decision in order, filterable by journey, template, status, reason and channel. */
import { html } from "htm/preact";
import { useState } from "preact/hooks";
import { api, type OutboxEntry } from "../api.ts";
import { plural, utcTime } from "../format.ts";
import { useLive } from "../live.ts";
import { maskIdentifier } from "../masking.ts";
import { href } from "../router.ts";
import { MessageCard } from "./message-card.ts";
import { Status } from "./status.ts";

const FILTERS = [
  ["journeyId", "Journey"],
  ["template", "Template"],
  ["status", "Status"],
  ["reason", "Reason"],
  ["channel", "Channel"],
] as const;
type FilterKey = (typeof FILTERS)[number][0];

export function OutboxView() {
  const loaded = useLive(() => api.outbox(), []);
  const [filters, setFilters] = useState<Partial<Record<FilterKey, string>>>({});
  if (!loaded.data) return html`<${Status} loaded=${loaded} />`;
  const entries = loaded.data;
  const shown = entries.filter((entry) =>
    FILTERS.every(([key]) => !filters[key] || String(entry[key] ?? "") === filters[key]),
  );
  return html`
    <section class="panel" aria-labelledby="outbox-title">
      <h2 id="outbox-title">Outbox</h2>
      <form class="filters" onSubmit=${(event: Event) => event.preventDefault()}>
        ${FILTERS.map(([key, label]) => {
          const options = [
            ...new Set(entries.map((entry) => entry[key]).filter((v): v is string => typeof v === "string")),
          ].sort();
          return html`
            <label>
              ${label}
              <select
                name=${key}
                value=${filters[key] ?? ""}
                onChange=${(event: Event) => setFilters({ ...filters, [key]: (event.target as HTMLSelectElement).value })}
              >
                <option value="">any</option>
                ${options.map((option) => html`<option value=${option}>${option}</option>`)}
              </select>
            </label>
          `;
        })}
        <p class="muted small" role="status">${plural(shown.length, "decision")} of ${entries.length}</p>
      </form>
      ${shown.length === 0 ? html`<p class="muted">No decisions${entries.length > 0 ? " match" : " yet"}.</p>` : null}
      <ol class="outbox">
        ${shown.map(
          (entry: OutboxEntry) => html`
          <li data-id=${entry.id}>
            <p class="outbox-line">
              <time datetime=${entry.at}>${utcTime(entry.at)}</time>
              <a href=${href({ view: "customers", customerId: entry.customerId })}>${maskIdentifier(entry.customerId)}</a>
            </p>
            <${MessageCard} entry=${entry} />
          </li>
        `,
        )}
      </ol>
    </section>
  `;
}
