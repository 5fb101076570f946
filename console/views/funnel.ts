/** A funnel as bars: how many reached each step, and how many wait there now. Drawn in SVG, no chart library. */
import { html } from "htm/preact";

export interface Step {
  node: string;
  reached: number;
  waiting: number;
}

const ROW = 30;
const LABEL = 150;
const WIDTH = 520;

export function Funnel(props: { steps: readonly Step[]; caption: string }) {
  const { steps, caption } = props;
  const top = Math.max(1, ...steps.map((step) => step.reached));
  const bar = WIDTH - LABEL - 110;
  return html`
    <figure class="funnel">
      <figcaption>${caption}</figcaption>
      <svg viewBox=${`0 0 ${WIDTH} ${steps.length * ROW + 4}`} role="img" aria-label=${`${caption}: ${steps.map((s) => `${s.node} ${s.reached}`).join(", ")}`}>
        ${steps.map((step, index) => {
          const y = index * ROW + 2;
          const reached = (step.reached / top) * bar;
          const waiting = (step.waiting / top) * bar;
          const first = steps[0]?.reached ?? 0;
          const share = first > 0 ? ` (${Math.round((step.reached / first) * 100)}%)` : "";
          return html`
            <g data-step=${step.node}>
              <text x=${LABEL - 8} y=${y + 18} text-anchor="end" class="funnel-label">${step.node}</text>
              <rect x=${LABEL} y=${y + 4} width=${Math.max(reached, 1)} height=${ROW - 10} class="funnel-bar" />
              ${waiting > 0 ? html`<rect x=${LABEL} y=${y + 4} width=${waiting} height=${ROW - 10} class="funnel-waiting" />` : null}
              <text x=${LABEL + Math.max(reached, 1) + 6} y=${y + 18} class="funnel-value">
                ${step.reached}${share}${step.waiting > 0 ? ` · ${step.waiting} waiting` : ""}
              </text>
            </g>
          `;
        })}
      </svg>
    </figure>
  `;
}
