import {
  App,
  type AppProps,
  Duration,
  type Environment,
  RemovalPolicy,
  Tags,
  Validations,
} from "aws-cdk-lib";
import { AwsSolutionsChecks } from "cdk-nag";
import { WaymarkStatefulStack } from "./stacks/stateful-stack.ts";
import { WaymarkStatelessStack } from "./stacks/stateless-stack.ts";
import { loadCatalogModule, resolveCatalogFile, type WaymarkProps } from "./waymark.ts";

export const STATE_STACK_NAME = "Waymark-State";
export const RUNTIME_STACK_NAME = "Waymark-Runtime";

export interface BuildAppOptions {
  /** Passed to `new App()`: `outdir`, `context`… */
  app?: AppProps;
  /**
   * @default the CLI's current account and region when it has credentials, else environment-agnostic
   * stacks (synth needs no AWS account; nothing in Waymark looks anything up)
   */
  env?: Environment;
  /** Overrides the `waymark:*` context values (see `settingsFromContext`). */
  waymark?: WaymarkProps;
  /** Run cdk-nag's AWS Solutions checks. @default true */
  nag?: boolean;
}

export interface WaymarkApp {
  app: App;
  state: WaymarkStatefulStack;
  runtime: WaymarkStatelessStack;
}

/**
 * The Waymark CDK app: a stateful and a stateless stack, checked by cdk-nag. Used by `infra/app.ts` and by
 * the tests, which synthesize in-process.
 */
export function buildApp(options: BuildAppOptions = {}): WaymarkApp {
  const app = new App(options.app);
  const settings = { ...settingsFromContext(app), ...options.waymark };
  const env = options.env ?? {
    account: process.env.CDK_DEFAULT_ACCOUNT,
    region: process.env.CDK_DEFAULT_REGION,
  };

  const catalogFile = resolveCatalogFile(settings.catalog);
  const catalog = loadCatalogModule(catalogFile);
  const state = new WaymarkStatefulStack(app, STATE_STACK_NAME, {
    catalog,
    env,
    description: "Waymark: customer data, event bus, topics, keys, schema registry and pending timers",
    busName: settings.busName,
    allowedAccounts: settings.allowedAccounts,
    organizationId: settings.organizationId,
    removalPolicy: settings.removalPolicy,
    deletionProtection: settings.deletionProtection,
    archiveRetention: settings.archiveRetention,
    alarmEmail: settings.alarmEmail,
    facts: settings.facts,
  });
  const runtime = new WaymarkStatelessStack(app, RUNTIME_STACK_NAME, {
    env,
    description:
      "Waymark: ingest, engine, notifier and unsubscribe functions; queues, rules, endpoint, alarms",
    state: state.state,
    catalog: { file: catalogFile, catalog },
    smsSenderId: settings.smsSenderId,
    sms: settings.sms,
    email: settings.email,
    unsubscribeBaseUrl: settings.unsubscribeBaseUrl,
    linkBaseUrl: settings.linkBaseUrl,
    globalEventSources: settings.globalEventSources,
    notifierMaxConcurrency: settings.notifierMaxConcurrency,
    removalPolicy: settings.removalPolicy,
    logRetention: settings.logRetention,
  });
  Tags.of(app).add("project", "waymark");
  // cdk-nag 3 is a policy-validation plugin: synth fails, with the report, on any unacknowledged finding.
  if (options.nag ?? true) Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  return { app, state, runtime };
}

/**
 * Deploy-time settings without editing code: `cdk deploy -c waymark:alarmEmail=ops@example.com
 * -c waymark:allowedAccounts=111111111111,222222222222 -c waymark:removalPolicy=destroy`.
 */
export function settingsFromContext(app: App): WaymarkProps {
  const text = (key: string): string | undefined => {
    const value: unknown = app.node.tryGetContext(`waymark:${key}`);
    if (value === undefined || value === null || value === "") return undefined;
    if (typeof value !== "string") throw new Error(`context waymark:${key} must be a string`);
    return value;
  };
  /** A whole number in [min, max] from context (the CLI passes `-c` values as strings). */
  const whole = (key: string, min: number, max: number): number | undefined => {
    const value = text(key);
    if (value === undefined) return undefined;
    const number = Number(value);
    if (!Number.isInteger(number) || number < min || number > max) {
      throw new Error(
        `context waymark:${key} must be a whole number from ${min} to ${max}, got ${JSON.stringify(value)}`,
      );
    }
    return number;
  };
  const days = (key: string): Duration | undefined => {
    const value = whole(key, 1, 3650);
    return value === undefined ? undefined : Duration.days(value);
  };
  /** A group of settings, when any of them is set. */
  const optional = <T extends Record<string, unknown>>(group: T): T | undefined =>
    Object.values(group).some((value) => value !== undefined)
      ? (Object.fromEntries(Object.entries(group).filter(([, value]) => value !== undefined)) as T)
      : undefined;
  const emailFrom = text("emailFrom");
  const emailIdentityArn = text("emailIdentityArn");
  if (emailIdentityArn !== undefined && emailFrom === undefined)
    throw new Error("context waymark:emailIdentityArn needs waymark:emailFrom, the address email comes from");
  const accounts: unknown = app.node.tryGetContext("waymark:allowedAccounts");
  const removal = text("removalPolicy");
  if (removal !== undefined && removal !== "retain" && removal !== "destroy") {
    throw new Error(
      `context waymark:removalPolicy must be "retain" or "destroy", got ${JSON.stringify(removal)}`,
    );
  }
  return {
    catalog: text("catalog"),
    busName: text("busName"),
    allowedAccounts: Array.isArray(accounts)
      ? accounts.map(String)
      : typeof accounts === "string" && accounts !== ""
        ? accounts.split(",").map((account) => account.trim())
        : undefined,
    organizationId: text("organizationId"),
    alarmEmail: text("alarmEmail"),
    smsSenderId: text("smsSenderId"),
    sms: optional({ originationIdentity: text("smsOriginationIdentity") }),
    email:
      emailFrom === undefined
        ? undefined
        : {
            fromAddress: emailFrom,
            ...(emailIdentityArn !== undefined ? { identityArn: emailIdentityArn } : {}),
          },
    unsubscribeBaseUrl: text("unsubscribeBaseUrl"),
    linkBaseUrl: text("linkBaseUrl"),
    globalEventSources: text("globalEventSources")
      ?.split(",")
      .map((source) => source.trim())
      .filter((source) => source !== ""),
    notifierMaxConcurrency: whole("notifierMaxConcurrency", 1, 1000),
    archiveRetention: days("archiveRetentionDays"),
    facts: optional({ retention: days("factsRetentionDays") }),
    removalPolicy:
      removal === undefined
        ? undefined
        : removal === "destroy"
          ? RemovalPolicy.DESTROY
          : RemovalPolicy.RETAIN,
  };
}
