/**
 * TopicKey: the customer managed KMS key that encrypts Rotascope's SNS topics (alarms and
 * announcements), with yearly automatic rotation.
 *
 * Not the AWS managed key `alias/aws/sns`: CloudWatch alarms cannot publish to a topic encrypted
 * with it (its key policy cannot be changed to let CloudWatch use it), so the alarm topic needs a
 * key whose policy allows `cloudwatch.amazonaws.com`. The announcements topic shares the key
 * (one key charge), and publishers get `kms:GenerateDataKey*`/`kms:Decrypt` on this key only,
 * through `topic.grantPublish`.
 */
import { ArnFormat, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

export class TopicKey extends Construct {
  readonly key: Key;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const stack = Stack.of(this);
    this.key = new Key(this, 'Key', {
      description: 'Rotascope SNS topics (alarms, announcements)',
      enableKeyRotation: true,
      // The key protects messages in flight only (SNS keeps nothing): deleting it with the stack
      // loses no data. KMS waits 7 days before deleting it.
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(7),
    });
    this.key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowCloudWatchAlarmsToPublish',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        // Only for this account's alarms (confused deputy: not another account's CloudWatch).
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: {
            'aws:SourceArn': stack.formatArn({
              service: 'cloudwatch',
              resource: 'alarm',
              resourceName: '*',
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          },
        },
      }),
    );
  }
}
