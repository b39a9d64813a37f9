/**
 * AthenaWorkGroup: where Rotascope's Athena queries run: ad hoc ones, and the publish Lambda's
 * when it computes the metric tables on Athena (src/metrics/athena-metrics.ts).
 *
 * The workgroup's settings are enforced, so a client cannot send results elsewhere or unencrypted:
 * results go to the Athena results bucket (expired after 30 days, infra/storage.ts), encrypted
 * with SSE-S3 like every bucket; a query that would scan more than the stage's cutoff is
 * cancelled (a mistaken `select *` over every network costs at most that); the engine version
 * follows Athena's automatic upgrades; per-query metrics go to CloudWatch.
 *
 * `grantQueries` gives a role what running Rotascope's queries in this workgroup needs, and no
 * more: the query API calls on this workgroup only; reading this database's tables (named one by
 * one) from the Glue catalog, and the catalog's `default` database as Athena requires of every
 * caller (GLUE_DEFAULT_DATABASE_ACTIONS); reading and writing query results in the results bucket. Reading
 * the curated data itself is the caller's own grant (Athena reads S3 with the caller's rights).
 */
import { Aws, Stack } from 'aws-cdk-lib';
import { CfnWorkGroup } from 'aws-cdk-lib/aws-athena';
import { type IRole, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { acknowledge, defaultPolicyOf } from './nag.js';
import { objectWildcardFinding } from './pipeline-function.js';

export interface AthenaWorkGroupProps {
  readonly name: string;
  readonly results: IBucket;
  /** Bytes a single query may scan before Athena cancels it (at least 10 MB). */
  readonly bytesScannedCutoffPerQuery: number;
}

/** The API calls running a query needs (StopQueryExecution: on timeout or abort). */
export const ATHENA_QUERY_ACTIONS = [
  'athena:StartQueryExecution',
  'athena:GetQueryExecution',
  'athena:GetQueryResults',
  'athena:StopQueryExecution',
] as const;

/** What Athena asks the Glue catalog for, on the caller's behalf, to plan a query. */
export const GLUE_READ_ACTIONS = ['glue:GetDatabase', 'glue:GetTable'] as const;

/**
 * What Athena needs on the catalog and its `default` database, whatever database a query names:
 * "For Athena to work with the AWS Glue Data Catalog, the following access policy to the `default`
 * database and to the AWS Glue Data Catalog per AWS Region for `GetDatabase`, `GetDatabases`, and
 * `CreateDatabase` must be present" (Athena user guide, "Fine-grained access to databases and
 * tables in the AWS Glue Data Catalog", "Mandatory: Access policy to the Default database and
 * catalog per AWS Region"). A policy that names only Rotascope's own database lacks it.
 */
export const GLUE_DEFAULT_DATABASE_ACTIONS = [
  'glue:GetDatabase',
  'glue:GetDatabases',
  'glue:CreateDatabase',
] as const;

export class AthenaWorkGroup extends Construct {
  readonly workGroup: CfnWorkGroup;
  readonly name: string;
  private readonly results: IBucket;

  constructor(scope: Construct, id: string, props: AthenaWorkGroupProps) {
    super(scope, id);
    this.name = props.name;
    this.results = props.results;
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

  /** Lets `role` run queries here over the tables of `database` (see the module comment). */
  grantQueries(role: IRole, database: { name: string; tables: readonly string[] }): void {
    const stack = Stack.of(this);
    const glue = (resource: string, resourceName?: string) =>
      stack.formatArn({ service: 'glue', resource, resourceName });
    role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: [...ATHENA_QUERY_ACTIONS],
        resources: [
          stack.formatArn({ service: 'athena', resource: 'workgroup', resourceName: this.name }),
        ],
      }),
    );
    role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: [...GLUE_READ_ACTIONS],
        resources: [
          glue('catalog'),
          glue('database', database.name),
          ...database.tables.map((table) => glue('table', `${database.name}/${table}`)),
        ],
      }),
    );
    role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: [...GLUE_DEFAULT_DATABASE_ACTIONS],
        resources: [glue('catalog'), glue('database', 'default')],
      }),
    );
    role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['s3:GetBucketLocation', 's3:ListBucket'],
        resources: [this.results.bucketArn],
      }),
    );
    role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload'],
        resources: [this.results.arnForObjects('*')],
      }),
    );
    acknowledge(
      defaultPolicyOf(role),
      'AwsSolutions-IAM5',
      'Athena writes each query result under a new key (the query id) in the results bucket, ' +
        'which holds nothing but query results and expires them after 30 days.',
      [objectWildcardFinding(this.results, '')],
    );
  }
}
