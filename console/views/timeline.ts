/**
 * One customer's timeline: the events that came in, the journeys that started and ended, what Waymark emitted,
 * each message decision, and the events rejected — in time order, at the customer's local time.
 */
import { html } from "htm/preact";
import type { Customer, Envelope, OutboxEntry, RejectedView } from "../api.ts";
import { localTime } from "../format.ts";
import { maskJson, maskText } from "../masking.ts";
import { JsonBlock } from "./json-block.ts";
import { MessageCard } from "./message-card.ts";

export type TimelineItem =
  | { kind: "event"; at: string; event: Envelope }
  | { kind: "journey"; at: string; summary: string }
  | { kind: "ended"; at: string; summary: string }
  | { kind: "emitted"; at: string; event: Envelope }
  | { kind: "decision"; at: string; entry: OutboxEntry }
  | { kind: "rejected"; at: string; rejected: RejectedView };

/** Waymark's own events the timeline shows otherwise: as decisions, and as the journey's "ended" line. */
const SHOWN_OTHERWISE = new Set(["NotificationSent", "NotificationSuppressed", "JourneyCompleted"]);
/** At one instant, in the order the engine does things: the input, a journey starting, its effects, its end. */
const RANK: Record<TimelineItem["kind"], number> = {
  rejected: 0,
  event: 0,
  journey: 1,
  emitted: 2,
  decision: 3,
  ended: 4,
};

export function buildTimeline(input: {
  customer: Customer | undefined;
  outbox: readonly OutboxEntry[];
  events: readonly Envelope[];
  rejected: readonly RejectedView[];
}): TimelineItem[] {
  const items: TimelineItem[] = [
    ...input.events
      .filter((event) => !(event.source === "waymark" && SHOWN_OTHERWISE.has(event["detail-type"])))
      .map(
        (event): TimelineItem =>
          event.source === "waymark"
            ? { kind: "emitted", at: event.time, event }
            : { kind: "event", at: event.time, event },
      ),
    ...input.events
      .filter((event) => event.source === "waymark" && event["detail-type"] === "JourneyCompleted")
      .map(
        (event): TimelineItem => ({
          kind: "ended",
          at: event.time,
          summary: `${String(event.detail.journeyId)} for ${String(event.detail.instanceId).replace(`${String(event.detail.journeyId)}#`, "")} ended: ${String(event.detail.outcome)}`,
        }),
      ),
    // The customer's own timeline says when journeys started (or were not, and why); their ends are above.
    ...(input.customer?.timeline ?? [])
      .filter((entry) => entry.kind === "journey" && / (started|not started) for /.test(entry.summary))
      .map((entry): TimelineItem => ({ kind: "journey", at: entry.at, summary: entry.summary })),
    ...input.outbox.map((entry): TimelineItem => ({ kind: "decision", at: entry.at, entry })),
    ...input.rejected.map(
      (rejected): TimelineItem => ({ kind: "rejected", at: rejected.receivedAt, rejected }),
    ),
  ];
  return items
    .map((item, index) => ({ item, index, time: Date.parse(item.at) }))
    .sort((a, b) => a.time - b.time || RANK[a.item.kind] - RANK[b.item.kind] || a.index - b.index)
    .map(({ item }) => item);
}

export function TimelineView(props: { items: readonly TimelineItem[]; timeZone: string }) {
  if (props.items.length === 0) return html`<p class="muted">Nothing yet.</p>`;
  return html`
    <ol class="timeline">
      ${props.items.map(
        (item) => html`
          <li class=${`timeline-item timeline-item--${item.kind}`} data-kind=${item.kind}>
            <time datetime=${item.at} class="timeline-time">${localTime(item.at, props.timeZone)}</time>
            <div class="timeline-body"><${ItemBody} item=${item} timeZone=${props.timeZone} /></div>
          </li>
        `,
      )}
    </ol>
  `;
}

function ItemBody(props: { item: TimelineItem; timeZone: string }) {
  const { item } = props;
  switch (item.kind) {
    case "event":
      return html`
        <p><span class="badge badge--in">in</span> <strong>${item.event["detail-type"]}</strong> <span class="muted small">from ${item.event.source}</span></p>
        <details><summary>Detail</summary><${JsonBlock} value=${maskJson(item.event.detail)} label=${`${item.event["detail-type"]} detail`} /></details>
      `;
    case "emitted":
      return html`
        <p><span class="badge badge--emitted">emitted</span> <strong>${item.event["detail-type"]}</strong>
          ${typeof item.event.detail.reason === "string" ? html` — ${maskText(item.event.detail.reason)}` : null}</p>
        <details><summary>Detail</summary><${JsonBlock} value=${maskJson(item.event.detail)} label=${`${item.event["detail-type"]} detail`} /></details>
      `;
    case "journey":
    case "ended":
      return html`<p><span class="badge badge--journey">journey</span> ${maskText(item.summary)}</p>`;
    case "decision":
      return html`<${MessageCard} entry=${item.entry} timeZone=${props.timeZone} />`;
    case "rejected":
      return html`
        <p><span class="badge badge--rejected">rejected</span> ${maskText(item.rejected.reason)}</p>
        <details><summary>Event as received</summary><${JsonBlock} value=${maskJson(item.rejected.event)} label="Rejected event" /></details>
      `;
  }
}
