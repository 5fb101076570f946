/**
 * Rejected events with their reasons. Fixing one opens its JSON (contact points masked) in the editor; the
 * fixed event is put with PutEvents, through ingest like any producer's, and the rejected one is marked as
 * replayed with the id of the event that replaced it.
 */
import { html } from "htm/preact";
import { useState } from "preact/hooks";
import { api, type CatalogInfo, type RejectedView } from "../api.ts";
import { utcTime } from "../format.ts";
import { useLive } from "../live.ts";
import { maskJson, maskText, unmaskJson } from "../masking.ts";
import { EventEditor } from "./event-editor.ts";
import { JsonBlock } from "./json-block.ts";
import { Status } from "./status.ts";

interface RejectedEnvelope {
  id?: string;
  source?: unknown;
  "detail-type"?: unknown;
  detail?: unknown;
}

export function RejectedEventsView() {
  const loaded = useLive(async () => ({ rejected: await api.rejected(), catalog: await api.catalog() }), []);
  if (!loaded.data) return html`<${Status} loaded=${loaded} />`;
  const { rejected, catalog } = loaded.data;
  return html`
    <section class="panel" aria-labelledby="rejected-title">
      <h2 id="rejected-title">Rejected events</h2>
      <p class="muted small">Ingest keeps every event it refuses, with the reason. Fix one and replay it: it goes through PutEvents and ingest again.</p>
      ${rejected.length === 0 ? html`<p class="muted">None.</p>` : null}
      <ol class="rejected">
        ${[...rejected].reverse().map((entry) => html`<${RejectedItem} key=${(entry.event as RejectedEnvelope).id} entry=${entry} catalog=${catalog} />`)}
      </ol>
    </section>
  `;
}

function RejectedItem(props: { entry: RejectedView; catalog: CatalogInfo }) {
  const { entry, catalog } = props;
  const event = (entry.event ?? {}) as RejectedEnvelope;
  const original = { source: event.source, "detail-type": event["detail-type"], detail: event.detail };
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState(() => JSON.stringify(maskJson(original), null, 2));
  const id = event.id ?? "";
  return html`
    <li class="rejected-item" data-rejected=${id}>
      <p>
        <span class="badge badge--rejected">rejected</span>
        <strong>${String(event["detail-type"] ?? "event")}</strong>
        <span class="muted small"> from ${String(event.source ?? "?")} at ${utcTime(entry.receivedAt)}</span>
        ${
          entry.replayedAs
            ? html` <span class=${`badge badge--${entry.replayedAs.outcome === "accepted" ? "sent" : "rejected"}`} data-testid="replayed">
                replayed ${utcTime(entry.replayedAs.at)}: ${entry.replayedAs.outcome === "accepted" ? "accepted" : "rejected again"}</span>`
            : null
        }
      </p>
      <p class="reason">${maskText(entry.reason)}</p>
      <details><summary>Event as received</summary><${JsonBlock} value=${maskJson(entry.event)} label="Rejected event" /></details>
      ${
        editing
          ? html`<${EventEditor}
              id=${`fix-${id}`}
              label="Fixed event (JSON)"
              events=${catalog.events}
              text=${text}
              onText=${setText}
              submitLabel="Replay through ingest"
              prepare=${(fixed: { source: string; detailType: string; detail: Record<string, unknown> }) => ({
                ...fixed,
                detail: unmaskJson(fixed.detail, original.detail, "detail") as Record<string, unknown>,
              })}
              onPut=${async (eventId: string) => {
                await api.markReplayed(id, eventId);
              }}
            />`
          : html`<button type="button" onClick=${() => setEditing(true)} disabled=${!id}>Fix and replay</button>`
      }
    </li>
  `;
}
