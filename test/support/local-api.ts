import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from "@aws-sdk/client-eventbridge";
import type { OutboxEntry } from "../../infra/local/local-adapters.ts";

/** A client of the local runtime's documented HTTP API (docs/local-runtime.md), and nothing else. */
export class LocalApi {
  readonly url: string;
  readonly eventBridge: EventBridgeClient;

  constructor(url: string) {
    this.url = url;
    this.eventBridge = new EventBridgeClient({
      endpoint: url,
      region: "us-east-1",
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
    });
  }

  async put(
    ...entries: { detailType: string; detail: Record<string, unknown>; time?: string; source?: string }[]
  ) {
    return this.eventBridge.send(
      new PutEventsCommand({
        Entries: entries.map(
          (e): PutEventsRequestEntry => ({
            EventBusName: "waymark",
            Source: e.source ?? "test.upstream",
            DetailType: e.detailType,
            Detail: JSON.stringify(e.detail),
            ...(e.time ? { Time: new Date(e.time) } : {}),
          }),
        ),
      }),
    );
  }

  async get<T = Record<string, unknown>>(path: string): Promise<{ status: number; body: T }> {
    const response = await fetch(`${this.url}${path}`);
    return { status: response.status, body: (await response.json()) as T };
  }

  async post<T = Record<string, unknown>>(
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: T }> {
    const response = await fetch(`${this.url}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: body === undefined ? "" : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as T };
  }

  async outbox(): Promise<OutboxEntry[]> {
    return (await this.get<{ notifications: OutboxEntry[] }>("/outbox")).body.notifications;
  }

  async events(): Promise<Record<string, unknown>[]> {
    return (await this.get<{ events: Record<string, unknown>[] }>("/events")).body.events;
  }
}

export type { OutboxEntry };
