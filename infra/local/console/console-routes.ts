/**
 * The local API's routes for the console (docs/local-runtime.md lists them): the page and its bundle, the
 * journeys with live counts, the catalog, the customers, the next timers, marks of replayed rejected events,
 * and a stream that says when there is something new to read.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { RejectedEvent } from "../../../functions/ports/rejected-event-sink.ts";
import { HttpError, readJson, send } from "../http-io.ts";
import type { LocalApi } from "../local-api.ts";
import { catalogView } from "./catalog-view.ts";
import { serveConsoleAsset } from "./console-assets.ts";
import { journeysView } from "./journeys-view.ts";
import { envelopeIdOf, type ReplayMark } from "./rejected-view.ts";
import { timersView } from "./timers-view.ts";

/** Changes come in bursts (a clock move fires timer after timer): one message per burst is enough. */
const STREAM_COALESCE_MS = 150;

/** Handles the request when it is one of the console's routes; false otherwise. */
export async function handleConsoleRoute(
  runtime: LocalApi,
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
): Promise<boolean> {
  const method = request.method ?? "GET";
  if (method === "GET" && (await serveConsoleAsset(url.pathname, response))) return true;
  if (method === "GET" && url.pathname === "/journeys") {
    await runtime.settle();
    send(response, 200, { journeys: await journeysView(runtime) });
    return true;
  }
  if (method === "GET" && url.pathname === "/catalog") {
    send(response, 200, catalogView(runtime.catalog));
    return true;
  }
  if (method === "GET" && url.pathname === "/customers") {
    await runtime.settle();
    send(response, 200, { customers: await runtime.customerIds() });
    return true;
  }
  if (method === "GET" && url.pathname === "/timers") {
    await runtime.settle();
    const limit = Number(url.searchParams.get("limit") ?? 20);
    if (!Number.isInteger(limit) || limit < 0) throw new HttpError(400, "limit must be a whole number");
    send(response, 200, await timersView(runtime, limit));
    return true;
  }
  if (method === "GET" && url.pathname === "/stream") {
    stream(runtime, response);
    return true;
  }
  const replayed = /^\/rejected\/([^/]+)\/replayed$/.exec(url.pathname);
  if (method === "POST" && replayed) {
    await markReplayed(runtime, decodeURIComponent(replayed[1]!), request, response);
    return true;
  }
  return false;
}

/** Server-sent events: `change` whenever the runtime did something; the page then reads what it shows. */
function stream(runtime: LocalApi, response: ServerResponse): void {
  response.writeHead(200, {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-cache",
    "x-content-type-options": "nosniff",
  });
  response.write("retry: 2000\n\n");
  let pending: NodeJS.Timeout | undefined;
  const stop = runtime.watch(() => {
    pending ??= setTimeout(() => {
      pending = undefined;
      response.write(
        `event: change\ndata: ${JSON.stringify({ now: runtime.clock.now().toISOString() })}\n\n`,
      );
    }, STREAM_COALESCE_MS);
  });
  response.on("close", () => {
    stop();
    if (pending) clearTimeout(pending);
  });
}

async function markReplayed(
  runtime: LocalApi,
  rejectedId: string,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const body = (await readJson(request)) as { eventId?: unknown };
  if (typeof body.eventId !== "string" || body.eventId === "") {
    throw new HttpError(400, 'expected {"eventId": "<the EventId PutEvents answered for the fixed event>"}');
  }
  await runtime.settle();
  const rejected = await runtime.state.list<RejectedEvent>("REJECTED");
  if (!rejected.some((entry) => envelopeIdOf(entry) === rejectedId)) {
    throw new HttpError(404, `no rejected event has the id ${rejectedId}`);
  }
  const events = await runtime.state.list<{ id?: string }>("EVENT");
  if (!events.some((event) => event.id === body.eventId)) {
    throw new HttpError(
      400,
      `no event ${body.eventId} crossed the bus: put the fixed event with PutEvents first`,
    );
  }
  const mark: ReplayMark = {
    rejected: rejectedId,
    eventId: body.eventId,
    at: runtime.clock.now().toISOString(),
  };
  await runtime.state.append("REPLAY", mark);
  send(response, 200, {
    replayedAs: {
      eventId: mark.eventId,
      at: mark.at,
      outcome: rejected.some((entry) => envelopeIdOf(entry) === mark.eventId) ? "rejected" : "accepted",
    },
  });
}
