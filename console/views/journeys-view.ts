/** Journeys: every journey and version of the catalog as a live graph, with its counts, funnel and measurements. */
import { html } from "htm/preact";
import { useState } from "preact/hooks";
import { api, type JourneyView } from "../api.ts";
import { useLive } from "../live.ts";
import { href } from "../router.ts";
import { AnalyticsPanel } from "./analytics-panel.ts";
import { Funnel } from "./funnel.ts";
import { countLine, JourneyGraph } from "./journey-graph.ts";
import { Status } from "./status.ts";

const keyOf = (journey: JourneyView) => `${journey.id}@${journey.version}`;

export function JourneysView(props: { selected: string | undefined }) {
  const loaded = useLive(() => api.journeys(), []);
  if (!loaded.data) return html`<${Status} loaded=${loaded} />`;
  const journeys = loaded.data;
  if (journeys.length === 0) return html`<p class="muted">The catalog has no journeys.</p>`;
  const current =
    journeys.find(
      (journey) => keyOf(journey) === props.selected || (journey.id === props.selected && journey.latest),
    ) ?? journeys[0]!;
  return html`
    <div class="split">
      <nav class="panel journey-list" aria-label="Journeys">
        <h2>Journeys</h2>
        <ul class="plain">
          ${journeys.map(
            (journey) => html`
              <li>
                <a
                  href=${href({ view: "journeys", journey: keyOf(journey) })}
                  aria-current=${journey === current ? "page" : undefined}
                >
                  <strong>${journey.id}</strong> v${journey.version}${journey.latest ? "" : " (older)"}
                  <span class="muted small">${journey.counts.entered} entered · ${journey.counts.active} active</span>
                </a>
              </li>
            `,
          )}
        </ul>
      </nav>
      <${JourneyDetail} key=${keyOf(current)} journey=${current} />
    </div>
  `;
}

function JourneyDetail(props: { journey: JourneyView }) {
  const { journey } = props;
  const [selected, setSelected] = useState<string | undefined>(undefined);
  const node = journey.nodes.find((n) => n.id === selected);
  const completed = Object.values(journey.counts.outcomes).reduce((sum, n) => sum + n, 0);
  return html`
    <section class="journey" aria-labelledby="journey-title">
      <header class="panel">
        <h2 id="journey-title">${journey.id} <span class="badge">v${journey.version}${journey.latest ? " · latest" : ""}</span></h2>
        <p>${journey.description}</p>
        <p class="stats" data-testid="journey-stats">
          <span><strong>${journey.counts.entered}</strong> entered</span>
          <span><strong>${journey.counts.active}</strong> active</span>
          <span><strong>${completed}</strong> completed</span>
        </p>
      </header>
      <div class="panel">
        <h3>Graph</h3>
        <p class="muted small">Counts are live. “Reached” counts instances the runtime's facts prove passed a node (it waits, sent, emitted or ended there, or the node is on every path to where it did).</p>
        <${JourneyGraph} journey=${journey} selected=${selected} onSelect=${setSelected} />
        ${
          node
            ? html`<div class="node-detail" role="status" aria-live="polite">
                <strong>${node.id}</strong> (${node.type}): ${node.summary} — ${countLine(journey, node.id)}
              </div>`
            : html`<p class="muted small">Select a node (click, or Tab then Enter) for its details.</p>`
        }
        <h4>Ends</h4>
        <ul class="plain outcomes">
          ${journey.nodes
            .filter((n) => n.outcome !== undefined)
            .map(
              (n) =>
                html`<li>${n.outcome} <span class="muted">at ${n.id}</span>: <strong>${journey.counts.outcomes[n.outcome!] ?? 0}</strong></li>`,
            )}
          ${journey.exitOn.map(
            (exit) =>
              html`<li>${exit.outcome} <span class="muted">on ${exit.event} when ${exit.when}, from anywhere</span>: <strong>${journey.counts.outcomes[exit.outcome] ?? 0}</strong></li>`,
          )}
        </ul>
      </div>
      <div class="two-columns">
        <div class="panel">
          <${Funnel} steps=${journey.funnel} caption="Funnel along the main path (reached)" />
        </div>
        <${AnalyticsPanel} journeyId=${journey.id} version=${journey.version} />
      </div>
      <div class="panel">
        <table class="node-table">
          <caption>Every node</caption>
          <thead><tr><th scope="col">Node</th><th scope="col">Type</th><th scope="col">What it does</th><th scope="col">Waiting</th><th scope="col">Reached</th></tr></thead>
          <tbody>
            ${journey.nodes.map(
              (n) => html`<tr data-row=${n.id}>
                <th scope="row">${n.id}</th><td>${n.type}</td><td>${n.summary}</td>
                <td>${journey.counts.nodes[n.id]?.waiting ?? 0}</td><td>${journey.counts.nodes[n.id]?.reached ?? 0}</td>
              </tr>`,
            )}
          </tbody>
        </table>
      </div>
    </section>
  `;
}
