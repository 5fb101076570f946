/**
 * The virtual clock — where it stands, controls to move it (timers due on the way fire in order), the next
 * pending timers — and a form to put an event from the catalog's samples.
 */
import { html } from "htm/preact";
import { useState } from "preact/hooks";
import { api, type CatalogInfo } from "../api.ts";
import { plural, utcTime } from "../format.ts";
import { useLive } from "../live.ts";
import { maskIdentifier } from "../masking.ts";
import { href } from "../router.ts";
import { EventEditor } from "./event-editor.ts";
import { Status } from "./status.ts";

const STEPS = [
  ["PT1H", "+1 hour"],
  ["P1D", "+1 day"],
  ["P2D", "+2 days"],
  ["P7D", "+7 days"],
] as const;

export function ClockView() {
  return html`
    <div class="two-columns">
      <${ClockPanel} />
      <${EventPanel} />
    </div>
  `;
}

function ClockPanel() {
  const loaded = useLive(async () => ({ clock: await api.clock(), timers: await api.timers(10) }), []);
  const [duration, setDuration] = useState("PT30M");
  const [instant, setInstant] = useState("");
  const [message, setMessage] = useState<{ ok: boolean; text: string } | undefined>(undefined);
  const move = async (action: () => Promise<{ now: string }>) => {
    try {
      const clock = await action();
      setMessage({ ok: true, text: `The clock is at ${utcTime(clock.now)}.` });
      loaded.reload();
    } catch (error) {
      setMessage({ ok: false, text: (error as Error).message });
    }
  };
  if (!loaded.data) return html`<${Status} loaded=${loaded} />`;
  const { clock, timers } = loaded.data;
  return html`
    <section class="panel" aria-labelledby="clock-title">
      <h2 id="clock-title">Virtual clock</h2>
      <p class="clock-now"><time datetime=${clock.now} data-testid="clock-now">${utcTime(clock.now)}</time></p>
      <p class="muted small">${plural(clock.pendingTimers, "timer")} pending. Moving the clock fires every timer due on the way, each at its own time.</p>
      <div class="buttons" role="group" aria-label="Advance the clock">
        ${STEPS.map(([step, label]) => html`<button type="button" onClick=${() => move(() => api.advance(step))}>${label}</button>`)}
      </div>
      <form class="inline" onSubmit=${(event: Event) => {
        event.preventDefault();
        void move(() => api.advance(duration));
      }}>
        <label for="advance-by">Advance by (ISO-8601 duration)</label>
        <input id="advance-by" value=${duration} onInput=${(e: Event) => setDuration((e.target as HTMLInputElement).value)} />
        <button type="submit">Advance</button>
      </form>
      <form class="inline" onSubmit=${(event: Event) => {
        event.preventDefault();
        void move(() => api.setClock(instant));
      }}>
        <label for="set-to">Set to (ISO time, e.g. 2026-03-02T09:00:00Z)</label>
        <input id="set-to" value=${instant} placeholder=${clock.now} onInput=${(e: Event) => setInstant((e.target as HTMLInputElement).value)} />
        <button type="submit">Set</button>
      </form>
      ${message ? html`<p class=${message.ok ? "ok" : "error"} role=${message.ok ? "status" : "alert"}>${message.text}</p>` : null}
      <h3>Next timers</h3>
      ${
        timers.timers.length === 0
          ? html`<p class="muted">None pending.</p>`
          : html`<ol class="timers">
              ${timers.timers.map(
                (timer) => html`<li data-timer=${timer.timerId}>
                  <time datetime=${timer.dueAt}>${utcTime(timer.dueAt)}</time>
                  <a href=${href({ view: "customers", customerId: timer.customerId })}>${maskIdentifier(timer.customerId)}</a>:
                  ${
                    timer.kind === "journey"
                      ? html` ${timer.journeyId} v${timer.journeyVersion} moves on from <strong>${timer.node}</strong>`
                      : timer.kind === "deferred-message"
                        ? html` held-back ${timer.template ?? "message"} is decided again`
                        : html` <span class="muted">stale (its instance moved on)</span>`
                  }
                </li>`,
              )}
            </ol>`
      }
      ${timers.total > timers.timers.length ? html`<p class="muted small">and ${timers.total - timers.timers.length} more</p>` : null}
    </section>
  `;
}

function EventPanel() {
  const loaded = useLive(() => api.catalog(), []);
  if (!loaded.data) return html`<${Status} loaded=${loaded} />`;
  return html`<${EventForm} catalog=${loaded.data} />`;
}

function EventForm(props: { catalog: CatalogInfo }) {
  const inbound = props.catalog.events.filter((event) => event.direction === "inbound");
  const [type, setType] = useState(inbound[0]?.detailType ?? "");
  const [sample, setSample] = useState(0);
  const descriptor = inbound.find((event) => event.detailType === type);
  const textFor = (detailType: string, index: number) => {
    const chosen = inbound.find((event) => event.detailType === detailType);
    return JSON.stringify(
      { source: "console", "detail-type": detailType, detail: chosen?.samples[index] ?? {} },
      null,
      2,
    );
  };
  const [text, setText] = useState(() => textFor(type, 0));
  return html`
    <section class="panel" aria-labelledby="put-title">
      <h2 id="put-title">Put an event</h2>
      <div class="inline">
        <label for="event-type">Event</label>
        <select id="event-type" value=${type} onChange=${(e: Event) => {
          const next = (e.target as HTMLSelectElement).value;
          setType(next);
          setSample(0);
          setText(textFor(next, 0));
        }}>
          ${inbound.map((event) => html`<option value=${event.detailType}>${event.detailType} (${event.scope})</option>`)}
        </select>
        <label for="event-sample">Sample</label>
        <select id="event-sample" value=${String(sample)} onChange=${(e: Event) => {
          const next = Number((e.target as HTMLSelectElement).value);
          setSample(next);
          setText(textFor(type, next));
        }}>
          ${(descriptor?.samples ?? []).map((_, index) => html`<option value=${String(index)}>sample ${index + 1}</option>`)}
        </select>
      </div>
      ${descriptor ? html`<p class="muted small">${descriptor.description}</p>` : null}
      <${EventEditor}
        id="event-json"
        label="Event (JSON): source, detail-type, detail"
        events=${props.catalog.events}
        text=${text}
        onText=${setText}
        submitLabel="Put event"
        onPut=${() => undefined}
      />
    </section>
  `;
}
