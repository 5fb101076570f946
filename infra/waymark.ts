import type { RemovalPolicy } from "aws-cdk-lib";
import { Construct } from "constructs";
import { WaymarkRuntime } from "./constructs/waymark-runtime.ts";
import { WaymarkState } from "./constructs/waymark-state.ts";

export { WaymarkRuntime, type WaymarkRuntimeProps } from "./constructs/waymark-runtime.ts";
export {
  WaymarkState,
  type WaymarkStateProps,
  type WaymarkStateResources,
} from "./constructs/waymark-state.ts";

export interface WaymarkProps {
  /** @default "waymark" */
  busName?: string;
  /** Accounts (12-digit ids) allowed to put events on the bus. @default only this stack's account */
  allowedAccounts?: readonly string[];
  /** An AWS Organizations id (`o-…`) whose accounts may put events on the bus. */
  organizationId?: string;
  /** Applies to the data (table, keys, archive, timers, topics) and to the log groups. @default RETAIN */
  removalPolicy?: RemovalPolicy;
  /** An address subscribed to the alarm topic (it must confirm the subscription). */
  alarmEmail?: string;
  /** Alphanumeric SMS sender id, where the destination country supports one. */
  smsSenderId?: string;
  /**
   * Public base URL of one-click unsubscribe links, when a domain you own routes to the unsubscribe
   * endpoint (recommended: links must outlive any redeployment). @default the endpoint's own URL
   */
  unsubscribeBaseUrl?: string;
}

/**
 * All of Waymark in one construct, for a CDK app that wants to embed it in a stack of its own:
 *
 *   new Waymark(stack, "Waymark", { organizationId: "o-abc123def4", alarmEmail: "ops@example.com" });
 *
 * To deploy data and runtime separately, use `WaymarkState` and `WaymarkRuntime` in two stacks instead
 * (as `infra/app.ts` does); this construct composes exactly those two.
 */
export class Waymark extends Construct {
  readonly state: WaymarkState;
  readonly runtime: WaymarkRuntime;

  constructor(scope: Construct, id: string, props: WaymarkProps = {}) {
    super(scope, id);
    this.state = new WaymarkState(this, "State", props);
    this.runtime = new WaymarkRuntime(this, "Runtime", {
      state: this.state,
      smsSenderId: props.smsSenderId,
      unsubscribeBaseUrl: props.unsubscribeBaseUrl,
      removalPolicy: props.removalPolicy,
    });
  }
}
