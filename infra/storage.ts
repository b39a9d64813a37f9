/**
 * Storage: the S3 buckets Rotascope keeps its data in (DESIGN.md §2).
 *
 * - `raw`: rota exports exactly as received; versioned and retained, never modified.
 * - `curated`: Parquet tables and rejects derived from raw.
 * - `site`: the static dashboards and weekly reports.
 * - `athenaResults`: Athena query results (infra/athena.ts); expire after 30 days.
 * - `accessLogs`: S3 server access logs of the buckets above (and of `cdnLogs`).
 * - `cdnLogs`: CloudFront standard logs of the site (infra/site-distribution.ts).
 *
 * Every bucket is private (all public access blocked), TLS-only (1.2 or newer) and encrypted at
 * rest, and every bucket but `cdnLogs` has ACLs disabled (see `cdnLogs` for why it cannot).
 *
 * Lifecycle (stage config `retention`, docs/deploying.md "Retention"): incomplete multipart
 * uploads are aborted after 7 days everywhere; raw exports and curated rows expire `dataYears`
 * after they were written (7); raw's noncurrent versions move to Glacier after 90 days and expire
 * after `rawNoncurrentDays` (365); nobody may delete an export's version; Athena results expire
 * after 30 days; logs after 365 days.
 *
 * Replication (stage config `rawReplication`, off by default): raw's new versions are copied to
 * a bucket in another region (infra/raw-replica-stack.ts) by S3, with a role only S3 may assume.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { AnyPrincipal, Effect, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  type BucketProps,
  type IBucket,
  type LifecycleRule,
  ObjectLockRetention,
  ObjectOwnership,
  ReplicationTimeValue,
  StorageClass,
} from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { acknowledge, defaultPolicyOf, findingText } from './nag.js';
import type { StageConfig } from './stage-config.js';

/** The id of raw's replication rule: a dimension of its replication metrics. */
export const RAW_REPLICATION_RULE = 'raw-exports-to-replica';

/**
 * Settings shared by every bucket.
 *
 * Encryption is SSE-S3 (S3-managed keys), not SSE-KMS:
 * - a server-access-log target bucket cannot use the AWS managed `aws/s3` key (aws-cdk-lib
 *   rejects KMS_MANAGED there), so KMS would mean a customer managed key;
 * - a customer managed key would add a monthly key charge, a KMS request charge on every object
 *   read by Lambda and Athena, and key-policy grants for each reader (including CloudFront for the
 *   site). The data is pseudonymised (DESIGN.md §3.1) and access is already controlled by IAM and
 *   bucket policy, so that cost buys little here. Revisit if an ICB's information governance asks
 *   for key-level audit or crypto-shredding.
 */
export const PRIVATE_TLS_ENCRYPTED: BucketProps = {
  blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
  objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
  encryption: BucketEncryption.S3_MANAGED,
  enforceSSL: true,
  minimumTLSVersion: 1.2,
};

/** Parts of an upload that never completed are stored (and billed) until aborted. */
const ABORT_INCOMPLETE_UPLOADS: LifecycleRule = {
  id: 'abort-incomplete-multipart-uploads',
  abortIncompleteMultipartUploadAfter: Duration.days(7),
};

/** Logs are kept for a year: long enough for an information-governance audit of access. */
export const LOG_LIFECYCLE: LifecycleRule[] = [
  ABORT_INCOMPLETE_UPLOADS,
  { id: 'expire-logs', expiration: Duration.days(365) },
];

export interface StorageProps {
  /** How long data is kept (stage config `retention`). */
  readonly retention: StageConfig['retention'];
  /**
   * Replicate raw to a bucket in another region (stage config `rawReplication`): the replica
   * bucket's name (made by infra/raw-replica-stack.ts, deployed first). Unset, no replication.
   */
  readonly rawReplicaBucketName?: string;
}

/** Days in `years` years, leap days included (what a lifecycle rule counts in). */
export const yearsInDays = (years: number) => Math.ceil(years * 365.25);

/**
 * Raw's versioning, Object Lock and lifecycle, shared with its replica in another region (whose
 * rules are its own: lifecycle actions are not replicated).
 */
export function rawRetentionProps(retention: StageConfig['retention']): BucketProps {
  return {
    versioned: true,
    ...(retention.rawObjectLockDays === undefined
      ? {}
      : {
          objectLockEnabled: true,
          objectLockDefaultRetention: ObjectLockRetention.governance(
            Duration.days(retention.rawObjectLockDays),
          ),
        }),
    lifecycleRules: [
      ABORT_INCOMPLETE_UPLOADS,
      {
        id: 'noncurrent-versions-to-glacier-then-expire',
        noncurrentVersionTransitions: [
          { storageClass: StorageClass.GLACIER, transitionAfter: Duration.days(90) },
        ],
        noncurrentVersionExpiration: Duration.days(retention.rawNoncurrentDays),
      },
      { id: 'expire-exports', expiration: Duration.days(yearsInDays(retention.dataYears)) },
    ],
  };
}

/**
 * No principal deletes a version of an export, the pipeline's roles included (they are granted
 * none, and this holds if one ever is): only lifecycle expiry (which a bucket policy does not
 * govern) removes them. An erasure request is made by changing this statement in a reviewed
 * deploy (docs/deploying.md, "Retention").
 */
export function denyDeletingExportVersions(bucket: Bucket): void {
  bucket.addToResourcePolicy(
    new PolicyStatement({
      sid: 'DenyDeletingExportVersions',
      effect: Effect.DENY,
      principals: [new AnyPrincipal()],
      actions: ['s3:DeleteObjectVersion'],
      resources: [bucket.arnForObjects('*')],
    }),
  );
}

/** Replicas of raw exports are read only to recover: Standard-IA (30-day minimum) is enough. */
export const REPLICA_STORAGE_CLASS = StorageClass.INFREQUENT_ACCESS;

export class Storage extends Construct {
  readonly accessLogs: Bucket;
  readonly raw: Bucket;
  readonly curated: Bucket;
  readonly site: Bucket;
  readonly athenaResults: Bucket;
  readonly cdnLogs: Bucket;
  /** The replica of raw in another region, and the role S3 replicates with (when configured). */
  readonly replicaBucket?: IBucket;
  readonly replicationRole?: Role;

  constructor(scope: Construct, id: string, props: StorageProps) {
    super(scope, id);
    const { retention } = props;
    const dataDays = yearsInDays(retention.dataYears);

    // Not logged itself: logging the log bucket into itself would log its own deliveries without
    // end. cdk-nag's AwsSolutions-S1 accepts a bucket that is another bucket's log destination.
    this.accessLogs = new Bucket(this, 'AccessLogs', {
      ...PRIVATE_TLS_ENCRYPTED,
      lifecycleRules: LOG_LIFECYCLE,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // Raw exports are the record of what a practice sent: versioned, and kept if the stack is
    // deleted. An export expires `dataYears` after upload (storage limitation, UK GDPR art.
    // 5(1)(e)); a replaced export's old version moves to Glacier Flexible Retrieval after 90
    // days and expires `rawNoncurrentDays` after it was replaced.
    this.replicaBucket = props.rawReplicaBucketName
      ? Bucket.fromBucketName(this, 'RawReplica', props.rawReplicaBucketName)
      : undefined;
    this.replicationRole = this.replicaBucket
      ? new Role(this, 'RawReplicationRole', {
          // S3 alone, with the trust policy AWS documents for live replication. No
          // aws:SourceAccount/SourceArn condition: AWS's replication guide shows none, and a
          // condition S3 does not send would fail every replication silently. Another account
          // cannot use this role: naming it in a replication configuration needs iam:PassRole on
          // it, which only this account can grant.
          assumedBy: new ServicePrincipal('s3.amazonaws.com'),
          description: 'Rotascope: S3 replication of raw exports to the replica region',
        })
      : undefined;
    this.raw = new Bucket(this, 'Raw', {
      ...this.loggedTo('raw/'),
      ...rawRetentionProps(retention),
      ...(this.replicaBucket && this.replicationRole
        ? {
            replicationRole: this.replicationRole,
            replicationRules: [
              {
                id: RAW_REPLICATION_RULE,
                destination: this.replicaBucket,
                storageClass: REPLICA_STORAGE_CLASS,
                // A delete marker stays here: deleting an export does not hide the replica.
                deleteMarkerReplication: false,
                // Replication metrics, so a failed replication raises an alarm
                // (OperationsFailedReplication, infra/observability.ts). Without Replication
                // Time Control the threshold is ignored; metrics are charged as CloudWatch metrics.
                metrics: ReplicationTimeValue.FIFTEEN_MINUTES,
              },
            ],
          }
        : {}),
      removalPolicy: RemovalPolicy.RETAIN,
    });
    if (this.replicaBucket && this.replicationRole) {
      this.allowReplication(this.replicationRole, this.replicaBucket, retention);
    }

    // Curated data and the site can be rebuilt from raw, but deleting a non-empty bucket needs an
    // auto-delete custom resource (a Lambda with broad S3 rights); retaining them is simpler.
    this.curated = new Bucket(this, 'Curated', {
      ...this.loggedTo('curated/'),
      // Curated rows are the exports' data in another form: they expire with them. Not
      // versioned (rebuilt from raw), so nothing old lingers.
      lifecycleRules: [
        ABORT_INCOMPLETE_UPLOADS,
        { id: 'expire-curated', expiration: Duration.days(dataDays) },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.site = new Bucket(this, 'Site', {
      ...this.loggedTo('site/'),
      lifecycleRules: [ABORT_INCOMPLETE_UPLOADS],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    denyDeletingExportVersions(this.raw);

    // Query results are a cache of what was asked: a month is enough to download them again.
    this.athenaResults = new Bucket(this, 'AthenaResults', {
      ...this.loggedTo('athena-results/'),
      lifecycleRules: [
        ABORT_INCOMPLETE_UPLOADS,
        { id: 'expire-results', expiration: Duration.days(30) },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // CloudFront standard logging writes through S3 ACLs (it grants its awslogsdelivery account
    // FULL_CONTROL on each log object), so its target bucket cannot be BUCKET_OWNER_ENFORCED.
    // Rather than re-enable ACLs on the access-log bucket that every other bucket writes into,
    // CloudFront gets its own bucket with ACLs (OBJECT_WRITER), still private, TLS-only,
    // encrypted and itself access-logged.
    this.cdnLogs = new Bucket(this, 'CdnLogs', {
      ...this.loggedTo('cdn-logs/'),
      objectOwnership: ObjectOwnership.OBJECT_WRITER,
      lifecycleRules: LOG_LIFECYCLE,
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }

  /** Every bucket, for outputs and tests. */
  get all(): Bucket[] {
    return [this.accessLogs, this.raw, this.curated, this.site, this.athenaResults, this.cdnLogs];
  }

  /**
   * What S3 needs to replicate raw (AWS's live-replication policy, no more): read the bucket's
   * replication configuration and list it; read each version to replicate with its ACL and tags
   * (and its retention and legal hold when Object Lock is on); write replicas and their tags to
   * the replica bucket. No s3:ReplicateDelete: delete markers are not replicated.
   */
  private allowReplication(role: Role, replica: IBucket, retention: StorageProps['retention']) {
    role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['s3:GetReplicationConfiguration', 's3:ListBucket'],
        resources: [this.raw.bucketArn],
      }),
    );
    role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: [
          's3:GetObjectVersionForReplication',
          's3:GetObjectVersionAcl',
          's3:GetObjectVersionTagging',
          ...(retention.rawObjectLockDays === undefined
            ? []
            : ['s3:GetObjectRetention', 's3:GetObjectLegalHold']),
        ],
        resources: [this.raw.arnForObjects('*')],
      }),
    );
    role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['s3:ReplicateObject', 's3:ReplicateTags'],
        resources: [replica.arnForObjects('*')],
      }),
    );
    acknowledge(
      defaultPolicyOf(role),
      'AwsSolutions-IAM5',
      'Replication copies every version of every export: S3 replication needs object-level ' +
        'rights on all of raw and on all of its replica bucket, and this role is assumable by S3 ' +
        'alone and can do nothing else.',
      [this.raw.arnForObjects('*'), replica.arnForObjects('*')].map(
        (arn) => `Resource::${findingText(this, arn)}`,
      ),
    );
  }

  private loggedTo(prefix: string): BucketProps {
    return {
      ...PRIVATE_TLS_ENCRYPTED,
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: prefix,
    };
  }
}
