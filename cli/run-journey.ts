/**
 * `runJourney`: what `waymark simulate` does, as a function for a journey author's own tests — one journey
 * alone, or the whole catalog. Events are
 * written as a producer puts them (detail-type, detail, time), validated against the catalog exactly as
 * ingest would, and played with the timers they set on a virtual clock through the same pure engine and
 * guardrails that run in Lambda. The result lists every decision, message and emitted event in order.
 */
import { parseInboundEvent } from "../events/parse.ts";
import type { Catalog } from "../functions/core/catalog/catalog.ts";
import { durationMs, isDuration } from "../functions/core/time/duration.ts";
import {
  type CompletedEntry,
  type EmittedEntry,
  type EscalationEntry,
  type GoalEntry,
  type MessageEntry,
  type ScriptedEvent,
  type SimulationResult,
  simulate,
} from "./simulate.ts";

/** An event of the script, as a producer would put it on the bus. */
export interface TestEvent {
  detailType: string;
  detail: Record<string, unknown>;
  /** When it reaches Waymark (ISO-8601 with a zone, or a Date). */
  time: string | Date;
  /** @default "test" */
  source?: string;
  /** The envelope id (the idempotency key when the detail has no eventId). @default event-<position> */
  id?: string;
}

export interface RunJourneyOptions {
  catalog: Catalog;
  /** The journey to run (all its versions), alone; absent: every journey of the catalog takes part. */
  journey?: string;
  events: readonly TestEvent[];
  /** When the virtual clock starts. @default the first event's time */
  start?: string | Date;
  /** Fire timers due up to this time, or for this long (ISO-8601 duration) after the last event. @default P90D */
  until?: string | Date;
}

export interface RunJourneyResult extends SimulationResult {
  /** Every message decision (sent, deferred, suppressed), in order. */
  messages: MessageEntry[];
  /** Every event Waymark emitted (escalations and completions included), in order. */
  emitted: (EmittedEntry | EscalationEntry | CompletedEntry)[];
  /** Every experiment assignment: the holdout and global control at entry, each split's variant. */
  assignments: { at: string; customerId: string; instanceId: string; experiment: string; variant: string }[];
  /** Every conversion goal reached, held-out instances included. */
  goals: GoalEntry[];
}

/** Events that do not match the catalog: one line per problem, like ingest's rejections. */
export class TestEventError extends Error {
  override name = "TestEventError";
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(`invalid test events:\n${problems.map((p) => `  ${p}`).join("\n")}`);
    this.problems = problems;
  }
}

export function runJourney(options: RunJourneyOptions): RunJourneyResult {
  const { catalog } = options;
  if (options.journey !== undefined && !catalog.journeys.some((j) => j.id === options.journey)) {
    const known = [...new Set(catalog.journeys.map((j) => j.id))].join(", ");
    throw new TestEventError([`journey ${options.journey} is not in the catalog (it has: ${known})`]);
  }
  const problems: string[] = [];
  const scripted: ScriptedEvent[] = [];
  options.events.forEach((event, index) => {
    const time = new Date(event.time);
    if (Number.isNaN(time.getTime())) {
      problems.push(`events[${index}].time: expected an ISO-8601 time, got ${JSON.stringify(event.time)}`);
      return;
    }
    const envelope = {
      version: "0",
      id: event.id ?? `event-${index + 1}`,
      "detail-type": event.detailType,
      source: event.source ?? "test",
      account: "000000000000",
      time: time.toISOString().replace(/\.\d{3}Z$/, "Z"),
      region: "us-east-1",
      resources: [],
      detail: event.detail,
    };
    const parsed = parseInboundEvent(envelope, catalog);
    if (!parsed.ok) problems.push(`events[${index}] (${event.detailType}): ${parsed.summary}`);
    else scripted.push({ input: `events[${index}]`, time: time.toISOString(), event: parsed.event });
  });
  if (problems.length > 0) throw new TestEventError(problems);
  if (scripted.length === 0) throw new TestEventError(["events: give at least one event"]);

  const times = scripted.map((e) => Date.parse(e.time));
  const first = Math.min(...times);
  const last = Math.max(...times);
  const start = options.start === undefined ? new Date(first) : new Date(options.start);
  const until =
    options.until === undefined
      ? new Date(last + durationMs("P90D"))
      : typeof options.until === "string" && isDuration(options.until)
        ? new Date(last + durationMs(options.until))
        : new Date(options.until);
  const only = options.journey;
  const newest =
    only === undefined
      ? undefined
      : [...catalog.journeys.filter((j) => j.id === only)].sort((x, y) => y.version - x.version)[0];
  const result = simulate({
    ...(newest ? { journey: newest } : {}),
    catalog: only === undefined ? catalog : catalog.withJourneys((j) => j.id === only),
    events: scripted,
    start: start.toISOString(),
    until: until.toISOString(),
  });
  return {
    ...result,
    messages: result.entries.filter((e): e is MessageEntry => e.kind === "message"),
    emitted: result.entries.filter(
      (e): e is EmittedEntry | EscalationEntry | CompletedEntry =>
        e.kind === "emitted" || e.kind === "escalation" || e.kind === "completed",
    ),
    assignments: result.entries.flatMap((e) =>
      e.kind === "started"
        ? Object.entries(e.variants ?? {}).map(([experiment, variant]) => ({
            at: e.at,
            customerId: e.customerId,
            instanceId: e.instanceId,
            experiment,
            variant,
          }))
        : e.kind === "assigned"
          ? [
              {
                at: e.at,
                customerId: e.customerId,
                instanceId: e.instanceId,
                experiment: e.experiment,
                variant: e.variant,
              },
            ]
          : [],
    ),
    goals: result.entries.filter((e): e is GoalEntry => e.kind === "goal"),
  };
}
