/**
 * EdgeAlarmsStack: the alarms on the site's edge, in us-east-1 (`<main stack name>-edge-alarms`),
 * made beside the main stack for stages with alarm recipients (infra/build-app.ts).
 *
 * CloudFront publishes its metrics only in us-east-1, and an alarm can only notify a topic in its
 * own region, so this stack has its own alarm topic (KMS-encrypted with its own rotating key,
 * TLS required, email subscriptions from the stage's `alarmEmails`) and three alarms:
 *
 * - `Site5xxRate`: the distribution's `5xxErrorRate` (AWS/CloudFront, Region Global) averaged
 *   over 5 minutes at or above 5% for 2 periods in a row: viewers get errors from CloudFront or
 *   from the edge authoriser (a 5xx from S3 is impossible for an object that exists).
 * - `EdgeExecutionErrors`: the distribution's `LambdaExecutionError` (AWS/CloudFront, Region
 *   Global): the edge authoriser threw or timed out, wherever in the world it ran.
 * - `EdgeFunctionErrors`: the function's `Errors` (AWS/Lambda) in us-east-1. Lambda@Edge writes
 *   its metrics in the region that ran it, so this one sees only runs in us-east-1 (viewers near
 *   its edge locations); for viewers in England the runs are in European regions, which
 *   `EdgeExecutionErrors` covers. Kept because it names the function, not the distribution.
 *
 * Missing data is "not breaching": a quiet hour has no requests and so no data.
 *
 * The distribution's ID comes from the main stack as a cross-region reference
 * (`crossRegionReferences: true` on both stacks). With cdk.json's
 * `@aws-cdk/core:defaultCrossStackReferences: "weak"` CDK writes it as a plain output of the main
 * stack, read here with CloudFormation's `Fn::GetStackOutput` (stack name and region): no custom
 * resource or Lambda, nothing for cdk-nag to flag, and `cdk deploy --all` deploys this stack
 * after the main one. A replaced distribution reaches the alarms on this stack's next deploy
 * (the pipeline deploys both). The alternatives were worse: an ID in the stage config is unknown
 * until the first deploy (two passes, and a stale ID alarms on nothing); a copy in an SSM
 * parameter in us-east-1 needs a custom resource in the main stack to write it there.
 */
import { Stack, type StackProps } from 'aws-cdk-lib';
import { type Alarm, ComparisonOperator, type IMetric, Metric } from 'aws-cdk-lib/aws-cloudwatch';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';
import { EDGE_REGION } from './edge-auth.js';
import { ALARM_PERIOD, type AlarmOptions, topicAlarm } from './observability.js';
import type { Stage } from './stage-config.js';
import { TopicKey } from './topic-key.js';

/** The share of viewer requests answered 5xx (percent, 5-minute average) that alarms. */
export const SITE_5XX_PERCENT = 5;
/** How many 5-minute periods in a row the 5xx rate must stay at or above it. */
export const SITE_5XX_PERIODS = 2;

export interface EdgeAlarmsStackProps extends StackProps {
  readonly stage: Stage;
  /** The site's distribution ID (a reference to the main stack's distribution). */
  readonly distributionId: string;
  /** The edge authoriser's function name (Lambda@Edge, in us-east-1). */
  readonly edgeFunctionName: string;
  readonly emails: readonly string[];
}

export class EdgeAlarmsStack extends Stack {
  readonly topic: Topic;
  readonly topicKey: TopicKey;
  readonly alarms: Alarm[] = [];

  constructor(scope: Construct, id: string, props: EdgeAlarmsStackProps) {
    super(scope, id, {
      ...props,
      env: { region: EDGE_REGION, account: props.env?.account },
      crossRegionReferences: true,
      description:
        `Rotascope (${props.stage}): alarms on the site's CloudFront distribution and edge ` +
        `authoriser (their metrics are in ${EDGE_REGION} only)`,
    });
    this.topicKey = new TopicKey(this, 'TopicKey');
    this.topic = new Topic(this, 'EdgeAlarmTopic', {
      displayName: `Rotascope ${props.stage} edge alarms`,
      masterKey: this.topicKey.key,
      enforceSSL: true,
    });
    for (const email of props.emails) this.topic.addSubscription(new EmailSubscription(email));

    const distribution = { DistributionId: props.distributionId, Region: 'Global' };
    this.alarm(
      'Site5xxRate',
      new Metric({
        namespace: 'AWS/CloudFront',
        metricName: '5xxErrorRate',
        dimensionsMap: distribution,
        period: ALARM_PERIOD,
        statistic: 'Average',
      }),
      `At least ${SITE_5XX_PERCENT}% of viewer requests got a 5xx for ${SITE_5XX_PERIODS * 5} ` +
        'minutes: see docs/deploying.md, "When an alarm fires".',
      {
        threshold: SITE_5XX_PERCENT,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: SITE_5XX_PERIODS,
      },
    );
    this.alarm(
      'EdgeExecutionErrors',
      new Metric({
        namespace: 'AWS/CloudFront',
        metricName: 'LambdaExecutionError',
        dimensionsMap: distribution,
        period: ALARM_PERIOD,
        statistic: 'Sum',
      }),
      'The edge authoriser failed (threw or timed out) in the last 5 minutes, in any region: ' +
        `read /aws/lambda/${EDGE_REGION}.${props.edgeFunctionName} in the region near the viewers.`,
    );
    this.alarm(
      'EdgeFunctionErrors',
      new Metric({
        namespace: 'AWS/Lambda',
        metricName: 'Errors',
        dimensionsMap: { FunctionName: props.edgeFunctionName },
        period: ALARM_PERIOD,
        statistic: 'Sum',
      }),
      `The edge authoriser failed in ${EDGE_REGION} in the last 5 minutes (runs in other ` +
        'regions are counted by EdgeExecutionErrors).',
    );
  }

  private alarm(
    id: string,
    metric: IMetric,
    description: string,
    options: AlarmOptions = {},
  ): void {
    this.alarms.push(topicAlarm(this, this.topic, id, metric, description, options));
  }
}
