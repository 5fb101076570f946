/**
 * Renders a simulation for people: one line per thing in time order, details indented beneath, then a
 * summary. Pure (entries in, text out) so the output is byte-for-byte reproducible; colour is a flag the
 * caller sets only for a terminal.
 */
import type { MessageEntry, SimulationResult, SimulationSummary, TimelineEntry } from "./simulate.ts";
import { shortTime } from "./time.ts";

export interface FormatOptions {
  color: boolean;
}

/** Customer column for events about the world rather than one customer. */
const GLOBAL = "(global)";

const ANSI = {
  bold: "1",
  dim: "2",
  red: "31",
  green: "32",
  yellow: "33",
  blue: "34",
  magenta: "35",
  cyan: "36",
} as const;
type Style = keyof typeof ANSI;

type Paint = (text: string, ...styles: Style[]) => string;

function painter(color: boolean): Paint {
  if (!color) return (text) => text;
  return (text, ...styles) =>
    styles.length === 0 ? text : `\u001b[${styles.map((s) => ANSI[s]).join(";")}m${text}\u001b[0m`;
}

export function formatTimeline(result: SimulationResult, options: FormatOptions): string {
  const paint = painter(options.color);
  const width = Math.max(0, ...result.entries.map((entry) => (entry.customerId ?? GLOBAL).length));
  const lines: string[] = [];
  for (const entry of result.entries) {
    const customer = (entry.customerId ?? GLOBAL).padEnd(width);
    const prefix = `${paint(shortTime(entry.at), "dim")}  ${customer}  `;
    // Details line up under the text after the symbol: time, two spaces, customer, two spaces, symbol.
    const indent = " ".repeat(shortTime(entry.at).length + 2 + width + 2 + 2);
    const [head, ...details] = describe(entry, paint);
    lines.push(`${prefix}${head}`);
    for (const detail of details) lines.push(`${indent}${detail}`);
  }
  if (lines.length > 0) lines.push("");
  lines.push(...formatSummary(result.summary, paint));
  return `${lines.join("\n")}\n`;
}

function describe(entry: TimelineEntry, paint: Paint): string[] {
  switch (entry.kind) {
    case "event": {
      const head = `${paint(`← ${entry.detailType}`, "cyan")} (${entry.summary})`;
      return [entry.ignored ? `${head} ${paint(`— ${entry.ignored}`, "dim")}` : head];
    }
    case "started": {
      const variants = Object.entries(entry.variants ?? {}).map(
        ([experiment, variant]) => `${experiment}: ${variant}`,
      );
      return [
        paint(
          `▶ ${entry.instanceId} started (v${entry.journeyVersion}${variants.length > 0 ? `; ${variants.join(", ")}` : ""})`,
          "blue",
        ),
      ];
    }
    case "assigned":
      return [
        paint(`⑂ ${entry.instanceId} assigned to ${entry.variant} in experiment ${entry.experiment}`, "blue"),
      ];
    case "goal":
      return [paint(`★ ${entry.instanceId} reached its goal (${entry.goal})`, "green", "bold")];
    case "timer":
      return [paint(`⏰ timer ${entry.timerId} (${entry.purpose})`, "dim")];
    case "message":
      return describeMessage(entry, paint);
    case "escalation":
      return [paint(`⚑ AgentEscalationRequested: ${entry.reason}`, "magenta", "bold")];
    case "emitted":
      return [paint(`⚑ ${entry.detailType}`, "magenta")];
    case "completed":
      return [`${paint(`✓ JourneyCompleted (${entry.outcome})`, "green", "bold")} ${entry.instanceId}`];
  }
}

function describeMessage(entry: MessageEntry, paint: Paint): string[] {
  const recipient = [entry.channel, entry.to].filter(Boolean).join(" ");
  const notes = [entry.localTime];
  if (entry.smsSegments !== undefined) {
    notes.push(`${entry.smsSegments} SMS segment${entry.smsSegments === 1 ? "" : "s"}`);
  }
  const where = `${recipient ? `${recipient} ` : ""}${entry.template} (${notes.join(", ")})`;
  let head: string;
  switch (entry.status) {
    case "sent":
      head = `${paint("✉ sent", "green")} ${where}`;
      break;
    case "deferred":
      head = `${paint(`⏸ deferred until ${shortTime(entry.deferredUntil ?? "?")}`, "yellow")} ${where}`;
      break;
    case "suppressed":
      head = `${paint(`⊘ suppressed (${entry.reason ?? "unknown"})`, "red")} ${where}`;
      break;
  }
  const sections: [string, string[]][] = [];
  if (entry.subject !== undefined) sections.push(["subject:", [entry.subject]]);
  if (entry.body !== undefined) sections.push(["body:", entry.body.split("\n")]);
  sections.push(["why:", entry.why]);
  // One column for all of the entry's labels, so their values line up.
  const column = Math.max(...sections.map(([label]) => label.length)) + 1;
  return [head, ...sections.flatMap(([label, values]) => labelled(label, values, column, paint))];
}

/** `label: first` then the rest aligned under `first`; empty lines (email paragraphs) are dropped. */
function labelled(label: string, values: readonly string[], column: number, paint: Paint): string[] {
  const shown = values.map((v) => v.trimEnd()).filter((v) => v !== "");
  return shown.map((value, index) =>
    index === 0
      ? `${paint(label, "dim")}${" ".repeat(column - label.length)}${value}`
      : `${" ".repeat(column)}${value}`,
  );
}

function formatSummary(summary: SimulationSummary, paint: Paint): string[] {
  const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? "" : "s"}`;
  const completed = Object.entries(summary.completed);
  const completedTotal = completed.reduce((sum, [, n]) => sum + n, 0);
  const outcomes = completed.length > 0 ? ` (${completed.map(([o, n]) => `${o}: ${n}`).join(", ")})` : "";
  const pending = summary.pendingTimers[0];
  const timers =
    `${summary.timersFired} fired, ${summary.pendingTimers.length} pending` +
    (pending
      ? ` after ${shortTime(summary.until)} (next: ${pending.timerId} of ${pending.customerId} ` +
        `at ${shortTime(pending.dueAt)}, ${pending.purpose})`
      : "");
  const row = (label: string, value: string) => `  ${label.padEnd(12)}${value}`;
  return [
    paint(
      `${summary.journeyId}: simulated ${shortTime(summary.start)} → ${shortTime(summary.end)} ` +
        "(virtual time)",
      "bold",
    ),
    row(
      "events",
      `${summary.events.total} (${summary.events.notConsumed} not consumed, ` +
        `${count(summary.events.duplicates, "duplicate")}) for ${count(summary.customers, "customer")}`,
    ),
    row(
      "messages",
      `${summary.messages.sent} sent, ${summary.messages.deferred} deferred, ` +
        `${summary.messages.suppressed} suppressed`,
    ),
    row("escalations", String(summary.escalations)),
    row("journeys", `${completedTotal} completed${outcomes}, ${summary.running} still running`),
    row("timers", timers),
  ];
}
