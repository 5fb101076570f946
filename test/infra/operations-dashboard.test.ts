/**
 * The operations dashboard and its alarms (issue 11): what operators watch in the stateless stack. Templates
 * only: the functions are not bundled here (waymark-app.test.ts bundles them).
 */
import { Template } from "aws-cdk-lib/assertions";
import { AwsSolutionsChecks } from "cdk-nag";
import type { IConstruct } from "constructs";
import { beforeAll, describe, expect, it } from "vitest";
import { JourneyMetric, OperationalMetric } from "../../functions/config/metric-names.ts";
import { buildApp, type WaymarkApp } from "../../infra/build-app.ts";
import { DeadLetterQueue, WorkQueue } from "../../infra/constructs/queues.ts";
import { WaymarkFunction } from "../../infra/constructs/waymark-function.ts";
import { logicalIdOf, mentions, props, resource } from "./template.ts";

const NO_BUNDLING = { "aws:cdk:bundling-stacks": [] };

let built: WaymarkApp;
let runtime: Template;

beforeAll(() => {
  built = buildApp({ app: { context: NO_BUNDLING }, env: {}, nag: false });
  runtime = Template.fromStack(built.runtime);
});

const operations = () => built.runtime.runtime.operations;
const runtimeId = (construct: IConstruct) => logicalIdOf(built.runtime, construct);
const ofType = <T>(type: abstract new (...args: never[]) => T) =>
  built.runtime.runtime.node.findAll().filter((c): c is T & IConstruct => c instanceof type);

/** The dashboard's body: a JSON document CloudFormation joins from text and references. */
function body(): string {
  return JSON.stringify(props(resource(runtime, runtimeId(operations().dashboard))).DashboardBody);
}

/** One widget of the dashboard, its body parsed with every reference replaced by a placeholder. */
function widget(title: string): { properties: { title: string; metrics?: unknown[][] } } {
  const join = props(resource(runtime, runtimeId(operations().dashboard))).DashboardBody as {
    "Fn::Join": [string, unknown[]];
  };
  const text = join["Fn::Join"][1].map((part) => (typeof part === "string" ? part : "REF")).join("");
  const widgets = (
    JSON.parse(text) as { widgets: { properties: { title: string; metrics?: unknown[][] } }[] }
  ).widgets;
  const found = widgets.find((w) => w.properties.title === title);
  if (!found) throw new Error(`no widget "${title}" in ${widgets.map((w) => w.properties.title).join(", ")}`);
  return found;
}

describe("operations dashboard", { timeout: 60_000 }, () => {
  it("is named after the bus and graphs every journey metric across journeys, channels and reasons", () => {
    expect(props(resource(runtime, runtimeId(operations().dashboard))).DashboardName).toBe(
      "waymark-operations",
    );
    const text = body();
    for (const metric of Object.values(JourneyMetric))
      expect(text, metric).toContain(`MetricName=\\\\\\"${metric}`);
    expect(text).toContain(
      "SUM(SEARCH('{Waymark,journey,service} MetricName=\\\\\\\"Journey.Entered\\\\\\\"'",
    );
    expect(text).toContain("SEARCH('{Waymark,reason,service} MetricName=\\\\\\\"Journey.Suppressed\\\\\\\"'");
    expect(text).toContain(
      "SEARCH('{Waymark,channel,journey,service} MetricName=\\\\\\\"Journey.Sent\\\\\\\"'",
    );
  });

  it("graphs every work queue's depth and age, every dead-letter queue, every function's errors and the facts stream", () => {
    const text = body();
    const queues = ofType(WorkQueue);
    const deadLetters = ofType(DeadLetterQueue);
    const functions = ofType(WaymarkFunction);
    expect(queues.length).toBeGreaterThanOrEqual(6);
    expect(deadLetters.length).toBeGreaterThan(queues.length);
    for (const q of queues) expect(mentions(JSON.parse(text), runtimeId(q.queue)), q.node.path).toBe(true);
    for (const d of deadLetters)
      expect(mentions(JSON.parse(text), runtimeId(d.queue)), d.node.path).toBe(true);
    for (const f of functions)
      expect(mentions(JSON.parse(text), runtimeId(f.function)), f.node.path).toBe(true);
    // Each dead-letter queue is labelled by the queue or rule it serves, every label once.
    const labels = widget("Dead letters").properties.metrics!.map(
      (m) => (m.at(-1) as { label: string }).label,
    );
    expect(labels).toHaveLength(deadLetters.length);
    expect(new Set(labels).size).toBe(labels.length);
    expect(labels).toEqual(expect.arrayContaining(["Ingest", "Engine", "Outbound", "Rule", "Timer"]));
    expect(text).toContain("ApproximateAgeOfOldestMessage");
    expect(text).toContain(OperationalMetric.engineInputFailed);
    expect(text).toContain("DeliveryToS3.DataFreshness");
    // The stream lives in the stateful stack: its name is imported.
    expect(text).toMatch(/Fn::ImportValue.*StateMeasurementStream/);
  });

  it("alarms on engine errors: failed inputs plus the function's own errors, to the alarm topic", () => {
    const alarm = props(resource(runtime, runtimeId(operations().engineErrors)));
    expect(alarm).toMatchObject({
      AlarmName: "waymark-engine-errors",
      ComparisonOperator: "GreaterThanOrEqualToThreshold",
      Threshold: 1,
      EvaluationPeriods: 1,
      TreatMissingData: "notBreaching",
    });
    const metrics = alarm.Metrics as Record<string, unknown>[];
    expect(metrics.find((m) => m.ReturnData !== false)).toMatchObject({ Expression: "failed + errors" });
    expect(metrics.find((m) => m.Id === "failed")).toMatchObject({
      MetricStat: {
        Metric: {
          Namespace: "Waymark",
          MetricName: OperationalMetric.engineInputFailed,
          Dimensions: [{ Name: "service", Value: "waymark" }],
        },
        Stat: "Sum",
      },
    });
    const errors = metrics.find((m) => m.Id === "errors") as {
      MetricStat: { Metric: Record<string, unknown> };
    };
    expect(errors.MetricStat.Metric).toMatchObject({ Namespace: "AWS/Lambda", MetricName: "Errors" });
    expect(
      mentions(errors.MetricStat.Metric.Dimensions, runtimeId(built.runtime.runtime.engine.function)),
    ).toBe(true);
    expect(JSON.stringify(alarm.AlarmActions)).toMatch(/Fn::ImportValue.*AlarmTopic/);
    expect(JSON.stringify(alarm.OKActions)).toMatch(/Fn::ImportValue.*AlarmTopic/);
  });

  it("alarms on a spike in suppressions against CloudWatch's anomaly band, two periods running", () => {
    const alarm = props(resource(runtime, runtimeId(operations().suppressionSpike)));
    expect(alarm).toMatchObject({
      AlarmName: "waymark-suppression-spike",
      ComparisonOperator: "GreaterThanUpperThreshold",
      EvaluationPeriods: 2,
      TreatMissingData: "notBreaching",
    });
    const metrics = alarm.Metrics as Record<string, unknown>[];
    const band = metrics.find((m) => String(m.Expression ?? "").startsWith("ANOMALY_DETECTION_BAND"));
    expect(band?.Expression).toMatch(/, 3\)$/);
    expect(alarm.ThresholdMetricId).toBe(band?.Id);
    expect(JSON.stringify(metrics)).toContain(OperationalMetric.suppressed);
    expect(JSON.stringify(alarm.AlarmActions)).toMatch(/Fn::ImportValue.*AlarmTopic/);
  });

  it("shows every alarm, dead-letter ones included, and passes cdk-nag", () => {
    const text = body();
    for (const alarm of [operations().engineErrors, operations().suppressionSpike])
      expect(mentions(JSON.parse(text), runtimeId(alarm))).toBe(true);
    for (const d of ofType(DeadLetterQueue))
      expect(mentions(JSON.parse(text), runtimeId(d.alarm))).toBe(true);
    expect(new AwsSolutionsChecks(undefined).validateScope(built.runtime).violations).toEqual([]);
  });
});
