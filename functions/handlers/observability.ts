import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics } from "@aws-lambda-powertools/metrics";

/** One logger and one metrics sink per function; logs carry customer ids, never contact points. */
export const logger = new Logger({ serviceName: "waymark" });
export const metrics = new Metrics({ namespace: "Waymark", serviceName: "waymark" });
