/**
 * Publish: the Lambda that computes the metric tables from curated data and publishes the site,
 * weekly (infra/schedule.ts) or on demand:
 *
 *   aws lambda invoke --function-name <PublishFunctionName> \
 *     --cli-binary-format raw-in-base64-out --payload '{"week":"2026-W46"}' out.json
 *
 * It reads all of curated, rewrites only the derived areas there (`compacted/`, `metrics/`),
 * rewrites the site bucket and may publish to the announcements topic. It may run queries in the
 * stack's Athena workgroup over the catalog's tables (`"engine":"athena"` in the payload, or the
 * stage's `metricsEngine`). It cannot read or write the raw bucket.
 *
 * The scheduler invokes it asynchronously; a run that fails is retried once by Lambda (a minute
 * after the failure, timeouts included) and then recorded, with its event and error, on the
 * `failures` queue (SSE-SQS, as in infra/ingest.ts), whose depth raises an alarm. A run stopped by
 * its timeout leaves the publish lock behind; the lock records the run's deadline (lambdas/
 * publish.ts), so the retry can take it over at once (src/site/site-versions.ts).
 */
import { Duration, Size } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import type { Bucket } from 'aws-cdk-lib/aws-s3';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { EngineKind } from '../src/config.js';
import { ANNOUNCED_FOLDER } from '../src/curated/curated-layout.js';
import type { Announcements } from './announcements.js';
import type { AthenaWorkGroup } from './athena.js';
import type { Catalog } from './catalog.js';
import type { LambdaArchitecture } from './lambda-architecture.js';
import { acknowledge, cfnOf, defaultPolicyOf } from './nag.js';
import { objectWildcardFinding, PipelineFunction } from './pipeline-function.js';

/** What `metrics` rewrites in the curated bucket (src/curated/curated-layout.ts). */
export const PUBLISH_WRITES = ['compacted/', 'metrics/'] as const;

export const PUBLISH_TIMEOUT = Duration.minutes(15);

export interface PublishProps {
  readonly artefactsDir: string;
  /** What the function runs on (stage config `architecture`). */
  readonly architecture: LambdaArchitecture;
  readonly curated: Bucket;
  readonly site: Bucket;
  readonly announcements: Announcements;
  /** The site's address, for links in announcements (`https://<domain>`, no trailing slash). */
  readonly siteUrl: string;
  readonly memoryMiB: number;
  /** Concurrency reserved for the function (stage config); unset, none is reserved. */
  readonly reservedConcurrency?: number;
  readonly ephemeralStorageMiB: number;
  /** What computes the metric tables unless an on-demand event names another. */
  readonly metricsEngine: EngineKind;
  /** Where Athena runs the metric queries, over these catalog tables. */
  readonly athena: AthenaWorkGroup;
  readonly catalog: Catalog;
}

export class Publish extends Construct {
  readonly lambda: PipelineFunction;
  /** Asynchronous runs that failed after Lambda's retry. */
  readonly failures: Queue;

  constructor(scope: Construct, id: string, props: PublishProps) {
    super(scope, id);
    const { curated, site } = props;

    this.failures = new Queue(this, 'Failures', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    acknowledge(
      cfnOf(this.failures),
      'AwsSolutions-SQS3',
      'This queue is itself the failure destination of the publish Lambda (failed ' +
        'asynchronous runs); nothing consumes it automatically and its depth raises an alarm.',
    );

    this.lambda = new PipelineFunction(this, 'Lambda', {
      name: 'publish',
      artefactsDir: props.artefactsDir,
      architecture: props.architecture,
      description: 'Rotascope publish: curated Parquet -> metric tables -> static site',
      memorySize: props.memoryMiB,
      timeout: PUBLISH_TIMEOUT,
      ephemeralStorage: Size.mebibytes(props.ephemeralStorageMiB),
      // One publish at a time: the publish lock in the site bucket (src/site/site-versions.ts)
      // refuses a second run, whoever starts it (schedule, on demand, a CLI). Where the account
      // can spare it, the stage may also reserve concurrency 1, so a second asynchronous
      // invocation waits and is retried instead of starting (docs/deploying.md).
      reservedConcurrency: props.reservedConcurrency,
      environment: {
        ROTASCOPE_CURATED: `s3://${curated.bucketName}`,
        ROTASCOPE_SITE: `s3://${site.bucketName}`,
        ROTASCOPE_SITE_URL: props.siteUrl,
        ROTASCOPE_ANNOUNCE_TOPIC_ARN: props.announcements.topic.topicArn,
        ROTASCOPE_ENGINE: props.metricsEngine,
        ROTASCOPE_ATHENA_WORKGROUP: props.athena.name,
        ROTASCOPE_ATHENA_DATABASE: props.catalog.databaseName,
      },
    });
    const fn = this.lambda;
    fn.function.configureAsyncInvoke({
      retryAttempts: 1,
      maxEventAge: Duration.hours(6),
      onFailure: new SqsDestination(this.failures),
    });

    fn.allowList(curated);
    fn.allowRead(curated, ['']);
    // ... and records each announcement sent, so a retried run does not send it twice.
    fn.allowWrite(curated, [...PUBLISH_WRITES, ANNOUNCED_FOLDER]);
    fn.allowDelete(curated, [...PUBLISH_WRITES]);
    fn.allowList(site);
    fn.allowRead(site, ['']);
    fn.allowWrite(site, ['']);
    fn.allowDelete(site, ['']);
    props.announcements.grantPublish(fn.role);
    // Athena, whichever engine the stage uses: an on-demand run may ask for the other. Athena reads
    // curated with this role's rights (granted above) and asks where the bucket is.
    props.athena.grantQueries(fn.role, {
      name: props.catalog.databaseName,
      tables: Object.keys(props.catalog.tables),
    });
    fn.role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['s3:GetBucketLocation'], resources: [curated.bucketArn] }),
    );

    acknowledge(
      defaultPolicyOf(fn.role),
      'AwsSolutions-IAM5',
      'Publish reads every curated table, ingest manifest and metric table to compute the ' +
        'metrics; object keys are content hashes known only at run time.',
      [objectWildcardFinding(curated, '')],
    );
    acknowledge(
      defaultPolicyOf(fn.role),
      'AwsSolutions-IAM5',
      'The site bucket holds only the published site, which publish owns: it lists the ' +
        'report archive and rewrites pages, assets and reports on every run.',
      [objectWildcardFinding(site, '')],
    );
    acknowledge(
      defaultPolicyOf(fn.role),
      'AwsSolutions-IAM5',
      'Publish rewrites only the derived curated areas (compacted copies and metric ' +
        'tables), whose keys are computed at run time, and writes markers of the ' +
        'announcements it sent (one key per network and message).',
      [...PUBLISH_WRITES, ANNOUNCED_FOLDER].map((prefix) => objectWildcardFinding(curated, prefix)),
    );
  }
}
