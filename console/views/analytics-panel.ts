/**
 * Measurements of a journey — funnel, goals, NPS, experiments with their lift — from
 * `GET /analytics/journeys/{id}` (docs/local-runtime.md gives the shape). Until the runtime measures, that
 * answers 404 and the panel says so; it needs no change when the measurements arrive.
 */
import { html } from "htm/preact";
import { ApiError, api, type JourneyAnalytics } from "../api.ts";
import { useLive } from "../live.ts";
import { Funnel } from "./funnel.ts";

const percent = (value: number) => `${(value * 100).toFixed(1)}%`;

export function AnalyticsPanel(props: { journeyId: string; version: number }) {
  const loaded = useLive(async () => {
    try {
      return await api.analytics(props.journeyId);
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) return undefined;
      throw error;
    }
  }, [props.journeyId]);
  const measured = loaded.data?.versions.find((v) => v.version === props.version);
  return html`
    <section class="panel analytics" aria-labelledby="analytics-title">
      <h3 id="analytics-title">Measurements</h3>
      ${
        loaded.loading && !loaded.data
          ? html`<p class="muted">Loading…</p>`
          : loaded.error
            ? html`<p class="error" role="alert">${loaded.error.message}</p>`
            : !measured
              ? html`<p class="muted" data-testid="no-measurements">No measurements yet: goals, NPS and experiment lift appear here once the runtime measures this journey.</p>`
              : html`<${Measured} version=${measured} />`
      }
    </section>
  `;
}

function Measured(props: { version: JourneyAnalytics["versions"][number] }) {
  const { steps, goals, nps, experiments } = props.version;
  return html`
    ${steps.length > 0 ? html`<${Funnel} steps=${steps} caption="Measured funnel" />` : null}
    ${
      goals && goals.length > 0
        ? html`<h4>Goals</h4>
          <ul class="plain">
            ${goals.map((goal) => html`<li>${goal.name}: ${goal.reached}${goal.rate !== undefined ? ` (${percent(goal.rate)})` : ""}</li>`)}
          </ul>`
        : null
    }
    ${
      nps
        ? html`<h4>NPS</h4>
          <p class="nps"><strong class="nps-score">${Math.round(nps.score)}</strong>${
            nps.marginOfError !== undefined ? ` ± ${Math.round(nps.marginOfError)}` : ""
          } from ${nps.responses} responses: ${nps.promoters} promoters, ${nps.passives} passives, ${nps.detractors} detractors</p>`
        : null
    }
    ${(experiments ?? []).map(
      (experiment) => html`
        <h4>Experiment ${experiment.name}</h4>
        <table>
          <thead><tr><th scope="col">Variant</th><th scope="col">Entrants</th><th scope="col">Conversions</th><th scope="col">Rate</th><th scope="col">Lift</th></tr></thead>
          <tbody>
            ${experiment.variants.map(
              (variant) => html`<tr>
                <th scope="row">${variant.name}</th><td>${variant.entrants}</td><td>${variant.conversions}</td>
                <td>${percent(variant.rate)}</td>
                <td>${
                  variant.lift
                    ? variant.enoughData === false
                      ? "not enough data yet"
                      : `${percent(variant.lift.value)} [${percent(variant.lift.low)}, ${percent(variant.lift.high)}]`
                    : experiment.control === variant.name
                      ? "baseline"
                      : "—"
                }</td>
              </tr>`,
            )}
          </tbody>
        </table>
      `,
    )}
  `;
}
