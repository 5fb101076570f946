import { Duration } from "aws-cdk-lib";
import * as cloudwatch from "aws-cdk-lib/aws-cloudwatch";
import { SnsAction } from "aws-cdk-lib/aws-cloudwatch-actions";
import { Construct } from "constructs";
import {
  JourneyMetric,
  METRICS_NAMESPACE,
  METRICS_SERVICE,
  MetricDimension,
  OperationalMetric,
} from "../../functions/config/metric-names.ts";
import { type AlarmTarget, DeadLetterQueue, WorkQueue } from "./queues.ts";
import { WaymarkFunction } from "./waymark-function.ts";

export interface OperationsDashboardProps {
  /** Names the dashboard (`<bus>-operations`). */
  busName: string;
  /** Where the alarms go, and the prefix their names carry (the alarm topic's key trusts only those). */
  alarm: AlarmTarget;
  /** The engine: its failed inputs and Lambda errors raise the engine-errors alarm. */
  engine: WaymarkFunction;
  /** The lifecycle facts' Firehose stream: how fresh the facts in S3 are. */
  factsStreamName: string;
  /**
   * How far above its expected band (standard deviations of CloudWatch's anomaly model, which learns the daily
   * and weekly rhythm of suppressions) a rise in suppressions must be to raise the alarm. @default 3
   */
  suppressionSpikeStdDevs?: number;
}

const PERIOD = Duration.minutes(5);
const WIDTH = 8;
const HEIGHT = 6;

/**
 * One Waymark metric across every value of its dimensions (journeys, channels, reasons): a SEARCH, because the
 * journeys are the catalog's and a graph should follow it without a deploy. Graphs only: alarms cannot search.
 */
function search(metric: string, dimensions: readonly string[], label: string): cloudwatch.MathExpression {
  const schema = [METRICS_NAMESPACE, ...dimensions, "service"].join(",");
  return new cloudwatch.MathExpression({
    expression: `SEARCH('{${schema}} MetricName="${metric}"', 'Sum', ${PERIOD.toSeconds()})`,
    label,
    period: PERIOD,
  });
}

/** The total of one journey metric over all journeys. */
function total(metric: string, label: string): cloudwatch.MathExpression {
  return new cloudwatch.MathExpression({
    expression: `SUM(SEARCH('{${METRICS_NAMESPACE},${MetricDimension.journey},service} MetricName="${metric}"', 'Sum', ${PERIOD.toSeconds()}))`,
    label,
    period: PERIOD,
  });
}

/** A function-wide Waymark metric (dimension `service` only): what the alarms read. */
function operational(metricName: string, label: string): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: METRICS_NAMESPACE,
    metricName,
    dimensionsMap: { service: METRICS_SERVICE },
    statistic: cloudwatch.Stats.SUM,
    period: PERIOD,
    label,
  });
}

/**
 * What an operator watches (docs/measurement.md, "In AWS"; README, Observe): the journeys (entered, steps
 * reached, completed, goals reached — from the engine's Powertools metrics, per journey), the messages (sent
 * per channel, suppressed per reason), the work queues' depth and age, the dead letters, the functions'
 * errors and the facts stream's freshness, with two alarms beside the dead-letter ones: engine errors and a
 * spike in suppressions. It reads the constructs of the runtime it is given, so a queue or function added
 * there is on the dashboard without a line here.
 */
export class OperationsDashboard extends Construct {
  readonly dashboard: cloudwatch.Dashboard;
  /** An engine input failed (it is retried, then dead-lettered), or the engine function itself did. */
  readonly engineErrors: cloudwatch.Alarm;
  /** Suppressions well above what CloudWatch's model of them expects at that hour and weekday. */
  readonly suppressionSpike: cloudwatch.AnomalyDetectionAlarm;

  constructor(scope: Construct, id: string, runtime: Construct, props: OperationsDashboardProps) {
    super(scope, id);
    const action = new SnsAction(props.alarm.topic);
    const workQueues = runtime.node.findAll().filter((c): c is WorkQueue => c instanceof WorkQueue);
    const deadLetters = runtime.node
      .findAll()
      .filter((c): c is DeadLetterQueue => c instanceof DeadLetterQueue);
    const functions = runtime.node
      .findAll()
      .filter((c): c is WaymarkFunction => c instanceof WaymarkFunction);

    this.engineErrors = new cloudwatch.Alarm(this, "EngineErrors", {
      alarmName: `${props.alarm.namePrefix}engine-errors`,
      alarmDescription:
        "Engine inputs failed or the engine function errored: a failed input is retried and then dead-lettered, " +
        "and its customer's later inputs wait behind it. Read the engine's logs (\"input failed\").",
      metric: new cloudwatch.MathExpression({
        expression: "failed + errors",
        usingMetrics: {
          failed: operational(OperationalMetric.engineInputFailed, "failed inputs"),
          errors: props.engine.function.metricErrors({ period: PERIOD, statistic: cloudwatch.Stats.SUM }),
        },
        label: "engine errors",
        period: PERIOD,
      }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      // No failed input, no metric: nothing failed.
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.suppressionSpike = new cloudwatch.AnomalyDetectionAlarm(this, "SuppressionSpike", {
      alarmName: `${props.alarm.namePrefix}suppression-spike`,
      alarmDescription:
        "Far more messages suppressed than usual: consent or contact data may have broken (no-consent, " +
        "no-contact), a carrier may be refusing (undeliverable), or a frequency cap or holdout may be " +
        "misconfigured. The dashboard's 'Suppressed by reason' graph says which.",
      metric: operational(OperationalMetric.suppressed, "suppressed"),
      stdDevs: props.suppressionSpikeStdDevs ?? 3,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_UPPER_THRESHOLD,
      // Two periods in a row: one burst (a recall's fan-out, say) is not a spike.
      evaluationPeriods: 2,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    for (const alarm of [this.engineErrors, this.suppressionSpike]) {
      alarm.addAlarmAction(action);
      alarm.addOkAction(action);
    }

    // "IngestQueue" and its "DeadLetter" both read "Ingest"; "RuleDeadLetter", a queue of its own, "Rule".
    const queueName = (queue: Construct) => {
      const named = queue.node.id === "DeadLetter" && queue.node.scope ? queue.node.scope : queue;
      return named.node.id.replace(/Queue$|DeadLetter$/, "") || named.node.id;
    };
    this.dashboard = new cloudwatch.Dashboard(this, "Dashboard", {
      dashboardName: `${props.busName}-operations`,
      defaultInterval: Duration.days(1),
      widgets: [
        [
          new cloudwatch.GraphWidget({
            title: "Journeys (all)",
            width: WIDTH,
            height: HEIGHT,
            left: [
              total(JourneyMetric.entered, "entered"),
              total(JourneyMetric.stepReached, "steps reached"),
              total(JourneyMetric.completed, "completed"),
              total(JourneyMetric.goalReached, "goals reached"),
            ],
          }),
          new cloudwatch.GraphWidget({
            title: "Entered by journey",
            width: WIDTH,
            height: HEIGHT,
            left: [search(JourneyMetric.entered, [MetricDimension.journey], "")],
          }),
          new cloudwatch.GraphWidget({
            title: "Goals reached by journey",
            width: WIDTH,
            height: HEIGHT,
            left: [search(JourneyMetric.goalReached, [MetricDimension.journey], "")],
          }),
        ],
        [
          new cloudwatch.GraphWidget({
            title: "Sent by journey and channel",
            width: WIDTH,
            height: HEIGHT,
            left: [search(JourneyMetric.sent, [MetricDimension.channel, MetricDimension.journey], "")],
          }),
          new cloudwatch.GraphWidget({
            title: "Suppressed by reason",
            width: WIDTH,
            height: HEIGHT,
            left: [search(JourneyMetric.suppressed, [MetricDimension.reason], "")],
          }),
          new cloudwatch.AlarmWidget({
            title: "Suppressions against their expected band",
            width: WIDTH,
            height: HEIGHT,
            alarm: this.suppressionSpike,
          }),
        ],
        [
          new cloudwatch.GraphWidget({
            title: "Queue depth (messages visible)",
            width: WIDTH,
            height: HEIGHT,
            left: workQueues.map((q) =>
              q.queue.metricApproximateNumberOfMessagesVisible({
                period: PERIOD,
                statistic: cloudwatch.Stats.MAXIMUM,
                label: queueName(q),
              }),
            ),
          }),
          new cloudwatch.GraphWidget({
            title: "Oldest message (seconds)",
            width: WIDTH,
            height: HEIGHT,
            left: workQueues.map((q) =>
              q.queue.metricApproximateAgeOfOldestMessage({
                period: PERIOD,
                statistic: cloudwatch.Stats.MAXIMUM,
                label: queueName(q),
              }),
            ),
          }),
          new cloudwatch.GraphWidget({
            title: "Dead letters",
            width: WIDTH,
            height: HEIGHT,
            left: deadLetters.map((d) =>
              d.queue.metricApproximateNumberOfMessagesVisible({
                period: PERIOD,
                statistic: cloudwatch.Stats.MAXIMUM,
                label: queueName(d),
              }),
            ),
          }),
        ],
        [
          new cloudwatch.GraphWidget({
            title: "Function errors",
            width: WIDTH,
            height: HEIGHT,
            left: [
              operational(OperationalMetric.engineInputFailed, "engine: failed inputs"),
              ...functions.map((f) =>
                f.function.metricErrors({
                  period: PERIOD,
                  statistic: cloudwatch.Stats.SUM,
                  label: f.node.id,
                }),
              ),
            ],
          }),
          new cloudwatch.GraphWidget({
            title: "Lifecycle facts to S3",
            width: WIDTH,
            height: HEIGHT,
            left: [firehoseMetric(props.factsStreamName, "IncomingRecords", "Sum", "records in")],
            right: [
              firehoseMetric(props.factsStreamName, "DeliveryToS3.DataFreshness", "Maximum", "oldest (s)"),
            ],
          }),
          new cloudwatch.AlarmStatusWidget({
            title: "Alarms",
            width: WIDTH,
            height: HEIGHT,
            alarms: [this.engineErrors, this.suppressionSpike, ...deadLetters.map((d) => d.alarm)],
          }),
        ],
      ],
    });
  }
}

function firehoseMetric(streamName: string, metricName: string, statistic: string, label: string) {
  return new cloudwatch.Metric({
    namespace: "AWS/Firehose",
    metricName,
    dimensionsMap: { DeliveryStreamName: streamName },
    statistic,
    period: PERIOD,
    label,
  });
}
