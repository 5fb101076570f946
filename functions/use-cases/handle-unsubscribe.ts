import { stableId } from "../core/ids.ts";
import { ExpiredUnsubscribeTokenError, InvalidUnsubscribeTokenError } from "../core/unsubscribe-token.ts";
import type { EventEmitter } from "../ports/event-emitter.ts";
import type { UnsubscribeLinks } from "./unsubscribe-links.ts";

export interface UnsubscribeRequest {
  method: string;
  token: string | undefined;
  /**
   * The request's own id (API Gateway's requestId): every unsubscribe is its own input, so unsubscribing
   * again after re-subscribing is not mistaken for a duplicate of the first one.
   */
  requestId: string;
}

export interface UnsubscribeResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

export interface UnsubscribeDependencies {
  links: UnsubscribeLinks;
  /**
   * Records the opt-out on the bus (source `waymark.unsubscribe`, which the inbound rule
   * routes like any producer's event) so the engine updates the customer's consent.
   */
  optOuts: EventEmitter;
  clock: () => Date;
}

const html = (title: string, body: string): string =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">` +
  `<title>${title}</title></head><body><main><h1>${title}</h1>${body}</main></body></html>`;

const page = (statusCode: number, title: string, body: string): UnsubscribeResponse => ({
  statusCode,
  headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" },
  body: html(title, body),
});

/**
 * RFC 8058 one-click unsubscribe. A POST with a valid token records the opt-out and answers
 * 200 with no redirect and no cookie; repeating it is harmless (an opt-out is final, and the
 * engine keeps the first). A GET never unsubscribes — mail scanners follow links — it shows a
 * page whose button sends the POST.
 */
export async function handleUnsubscribe(
  request: UnsubscribeRequest,
  deps: UnsubscribeDependencies,
): Promise<UnsubscribeResponse> {
  const method = request.method.toUpperCase();
  if (method !== "GET" && method !== "POST") {
    return { statusCode: 405, headers: { allow: "GET, POST" }, body: "" };
  }
  if (!request.token)
    return page(400, "Link incomplete", "<p>This unsubscribe link is missing its token.</p>");
  let payload: Awaited<ReturnType<UnsubscribeLinks["verify"]>>;
  try {
    payload = await deps.links.verify(request.token, deps.clock());
  } catch (error) {
    if (error instanceof ExpiredUnsubscribeTokenError) {
      return page(
        410,
        "Link expired",
        "<p>This unsubscribe link has expired. Please use the link from a recent email from us.</p>",
      );
    }
    if (error instanceof InvalidUnsubscribeTokenError) {
      return page(
        403,
        "Link not valid",
        "<p>This unsubscribe link is not valid. Please use the link from your email.</p>",
      );
    }
    throw error;
  }
  if (method === "GET") {
    const token = request.token.replace(/[^A-Za-z0-9_.-]/g, "");
    return page(
      200,
      "Unsubscribe",
      `<p>Stop marketing email from us?</p><form method="post" action="?token=${token}">` +
        `<input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">Unsubscribe</button></form>`,
    );
  }
  const now = deps.clock();
  // List-Unsubscribe is about the mailing list: marketing consent for the channel is withdrawn,
  // while service and safety messages (order updates, recalls) still reach the customer.
  await deps.optOuts.emit([
    {
      detailType: "CustomerProfileUpdated",
      detail: {
        customerId: payload.customerId,
        consent: payload.channel === "email" ? { marketingEmail: false } : { marketingSms: false },
        // One id per request: a retried delivery of this request is one input, a later unsubscribe another.
        eventId: `unsubscribe-${payload.channel}-${stableId(payload.customerId, request.requestId)}`,
        occurredAt: now.toISOString(),
      },
    },
  ]);
  return page(
    200,
    "Unsubscribed",
    `<p>You will no longer receive marketing ${payload.channel === "email" ? "email" : "text messages"} from us. ` +
      "Messages about your orders and your safety will still reach you.</p>",
  );
}
