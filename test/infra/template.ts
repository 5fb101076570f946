/** Typed access to synthesized CloudFormation templates, for the infra tests. */
import type { CfnElement, Stack } from "aws-cdk-lib";
import type { Template } from "aws-cdk-lib/assertions";
import type { IConstruct } from "constructs";

export interface CfnResource {
  Type: string;
  Properties?: Record<string, unknown>;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
  DependsOn?: string[];
}

export interface PolicyStatement {
  Sid?: string;
  Effect: "Allow" | "Deny";
  Action: string | string[];
  Resource?: unknown;
  Principal?: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

interface PolicyDocument {
  Statement: PolicyStatement[];
}

/** Every resource of `type` in the template, as `[logicalId, resource]`. */
export function resourcesOfType(template: Template, type: string): [string, CfnResource][] {
  const all = (template.toJSON() as { Resources: Record<string, CfnResource> }).Resources;
  return Object.entries(all).filter(([, resource]) => resource.Type === type);
}

export function resource(template: Template, logicalId: string): CfnResource {
  const all = (template.toJSON() as { Resources: Record<string, CfnResource> }).Resources;
  const found = all[logicalId];
  if (!found) throw new Error(`no resource ${logicalId}`);
  return found;
}

export function props(resource: CfnResource): Record<string, unknown> {
  return resource.Properties ?? {};
}

/** The logical id of a construct's CloudFormation resource (the construct itself or its default child). */
export function logicalIdOf(stack: Stack, construct: IConstruct): string {
  const element = (construct.node.defaultChild ?? construct) as CfnElement;
  return stack.getLogicalId(element);
}

export const ref = (logicalId: string) => ({ Ref: logicalId });
export const getAtt = (logicalId: string, attribute: string) => ({ "Fn::GetAtt": [logicalId, attribute] });

export function asArray<T>(value: T | T[] | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** Statements of every IAM policy in the template: standalone policies and roles' inline policies. */
export function allPolicyStatements(template: Template): { owner: string; statement: PolicyStatement }[] {
  const out: { owner: string; statement: PolicyStatement }[] = [];
  for (const [id, policy] of resourcesOfType(template, "AWS::IAM::Policy")) {
    for (const statement of (props(policy).PolicyDocument as PolicyDocument).Statement) {
      out.push({ owner: id, statement });
    }
  }
  for (const [id, role] of resourcesOfType(template, "AWS::IAM::Role")) {
    const inline = (props(role).Policies ?? []) as { PolicyDocument: PolicyDocument }[];
    for (const policy of inline) {
      for (const statement of policy.PolicyDocument.Statement) out.push({ owner: id, statement });
    }
  }
  return out;
}

/** What a role may do: its inline policies and every AWS::IAM::Policy attached to it. */
export function roleStatements(template: Template, roleLogicalId: string): PolicyStatement[] {
  const statements: PolicyStatement[] = [];
  const role = resource(template, roleLogicalId);
  for (const policy of (props(role).Policies ?? []) as { PolicyDocument: PolicyDocument }[]) {
    statements.push(...policy.PolicyDocument.Statement);
  }
  for (const [, policy] of resourcesOfType(template, "AWS::IAM::Policy")) {
    const roles = (props(policy).Roles ?? []) as unknown[];
    if (roles.some((r) => JSON.stringify(r) === JSON.stringify(ref(roleLogicalId)))) {
      statements.push(...(props(policy).PolicyDocument as PolicyDocument).Statement);
    }
  }
  return statements;
}

export function allowedActions(statements: PolicyStatement[]): Set<string> {
  return new Set(statements.filter((s) => s.Effect === "Allow").flatMap((s) => asArray(s.Action)));
}

/** True when `value` (any CloudFormation expression) mentions the logical id. */
export function mentions(value: unknown, logicalId: string): boolean {
  return JSON.stringify(value ?? null).includes(logicalId);
}
