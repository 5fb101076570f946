import { Duration, RemovalPolicy, Token } from "aws-cdk-lib";
import { AccessLogFormat } from "aws-cdk-lib/aws-apigateway";
import * as apigw from "aws-cdk-lib/aws-apigatewayv2";
import { HttpLambdaIntegration } from "aws-cdk-lib/aws-apigatewayv2-integrations";
import * as logs from "aws-cdk-lib/aws-logs";
import { Construct } from "constructs";
import { grantPutEvents, grantUnsubscribeLinks } from "./grants.ts";
import { acknowledge } from "./nag.ts";
import { type BundlingProject, handlerEntry, WaymarkFunction } from "./waymark-function.ts";
import type { WaymarkStateResources } from "./waymark-state.ts";

export interface UnsubscribeEndpointProps {
  state: WaymarkStateResources;
  /**
   * The public base URL of unsubscribe links, when a custom domain (CloudFront, an API Gateway domain
   * name) routes to this endpoint. Links live in customers' mailboxes for years: a domain you own keeps
   * them working even if the runtime stack is ever recreated.
   * @default the HTTP API's execute-api URL + `/unsubscribe`
   */
  publicBaseUrl?: string;
  /** @default RETAIN */
  removalPolicy?: RemovalPolicy;
  /** Where the function is bundled from (the project holding the catalog). */
  project: BundlingProject;
  /** @default one month */
  logRetention?: logs.RetentionDays;
}

/** Requests per second the public endpoint accepts before API Gateway answers 429 (a click is one or two). */
const THROTTLE = { rateLimit: 20, burstLimit: 40 };

/**
 * RFC 8058 one-click unsubscribe: `GET|POST /unsubscribe?token=…` on an API Gateway HTTP API in front of
 * the unsubscribe function. API Gateway rather than a Lambda function URL because
 * - the endpoint is public by nature, and a stage throttle caps what abuse can cost;
 * - its URL is known without depending on the function, so the function can be told its own link base
 *   (a function URL would make the function's environment depend on the function: a cycle).
 * The signed token is the authorisation: the function verifies its HMAC with KMS before anything else.
 */
export class UnsubscribeEndpoint extends Construct {
  readonly api: apigw.HttpApi;
  readonly stage: apigw.HttpStage;
  readonly accessLogs: logs.LogGroup;
  readonly function: WaymarkFunction;
  /** What links are built from: `<base>?token=…`. */
  readonly linkBaseUrl: string;

  constructor(scope: Construct, id: string, props: UnsubscribeEndpointProps) {
    super(scope, id);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const publicBaseUrl = props.publicBaseUrl;
    // RFC 8058 requires HTTPS, and the handlers refuse anything else at cold start: fail at synth instead.
    if (
      publicBaseUrl !== undefined &&
      !Token.isUnresolved(publicBaseUrl) &&
      !/^https:\/\/[^/]/.test(publicBaseUrl)
    ) {
      throw new Error(`unsubscribe base URL must be an https:// URL, got ${JSON.stringify(publicBaseUrl)}`);
    }

    this.api = new apigw.HttpApi(this, "Api", {
      apiName: `${props.state.busName}-unsubscribe`,
      description: "Waymark one-click unsubscribe (RFC 8058)",
      createDefaultStage: false,
    });
    this.accessLogs = new logs.LogGroup(this, "AccessLogs", {
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy,
    });
    this.stage = new apigw.HttpStage(this, "Stage", {
      httpApi: this.api,
      stageName: "$default",
      autoDeploy: true,
      throttle: THROTTLE,
      accessLogSettings: {
        destination: new apigw.LogGroupLogDestination(this.accessLogs),
        // The route key, never the path with its query: the token identifies a customer.
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: "$context.requestId",
            time: "$context.requestTime",
            route: "$context.routeKey",
            status: "$context.status",
            latencyMs: "$context.responseLatency",
            integrationError: "$context.integrationErrorMessage",
            sourceIp: "$context.identity.sourceIp",
          }),
        ),
      },
    });
    this.linkBaseUrl = publicBaseUrl ?? `${this.api.apiEndpoint}/unsubscribe`;

    this.function = new WaymarkFunction(this, "Function", {
      entry: handlerEntry("unsubscribe"),
      description: "Waymark unsubscribe: verifies a one-click unsubscribe link and records the opt-out",
      timeout: Duration.seconds(10),
      removalPolicy,
      project: props.project,
      ...(props.logRetention ? { logRetention: props.logRetention } : {}),
    });
    grantPutEvents(this.function, props.state.bus);
    grantUnsubscribeLinks(this.function, props.state.unsubscribeKey, this.linkBaseUrl, "open");

    this.api.addRoutes({
      path: "/unsubscribe",
      // GET shows a confirmation page (mail scanners follow links); only POST unsubscribes.
      methods: [apigw.HttpMethod.GET, apigw.HttpMethod.POST],
      integration: new HttpLambdaIntegration("Unsubscribe", this.function.function),
    });
    acknowledge(
      this.api,
      "AwsSolutions-APIG4",
      "RFC 8058 one-click unsubscribe must work without a login, from a mail provider's servers; each " +
        "request carries a KMS HMAC-signed token that the function verifies before acting on it.",
    );
  }
}
