/**
 * A decision as the customer met it: an SMS as a bubble with its segment count, an email with its subject,
 * body and the unsubscribe footer it went out with — and beside it the status, the why, and the reason it
 * was held back or not sent. Every field is text: Preact escapes it.
 */
import { html } from "htm/preact";
import type { OutboxEntry } from "../api.ts";
import { localTime } from "../format.ts";
import { maskContact } from "../masking.ts";

export function MessageCard(props: { entry: OutboxEntry; timeZone?: string }) {
  const { entry, timeZone } = props;
  return html`
    <article class=${`decision decision--${entry.status}`} data-template=${entry.template} data-status=${entry.status}>
      <header class="decision-head">
        <span class=${`badge badge--${entry.status}`}>${entry.status}</span>
        <strong>${entry.template}</strong>
        <span class="muted small">${entry.journeyId} · ${entry.priority}${entry.channel ? ` · ${entry.channel}` : ""}${entry.to ? ` to ${maskContact(entry.to)}` : ""}</span>
      </header>
      ${entry.status === "deferred" && entry.deferredUntil ? html`<p class="reason">Held back until ${localTime(entry.deferredUntil, timeZone)}</p>` : null}
      ${entry.status === "suppressed" ? html`<p class="reason">Not sent: ${entry.reason ?? "no reason recorded"}</p>` : null}
      ${entry.status === "sent" && entry.channel === "sms" ? html`<${Sms} entry=${entry} />` : null}
      ${entry.status === "sent" && entry.channel === "email" ? html`<${Email} entry=${entry} />` : null}
      <details class="why" open>
        <summary>Why</summary>
        <ol>${entry.why.map((reason) => html`<li>${reason}</li>`)}</ol>
      </details>
    </article>
  `;
}

function Sms(props: { entry: OutboxEntry }) {
  const { body = "", smsSegments } = props.entry;
  return html`
    <div class="sms" aria-label="Text message as received">
      <p class="bubble">${body}</p>
      <p class="muted small">${smsSegments ?? 1} SMS segment${smsSegments === 1 ? "" : "s"} · ${body.length} characters</p>
    </div>
  `;
}

function Email(props: { entry: OutboxEntry }) {
  const { subject, body = "", delivered } = props.entry;
  // The notifier appends the unsubscribe footer to marketing email after the decision: shown as sent.
  const footer = delivered?.body.startsWith(body) ? delivered.body.slice(body.length).trim() : undefined;
  const oneClick = delivered?.headers?.["List-Unsubscribe-Post"] !== undefined;
  return html`
    <div class="email" aria-label="Email as received">
      <p class="email-subject"><span class="muted">Subject:</span> ${subject ?? "(none)"}</p>
      <div class="email-body">${body}</div>
      ${footer ? html`<p class="email-footer">${footer}</p>` : null}
      ${oneClick ? html`<p class="muted small">Headers: List-Unsubscribe with one-click unsubscribe</p>` : null}
    </div>
  `;
}
