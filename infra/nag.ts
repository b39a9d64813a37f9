/**
 * Acknowledging a cdk-nag finding (cdk-nag 3: CDK's `Validations.of(scope).acknowledge`).
 *
 * An acknowledgement covers the construct and everything under it, so it is made on the
 * CloudFormation resource that holds the finding (`cfnOf`, `defaultPolicyOf`), nothing wider. Rules that report several findings per resource
 * (AwsSolutions-IAM5) are acknowledged finding by finding (`AwsSolutions-IAM5[Resource::...]`),
 * never as a whole, naming the resource as cdk-nag does (`findingText`). buildApp writes every acknowledgement, with its reason, into the resource's
 * CloudFormation Metadata (`cdk_nag.rules_to_suppress`); test/infra/stack.test.ts lists them.
 */
import { Stack, Validations } from 'aws-cdk-lib';
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

/**
 * How cdk-nag writes a resource in a finding (`AwsSolutions-IAM5[Resource::<this>]`): the value
 * as the template has it, `Fn::Join` joined and references written `<LogicalId>`,
 * `<LogicalId.Attribute>` or `<AWS::AccountId>`. Whatever the stack knows at synth (its region,
 * and so its partition; its account when the CLI has credentials) stays literal, so findings are
 * derived from the ARN the policy holds rather than written out by hand.
 */
export function findingText(scope: IConstruct, value: string): string {
  return templateText(Stack.of(scope).resolve(value));
}

/**
 * A resolved template value as text: strings as they are, `Fn::Join` joined, `Ref` written
 * `<LogicalId>` (or `<AWS::AccountId>`) and `Fn::GetAtt` `<LogicalId.Attribute>`.
 */
export function templateText(node: unknown): string {
  if (typeof node === 'string') return node;
  const object = node as Record<string, unknown>;
  if ('Ref' in object) return `<${object.Ref as string}>`;
  if ('Fn::GetAtt' in object) return `<${(object['Fn::GetAtt'] as string[]).join('.')}>`;
  if ('Fn::Join' in object) {
    const [separator, parts] = object['Fn::Join'] as [string, unknown[]];
    return parts.map(templateText).join(separator);
  }
  throw new Error(`Cannot write ${JSON.stringify(node)} as text`);
}
