/**
 * Observability: the alarm topic and the alarms that tell someone when the pipeline fails.
 *
 * - Each Lambda's Errors > 0 over 5 minutes (an invocation that threw: ingest that could not
 *   finish a batch, publish that failed).
 * - Each dead-letter queue's ApproximateNumberOfMessagesVisible > 0 (5-minute maximum): an
 *   export that failed ingest three times, a publish run that failed after its retry, a
 *   scheduled run that could not be delivered. Such a message stays until someone deals with it,
 *   so the alarm stays in ALARM until then.
 *
 * Every alarm notifies the alarm topic (encrypted with the topics' key, TLS required), with
 * email subscriptions from the stage config (`alarmEmails`). Missing data is "not breaching":
 * a week with no exports is not a failure.
 *
 * The Lambdas' own logs and metrics: a log group each, kept 90 days, and Powertools metrics in the
 * `Rotascope` namespace (infra/pipeline-function.ts).
 */
import { Duration } from 'aws-cdk-lib';
import { CfnBudget } from 'aws-cdk-lib/aws-budgets';
import {
  Alarm,
  type AlarmProps,
  ComparisonOperator,
  type IMetric,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { type ITopic, Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { METRICS_NAMESPACE } from './pipeline-function.js';

export const ALARM_PERIOD = Duration.minutes(5);
/** A function whose slowest run in 5 minutes took this share of its timeout is near failing. */
export const NEAR_TIMEOUT = 0.8;
/** The oldest export waiting for ingest longer than this means ingest is stuck or starved. */
export const QUEUE_AGE_LIMIT = Duration.hours(1);
/**
 * The heartbeat window: a publish succeeded in the last 168 hours (CloudWatch's longest alarm
 * window is 7 days). The Monday 06:00 run lands in the 06:00 hour, so a week with no successful
 * run alarms once that hour leaves the window, on the following Monday between 07:00 and 08:00
 * (London), before the 09:00 the reports are due.
 */
export const HEARTBEAT_HOURS = 168;

export interface ObservabilityProps {
  readonly key: IKey;
  readonly emails: readonly string[];
  /** Functions whose errors, throttles and near-timeout runs raise an alarm, by a short name. */
  readonly functions: Record<string, { fn: IFunction; timeout: Duration }>;
  /** The queue exports wait on for ingest: its oldest message's age raises an alarm. */
  readonly ingestQueue: IQueue;
  /** The Powertools service name of the publish Lambda: its PublishDuration is the heartbeat. */
  readonly publishService: string;
  /** The stage: the `stage` dimension of the functions' metrics (lambdas/business-metrics.ts). */
  readonly stage: string;
  /** A monthly AWS Budgets cost budget (account currency, usually USD); none when unset. */
  readonly monthlyBudget?: number;
  /** Dead-letter queues whose depth raises an alarm, by a short name and what they hold. */
  readonly deadLetterQueues: Record<string, { queue: IQueue; holds: string }>;
  /** Raw's replication (stage config `rawReplication`): a failed replication raises an alarm. */
  readonly rawReplication?: { source: IBucket; destinationName: string; ruleId: string };
}

export class Observability extends Construct {
  readonly topic: Topic;
  readonly alarms: Alarm[] = [];

  constructor(scope: Construct, id: string, props: ObservabilityProps) {
    super(scope, id);
    this.topic = new Topic(this, 'AlarmTopic', {
      displayName: 'Rotascope alarms',
      masterKey: props.key,
      enforceSSL: true,
    });
    for (const email of props.emails) this.topic.addSubscription(new EmailSubscription(email));

    for (const [name, { fn, timeout }] of Object.entries(props.functions)) {
      this.alarm(
        `${name}Errors`,
        fn.metricErrors({ period: ALARM_PERIOD, statistic: 'Sum' }),
        `The ${name} Lambda failed at least once in 5 minutes: see its log group.`,
      );
      this.alarm(
        `${name}Throttles`,
        fn.metricThrottles({ period: ALARM_PERIOD, statistic: 'Sum' }),
        `The ${name} Lambda was throttled in the last 5 minutes: the account's concurrency is ` +
          'used up (docs/deploying.md, "Quotas to check").',
      );
      this.alarm(
        `${name}NearTimeout`,
        fn.metricDuration({ period: ALARM_PERIOD, statistic: 'Maximum' }),
        `A ${name} run took more than ${NEAR_TIMEOUT * 100}% of its ${timeout.toMinutes()}-minute ` +
          'timeout: it will soon fail; give it more memory or less work.',
        { threshold: Math.round(timeout.toMilliseconds() * NEAR_TIMEOUT) },
      );
    }
    this.alarm(
      'IngestQueueAge',
      props.ingestQueue.metricApproximateAgeOfOldestMessage({
        period: ALARM_PERIOD,
        statistic: 'Maximum',
      }),
      `An export has waited more than ${QUEUE_AGE_LIMIT.toHours()} hour for ingest: ingest is ` +
        'failing, throttled or held back by ingestMaxConcurrency.',
      { threshold: QUEUE_AGE_LIMIT.toSeconds(), evaluationPeriods: 3 },
    );
    this.alarm(
      'PublishHeartbeat',
      new Metric({
        namespace: METRICS_NAMESPACE,
        metricName: 'PublishDuration',
        dimensionsMap: { service: props.publishService, stage: props.stage },
        period: Duration.hours(1),
        statistic: 'SampleCount',
      }),
      'No publish succeeded in the last 7 days: the Monday run failed or did not start. ' +
        'See docs/deploying.md, "When an alarm fires".',
      {
        threshold: 1,
        comparisonOperator: ComparisonOperator.LESS_THAN_THRESHOLD,
        evaluationPeriods: HEARTBEAT_HOURS,
        treatMissingData: TreatMissingData.BREACHING,
      },
    );
    if (props.monthlyBudget !== undefined) this.budget(props.monthlyBudget, props.emails);
    if (props.rawReplication) {
      const { source, destinationName, ruleId } = props.rawReplication;
      this.alarm(
        'RawReplicationFailed',
        new Metric({
          namespace: 'AWS/S3',
          metricName: 'OperationsFailedReplication',
          dimensionsMap: {
            SourceBucket: source.bucketName,
            DestinationBucket: destinationName,
            RuleId: ruleId,
          },
          period: ALARM_PERIOD,
          statistic: 'Sum',
        }),
        'An export version failed to replicate to the replica region in the last 5 minutes: see ' +
          'docs/deploying.md, "Replication of raw to a second region".',
      );
    }
    for (const [name, { queue, holds }] of Object.entries(props.deadLetterQueues)) {
      this.alarm(
        `${name}Depth`,
        queue.metricApproximateNumberOfMessagesVisible({
          period: ALARM_PERIOD,
          statistic: 'Maximum',
        }),
        `Messages on the ${name} queue: ${holds}. Inspect them, fix the cause, then redrive or delete them.`,
      );
    }
  }

  private alarm(
    id: string,
    metric: IMetric,
    description: string,
    options: AlarmOptions = {},
  ): void {
    this.alarms.push(topicAlarm(this, this.topic, id, metric, description, options));
  }

  /**
   * An AWS Budgets cost budget for the month: email at 80% of actual spend and at 100% of the
   * forecast, to the alarm addresses (Budgets emails them itself; at most 10). Account-wide: a
   * budget filtered by the `project` tag needs that cost allocation tag activated first.
   */
  private budget(amount: number, emails: readonly string[]): void {
    const subscribers = emails.slice(0, 10).map((address) => ({
      subscriptionType: 'EMAIL',
      address,
    }));
    const notify = (notificationType: string, threshold: number) => ({
      notification: {
        notificationType,
        comparisonOperator: 'GREATER_THAN',
        threshold,
        thresholdType: 'PERCENTAGE',
      },
      subscribers,
    });
    new CfnBudget(this, 'MonthlyCost', {
      budget: {
        budgetType: 'COST',
        timeUnit: 'MONTHLY',
        budgetLimit: { amount, unit: 'USD' },
      },
      notificationsWithSubscribers:
        subscribers.length > 0 ? [notify('ACTUAL', 80), notify('FORECASTED', 100)] : [],
    });
  }
}

/** What an alarm may change from `topicAlarm`'s defaults. */
export type AlarmOptions = Partial<Omit<AlarmProps, 'metric' | 'alarmDescription'>>;

/**
 * An alarm that notifies `topic`: by default it fires when the metric is above 0 for one period,
 * and missing data is not a breach. The main stack's alarms and the us-east-1 edge alarms
 * (edge-alarms-stack.ts) are all made here.
 */
export function topicAlarm(
  scope: Construct,
  topic: ITopic,
  id: string,
  metric: IMetric,
  description: string,
  options: AlarmOptions = {},
): Alarm {
  const alarm = new Alarm(scope, id, {
    alarmDescription: description,
    metric,
    threshold: 0,
    comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods: 1,
    treatMissingData: TreatMissingData.NOT_BREACHING,
    ...options,
  });
  alarm.addAlarmAction(new SnsAction(topic));
  return alarm;
}
