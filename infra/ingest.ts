/**
 * Ingest: every export that lands in the raw bucket is ingested into the curated bucket.
 *
 *   raw bucket --(S3 ObjectCreated notification)--> queue --(batches of up to 10, at most
 *                                                      ingestMaxConcurrency at once)--> ingest Lambda
 *                                                      \--(3 failed receives)--> dead-letter queue
 *
 * The queue absorbs bursts (a network uploading a year of exports) and retries: the Lambda reports
 * which messages of a batch failed (ReportBatchItemFailures), so only those come back, and a
 * message that fails three times moves to the dead-letter queue, where an alarm sees it
 * (infra/observability.ts). Ingest is idempotent (curated keys carry the export's content hash),
 * so a retried message rewrites the same objects.
 *
 * Queue encryption is SSE-SQS (`QueueEncryption.SQS_MANAGED`), not SSE-KMS: S3 event
 * notifications cannot be sent to a queue encrypted with the AWS managed key `alias/aws/sqs` (S3
 * is not allowed to use it), so KMS would mean a customer managed key: a monthly key charge, KMS
 * calls on every send and receive, and key-policy grants for S3 and the Lambda. The messages only
 * carry bucket names and object keys (`<source_system>/<network>/<kind>/<file>`), no rota data,
 * and SSE-SQS encrypts them at rest with no grants to get wrong.
 *
 * Least privilege: the function reads raw, writes only the curated prefixes ingest writes
 * (src/curated/curated-layout.ts) and reads only its ingest reports there, reads the
 * pseudonymisation key parameter, and cannot touch the site bucket.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import { Effect, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { type Bucket, EventType } from 'aws-cdk-lib/aws-s3';
import { SqsDestination } from 'aws-cdk-lib/aws-s3-notifications';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import {
  CURATED_TABLES,
  MANIFEST_FOLDER,
  SOURCE_VERSIONS_FOLDER,
} from '../src/curated/curated-layout.js';
import type { LambdaArchitecture } from './lambda-architecture.js';
import { acknowledge, cfnOf, defaultPolicyOf, findingText } from './nag.js';
import { objectWildcardFinding, PipelineFunction } from './pipeline-function.js';

/** What ingest writes in the curated bucket (src/curated/curated-layout.ts). */
export const INGEST_WRITES = [
  ...CURATED_TABLES.map((table) => `${table}/`),
  'rejects/',
  MANIFEST_FOLDER,
  SOURCE_VERSIONS_FOLDER,
];
/**
 * What ingest deletes there: what an earlier version of an export wrote, when a changed export
 * comes under the same name (src/ingest/earlier-outputs.ts). Curated data is derived from raw,
 * and can be rebuilt by `rotascope ingest --force`; raw is never deleted.
 */
export const INGEST_DELETES = [
  ...CURATED_TABLES.map((table) => `${table}/`),
  'rejects/',
  MANIFEST_FOLDER,
];
/**
 * What ingest reads there: the ingest reports, to skip exports already ingested, and which
 * version of each raw key it ingested last.
 */
export const INGEST_READS = [MANIFEST_FOLDER, SOURCE_VERSIONS_FOLDER];

export const INGEST_TIMEOUT = Duration.minutes(5);
export const INGEST_BATCH_SIZE = 10;
export const INGEST_BATCHING_WINDOW = Duration.seconds(10);
/** A message is retried twice, then moved to the dead-letter queue. */
export const INGEST_MAX_RECEIVE_COUNT = 3;

export interface IngestProps {
  readonly artefactsDir: string;
  /** What the function runs on (stage config `architecture`). */
  readonly architecture: LambdaArchitecture;
  readonly raw: Bucket;
  readonly curated: Bucket;
  /** SSM SecureString parameter name holding the pseudonymisation key. */
  readonly pseudonymKeyParameter: string;
  /** At most this many ingest functions at once (the event source's maxConcurrency). */
  readonly maxConcurrency: number;
}

export class Ingest extends Construct {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  readonly lambda: PipelineFunction;

  constructor(scope: Construct, id: string, props: IngestProps) {
    super(scope, id);
    const { raw, curated } = props;

    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.queue = new Queue(this, 'Queue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // AWS's guidance for a Lambda event source: at least six times the function's timeout
      // (plus the batching window), so a message is not handed out again while still in work.
      visibilityTimeout: Duration.seconds(
        6 * INGEST_TIMEOUT.toSeconds() + INGEST_BATCHING_WINDOW.toSeconds(),
      ),
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: INGEST_MAX_RECEIVE_COUNT },
    });

    const parameterArn = Stack.of(this).formatArn({
      service: 'ssm',
      resource: 'parameter',
      resourceName: props.pseudonymKeyParameter.replace(/^\//, ''),
    });

    this.lambda = new PipelineFunction(this, 'Lambda', {
      name: 'ingest',
      artefactsDir: props.artefactsDir,
      architecture: props.architecture,
      description: 'Rotascope ingest: raw exports from S3 events -> curated Parquet and rejects',
      memorySize: 2048,
      timeout: INGEST_TIMEOUT,
      environment: {
        ROTASCOPE_RAW: `s3://${raw.bucketName}`,
        ROTASCOPE_CURATED: `s3://${curated.bucketName}`,
        ROTASCOPE_PSEUDONYM_KEY_PARAMETER: props.pseudonymKeyParameter,
      },
    });
    const fn = this.lambda;

    fn.allowList(raw);
    fn.allowRead(raw, ['']);
    fn.allowList(curated);
    // Ingest reads only ingest reports (`exists(manifestKey)`: an export already ingested is
    // skipped); ListBucket makes a missing report a 404 rather than a 403.
    fn.allowRead(curated, INGEST_READS);
    fn.allowWrite(curated, [...INGEST_WRITES]);
    fn.allowDelete(curated, INGEST_DELETES);

    // The key: this parameter only. With the AWS managed key aws/ssm, its key policy already lets
    // any principal of the account decrypt through SSM; with a customer managed key (whose policy
    // delegates to IAM) this statement is what allows it. Either way only through SSM, and only
    // for this parameter (SSM puts the parameter's ARN in the encryption context).
    fn.role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['ssm:GetParameter'], resources: [parameterArn] }),
    );
    const anyKey = Stack.of(this).formatArn({ service: 'kms', resource: 'key', resourceName: '*' });
    fn.role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['kms:Decrypt'],
        resources: [anyKey],
        conditions: {
          StringEquals: {
            'kms:ViaService': `ssm.${Stack.of(this).region}.amazonaws.com`,
            'kms:EncryptionContext:PARAMETER_ARN': parameterArn,
          },
        },
      }),
    );

    raw.addEventNotification(EventType.OBJECT_CREATED, new SqsDestination(this.queue));
    // CDK's statement lets S3 send from the raw bucket's ARN; bucket names are global, so also
    // refuse S3 sending on behalf of any other account (confused deputy).
    this.queue.addToResourcePolicy(
      new PolicyStatement({
        sid: 'OnlyThisAccountsS3',
        effect: Effect.DENY,
        principals: [new ServicePrincipal('s3.amazonaws.com')],
        actions: ['sqs:SendMessage'],
        resources: [this.queue.queueArn],
        conditions: { StringNotEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    );
    // S3 notifications are configured by CDK's custom resource (a singleton Lambda per stack),
    // whose role CDK builds with the AWS managed AWSLambdaBasicExecutionRole policy.
    const notificationsHandler = Stack.of(this).node.tryFindChild(
      'BucketNotificationsHandler050a0587b7544547bf325f094a3db834',
    );
    const handlerRole = notificationsHandler?.node.tryFindChild('Role');
    if (!handlerRole)
      throw new Error('CDK no longer creates the bucket-notifications handler role');
    acknowledge(
      cfnOf(handlerRole),
      'AwsSolutions-IAM4',
      "CDK's own bucket-notifications custom resource (runs only at deploy time to set the raw " +
        "bucket's notification); its role and managed logging policy are created by CDK.",
      ['Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole'],
    );
    fn.function.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: INGEST_BATCH_SIZE,
        maxBatchingWindow: INGEST_BATCHING_WINDOW,
        reportBatchItemFailures: true,
        maxConcurrency: props.maxConcurrency,
      }),
    );

    acknowledge(
      defaultPolicyOf(fn.role),
      'AwsSolutions-IAM5',
      'Ingest reads any export in the raw bucket: raw keys are not known before the S3 event ' +
        'names them (it never writes there).',
      [objectWildcardFinding(raw, '')],
    );
    acknowledge(
      defaultPolicyOf(fn.role),
      'AwsSolutions-IAM5',
      'Ingest writes new objects named by content hash under exactly these curated prefixes ' +
        '(src/curated/curated-layout.ts), deletes there only what an earlier version of an ' +
        'export wrote, and reads only ingest reports and source versions; nothing else there.',
      INGEST_WRITES.map((prefix) => objectWildcardFinding(curated, prefix)),
    );
    acknowledge(
      defaultPolicyOf(fn.role),
      'AwsSolutions-IAM5',
      'The key ID of the parameter is not known to the stack (aws/ssm or a customer key); ' +
        'kms:Decrypt is limited by condition to SSM and to this one parameter.',
      [`Resource::${findingText(this, anyKey)}`],
    );
  }
}
