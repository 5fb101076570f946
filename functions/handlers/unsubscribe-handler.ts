import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { handleUnsubscribe, type UnsubscribeDependencies } from "../use-cases/handle-unsubscribe.ts";
import { logger } from "./observability.ts";

/** Lambda function URL → RFC 8058 one-click unsubscribe. */
export function makeUnsubscribeHandler(deps: UnsubscribeDependencies) {
  return async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
    const response = await handleUnsubscribe(
      {
        method: event.requestContext.http.method,
        token: event.queryStringParameters?.token,
        requestId: event.requestContext.requestId,
      },
      deps,
    );
    logger.info("unsubscribe request", {
      method: event.requestContext.http.method,
      status: response.statusCode,
    });
    return response;
  };
}
