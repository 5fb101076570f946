import { CfnOutput, Stack, type StackProps } from "aws-cdk-lib";
import type { Construct } from "constructs";
import { measurementOutputs } from "../constructs/measurement-store.ts";
import { WaymarkState, type WaymarkStateProps } from "../constructs/waymark-state.ts";

export interface WaymarkStatefulStackProps extends StackProps, WaymarkStateProps {}

/**
 * Waymark's data and identity: keys, table, bus, topics, schema registry, pending timers, lifecycle facts. Deployed
 * rarely and retained by default; the runtime stack depends on it, never the other way round.
 */
export class WaymarkStatefulStack extends Stack {
  readonly state: WaymarkState;

  constructor(scope: Construct, id: string, props: WaymarkStatefulStackProps = {}) {
    super(scope, id, props);
    this.state = new WaymarkState(this, "State", props);

    new CfnOutput(this, "BusName", {
      description: "Put customer events here (EventBridge PutEvents)",
      value: this.state.bus.eventBusName,
    });
    new CfnOutput(this, "BusArn", { value: this.state.bus.eventBusArn });
    new CfnOutput(this, "TableName", { value: this.state.table.tableName });
    new CfnOutput(this, "SchemaRegistryName", {
      description: "The published event contract (EventBridge schema registry)",
      value: this.state.schemaRegistry.attrRegistryName,
    });
    new CfnOutput(this, "EmailTopicArn", {
      description:
        "Every email as a JSON document: the email sender delivers it; other subscribers may read it",
      value: this.state.emailTopic.topicArn,
    });
    new CfnOutput(this, "FeedbackTopicArn", {
      description:
        "What SES and End User Messaging SMS report about each message (the feedback function reads it)",
      value: this.state.feedbackTopic.topicArn,
    });
    new CfnOutput(this, "AlarmTopicArn", { value: this.state.alarmTopic.topicArn });
    measurementOutputs(this, this.state.measurement);
  }
}
