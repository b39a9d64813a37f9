/**
 * Acknowledging a cdk-nag finding (cdk-nag 3: CDK's `Validations.of(scope).acknowledge`).
 *
 * An acknowledgement covers the construct and everything under it, so it is made on the
 * CloudFormation resource that holds the finding (`cfnOf`, `defaultPolicyOf`), nothing wider. Rules that report several findings per resource
 * (AwsSolutions-IAM5) are acknowledged finding by finding (`AwsSolutions-IAM5[Resource::...]`),
 * never as a whole. buildApp writes every acknowledgement, with its reason, into the resource's
 * CloudFormation Metadata (`cdk_nag.rules_to_suppress`); test/infra/stack.test.ts lists them.
 */
import { Validations } from 'aws-cdk-lib';
import type { IRole } from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';

export function acknowledge(
  scope: IConstruct,
  rule: string,
  reason: string,
  findings?: readonly string[],
): void {
  const ids = findings ? findings.map((finding) => `${rule}[${finding}]`) : [rule];
  Validations.of(scope).acknowledge(...ids.map((id) => ({ id, reason })));
}

/** The CloudFormation resource of an L2 construct (where cdk-nag reports its findings). */
export function cfnOf(construct: IConstruct): IConstruct {
  const child = construct.node.defaultChild;
  if (!child) throw new Error(`${construct.node.path} has no CloudFormation resource`);
  return child;
}

/** The IAM policy a role's `addToPrincipalPolicy` statements go into (call after adding them). */
export function defaultPolicyOf(role: IRole): IConstruct {
  const policy = role.node.tryFindChild('DefaultPolicy');
  if (!policy) throw new Error(`${role.node.path} has no policy statements yet`);
  return cfnOf(policy);
}
