/**
 * The names of Waymark's CloudWatch metrics, in one place: the functions emit them (Powertools Metrics, EMF)
 * and the stack's dashboard and alarms read them (infra/constructs/operations-dashboard.ts), so a renamed
 * metric cannot leave a graph or an alarm silently empty.
 */

/** Every Waymark metric's namespace. */
export const METRICS_NAMESPACE = "Waymark";
/** Powertools adds it to every metric as the `service` dimension. */
export const METRICS_SERVICE = "waymark";

/**
 * Journey metrics, each under the dimensions `service` and `journey` (the journey id: a catalog holds a
 * bounded number of them; never a customer id, which would make a metric per customer). Sent also has
 * `channel`, and Suppressed `reason` (a fixed set), under a second dimension set without the journey too.
 */
export const JourneyMetric = {
  /** A journey instance started (JourneyStarted facts of committed transitions). */
  entered: "Journey.Entered",
  /** A node of a journey reached (JourneyStepReached facts). */
  stepReached: "Journey.StepReached",
  /** A journey instance ended, whatever its outcome (JourneyCompleted facts). */
  completed: "Journey.Completed",
  /** A conversion goal reached (JourneyGoalReached facts). */
  goalReached: "Journey.GoalReached",
  /** A message the notifier handed to the provider. */
  sent: "Journey.Sent",
  /** A message the engine decided not to send, recorded by the notifier. */
  suppressed: "Journey.Suppressed",
} as const;
export type JourneyMetric = (typeof JourneyMetric)[keyof typeof JourneyMetric];

/** The dimensions journey metrics carry, beside `service`. */
export const MetricDimension = { journey: "journey", channel: "channel", reason: "reason" } as const;

/** Function-wide metrics (dimension `service` only) the alarms read. */
export const OperationalMetric = {
  /** An engine input that threw: it is retried, then dead-lettered. */
  engineInputFailed: "Input.failed",
  /** Every suppression decision the notifier records (`Decision.<status>`). */
  suppressed: "Decision.suppressed",
} as const;
