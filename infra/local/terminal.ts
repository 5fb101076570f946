import { maskContact } from "../../functions/core/mask.ts";
import type { NotificationRecord } from "../../functions/core/notification.ts";
import type { RejectedEvent } from "../../functions/ports/rejected-event-sink.ts";

export type Writer = (line: string) => void;

const codes = { dim: 2, red: 31, green: 32, yellow: 33, blue: 34, magenta: 35, cyan: 36 } as const;
type Colour = keyof typeof codes;

/** Colour when a person is watching a terminal; plain text under CI, NO_COLOR or a pipe. */
export function supportsColour(stream: { isTTY?: boolean } = process.stdout): boolean {
  return Boolean(stream.isTTY) && !process.env.CI && !process.env.NO_COLOR;
}

/**
 * One readable line per event in, per decision, per message out. Contact points are masked:
 * the terminal is a log, and logs never carry raw phone numbers or addresses.
 */
export class TerminalReporter {
  readonly #write: Writer;
  readonly #colour: boolean;

  constructor(write: Writer, colour: boolean) {
    this.#write = write;
    this.#colour = colour;
  }

  #paint(colour: Colour, text: string): string {
    return this.#colour ? `\u001b[${codes[colour]}m${text}\u001b[0m` : text;
  }

  #line(at: string, symbol: string, colour: Colour, text: string): void {
    this.#write(`${this.#paint("dim", at.replace(/\.\d{3}Z$/, "Z"))} ${this.#paint(colour, symbol)} ${text}`);
  }

  eventIn(at: string, envelope: Record<string, unknown>): void {
    const detail = (envelope.detail ?? {}) as Record<string, unknown>;
    const who = typeof detail.customerId === "string" ? ` ${detail.customerId}` : "";
    const own = envelope.source === "waymark";
    this.#line(
      at,
      own ? "⚑" : "←",
      own ? "magenta" : "cyan",
      `${String(envelope["detail-type"])}${who} ${this.#paint("dim", `(${String(envelope.source)})`)}`,
    );
  }

  decision(record: NotificationRecord): void {
    const channel = record.channel ?? "-";
    const to = record.to ? maskContact(record.to) : "";
    const why = record.why.at(-1) ?? "";
    switch (record.status) {
      case "sent":
        this.#line(
          record.at,
          "✉",
          "green",
          `sent ${channel} ${to} ${record.template} — ${record.why[0] ?? ""}`,
        );
        return;
      case "deferred":
        this.#line(
          record.at,
          "⏸",
          "yellow",
          `deferred ${record.template} until ${record.deferredUntil} — ${why}`,
        );
        return;
      case "suppressed":
        this.#line(record.at, "⊘", "yellow", `suppressed ${record.template} (${record.reason}) — ${why}`);
        return;
    }
  }

  rejected(at: string, event: RejectedEvent): void {
    const type =
      typeof event.event === "object" && event.event !== null
        ? String((event.event as Record<string, unknown>)["detail-type"] ?? "event")
        : "event";
    this.#line(at, "✗", "red", `rejected ${type}: ${event.reason}`);
  }

  info(text: string): void {
    this.#write(this.#paint("blue", text));
  }
}
