/**
 * A customer's story: search by id; the profile with contact points masked, consents and opt-outs, what
 * Waymark knows, the open journey instances with where they wait and until when, and one timeline of events
 * in, decisions and messages out — at the customer's local time, each message with its why.
 */
import { html } from "htm/preact";
import { useState } from "preact/hooks";
import { resolveTimeZone } from "../../functions/core/guardrails/time-zone.ts";
import { ApiError, api, type Customer } from "../api.ts";
import { localTime } from "../format.ts";
import { useLive } from "../live.ts";
import { maskContact, maskIdentifier, maskJson } from "../masking.ts";
import { href, navigate } from "../router.ts";
import { JsonBlock } from "./json-block.ts";
import { Status } from "./status.ts";
import { buildTimeline, TimelineView } from "./timeline.ts";

export function CustomerView(props: { customerId: string | undefined }) {
  return html`
    <${CustomerSearch} current=${props.customerId} />
    ${props.customerId ? html`<${CustomerStory} key=${props.customerId} customerId=${props.customerId} />` : null}
  `;
}

function CustomerSearch(props: { current: string | undefined }) {
  const [text, setText] = useState(props.current ?? "");
  const known = useLive(() => api.customers(), []);
  return html`
    <form
      class="panel search"
      role="search"
      onSubmit=${(event: Event) => {
        event.preventDefault();
        if (text.trim()) navigate({ view: "customers", customerId: text.trim() });
      }}
    >
      <label for="customer-id">Customer id</label>
      <input
        id="customer-id"
        name="customerId"
        list="known-customers"
        autocomplete="off"
        value=${text}
        onInput=${(event: Event) => setText((event.target as HTMLInputElement).value)}
      />
      <datalist id="known-customers">
        ${(known.data ?? []).map((id) => html`<option value=${id}>${maskIdentifier(id)}</option>`)}
      </datalist>
      <button type="submit">Show</button>
      <span class="muted small">${known.data ? `${known.data.length} known` : ""}</span>
    </form>
  `;
}

function CustomerStory(props: { customerId: string }) {
  const { customerId } = props;
  const loaded = useLive(async () => {
    const [customer, outbox, events, rejected] = await Promise.all([
      api.customer(customerId).catch((error: unknown) => {
        if (error instanceof ApiError && error.status === 404) return undefined;
        throw error;
      }),
      api.outbox(customerId),
      api.events(customerId),
      api.rejected(),
    ]);
    return { customer, outbox, events, rejected };
  }, [customerId]);
  if (!loaded.data) return html`<${Status} loaded=${loaded} />`;
  const { customer, outbox, events, rejected } = loaded.data;
  const mine = rejected.filter(
    (r) => (r.event as { detail?: { customerId?: unknown } })?.detail?.customerId === customerId,
  );
  if (!customer && mine.length === 0) {
    return html`<p class="panel muted" role="status">Waymark knows nothing about customer ${maskIdentifier(customerId)} yet.</p>`;
  }
  const zone = resolveTimeZone(customer?.profile ?? {});
  const timeline = buildTimeline({ customer, outbox, events, rejected: mine });
  return html`
    <div class="customer">
      <div class="customer-facts">
        ${customer ? html`<${Profile} customer=${customer} zone=${zone} />` : null}
        ${customer ? html`<${Knowledge} customer=${customer} zone=${zone.zone} />` : null}
        ${customer ? html`<${Instances} customer=${customer} zone=${zone.zone} />` : null}
      </div>
      <section class="panel story" aria-labelledby="timeline-title">
        <h2 id="timeline-title">Timeline <span class="muted small">(times in ${zone.zone})</span></h2>
        <${TimelineView} items=${timeline} timeZone=${zone.zone} />
      </section>
    </div>
  `;
}

function Profile(props: { customer: Customer; zone: { zone: string; source: string } }) {
  const { profile, context } = props.customer;
  const consent = (flag: boolean | undefined) =>
    flag === true ? "yes" : flag === false ? "no" : "not given";
  return html`
    <section class="panel" aria-labelledby="profile-title">
      <h2 id="profile-title">${profile.name ?? maskIdentifier(props.customer.customerId)}</h2>
      <dl class="facts">
        <dt>Customer id</dt><dd>${maskIdentifier(props.customer.customerId)}</dd>
        <dt>Locale</dt><dd>${profile.locale ?? "not known"}</dd>
        <dt>Time zone</dt><dd>${props.zone.zone} <span class="muted small">(${props.zone.source})</span></dd>
        <dt>Phone</dt><dd data-testid="phone">${profile.phone ? maskContact(profile.phone) : "none"}</dd>
        <dt>Email</dt><dd data-testid="email">${profile.email ? maskContact(profile.email) : "none"}</dd>
        <dt>Preferred channel</dt><dd>${profile.preferredChannel ?? "none"}</dd>
        <dt>Home</dt><dd>${profile.home ? "known" : "not known"}</dd>
        <dt>Marketing by SMS</dt><dd>${consent(context.consent.marketingSms)}</dd>
        <dt>Marketing by email</dt><dd>${consent(context.consent.marketingEmail)}</dd>
        <dt>Marketing at night</dt><dd>${consent(context.consent.nightTimeMarketing)}</dd>
        <dt>Opted out</dt>
        <dd>
          ${
            context.optOuts.sms || context.optOuts.email
              ? [
                  context.optOuts.sms ? `SMS since ${localTime(context.optOuts.sms, props.zone.zone)}` : "",
                  context.optOuts.email
                    ? `email since ${localTime(context.optOuts.email, props.zone.zone)}`
                    : "",
                ]
                  .filter(Boolean)
                  .join("; ")
              : "no"
          }
        </dd>
      </dl>
    </section>
  `;
}

function Knowledge(props: { customer: Customer; zone: string }) {
  const { context } = props.customer;
  const orders = Object.entries(context.orders);
  const extra = context as Customer["context"] & {
    lastLocation?: { lat: number; lon: number; at: string };
    awayDays?: string[];
    usage?: { start: string; end: string; usedMb: number; limitMb: number }[];
  };
  return html`
    <section class="panel" aria-labelledby="knowledge-title">
      <h2 id="knowledge-title">What Waymark knows</h2>
      <h3>Orders</h3>
      ${
        orders.length === 0
          ? html`<p class="muted">None.</p>`
          : html`<ul class="plain orders">
              ${orders.map(
                ([id, order]) => html`<li>
                  <strong>${id}</strong>: ${order.items.map((item) => `${item.quantity} × ${item.name}${item.model ? ` (${item.model})` : ""}`).join(", ")}
                  ${order.itemsNotKept ? ` and ${order.itemsNotKept} more` : ""}
                  <span class="muted small">
                    ${order.placedAt ? ` · placed ${localTime(order.placedAt, props.zone)}` : ""}
                    ${order.deliveredAt ? ` · delivered ${localTime(order.deliveredAt, props.zone)}` : ""}
                    ${order.returnedAt ? ` · returned ${localTime(order.returnedAt, props.zone)}` : ""}
                  </span>
                </li>`,
              )}
            </ul>`
      }
      <h3>Location</h3>
      <p>
        ${extra.lastLocation ? `Last seen ${localTime(extra.lastLocation.at, props.zone)}` : "Not seen."}
        ${extra.awayDays && extra.awayDays.length > 0 ? ` Away from home on ${extra.awayDays.length} of the last 60 days.` : ""}
      </p>
      <h3>Usage</h3>
      ${
        extra.usage && extra.usage.length > 0
          ? html`<ul class="plain">
              ${extra.usage.map(
                (period) =>
                  html`<li>${period.start.slice(0, 10)} – ${period.end.slice(0, 10)}: ${(period.usedMb / 1024).toFixed(1)} of ${(period.limitMb / 1024).toFixed(1)} GB</li>`,
              )}
            </ul>`
          : html`<p class="muted">No usage.</p>`
      }
      ${
        Object.keys(context.attributes).length > 0
          ? html`<h3>Attributes</h3><${JsonBlock} value=${maskJson(context.attributes)} label="Attributes" />`
          : null
      }
    </section>
  `;
}

function Instances(props: { customer: Customer; zone: string }) {
  const { instances } = props.customer;
  return html`
    <section class="panel" aria-labelledby="instances-title">
      <h2 id="instances-title">Open journeys</h2>
      ${
        instances.length === 0
          ? html`<p class="muted">None.</p>`
          : html`<ul class="plain instances">
              ${instances.map(
                (instance) => html`<li data-instance=${instance.id}>
                  <a href=${href({ view: "journeys", journey: `${instance.journeyId}@${instance.journeyVersion}` })}>${instance.journeyId} v${instance.journeyVersion}</a>
                  for ${instance.key}: waits at <strong>${instance.state.node}</strong>
                  ${
                    instance.state.status === "waiting-event"
                      ? ` for an event until ${localTime(instance.state.timer.dueAt, props.zone)}`
                      : ` until ${localTime(instance.state.timer.dueAt, props.zone)}`
                  }
                </li>`,
              )}
            </ul>`
      }
    </section>
  `;
}
