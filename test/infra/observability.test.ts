/**
 * Alarms and notifications: an alarm on each Lambda's errors and on each dead-letter queue's
 * depth, all to the alarm topic; both SNS topics encrypted with a rotating customer managed key
 * CloudWatch may use; email subscriptions from the stage config.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { ofType, PRODUCTION_READY, propertiesOf, synthesise } from './synthesise.js';

const synthesised = synthesise();
const { stack, resources, logicalId } = synthesised;
afterAll(() => synthesised.cleanup());

const alarms = Object.values(ofType(resources, 'AWS::CloudWatch::Alarm')).map(
  (a) => a.Properties as Record<string, unknown>,
);
const alarmTopic = logicalId(stack.observability.topic);
const keyId = logicalId(stack.topicKey.key);

/** The alarm on a metric with this name and dimension value. */
function alarmOn(metricName: string, dimension: unknown) {
  const found = alarms.filter(
    (a) =>
      a.MetricName === metricName &&
      JSON.stringify(a.Dimensions).includes(JSON.stringify(dimension)),
  );
  expect(found, `${metricName} ${JSON.stringify(dimension)}`).toHaveLength(1);
  return found[0] as Record<string, unknown>;
}

const breachesOnAny = {
  Threshold: 0,
  ComparisonOperator: 'GreaterThanThreshold',
  EvaluationPeriods: 1,
  Period: 300,
  TreatMissingData: 'notBreaching',
};

describe('alarms', () => {
  it('alarms on any error of either Lambda within 5 minutes', () => {
    for (const fn of [stack.ingest.lambda.function, stack.publish.lambda.function]) {
      expect(alarmOn('Errors', { Ref: logicalId(fn) })).toMatchObject({
        ...breachesOnAny,
        Namespace: 'AWS/Lambda',
        Statistic: 'Sum',
      });
    }
  });

  it('alarms as soon as any dead-letter queue holds a message', () => {
    const queues = [
      stack.ingest.deadLetterQueue,
      stack.publish.failures,
      stack.schedule.deadLetterQueue,
    ];
    for (const queue of queues) {
      expect(
        alarmOn('ApproximateNumberOfMessagesVisible', {
          'Fn::GetAtt': [logicalId(queue), 'QueueName'],
        }),
      ).toMatchObject({ ...breachesOnAny, Namespace: 'AWS/SQS', Statistic: 'Maximum' });
    }
  });

  it('alarms on any throttle of either Lambda, and on a run past 80% of its timeout', () => {
    for (const [fn, timeoutMs] of [
      [stack.ingest.lambda.function, 300_000],
      [stack.publish.lambda.function, 900_000],
    ] as const) {
      expect(alarmOn('Throttles', { Ref: logicalId(fn) })).toMatchObject({
        ...breachesOnAny,
        Namespace: 'AWS/Lambda',
        Statistic: 'Sum',
      });
      const slow = alarmOn('Duration', { Ref: logicalId(fn) });
      expect([slow.Threshold, slow.Statistic, slow.ComparisonOperator, slow.Period]).toEqual([
        timeoutMs * 0.8,
        'Maximum',
        'GreaterThanThreshold',
        300,
      ]);
    }
  });

  it('alarms when an export has waited over an hour for ingest, for 15 minutes', () => {
    const age = alarmOn('ApproximateAgeOfOldestMessage', {
      'Fn::GetAtt': [logicalId(stack.ingest.queue), 'QueueName'],
    });
    expect(age).toMatchObject({
      Namespace: 'AWS/SQS',
      Statistic: 'Maximum',
      Threshold: 3600,
      ComparisonOperator: 'GreaterThanThreshold',
      Period: 300,
      EvaluationPeriods: 3,
      TreatMissingData: 'notBreaching',
    });
  });

  it('alarms when no publish succeeded for 7 days, a missing heartbeat counting as failure', () => {
    const heartbeat = alarmOn('PublishDuration', { Name: 'service', Value: 'rotascope-publish' });
    expect(heartbeat).toEqual({
      AlarmActions: [{ Ref: alarmTopic }],
      AlarmDescription: expect.stringContaining('No publish succeeded in the last 7 days'),
      MetricName: 'PublishDuration',
      Namespace: 'Rotascope',
      Dimensions: [
        { Name: 'service', Value: 'rotascope-publish' },
        { Name: 'stage', Value: 'dev' },
      ],
      Statistic: 'SampleCount',
      Period: 3600,
      EvaluationPeriods: 168,
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
      TreatMissingData: 'breaching',
      Tags: [
        { Key: 'project', Value: 'rotascope' },
        { Key: 'stage', Value: 'dev' },
      ],
    });
  });

  it('watches the heartbeat of its own stage: the stage the functions write as their metrics’ dimension', () => {
    // Prepare: prod beside dev, as two stacks of one account and region would be.
    const prod = synthesise({ stage: 'prod', config: PRODUCTION_READY });
    try {
      for (const [built, stage] of [
        [synthesised, 'dev'],
        [prod, 'prod'],
      ] as const) {
        const heartbeat = Object.values(ofType(built.resources, 'AWS::CloudWatch::Alarm')).find(
          (a) => a.Properties?.MetricName === 'PublishDuration',
        );
        const functions = [built.stack.ingest, built.stack.publish].map(
          (f) =>
            (
              propertiesOf(built.resources, built.logicalId(f.lambda.function)).Environment as {
                Variables: Record<string, unknown>;
              }
            ).Variables.ROTASCOPE_STAGE,
        );
        // Assess: what lambdas/business-metrics.ts writes is what the alarm reads.
        expect(functions).toEqual([stage, stage]);
        expect(heartbeat?.Properties?.Dimensions).toContainEqual({ Name: 'stage', Value: stage });
      }
    } finally {
      prod.cleanup();
    }
  });

  it('makes no budget unless the stage sets monthlyBudgetUsd, then emails at 80% and forecast 100%', () => {
    expect(ofType(resources, 'AWS::Budgets::Budget')).toEqual({});
    const budgeted = synthesise({
      config: { monthlyBudgetUsd: 150, alarmEmails: ['ops@example.nhs.uk'] },
    });
    const budgets = Object.values(ofType(budgeted.resources, 'AWS::Budgets::Budget'));
    expect(budgets.map((b) => b.Properties)).toEqual([
      {
        Budget: {
          BudgetType: 'COST',
          TimeUnit: 'MONTHLY',
          BudgetLimit: { Amount: 150, Unit: 'USD' },
        },
        NotificationsWithSubscribers: ['ACTUAL', 'FORECASTED'].map((type, i) => ({
          Notification: {
            NotificationType: type,
            ComparisonOperator: 'GREATER_THAN',
            Threshold: i === 0 ? 80 : 100,
            ThresholdType: 'PERCENTAGE',
          },
          Subscribers: [{ SubscriptionType: 'EMAIL', Address: 'ops@example.nhs.uk' }],
        })),
        ResourceTags: [
          { Key: 'project', Value: 'rotascope' },
          { Key: 'stage', Value: 'dev' },
        ],
      },
    ]);
    budgeted.cleanup();
  });

  it('has exactly those eleven alarms, each notifying the alarm topic and explaining itself', () => {
    expect(alarms).toHaveLength(11);
    for (const alarm of alarms) {
      expect(alarm.AlarmActions).toEqual([{ Ref: alarmTopic }]);
      expect(String(alarm.AlarmDescription).length).toBeGreaterThan(30);
    }
  });
});

describe('topics', () => {
  const topics = ofType(resources, 'AWS::SNS::Topic');

  it('has the alarm and announcements topics, both encrypted with the topics key', () => {
    expect(Object.keys(topics).sort()).toEqual(
      [alarmTopic, logicalId(stack.announcements.topic)].sort(),
    );
    for (const [id, topic] of Object.entries(topics)) {
      expect(topic.Properties?.KmsMasterKeyId, id).toEqual({ 'Fn::GetAtt': [keyId, 'Arn'] });
    }
  });

  it('denies publishing without TLS on both topics', () => {
    for (const id of Object.keys(topics)) {
      const policy = Object.values(ofType(resources, 'AWS::SNS::TopicPolicy')).find((p) =>
        JSON.stringify(p.Properties?.Topics).includes(`"${id}"`),
      );
      expect(JSON.stringify(policy?.Properties?.PolicyDocument), id).toContain(
        '"aws:SecureTransport":"false"',
      );
    }
  });

  it('rotates the topics key and lets CloudWatch use it to publish alarms', () => {
    const key = propertiesOf(resources, keyId) as {
      EnableKeyRotation: boolean;
      KeyPolicy: { Statement: unknown[] };
    };
    expect(key.EnableKeyRotation).toBe(true);
    expect(key.KeyPolicy.Statement).toContainEqual({
      Sid: 'AllowCloudWatchAlarmsToPublish',
      Effect: 'Allow',
      Principal: { Service: 'cloudwatch.amazonaws.com' },
      Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      Resource: '*',
      Condition: {
        StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
        ArnLike: {
          'aws:SourceArn': {
            'Fn::Join': [
              '',
              ['arn:aws:cloudwatch:eu-west-2:', { Ref: 'AWS::AccountId' }, ':alarm:*'],
            ],
          },
        },
      },
    });
  });

  it('subscribes no one by default', () => {
    expect(ofType(resources, 'AWS::SNS::Subscription')).toEqual({});
  });

  it('subscribes the stage config addresses by email, each to its own topic', () => {
    // Prepare
    const config = {
      alarmEmails: ['ops@example.nhs.uk'],
      announcementEmails: ['pcn-a@example.nhs.uk', 'pcn-b@example.nhs.uk'],
    };
    // Act
    const subscribed = synthesise({ config });
    // Assess
    const subscriptions = Object.values(ofType(subscribed.resources, 'AWS::SNS::Subscription')).map(
      (s) => [s.Properties?.Endpoint, s.Properties?.Protocol, s.Properties?.TopicArn],
    );
    const alarmsTopic = { Ref: subscribed.logicalId(subscribed.stack.observability.topic) };
    const newsTopic = { Ref: subscribed.logicalId(subscribed.stack.announcements.topic) };
    expect(subscriptions).toEqual([
      ['pcn-a@example.nhs.uk', 'email', newsTopic],
      ['pcn-b@example.nhs.uk', 'email', newsTopic],
      ['ops@example.nhs.uk', 'email', alarmsTopic],
    ]);
    subscribed.cleanup();
  });
});
