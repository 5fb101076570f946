/**
 * An event to put, as JSON text — `{"source", "detail-type", "detail"}` — checked in the page against the
 * catalog's schema for its detail-type while it is typed, then put with PutEvents like any producer's event.
 */
import { html } from "htm/preact";
import { useState } from "preact/hooks";
import { api, type CatalogEvent } from "../api.ts";
import { type SchemaIssue, validate } from "../json-schema.ts";

export interface EditedEvent {
  source: string;
  detailType: string;
  detail: Record<string, unknown>;
}

/** Parses and checks the text; the issues say what is wrong, in ingest's words. */
export function checkEventText(
  text: string,
  events: readonly CatalogEvent[],
): { event?: EditedEvent; issues: SchemaIssue[] } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { issues: [{ path: "event", message: `not valid JSON: ${(error as Error).message}` }] };
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    return { issues: [{ path: "event", message: "expected a JSON object" }] };
  }
  const { source, "detail-type": detailType, detail } = parsed as Record<string, unknown>;
  const issues: SchemaIssue[] = [];
  if (typeof source !== "string" || source === "") issues.push({ path: "source", message: "required" });
  if (source === "waymark") issues.push({ path: "source", message: "waymark is Waymark's own source" });
  const descriptor = events.find((e) => e.detailType === detailType && e.direction === "inbound");
  if (!descriptor)
    issues.push({
      path: "detail-type",
      message: `not an inbound event of the catalog: ${JSON.stringify(detailType)}`,
    });
  if (typeof detail !== "object" || detail === null || Array.isArray(detail)) {
    issues.push({ path: "detail", message: "expected a JSON object" });
  } else if (descriptor) {
    issues.push(...validate(detail, descriptor.schema));
  }
  if (issues.length > 0) return { issues };
  return {
    event: {
      source: source as string,
      detailType: detailType as string,
      detail: detail as Record<string, unknown>,
    },
    issues,
  };
}

export function EventEditor(props: {
  id: string;
  label: string;
  events: readonly CatalogEvent[];
  text: string;
  onText: (text: string) => void;
  submitLabel: string;
  /** Turns the checked event into what is put (a replay puts masked contact points back). */
  prepare?: (event: EditedEvent) => EditedEvent;
  onPut: (eventId: string) => Promise<void> | void;
}) {
  const [result, setResult] = useState<{ ok: boolean; message: string } | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const checked = checkEventText(props.text, props.events);
  const put = async (event: Event) => {
    event.preventDefault();
    if (!checked.event) return;
    setBusy(true);
    try {
      const ready = props.prepare ? props.prepare(checked.event) : checked.event;
      const eventId = await api.putEvent(ready);
      await props.onPut(eventId);
      setResult({ ok: true, message: `Put on the bus as ${eventId}.` });
    } catch (error) {
      setResult({ ok: false, message: (error as Error).message });
    } finally {
      setBusy(false);
    }
  };
  return html`
    <form class="event-editor" onSubmit=${put}>
      <label for=${props.id}>${props.label}</label>
      <textarea
        id=${props.id}
        rows="14"
        spellcheck="false"
        aria-describedby=${`${props.id}-issues`}
        aria-invalid=${checked.issues.length > 0 ? "true" : "false"}
        value=${props.text}
        onInput=${(event: Event) => {
          setResult(undefined);
          props.onText((event.target as HTMLTextAreaElement).value);
        }}
      ></textarea>
      <div id=${`${props.id}-issues`} class="issues" aria-live="polite">
        ${
          checked.issues.length === 0
            ? html`<p class="ok">Valid against the catalog's schema.</p>`
            : html`<ul>${checked.issues.map((issue) => html`<li class="error">${issue.path}: ${issue.message}</li>`)}</ul>`
        }
      </div>
      <button type="submit" disabled=${!checked.event || busy}>${props.submitLabel}</button>
      ${result ? html`<p class=${result.ok ? "ok" : "error"} role=${result.ok ? "status" : "alert"}>${result.message}</p>` : null}
    </form>
  `;
}
