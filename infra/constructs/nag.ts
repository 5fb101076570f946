/**
 * cdk-nag acknowledgements. cdk-nag 3 reads them from CDK's own `Validations.of(x).acknowledge()`
 * metadata, on the flagged resource or any construct above it, and each finding is acknowledged by its
 * full id: `AwsSolutions-IAM5[Resource::<flattened ARN>]`, never a whole rule.
 */
import { Stack, Validations } from "aws-cdk-lib";
import { flattenCfnReference } from "cdk-nag/lib/utils/flatten-cfn-reference.js";
import type { IConstruct } from "constructs";

/** Acknowledges one cdk-nag rule (or finding, `Rule[finding]`) on `scope` and everything below it. */
export function acknowledge(scope: IConstruct, id: string, reason: string): void {
  Validations.of(scope).acknowledge({ id, reason });
}

/**
 * Acknowledges AwsSolutions-IAM5 for one wildcard resource. The finding id embeds the resource as cdk-nag
 * renders it (intrinsics flattened to `<AWS::Region>` and the like), so it is derived the same way rather
 * than written out by hand.
 */
export function acknowledgeWildcardResource(scope: IConstruct, resource: string, reason: string): void {
  const rendered = flattenCfnReference(Stack.of(scope).resolve(resource));
  acknowledge(scope, `AwsSolutions-IAM5[Resource::${rendered}]`, reason);
}
