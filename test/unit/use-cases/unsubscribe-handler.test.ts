/**
 * The unsubscribe Lambda's edge: the deployed endpoint is an API Gateway REST API (Lambda proxy, payload 1.0,
 * so that AWS WAF can sit in front of it); an HTTP API or function URL sends payload 2.0. Both reach the same
 * use case with the same method, token and request id.
 */
import type { APIGatewayProxyEvent, APIGatewayProxyEventV2 } from "aws-lambda";
import { describe, expect, it } from "vitest";
import { HmacTokenSigner } from "../../../functions/adapters/hmac-token-signer.ts";
import { stableId } from "../../../functions/core/ids.ts";
import { makeUnsubscribeHandler } from "../../../functions/handlers/unsubscribe-handler.ts";
import type { EmittedEvent } from "../../../functions/ports/event-emitter.ts";
import { UnsubscribeLinks } from "../../../functions/use-cases/unsubscribe-links.ts";

const links = new UnsubscribeLinks(
  new HmacTokenSigner(Buffer.alloc(32, 7)),
  "https://unsub.example.com/v1/unsubscribe",
);
const now = new Date("2026-12-04T10:00:00Z");

function handler() {
  const emitted: EmittedEvent[] = [];
  const handle = makeUnsubscribeHandler({
    links,
    optOuts: { emit: async (events: readonly EmittedEvent[]) => void emitted.push(...events) },
    clock: () => now,
  });
  return { emitted, handle };
}

async function tokenFor(customerId: string): Promise<string> {
  return new URL(await links.url(customerId, "email", now)).searchParams.get("token")!;
}

/** What API Gateway's REST API sends with Lambda proxy integration (payload 1.0). */
function restEvent(method: string, token: string | undefined, requestId: string): APIGatewayProxyEvent {
  return {
    resource: "/unsubscribe",
    path: "/unsubscribe",
    httpMethod: method,
    headers: { "content-type": "application/x-www-form-urlencoded" },
    multiValueHeaders: {},
    queryStringParameters: token === undefined ? null : { token },
    multiValueQueryStringParameters: token === undefined ? null : { token: [token] },
    pathParameters: null,
    stageVariables: null,
    body: method === "POST" ? "List-Unsubscribe=One-Click" : null,
    isBase64Encoded: false,
    requestContext: {
      requestId,
      httpMethod: method,
      resourcePath: "/unsubscribe",
      stage: "v1",
    } as APIGatewayProxyEvent["requestContext"],
  };
}

/** What an HTTP API or a function URL sends (payload 2.0). */
function httpApiEvent(method: string, token: string, requestId: string): APIGatewayProxyEventV2 {
  return {
    version: "2.0",
    routeKey: `${method} /unsubscribe`,
    rawPath: "/unsubscribe",
    rawQueryString: `token=${token}`,
    headers: {},
    queryStringParameters: { token },
    isBase64Encoded: false,
    requestContext: { requestId, http: { method } } as APIGatewayProxyEventV2["requestContext"],
  };
}

describe("unsubscribe handler", () => {
  it("unsubscribes on a REST API (payload 1.0) POST, keyed by API Gateway's request id", async () => {
    const { emitted, handle } = handler();
    const response = await handle(restEvent("POST", await tokenFor("c-1"), "rest-req-1"));
    expect(response.statusCode).toBe(200);
    expect(response.headers).toMatchObject({ "content-type": "text/html; charset=utf-8" });
    expect(emitted).toEqual([
      expect.objectContaining({
        detailType: "CustomerProfileUpdated",
        detail: expect.objectContaining({
          customerId: "c-1",
          consent: { marketingEmail: false },
          eventId: `unsubscribe-email-${stableId("c-1", "rest-req-1")}`,
        }),
      }),
    ]);
  });

  it("shows the confirmation page on a REST API GET and unsubscribes nobody", async () => {
    const { emitted, handle } = handler();
    const response = await handle(restEvent("GET", await tokenFor("c-2"), "rest-req-2"));
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('method="post"');
    expect(emitted).toEqual([]);
  });

  it("answers a REST API request without a query string 400, and another method 405", async () => {
    const { emitted, handle } = handler();
    expect((await handle(restEvent("POST", undefined, "r"))).statusCode).toBe(400);
    expect((await handle(restEvent("DELETE", await tokenFor("c-3"), "r"))).statusCode).toBe(405);
    expect(emitted).toEqual([]);
  });

  it("still accepts the HTTP API / function URL payload (2.0)", async () => {
    const { emitted, handle } = handler();
    const response = await handle(httpApiEvent("POST", await tokenFor("c-4"), "http-req-1"));
    expect(response.statusCode).toBe(200);
    expect(emitted[0]?.detail).toMatchObject({
      customerId: "c-4",
      eventId: `unsubscribe-email-${stableId("c-4", "http-req-1")}`,
    });
  });
});
