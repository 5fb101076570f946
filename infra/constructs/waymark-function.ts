import { Duration, RemovalPolicy } from "aws-cdk-lib";
import * as iam from "aws-cdk-lib/aws-iam";
import * as lambda from "aws-cdk-lib/aws-lambda";
import {
  type BundlingOptions,
  Charset,
  LogLevel,
  NodejsFunction,
  OutputFormat,
} from "aws-cdk-lib/aws-lambda-nodejs";
import * as logs from "aws-cdk-lib/aws-logs";
import { Construct } from "constructs";
import { EnvName } from "../../functions/config/env-names.ts";
import { packageModule } from "./catalog-module.ts";
import { acknowledgeWildcardResource } from "./nag.ts";

/** The SDK's default credential chain, and the environment-only provider that replaces it in bundles. */
export const CREDENTIAL_CHAIN_MODULE = "@aws-sdk/credential-provider-node";
export const LAMBDA_CREDENTIALS_MODULE = packageModule("functions/bundling/lambda-credentials");

/** Absolute path of a Lambda entry module of the package that needs no catalog (it exports `handler`). */
export function handlerEntry(name: "notifier" | "unsubscribe" | "email-sender" | "feedback"): string {
  return packageModule(`functions/handlers/${name}`);
}

/**
 * Where functions are bundled from: the project that holds the catalog (its lock file's directory). In
 * this repository that is the repository itself; in a team's CDK app, the team's project.
 */
export interface BundlingProject {
  projectRoot: string;
  depsLockFilePath: string;
}

/** A setting a function reads at cold start; its variable name comes from `EnvName`. */
export type Setting = keyof typeof EnvName;

/** The runtime the repository is developed and tested on (`.nvmrc`, `engines`); bundles target it too. */
export const WAYMARK_RUNTIME = lambda.Runtime.NODEJS_24_X;

/**
 * esbuild options shared by every function (and reusable by scripts that measure bundles the same way CDK
 * builds them). Cold start is dominated by how much JavaScript is parsed, so:
 * - the SDK is bundled rather than taken from the runtime: only the commands we import survive
 *   tree-shaking, and the version is the one the tests ran against;
 * - `module` is preferred over `main` so packages that ship both (the SDK, Powertools, middy) contribute
 *   their ESM builds, which tree-shake; the banner gives the CommonJS stragglers a `require`;
 * - UTF-8 output keeps Korean message templates at one byte-sequence per character instead of `\uXXXX`.
 * - inside Lambda the role's credentials are always in the environment, so the SDK's default
 *   credential chain is swapped for the environment provider alone (functions/bundling): SSO, INI,
 *   web-identity and IMDS providers and the STS/SSO clients behind them can never win there;
 * No source maps: they would double the artefact and `--enable-source-maps` slows every cold start.
 */
export const waymarkBundling: BundlingOptions = {
  format: OutputFormat.ESM,
  target: "node24",
  minify: true,
  sourceMap: false,
  bundleAwsSDK: true,
  mainFields: ["module", "main"],
  charset: Charset.UTF8,
  banner:
    'import{createRequire as __waymarkCreateRequire}from"node:module";' +
    "const require=__waymarkCreateRequire(import.meta.url);",
  forceDockerBundling: false,
  esbuildArgs: { [`--alias:${CREDENTIAL_CHAIN_MODULE}`]: LAMBDA_CREDENTIALS_MODULE },
  logLevel: LogLevel.ERROR,
};

export interface WaymarkFunctionProps {
  /** Absolute path of the entry module; it must export `handler`. */
  entry: string;
  /** Where bundling runs; the entry and every module it imports must be inside `projectRoot`. */
  project: BundlingProject;
  /** What the function does, shown in the console next to its generated name. */
  description: string;
  /** @default 256 */
  memorySize?: number;
  /** @default 30 seconds */
  timeout?: Duration;
  /** @default one month */
  logRetention?: logs.RetentionDays;
  /** What happens to the log group when the function is removed. @default RETAIN */
  removalPolicy?: RemovalPolicy;
}

/**
 * Waymark's only way to make a Lambda function: Node.js 24 on arm64 (Graviton: a 20 % lower price per
 * GB-second than x86), a minified ESM bundle, X-Ray tracing, JSON logs into a log group
 * with a retention, and a role of its own that starts empty. Permissions are added with the `grant…`
 * helpers in `grants.ts`, each of which also sets the environment variable the handler reads, so a
 * function never gets a setting without the permission to use it or the other way round.
 */
export class WaymarkFunction extends Construct {
  readonly function: NodejsFunction;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: WaymarkFunctionProps) {
    super(scope, id);

    this.logGroup = new logs.LogGroup(this, "Logs", {
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });

    // An explicit role instead of the default one, which would carry the AWS managed
    // AWSLambdaBasicExecutionRole policy (logs:CreateLogGroup/PutLogEvents on every log group).
    this.role = new iam.Role(this, "Role", {
      assumedBy: new iam.ServicePrincipal("lambda.amazonaws.com"),
      description: `Execution role of ${props.description}`,
    });
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: "WriteOwnLogs",
        actions: ["logs:CreateLogStream", "logs:PutLogEvents"],
        resources: [this.logGroup.logGroupArn],
      }),
    );

    this.function = new NodejsFunction(this, "Function", {
      entry: props.entry,
      handler: "handler",
      description: props.description,
      runtime: WAYMARK_RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 256,
      timeout: props.timeout ?? Duration.seconds(30),
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      applicationLogLevelV2: lambda.ApplicationLogLevel.INFO,
      systemLogLevelV2: lambda.SystemLogLevel.WARN,
      tracing: lambda.Tracing.ACTIVE,
      projectRoot: props.project.projectRoot,
      depsLockFilePath: props.project.depsLockFilePath,
      bundling: waymarkBundling,
    });

    // X-Ray needs these on "*"; acknowledged on the role, so it covers the role's default policy only.
    acknowledgeWildcardResource(
      this.role,
      "*",
      "X-Ray active tracing: xray:PutTraceSegments and xray:PutTelemetryRecords do not support " +
        "resource-level permissions, so Lambda's tracing statement must name Resource '*'.",
    );
  }

  /** Sets the environment variable the handler reads for `setting` (names come from `EnvName`). */
  setEnvironment(setting: Setting, value: string): void {
    this.function.addEnvironment(EnvName[setting], value);
  }

  addToRolePolicy(statement: iam.PolicyStatement): void {
    this.role.addToPrincipalPolicy(statement);
  }
}
