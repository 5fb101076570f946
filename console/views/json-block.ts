import { html } from "htm/preact";

/** JSON shown as text (never as markup: producers write these fields). */
export function JsonBlock(props: { value: unknown; label: string }) {
  return html`<pre class="json" aria-label=${props.label}>${JSON.stringify(props.value, null, 2)}</pre>`;
}
