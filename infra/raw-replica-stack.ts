/**
 * RawReplicaStack: the bucket raw exports are replicated to, in another region
 * (`<main stack name>-raw-replica`), made beside the main stack for a stage with
 * `rawReplication` (infra/build-app.ts) and deployed before it: S3 refuses a replication rule
 * whose destination bucket does not exist.
 *
 * - The replica bucket is named `rotascope-<stage>-raw-replica-<account>-<region>`
 *   (`rawReplicaBucketName`), so the main stack can name it as a replication destination without
 *   a reference across regions (the edge authoriser's role is named for the same reason).
 * - It keeps what raw keeps, by its own rules: lifecycle actions are not replicated, so the
 *   replica has raw's versioning, lifecycle (exports expire `dataYears` after upload; replaced
 *   versions go to Glacier after 90 days and expire after `rawNoncurrentDays`), Object Lock in
 *   governance mode when raw has it (S3 replicates a locked version only to a bucket with Object
 *   Lock), and the same deny on deleting export versions. Retained if the stack is deleted.
 * - Encryption is SSE-S3, like raw: replicating SSE-S3 objects needs no KMS key, grant or
 *   `sseKmsEncryptedObjects` rule. If raw ever moves to SSE-KMS, the rule needs
 *   `sseKmsEncryptedObjects`, a customer managed key in this region for the replicas, and the
 *   replication role kms:Decrypt on the source key and kms:Encrypt on this one
 *   (docs/deploying.md, "Replication of raw to a second region").
 * - Private, TLS 1.2 only, ACLs disabled, access-logged into its own log bucket in this region
 *   (S3 delivers server access logs only to a bucket in the same region), kept a year.
 *
 * The replication rule and its role are in the main stack, on raw (infra/storage.ts).
 */
import { RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import type { Stage, StageConfig } from './stage-config.js';
import {
  denyDeletingExportVersions,
  LOG_LIFECYCLE,
  PRIVATE_TLS_ENCRYPTED,
  rawRetentionProps,
} from './storage.js';

/** The replica bucket's name: the same in the main stack and here (one account). */
export function rawReplicaBucketName(scope: Construct, stage: Stage, region: string): string {
  return `rotascope-${stage}-raw-replica-${Stack.of(scope).account}-${region}`;
}

export interface RawReplicaStackProps extends StackProps {
  readonly stage: Stage;
  /** The replica's region (stage config `rawReplication.region`). */
  readonly replicaRegion: string;
  /** Raw's retention (stage config `retention`), applied to the replica too. */
  readonly retention: StageConfig['retention'];
}

export class RawReplicaStack extends Stack {
  readonly bucket: Bucket;
  readonly accessLogs: Bucket;

  constructor(scope: Construct, id: string, props: RawReplicaStackProps) {
    super(scope, id, {
      ...props,
      env: { region: props.replicaRegion, account: props.env?.account },
      description:
        `Rotascope (${props.stage}): the replica of the raw exports bucket in ` +
        `${props.replicaRegion} (S3 replication from the main stack's raw bucket)`,
    });
    this.accessLogs = new Bucket(this, 'AccessLogs', {
      ...PRIVATE_TLS_ENCRYPTED,
      lifecycleRules: LOG_LIFECYCLE,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.bucket = new Bucket(this, 'RawReplica', {
      ...PRIVATE_TLS_ENCRYPTED,
      bucketName: rawReplicaBucketName(this, props.stage, props.replicaRegion),
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: 'raw-replica/',
      ...rawRetentionProps(props.retention),
      removalPolicy: RemovalPolicy.RETAIN,
    });
    denyDeletingExportVersions(this.bucket);
  }
}
