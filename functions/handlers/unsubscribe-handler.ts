import type {
  APIGatewayProxyEvent,
  APIGatewayProxyEventV2,
  APIGatewayProxyResult,
  APIGatewayProxyStructuredResultV2,
} from "aws-lambda";
import { handleUnsubscribe, type UnsubscribeDependencies } from "../use-cases/handle-unsubscribe.ts";
import { logger } from "./observability.ts";

/**
 * What invokes the function: an API Gateway REST API (Lambda proxy, payload 1.0: the deployed endpoint, behind
 * AWS WAF) or an HTTP API or function URL (payload 2.0). The two carry the method in different places.
 */
export type UnsubscribeEvent = APIGatewayProxyEvent | APIGatewayProxyEventV2;

/** API Gateway or a function URL → RFC 8058 one-click unsubscribe. */
export function makeUnsubscribeHandler(deps: UnsubscribeDependencies) {
  return async (
    event: UnsubscribeEvent,
  ): Promise<APIGatewayProxyResult & APIGatewayProxyStructuredResultV2> => {
    const method = "httpMethod" in event ? event.httpMethod : event.requestContext.http.method;
    const response = await handleUnsubscribe(
      {
        method,
        token: event.queryStringParameters?.token,
        requestId: event.requestContext.requestId,
      },
      deps,
    );
    logger.info("unsubscribe request", { method, status: response.statusCode });
    return response;
  };
}
