/**
 * AthenaWorkGroup: where Rotascope's Athena queries run (ad hoc now; the Athena engine later).
 *
 * The workgroup's settings are enforced, so a client cannot send results elsewhere or unencrypted:
 * results go to the Athena results bucket (expired after 30 days, infra/storage.ts), encrypted
 * with SSE-S3 like every bucket; a query that would scan more than the stage's cutoff is
 * cancelled (a mistaken `select *` over every network costs at most that); the engine version
 * follows Athena's automatic upgrades; per-query metrics go to CloudWatch.
 */
import { Aws } from 'aws-cdk-lib';
import { CfnWorkGroup } from 'aws-cdk-lib/aws-athena';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

export interface AthenaWorkGroupProps {
  readonly name: string;
  readonly results: IBucket;
  /** Bytes a single query may scan before Athena cancels it (at least 10 MB). */
  readonly bytesScannedCutoffPerQuery: number;
}

export class AthenaWorkGroup extends Construct {
  readonly workGroup: CfnWorkGroup;
  readonly name: string;

  constructor(scope: Construct, id: string, props: AthenaWorkGroupProps) {
    super(scope, id);
    this.name = props.name;
    this.workGroup = new CfnWorkGroup(this, 'WorkGroup', {
      name: props.name,
      description: 'Rotascope queries over the curated data',
      state: 'ENABLED',
      // Lets `cdk destroy` delete the workgroup even if someone saved queries in it.
      recursiveDeleteOption: true,
      workGroupConfiguration: {
        enforceWorkGroupConfiguration: true,
        publishCloudWatchMetricsEnabled: true,
        bytesScannedCutoffPerQuery: props.bytesScannedCutoffPerQuery,
        engineVersion: { selectedEngineVersion: 'AUTO' },
        resultConfiguration: {
          outputLocation: `s3://${props.results.bucketName}/`,
          encryptionConfiguration: { encryptionOption: 'SSE_S3' },
          expectedBucketOwner: Aws.ACCOUNT_ID,
        },
      },
    });
  }
}
