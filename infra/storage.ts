/**
 * Storage: the S3 buckets Rotascope keeps its data in (DESIGN.md §2).
 *
 * - `raw`: rota exports exactly as received; versioned and retained, never modified.
 * - `curated`: Parquet tables and rejects derived from raw.
 * - `site`: the static dashboards and weekly reports.
 * - `accessLogs`: S3 server access logs of the three buckets above.
 *
 * Every bucket is private (all public access blocked, ACLs disabled), TLS-only (1.2 or newer)
 * and encrypted at rest.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  type BucketProps,
  ObjectOwnership,
} from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

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
const PRIVATE_TLS_ENCRYPTED: BucketProps = {
  blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
  objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
  encryption: BucketEncryption.S3_MANAGED,
  enforceSSL: true,
  minimumTLSVersion: 1.2,
};

export class Storage extends Construct {
  readonly accessLogs: Bucket;
  readonly raw: Bucket;
  readonly curated: Bucket;
  readonly site: Bucket;

  constructor(scope: Construct, id: string) {
    super(scope, id);

    // Not logged itself: logging the log bucket into itself would log its own deliveries without
    // end. cdk-nag's AwsSolutions-S1 accepts a bucket that is another bucket's log destination.
    this.accessLogs = new Bucket(this, 'AccessLogs', {
      ...PRIVATE_TLS_ENCRYPTED,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.raw = new Bucket(this, 'Raw', {
      ...this.loggedTo('raw/'),
      // Raw exports are the record of what a practice sent: keep every version, and keep the
      // bucket if the stack is deleted.
      versioned: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // Curated data and the site can be rebuilt from raw, but deleting a non-empty bucket needs an
    // auto-delete custom resource (a Lambda with broad S3 rights); retaining them is simpler.
    this.curated = new Bucket(this, 'Curated', {
      ...this.loggedTo('curated/'),
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.site = new Bucket(this, 'Site', {
      ...this.loggedTo('site/'),
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }

  private loggedTo(prefix: string): BucketProps {
    return {
      ...PRIVATE_TLS_ENCRYPTED,
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: prefix,
    };
  }
}
