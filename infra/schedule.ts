/**
 * Schedule: the weekly publish. EventBridge Scheduler invokes the publish Lambda every Monday at
 * 06:00 London time (GMT or BST, as the clocks say), with `{"source":"schedule"}`, so the week
 * just ended is published before the working week starts.
 *
 * - No flexible time window: the run starts at 06:00.
 * - The scheduler's role may invoke the publish function and nothing else (plus sending to its
 *   own dead-letter queue, which is how Scheduler records an invocation it could not deliver).
 * - A failed delivery (throttled, function missing, access denied) is retried for up to an hour,
 *   then recorded on the dead-letter queue (SSE-SQS, as in infra/ingest.ts), whose depth raises
 *   an alarm. Failures of the run itself are the publish function's (infra/publish.ts).
 */
import { Duration, Stack, TimeZone } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import {
  type IScheduleTarget,
  Schedule,
  ScheduleExpression,
  ScheduleTargetInput,
  TimeWindow,
} from 'aws-cdk-lib/aws-scheduler';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { acknowledge, cfnOf } from './nag.js';

/** Every Monday at 06:00. */
export const PUBLISH_CRON = 'cron(0 6 ? * MON *)';
export const PUBLISH_TIME_ZONE = TimeZone.EUROPE_LONDON;
/** What a scheduled run receives. */
export const SCHEDULED_INPUT = { source: 'schedule' } as const;

export interface WeeklyScheduleProps {
  readonly publish: IFunction;
}

export class WeeklySchedule extends Construct {
  readonly schedule: Schedule;
  readonly role: Role;
  readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: WeeklyScheduleProps) {
    super(scope, id);

    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    acknowledge(
      cfnOf(this.deadLetterQueue),
      'AwsSolutions-SQS3',
      'This queue is the dead-letter queue of the weekly schedule (invocations Scheduler ' +
        'could not deliver); its depth raises an alarm.',
    );

    this.role = new Role(this, 'Role', {
      description: 'Rotascope weekly schedule: invokes the publish Lambda',
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    });
    this.role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['lambda:InvokeFunction'],
        resources: [props.publish.functionArn],
      }),
    );
    this.role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['sqs:SendMessage'],
        resources: [this.deadLetterQueue.queueArn],
      }),
    );

    const role = this.role;
    const deadLetterArn = this.deadLetterQueue.queueArn;
    // A target of our own rather than aws-scheduler-targets' LambdaInvoke, which would also
    // grant invoking every version and alias of the function (`<arn>:*`).
    const target: IScheduleTarget = {
      bind: () => ({
        arn: props.publish.functionArn,
        role,
        input: ScheduleTargetInput.fromObject(SCHEDULED_INPUT),
        retryPolicy: { maximumRetryAttempts: 5, maximumEventAgeInSeconds: 3600 },
        deadLetterConfig: { arn: deadLetterArn },
      }),
    };

    this.schedule = new Schedule(this, 'Schedule', {
      description: 'Rotascope: publish the week just ended, Mondays 06:00 London time',
      schedule: ScheduleExpression.expression(PUBLISH_CRON, PUBLISH_TIME_ZONE),
      timeWindow: TimeWindow.off(),
      target,
    });
  }
}
