import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { maskContact } from "../../functions/core/mask.ts";
import type { OutboxEntry } from "./local-adapters.ts";

/** The demo drives the runtime only through its public API, as any upstream system would. */
export class DemoClient {
  readonly #url: string;
  readonly #say: (line: string) => void;
  readonly #colour: boolean;
  readonly #eventBridge: EventBridgeClient;
  #seen = 0;

  constructor(url: string, say: (line: string) => void, colour: boolean) {
    this.#url = url;
    this.#say = say;
    this.#colour = colour;
    this.#eventBridge = new EventBridgeClient({
      endpoint: url,
      region: "us-east-1",
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
    });
  }

  async reset(start: string): Promise<void> {
    await this.#post("/reset", {});
    await this.#post("/clock", { set: start });
    this.#seen = 0;
  }

  narrate(text: string): void {
    this.#say(`  ${this.#colour ? `\u001b[36m${text}\u001b[0m` : text}`);
  }

  /** Puts events on the local bus with the real EventBridge client (source: the upstream system). */
  async put(source: string, detailType: string, detail: Record<string, unknown>): Promise<void> {
    const result = await this.#eventBridge.send(
      new PutEventsCommand({
        Entries: [
          { EventBusName: "waymark", Source: source, DetailType: detailType, Detail: JSON.stringify(detail) },
        ],
      }),
    );
    if (result.FailedEntryCount)
      throw new Error(`PutEvents refused ${detailType}: ${JSON.stringify(result.Entries)}`);
    await this.#get("/clock"); // reads wait until the pipeline is quiet
  }

  async setClock(instant: string): Promise<void> {
    await this.#post("/clock", { set: instant });
  }

  async advance(duration: string): Promise<void> {
    await this.#post("/clock", { advance: duration });
  }

  /** Prints what was decided since the last look, with the why, and returns it. */
  async decisions(): Promise<OutboxEntry[]> {
    const { notifications } = (await this.#get("/outbox")) as { notifications: OutboxEntry[] };
    const fresh = notifications.slice(this.#seen);
    this.#seen = notifications.length;
    for (const n of fresh) {
      const to = n.to ? ` to ${maskContact(n.to)}` : "";
      const head =
        n.status === "sent"
          ? `✉ ${n.customerId} received ${n.template} by ${n.channel}${to}`
          : n.status === "deferred"
            ? `⏸ ${n.customerId}: ${n.template} held until ${n.deferredUntil}`
            : `⊘ ${n.customerId}: ${n.template} not sent (${n.reason})`;
      this.#say(`  ${head}`);
      if (n.subject) this.#say(`      subject: ${n.subject}`);
      if (n.body) for (const line of n.body.split("\n")) this.#say(`      │ ${line}`);
      for (const reason of n.why) this.#say(`      why: ${reason}`);
    }
    return fresh;
  }

  async events(type: string): Promise<Record<string, unknown>[]> {
    const { events } = (await this.#get("/events")) as { events: Record<string, unknown>[] };
    return events.filter((e) => e["detail-type"] === type);
  }

  async rejected(): Promise<{ reason: string }[]> {
    return ((await this.#get("/rejected")) as { rejected: { reason: string }[] }).rejected;
  }

  async #get(path: string): Promise<unknown> {
    const response = await fetch(`${this.#url}${path}`);
    if (!response.ok) throw new Error(`GET ${path} answered ${response.status}`);
    return response.json();
  }

  async #post(path: string, body: unknown): Promise<unknown> {
    const response = await fetch(`${this.#url}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`POST ${path} answered ${response.status}: ${await response.text()}`);
    return response.json();
  }
}

/** Stops the story with a message when something that should have happened did not. */
export function expectThat(condition: unknown, what: string): void {
  if (!condition) throw new Error(`expected: ${what}`);
}
