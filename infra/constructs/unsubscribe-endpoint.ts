import { Duration, RemovalPolicy, Stack, Token } from "aws-cdk-lib";
import * as apigw from "aws-cdk-lib/aws-apigateway";
import * as logs from "aws-cdk-lib/aws-logs";
import * as wafv2 from "aws-cdk-lib/aws-wafv2";
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
   * @default the stage's execute-api URL + `unsubscribe`
   */
  publicBaseUrl?: string;
  /** @default RETAIN */
  removalPolicy?: RemovalPolicy;
  /** Where the function is bundled from (the project holding the catalog). */
  project: BundlingProject;
  /** @default one month */
  logRetention?: logs.RetentionDays;
}

/** The API's one stage: the default links are `https://<api>.execute-api.<region>.<suffix>/v1/unsubscribe`. */
export const UNSUBSCRIBE_STAGE_NAME = "v1";

/** Requests per second the stage accepts, all clients together, before API Gateway answers 429. */
const THROTTLE = { rateLimit: 20, burstLimit: 40 };

/**
 * Requests one client address may make in five minutes before AWS WAF answers 429 to it, until its rate
 * falls back under the limit. A person unsubscribing makes two (the page, then the button); a mail
 * provider's one-click POSTs come from its own servers, spread over many addresses. Without it a single
 * client could spend the whole stage throttle, 6,000 requests in five minutes, and lock everybody else out:
 * with it, that takes 60 addresses, and every request the function never sees is a KMS call not paid for.
 */
const REQUESTS_PER_CLIENT_IP = 100;
const RATE_WINDOW = Duration.minutes(5);

/**
 * An unsubscribe request is a token in the query string (a valid one is well under 1,000 characters)
 * and, for a POST, the RFC 8058 body `List-Unsubscribe=One-Click`: anything much larger is refused by
 * AWS WAF before API Gateway or the function pays for it.
 */
const MAX_QUERY_STRING_BYTES = 2048;
const MAX_BODY_BYTES = 2048;

/**
 * RFC 8058 one-click unsubscribe: `GET|POST /unsubscribe?token=…` on a regional API Gateway REST API in front
 * of the unsubscribe function, behind an AWS WAF web ACL. API Gateway rather than a Lambda function URL
 * because
 * - the endpoint is public by nature: the stage throttle caps what abuse can cost in total, and the web ACL
 *   caps each client (a rate-based rule), drops addresses on AWS's IP reputation list and oversized
 *   requests. WAF attaches to REST API stages, not to HTTP APIs, hence a REST API;
 * - its URL is known without depending on the function, so the function can be told its own link base
 *   (a function URL would make the function's environment depend on the function: a cycle).
 * The signed token is the authorisation: API Gateway refuses a request without one, and the function
 * verifies it with KMS before anything else.
 */
export class UnsubscribeEndpoint extends Construct {
  readonly api: apigw.RestApi;
  readonly stage: apigw.Stage;
  readonly accessLogs: logs.LogGroup;
  readonly webAcl: wafv2.CfnWebACL;
  readonly function: WaymarkFunction;
  /** What links are built from: `<base>?token=…`. */
  readonly linkBaseUrl: string;

  constructor(scope: Construct, id: string, props: UnsubscribeEndpointProps) {
    super(scope, id);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const publicBaseUrl = props.publicBaseUrl;
    const stack = Stack.of(this);
    const name = `${props.state.busName}-unsubscribe`;
    // RFC 8058 requires HTTPS, and the handlers refuse anything else at cold start: fail at synth instead.
    if (
      publicBaseUrl !== undefined &&
      !Token.isUnresolved(publicBaseUrl) &&
      !/^https:\/\/[^/]/.test(publicBaseUrl)
    ) {
      throw new Error(`unsubscribe base URL must be an https:// URL, got ${JSON.stringify(publicBaseUrl)}`);
    }

    this.accessLogs = new logs.LogGroup(this, "AccessLogs", {
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy,
    });
    this.api = new apigw.RestApi(this, "Api", {
      restApiName: name,
      description: "Waymark one-click unsubscribe (RFC 8058)",
      endpointConfiguration: { types: [apigw.EndpointType.REGIONAL] },
      // Execution logs would need the account-wide API Gateway CloudWatch role (see the APIG6 note below).
      cloudWatchRole: false,
      deployOptions: {
        stageName: UNSUBSCRIBE_STAGE_NAME,
        throttlingRateLimit: THROTTLE.rateLimit,
        throttlingBurstLimit: THROTTLE.burstLimit,
        tracingEnabled: true,
        // No cache: every POST must reach the function, and a cached page would hold a customer's token.
        cachingEnabled: false,
        accessLogDestination: new apigw.LogGroupLogDestination(this.accessLogs),
        // The resource and method, never the path with its query: the token identifies a customer.
        accessLogFormat: apigw.AccessLogFormat.custom(
          JSON.stringify({
            requestId: "$context.requestId",
            time: "$context.requestTime",
            method: "$context.httpMethod",
            resource: "$context.resourcePath",
            status: "$context.status",
            errorType: "$context.error.responseType",
            waf: "$context.wafResponseCode",
            latencyMs: "$context.responseLatency",
            integrationError: "$context.integration.error",
            sourceIp: "$context.identity.sourceIp",
          }),
        ),
      },
    });
    this.stage = this.api.deploymentStage;
    // RestApi always adds an `Endpoint` output; the stacks output the link base instead, and an app embedding
    // Waymark should not find outputs it did not ask for.
    this.api.node.tryRemoveChild("Endpoint");
    // Built from the API's id and the stage's literal name rather than from `api.url`, which refers to the
    // stage: the stage depends on the deployment, the deployment on the methods, the methods on the function,
    // and the function's environment holds this URL.
    this.linkBaseUrl =
      publicBaseUrl ??
      `https://${this.api.restApiId}.execute-api.${stack.region}.${stack.urlSuffix}/${UNSUBSCRIBE_STAGE_NAME}/unsubscribe`;

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

    // A request without a token is refused by API Gateway (400) before the function is invoked. Bodies are
    // not modelled: the handler reads none, and WAF caps their size.
    const requireToken = this.api.addRequestValidator("RequireToken", {
      requestValidatorName: "require-token",
      validateRequestParameters: true,
      validateRequestBody: true,
    });
    const unsubscribe = this.api.root.addResource("unsubscribe");
    const integration = new apigw.LambdaIntegration(this.function.function, { allowTestInvoke: false });
    // GET shows a confirmation page (mail scanners follow links); only POST unsubscribes.
    for (const method of ["GET", "POST"]) {
      unsubscribe.addMethod(method, integration, {
        authorizationType: apigw.AuthorizationType.NONE,
        requestValidator: requireToken,
        requestParameters: { "method.request.querystring.token": true },
      });
    }
    acknowledge(
      this.api,
      "AwsSolutions-APIG4",
      "RFC 8058 one-click unsubscribe must work without a login, from a mail provider's servers; each " +
        "request carries a KMS HMAC-derived token that the function verifies before acting on it.",
    );
    acknowledge(
      this.api,
      "AwsSolutions-COG4",
      "RFC 8058 one-click unsubscribe must work without a login (no Cognito user exists for a mail " +
        "recipient); the token in the link, verified with KMS by the function, is the authorisation.",
    );
    acknowledge(
      this.stage,
      "AwsSolutions-APIG6",
      "Execution logging needs the account-wide API Gateway CloudWatch Logs role (AWS::ApiGateway::Account, " +
        "one per account and region), which a construct embedded in someone's app must not take over; the " +
        "stage's access logs (without the query string, which carries the customer's token), X-Ray traces " +
        "and the function's own logs cover every request.",
    );

    this.webAcl = new wafv2.CfnWebACL(this, "WebAcl", {
      name,
      description: "Waymark one-click unsubscribe: per-client rate limit, IP reputation, request size",
      scope: "REGIONAL",
      defaultAction: { allow: {} },
      visibilityConfig: visibility(name),
      rules: [
        {
          name: "AmazonIpReputationList",
          priority: 0,
          overrideAction: { none: {} },
          statement: {
            managedRuleGroupStatement: { vendorName: "AWS", name: "AWSManagedRulesAmazonIpReputationList" },
          },
          visibilityConfig: visibility(`${name}-ip-reputation`),
        },
        {
          name: "RequestSize",
          priority: 1,
          action: { block: { customResponse: { responseCode: 413 } } },
          statement: {
            orStatement: {
              statements: [
                sizeOver({ queryString: {} }, MAX_QUERY_STRING_BYTES),
                // A body longer than WAF inspects is oversized by definition: it matches.
                sizeOver({ body: { oversizeHandling: "MATCH" } }, MAX_BODY_BYTES),
              ],
            },
          },
          visibilityConfig: visibility(`${name}-request-size`),
        },
        {
          name: "RatePerClientIp",
          priority: 2,
          action: { block: { customResponse: { responseCode: 429 } } },
          statement: {
            rateBasedStatement: {
              aggregateKeyType: "IP",
              limit: REQUESTS_PER_CLIENT_IP,
              evaluationWindowSec: RATE_WINDOW.toSeconds(),
            },
          },
          visibilityConfig: visibility(`${name}-rate-per-ip`),
        },
      ],
    });
    new wafv2.CfnWebACLAssociation(this, "WebAclAssociation", {
      resourceArn: this.stage.stageArn,
      webAclArn: this.webAcl.attrArn,
    });
  }
}

/**
 * CloudWatch metrics for the web ACL and each rule. Sampled requests stay off: they show the full request
 * in the console, query string included, and the query string is the customer's token.
 */
function visibility(metricName: string): wafv2.CfnWebACL.VisibilityConfigProperty {
  return { cloudWatchMetricsEnabled: true, metricName, sampledRequestsEnabled: false };
}

function sizeOver(
  fieldToMatch: wafv2.CfnWebACL.FieldToMatchProperty,
  bytes: number,
): wafv2.CfnWebACL.StatementProperty {
  return {
    sizeConstraintStatement: {
      fieldToMatch,
      comparisonOperator: "GT",
      size: bytes,
      textTransformations: [{ priority: 0, type: "NONE" }],
    },
  };
}
