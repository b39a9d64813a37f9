/**
 * Announcements: the SNS topic the weekly publish posts to, one message per network with its
 * headline numbers and the link to its report. People subscribe by email (stage config
 * `announcementEmails`); only the publish Lambda may publish (`grantPublish`, used by infra/publish.ts).
 * Encrypted with the topics' customer managed key (infra/topic-key.ts), TLS required.
 */
import { type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

export interface AnnouncementsProps {
  readonly key: IKey;
  readonly emails: readonly string[];
}

export class Announcements extends Construct {
  readonly topic: Topic;
  private readonly key: IKey;

  constructor(scope: Construct, id: string, props: AnnouncementsProps) {
    super(scope, id);
    this.topic = new Topic(this, 'Topic', {
      displayName: 'Rotascope announcements',
      masterKey: props.key,
      enforceSSL: true,
    });
    this.key = props.key;
    for (const email of props.emails) this.topic.addSubscription(new EmailSubscription(email));
  }

  /**
   * Lets `grantee` publish: sns:Publish on this topic, and the two KMS actions SNS makes on the
   * publisher's behalf for an encrypted topic, on this key only. (Topic.grantPublish would grant
   * `kms:GenerateDataKey*`, an action wildcard.)
   */
  grantPublish(grantee: IGrantable): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['sns:Publish'], resources: [this.topic.topicArn] }),
    );
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: [this.key.keyArn],
      }),
    );
  }
}
