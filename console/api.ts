/**
 * The local runtime's HTTP API as the console reads it (docs/local-runtime.md): the same JSON any script gets.
 * Events are put with EventBridge's own PutEvents (AWS JSON 1.1), exactly as `waymark send` puts them.
 */
import type { JourneyView } from "../infra/local/console/journeys-view.ts";
import type { RejectedView } from "../infra/local/console/rejected-view.ts";
import type { TimerView } from "../infra/local/console/timers-view.ts";
import type { OutboxEntry } from "../infra/local/local-adapters.ts";

export type { JourneyView, OutboxEntry, RejectedView, TimerView };

export interface Envelope {
  id: string;
  source: string;
  "detail-type": string;
  time: string;
  detail: Record<string, unknown>;
}

export interface CatalogEvent {
  detailType: string;
  scope: "customer" | "global";
  direction: "inbound" | "emitted";
  description: string;
  samples: Record<string, unknown>[];
  schema: Record<string, unknown>;
}

export interface CatalogInfo {
  events: CatalogEvent[];
  journeys: { id: string; version: number; description: string }[];
  templates: { id: string; priority: string }[];
}

export interface Clock {
  now: string;
  pendingTimers: number;
}

export interface JourneyInstance {
  id: string;
  journeyId: string;
  journeyVersion: number;
  key: string;
  startedAt: string;
  state: {
    status: "waiting-timer" | "waiting-event";
    node: string;
    timer: { dueAt: string };
    since?: string;
  };
}

export interface Customer {
  customerId: string;
  profile: {
    name?: string;
    locale?: string;
    timeZone?: string;
    phone?: string;
    email?: string;
    preferredChannel?: string;
    home?: { lat: number; lon: number; address?: string };
  };
  context: {
    consent: Record<string, boolean | undefined>;
    optOuts: { sms?: string; email?: string };
    orders: Record<
      string,
      {
        placedAt?: string;
        deliveredAt?: string;
        returnedAt?: string;
        items: { sku: string; name: string; model?: string; quantity: number }[];
        itemsNotKept?: number;
      }
    >;
    recentSends: { at: string; template: string; channel: string; priority: string }[];
    attributes: Record<string, unknown>;
  };
  instances: JourneyInstance[];
  timeline: { at: string; kind: "event" | "message" | "journey"; summary: string }[];
}

/** The JSON analytics answer `GET /analytics/journeys/{id}` will give (docs/local-runtime.md). */
export interface JourneyAnalytics {
  versions: {
    version: number;
    steps: { node: string; reached: number; waiting: number }[];
    goals?: { name: string; reached: number; rate?: number }[];
    nps?: {
      responses: number;
      promoters: number;
      passives: number;
      detractors: number;
      score: number;
      marginOfError?: number;
    };
    experiments?: {
      name: string;
      /** The variant the others are measured against (`control` or `holdout`), when there is one. */
      control?: string;
      variants: {
        name: string;
        entrants: number;
        conversions: number;
        rate: number;
        lift?: { value: number; low: number; high: number };
        /** False while either arm is too small to read a difference from. */
        enoughData?: boolean;
      }[];
    }[];
  }[];
}

export class ApiError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

async function read<T>(path: string, init?: RequestInit): Promise<T> {
  const response = await fetch(path, { ...init, headers: { accept: "application/json", ...init?.headers } });
  const body = (await response.json().catch(() => ({}))) as { message?: string };
  if (!response.ok)
    throw new ApiError(response.status, body.message ?? `${path} answered ${response.status}`);
  return body as T;
}

const post = <T>(path: string, body: unknown) =>
  read<T>(path, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });

const query = (customerId?: string) => (customerId ? `?customerId=${encodeURIComponent(customerId)}` : "");

export const api = {
  clock: () => read<Clock>("/clock"),
  advance: (duration: string) => post<Clock>("/clock", { advance: duration }),
  setClock: (instant: string) => post<Clock>("/clock", { set: instant }),
  timers: (limit = 10) => read<{ total: number; timers: TimerView[] }>(`/timers?limit=${limit}`),
  journeys: async () => (await read<{ journeys: JourneyView[] }>("/journeys")).journeys,
  analytics: (journeyId: string) =>
    read<JourneyAnalytics>(`/analytics/journeys/${encodeURIComponent(journeyId)}`),
  catalog: () => read<CatalogInfo>("/catalog"),
  customers: async () => (await read<{ customers: string[] }>("/customers")).customers,
  customer: (id: string) => read<Customer>(`/customers/${encodeURIComponent(id)}`),
  outbox: async (customerId?: string) =>
    (await read<{ notifications: OutboxEntry[] }>(`/outbox${query(customerId)}`)).notifications,
  events: async (customerId?: string) =>
    (await read<{ events: Envelope[] }>(`/events${query(customerId)}`)).events,
  rejected: async () => (await read<{ rejected: RejectedView[] }>("/rejected")).rejected,
  markReplayed: (rejectedId: string, eventId: string) =>
    post<{ replayedAs: RejectedView["replayedAs"] }>(`/rejected/${encodeURIComponent(rejectedId)}/replayed`, {
      eventId,
    }),
  /** EventBridge PutEvents, one entry: answers the new event's id, or throws with EventBridge's error. */
  async putEvent(entry: {
    source: string;
    detailType: string;
    detail: unknown;
    time?: string;
  }): Promise<string> {
    const result = await read<{
      Entries: ({ EventId: string } | { ErrorCode: string; ErrorMessage: string })[];
    }>("/", {
      method: "POST",
      headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": "AWSEvents.PutEvents" },
      body: JSON.stringify({
        Entries: [
          {
            EventBusName: "waymark",
            Source: entry.source,
            DetailType: entry.detailType,
            Detail: JSON.stringify(entry.detail),
            ...(entry.time ? { Time: entry.time } : {}),
          },
        ],
      }),
    });
    const [answer] = result.Entries;
    if (!answer || !("EventId" in answer)) {
      throw new ApiError(
        400,
        answer ? `${answer.ErrorCode}: ${answer.ErrorMessage}` : "PutEvents answered nothing",
      );
    }
    return answer.EventId;
  },
};
