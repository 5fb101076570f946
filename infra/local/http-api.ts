import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { durationMs, isDuration } from "../../functions/core/time/duration.ts";
import type { RejectedEvent } from "../../functions/ports/rejected-event-sink.ts";
import { handleConsoleRoute } from "./console/console-routes.ts";
import { type ReplayMark, rejectedView } from "./console/rejected-view.ts";
import { compileEventPattern, InvalidEventPatternError } from "./event-pattern.ts";
import { HttpError, readJson, send } from "./http-io.ts";
import {
  ClockConflictError,
  type FeedbackRequest,
  type LocalApi,
  type PutEventsEntry,
  UnknownNotificationError,
} from "./local-api.ts";

/**
 * The local runtime's HTTP API (docs/local-runtime.md): EventBridge's PutEvents and TestEventPattern
 * on `POST /` (AWS JSON 1.1, so the real EventBridgeClient works with `endpoint` set), and the
 * JSON endpoints to read the outbox, events, rejected inputs and customers, and move the clock.
 * Reads wait until the pipeline is quiet, so what you read reflects everything you put.
 */
export function serveHttpApi(runtime: LocalApi, port: number): Promise<Server> {
  const server = createServer((request, response) => {
    handle(runtime, request, response).catch((error: unknown) => {
      send(response, 500, { message: (error as Error).message });
    });
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve(server));
  });
}

async function handle(runtime: LocalApi, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const url = new URL(request.url ?? "/", "http://127.0.0.1");
  const method = request.method ?? "GET";
  try {
    if (method === "POST" && url.pathname === "/") return await awsJson(runtime, request, response);
    // ?customerId= keeps one customer's entries (the console's customer view reads them so).
    const customerId = url.searchParams.get("customerId");
    if (method === "GET" && url.pathname === "/outbox") {
      await runtime.settle();
      const notifications = await runtime.state.list<{ customerId: string }>("OUTBOX");
      return send(response, 200, {
        notifications:
          customerId === null ? notifications : notifications.filter((n) => n.customerId === customerId),
      });
    }
    if (method === "GET" && url.pathname === "/events") {
      await runtime.settle();
      const events = await runtime.state.list<{ detail?: { customerId?: unknown } }>("EVENT");
      return send(response, 200, {
        events: customerId === null ? events : events.filter((e) => e.detail?.customerId === customerId),
      });
    }
    if (method === "GET" && url.pathname === "/rejected") {
      await runtime.settle();
      const rejected = await runtime.state.list<RejectedEvent>("REJECTED");
      const marks = await runtime.state.list<ReplayMark>("REPLAY");
      return send(response, 200, { rejected: rejectedView(rejected, marks) });
    }
    if (method === "GET" && url.pathname === "/dead-letters") {
      await runtime.settle();
      return send(response, 200, { deadLetters: runtime.deadLetters });
    }
    if (method === "POST" && url.pathname === "/dead-letters/replay") {
      const body = (await readJson(request)) as { ids?: unknown };
      if (
        body.ids !== undefined &&
        !(Array.isArray(body.ids) && body.ids.every((id) => typeof id === "string"))
      ) {
        throw new HttpError(
          400,
          'ids must be a list of dead-letter ids, e.g. {"ids": ["…"]}; leave it out to replay all',
        );
      }
      const replayed = await runtime.replayDeadLetters(body.ids as string[] | undefined);
      return send(response, 200, { replayed, deadLetters: runtime.deadLetters });
    }
    const analytics = /^\/analytics\/journeys\/([^/]+)$/.exec(url.pathname);
    if (method === "GET" && analytics) {
      const journeyId = decodeURIComponent(analytics[1]!);
      const measured = await runtime.journeyMeasurements(journeyId);
      if (!measured) throw new HttpError(404, `the catalog has no journey ${journeyId}`);
      return send(response, 200, measured);
    }
    const customer = /^\/customers\/([^/]+)$/.exec(url.pathname);
    if (method === "GET" && customer)
      return await customerView(runtime, decodeURIComponent(customer[1]!), response);
    if (url.pathname === "/clock" && method === "GET") {
      await runtime.settle();
      return send(response, 200, await clockView(runtime));
    }
    if (url.pathname === "/clock" && method === "POST") return await moveClock(runtime, request, response);
    if (url.pathname === "/unsubscribe" && (method === "GET" || method === "POST")) {
      const answer = await runtime.unsubscribe(method, url.searchParams.get("token") ?? undefined);
      response.writeHead(answer.statusCode, answer.headers);
      response.end(answer.body);
      return;
    }
    if (url.pathname === "/feedback" && method === "POST") {
      const feedback = parseFeedback(await readJson(request));
      try {
        return send(response, 202, await runtime.feedback(feedback));
      } catch (error) {
        if (error instanceof UnknownNotificationError) throw new HttpError(404, error.message);
        throw error;
      }
    }
    if (url.pathname === "/reset" && method === "POST") {
      await runtime.reset();
      return send(response, 200, { reset: true, ...(await clockView(runtime)) });
    }
    if (await handleConsoleRoute(runtime, request, response, url)) return;
    throw new HttpError(
      404,
      `no route for ${method} ${url.pathname}; see docs/local-runtime.md for the local API`,
    );
  } catch (error) {
    if (error instanceof HttpError) return send(response, error.status, { message: error.message });
    throw error;
  }
}

const FEEDBACK_TYPES = ["delivered", "bounced", "complained", "opened", "clicked", "failed"] as const;

/** `POST /feedback`'s body, checked field by field. */
function parseFeedback(body: unknown): FeedbackRequest {
  const input = (typeof body === "object" && body !== null ? body : {}) as Record<string, unknown>;
  const { notificationId, type, bounceType, link, reason } = input;
  if (typeof notificationId !== "string" || notificationId === "")
    throw new HttpError(400, "notificationId: required (the id of a sent message in GET /outbox)");
  if (typeof type !== "string" || !(FEEDBACK_TYPES as readonly string[]).includes(type))
    throw new HttpError(400, `type: expected one of ${FEEDBACK_TYPES.join(", ")}`);
  if (type === "bounced" && bounceType !== "hard" && bounceType !== "soft")
    throw new HttpError(400, 'bounceType: "hard" or "soft" is required for a bounce');
  if (link !== undefined && typeof link !== "string") throw new HttpError(400, "link: expected a URL");
  if (reason !== undefined && typeof reason !== "string") throw new HttpError(400, "reason: expected text");
  return {
    notificationId,
    type: type as FeedbackRequest["type"],
    ...(type === "bounced" ? { bounceType: bounceType as "hard" | "soft" } : {}),
    ...(link !== undefined ? { link: link as string } : {}),
    ...(reason !== undefined ? { reason: reason as string } : {}),
  };
}

async function clockView(runtime: LocalApi) {
  return { now: runtime.clock.now().toISOString(), pendingTimers: await runtime.pendingTimers() };
}

async function moveClock(
  runtime: LocalApi,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const body = (await readJson(request)) as { advance?: unknown; set?: unknown };
  try {
    if (typeof body.advance === "string" && isDuration(body.advance) && durationMs(body.advance) >= 0) {
      await runtime.advance(body.advance);
    } else if (typeof body.set === "string" && !Number.isNaN(Date.parse(body.set))) {
      await runtime.set(new Date(body.set));
    } else {
      throw new HttpError(
        400,
        'expected {"advance": "<ISO-8601 duration, e.g. P2D>"} or {"set": "<ISO time>"}',
      );
    }
  } catch (error) {
    if (error instanceof ClockConflictError) throw new HttpError(409, error.message);
    throw error;
  }
  await runtime.settle();
  send(response, 200, await clockView(runtime));
}

async function customerView(runtime: LocalApi, customerId: string, response: ServerResponse): Promise<void> {
  await runtime.settle();
  const stored = await runtime.customers.load(customerId);
  if (!stored) throw new HttpError(404, `Waymark knows nothing about customer ${customerId} yet`);
  const { state } = stored;
  send(response, 200, {
    customerId,
    profile: state.profile,
    context: {
      consent: state.consent,
      optOuts: state.optOuts,
      // Channels closed by bounces or complaints, and soft bounces in a row (docs/delivery-policy.md).
      channelClosures: state.channelClosures ?? {},
      softBounces: state.softBounces ?? {},
      orders: state.orders,
      recentSends: state.sends,
      // Facts the catalog's own events keep (their context hooks): customer.attributes in journeys.
      attributes: state.attributes ?? {},
      ...(state.lastLocation ? { lastLocation: state.lastLocation } : {}),
      ...(state.awayDays ? { awayDays: state.awayDays } : {}),
      ...(state.usage ? { usage: state.usage } : {}),
    },
    instances: state.instances,
    timeline: state.timeline,
    notifications: await runtime.notifications.listForCustomer(customerId),
    version: stored.version,
  });
}

/** EventBridge's AWS JSON 1.1 operations, dispatched on X-Amz-Target. */
async function awsJson(runtime: LocalApi, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const target = String(request.headers["x-amz-target"] ?? "");
  const body = (await readJson(request)) as Record<string, unknown>;
  switch (target) {
    case "AWSEvents.PutEvents": {
      const entries = body.Entries;
      if (!Array.isArray(entries) || entries.length === 0 || entries.length > 10) {
        return awsError(response, "ValidationException", "Entries must hold 1 to 10 entries");
      }
      return send(response, 200, await runtime.putEvents(entries as PutEventsEntry[]), AWS_JSON);
    }
    case "AWSEvents.TestEventPattern": {
      try {
        const event = JSON.parse(String(body.Event));
        return send(
          response,
          200,
          { Result: compileEventPattern(String(body.EventPattern)).matches(event) },
          AWS_JSON,
        );
      } catch (error) {
        if (error instanceof InvalidEventPatternError) {
          return awsError(response, "InvalidEventPatternException", error.message);
        }
        return awsError(response, "ValidationException", "Event must be a JSON object");
      }
    }
    default:
      return awsError(
        response,
        "UnknownOperationException",
        `operation ${target || "(none)"} is not supported locally`,
      );
  }
}

const AWS_JSON = "application/x-amz-json-1.1";

function awsError(response: ServerResponse, type: string, message: string): void {
  send(response, 400, { __type: type, message }, AWS_JSON);
}
