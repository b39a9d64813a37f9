/**
 * The us-east-1 edge alarms stack (infra/edge-alarms-stack.ts): made only for a stage with alarm
 * recipients; its three alarms with exact settings, on the main stack's distribution (read
 * across regions) and the edge function; its own encrypted topic and key; cdk-nag clean.
 */
import { Stack } from 'aws-cdk-lib';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, describe, expect, it } from 'vitest';
import type { EdgeAlarmsStack } from '../../infra/edge-alarms-stack.js';
import { ofType, propertiesOf, type Resource, synthesise } from './synthesise.js';

const synthesised = synthesise({
  config: { alarmEmails: ['ops@example.nhs.uk', 'on-call@example.nhs.uk'] },
});
const { app, stack, edgeStack, edgeAlarmsStack } = synthesised;
afterAll(() => synthesised.cleanup());
if (!edgeAlarmsStack) throw new Error('no edge alarms stack with alarm recipients');
const alarmsJson = (edgeAlarmsStack.node.root as typeof app)
  .synth()
  .getStackByName(edgeAlarmsStack.stackName).template as { Resources: Record<string, Resource> };
const resources = alarmsJson.Resources;
const idOf = (construct: { node: { defaultChild?: unknown } }) =>
  edgeAlarmsStack.getLogicalId(construct.node.defaultChild as never);
const topicId = idOf(edgeAlarmsStack.topic);
const keyId = idOf(edgeAlarmsStack.topicKey.key);

/** The distribution's ID as the alarms stack reads it: the main stack's output, in eu-west-2. */
const distributionId = {
  'Fn::GetStackOutput': {
    StackName: 'Rotascope-dev',
    Region: 'eu-west-2',
    OutputName: expect.stringMatching(/SiteDistribution/),
  },
};
const tags = [
  { Key: 'project', Value: 'rotascope' },
  { Key: 'stage', Value: 'dev' },
];

describe('edge alarms stack', () => {
  it('is made only for a stage with alarm recipients, in us-east-1, beside the other two', () => {
    expect(edgeAlarmsStack.region).toBe('us-east-1');
    expect(edgeAlarmsStack.stackName).toBe('Rotascope-dev-edge-alarms');
    const stacks = app.node.children.filter((c) => c instanceof Stack);
    expect(new Set(stacks)).toEqual(new Set([edgeStack, stack, edgeAlarmsStack]));
    expect(stacks).toHaveLength(3);
    // Deployed after the main stack, whose output it reads.
    expect(edgeAlarmsStack.dependencies).toEqual([stack]);
    const plain = synthesise();
    expect(plain.edgeAlarmsStack).toBeUndefined();
    expect(plain.app.node.children.filter((c) => c instanceof Stack)).toHaveLength(2);
    plain.cleanup();
  });

  it('reads the distribution ID from the main stack output, which the main stack writes', () => {
    const main = app.synth().getStackByName(stack.stackName).template as {
      Outputs: Record<string, { Value: unknown }>;
    };
    const alarm = propertiesOf(resources, idOf(edgeAlarmsStack.alarms[0] as never));
    const [dimension] = alarm.Dimensions as {
      Value: { 'Fn::GetStackOutput': { OutputName: string } };
    }[];
    const output = dimension?.Value['Fn::GetStackOutput'].OutputName ?? 'none';
    expect(main.Outputs[output]?.Value).toEqual({
      Ref: synthesised.logicalId(stack.site.distribution),
    });
  });

  it('has exactly three alarms with these settings, each notifying its own topic', () => {
    const alarms = Object.values(ofType(resources, 'AWS::CloudWatch::Alarm')).map(
      (a) => a.Properties,
    );
    const common = {
      AlarmActions: [{ Ref: topicId }],
      TreatMissingData: 'notBreaching',
      Tags: tags,
      Period: 300,
    };
    expect(alarms).toEqual([
      {
        ...common,
        AlarmDescription: expect.stringContaining('At least 5% of viewer requests got a 5xx'),
        Namespace: 'AWS/CloudFront',
        MetricName: '5xxErrorRate',
        Dimensions: [
          { Name: 'DistributionId', Value: distributionId },
          { Name: 'Region', Value: 'Global' },
        ],
        Statistic: 'Average',
        Threshold: 5,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        EvaluationPeriods: 2,
      },
      {
        ...common,
        AlarmDescription: expect.stringContaining('/aws/lambda/us-east-1.rotascope-dev-edge-auth'),
        Namespace: 'AWS/CloudFront',
        MetricName: 'LambdaExecutionError',
        Dimensions: [
          { Name: 'DistributionId', Value: distributionId },
          { Name: 'Region', Value: 'Global' },
        ],
        Statistic: 'Sum',
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        EvaluationPeriods: 1,
      },
      {
        ...common,
        AlarmDescription: expect.stringContaining('in us-east-1'),
        Namespace: 'AWS/Lambda',
        MetricName: 'Errors',
        Dimensions: [{ Name: 'FunctionName', Value: 'rotascope-dev-edge-auth' }],
        Statistic: 'Sum',
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        EvaluationPeriods: 1,
      },
    ]);
  });

  it('encrypts its topic with its own rotating key, requires TLS, and emails the stage addresses', () => {
    expect(propertiesOf(resources, topicId)).toEqual({
      DisplayName: 'Rotascope dev edge alarms',
      KmsMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] },
      Tags: tags,
    });
    expect(propertiesOf(resources, keyId)).toMatchObject({ EnableKeyRotation: true });
    const keyPolicy = JSON.stringify(propertiesOf(resources, keyId).KeyPolicy);
    expect(keyPolicy).toContain('cloudwatch.amazonaws.com');
    expect(keyPolicy).toContain('arn:aws:cloudwatch:us-east-1:');
    const subscriptions = Object.values(ofType(resources, 'AWS::SNS::Subscription')).map(
      (s) => s.Properties,
    );
    expect(subscriptions).toEqual([
      { Endpoint: 'ops@example.nhs.uk', Protocol: 'email', TopicArn: { Ref: topicId } },
      { Endpoint: 'on-call@example.nhs.uk', Protocol: 'email', TopicArn: { Ref: topicId } },
    ]);
    const policy = Object.values(ofType(resources, 'AWS::SNS::TopicPolicy'))[0]?.Properties;
    expect(JSON.stringify(policy)).toContain('"aws:SecureTransport":"false"');
  });

  it('leaves cdk-nag nothing to report in the whole app, with no acknowledgement in this stack', () => {
    expect(new AwsSolutionsChecks().validateScope(app).violations).toEqual([]);
    const acknowledged = Object.values(resources).filter((r) => r.Metadata?.cdk_nag);
    expect(acknowledged).toEqual([]);
  });

  it('checks this stack too: a topic without the TLS rule added to it is reported', () => {
    const probe = synthesise({ config: { alarmEmails: ['ops@example.nhs.uk'] } });
    const alarmsStack = probe.edgeAlarmsStack as EdgeAlarmsStack;
    new Topic(alarmsStack, 'ProbeTopic');
    const found = new AwsSolutionsChecks()
      .validateScope(probe.app)
      .violations.flatMap((v) =>
        v.violatingResources.map((r) => `${r.constructPath} ${v.ruleName}`),
      );
    probe.cleanup();
    expect(found).toEqual(['Rotascope-dev-edge-alarms/ProbeTopic/Resource AwsSolutions-SNS3']);
  });
});
