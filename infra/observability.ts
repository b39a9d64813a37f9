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
import {
  Alarm,
  ComparisonOperator,
  type IMetric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export const ALARM_PERIOD = Duration.minutes(5);

export interface ObservabilityProps {
  readonly key: IKey;
  readonly emails: readonly string[];
  /** Functions whose errors raise an alarm, by a short name used in the alarm's id. */
  readonly functions: Record<string, IFunction>;
  /** Dead-letter queues whose depth raises an alarm, by a short name and what they hold. */
  readonly deadLetterQueues: Record<string, { queue: IQueue; holds: string }>;
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

    for (const [name, fn] of Object.entries(props.functions)) {
      this.alarm(
        `${name}Errors`,
        fn.metricErrors({ period: ALARM_PERIOD, statistic: 'Sum' }),
        `The ${name} Lambda failed at least once in 5 minutes: see its log group.`,
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

  private alarm(id: string, metric: IMetric, description: string): void {
    const alarm = new Alarm(this, id, {
      alarmDescription: description,
      metric,
      threshold: 0,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(new SnsAction(this.topic));
    this.alarms.push(alarm);
  }
}
