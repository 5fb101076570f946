import { html } from "htm/preact";

/** What a view shows before its data is there: loading, or why it could not load. */
export function Status(props: { loaded: { loading: boolean; error: Error | undefined } }) {
  if (props.loaded.error) return html`<p class="error" role="alert">${props.loaded.error.message}</p>`;
  return html`<p class="muted" aria-busy="true">Loading…</p>`;
}
