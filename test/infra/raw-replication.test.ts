/**
 * Optional replication of raw to a second region (stage config `rawReplication`,
 * infra/raw-replica-stack.ts and infra/storage.ts): off by default (no rule, role or stack); on,
 * the replica stack in the other region deployed first, raw's replication rule, the replication
 * role's exact trust and permissions, the replica bucket's exact settings (raw's retention, Object
 * Lock when raw has it), and cdk-nag clean with the two reviewed acknowledgements.
 */
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, describe, expect, it } from 'vitest';
import { stageConfig } from '../../infra/stage-config.js';
import {
  ofType,
  propertiesOf,
  type Resource,
  roleStatements,
  type Synthesised,
  synthesise,
} from './synthesise.js';

const REPLICA_REGION = 'eu-west-1';
const plain = synthesise();
const on = synthesise({ config: { rawReplication: { region: REPLICA_REGION } } });
const locked = synthesise({
  config: {
    rawReplication: { region: REPLICA_REGION },
    retention: { dataYears: 7, rawNoncurrentDays: 365, rawObjectLockDays: 30 },
  },
});
afterAll(() => {
  for (const s of [plain, on, locked]) s.cleanup();
});

/** `rotascope-dev-raw-replica-<account>-eu-west-1` as both stacks write it. */
const replicaName = (suffix = '') => ({
  'Fn::Join': [
    '',
    ['rotascope-dev-raw-replica-', { Ref: 'AWS::AccountId' }, `-eu-west-1${suffix}`],
  ],
});
const replicaArn = (suffix = '') => ({
  'Fn::Join': [
    '',
    ['arn:aws:s3:::rotascope-dev-raw-replica-', { Ref: 'AWS::AccountId' }, `-eu-west-1${suffix}`],
  ],
});

function replicaTemplate(s: Synthesised) {
  if (!s.rawReplicaStack) throw new Error('no raw replica stack');
  const template = Template.fromStack(s.rawReplicaStack);
  const resources = template.toJSON().Resources as Record<string, Resource>;
  const id = s.rawReplicaStack.getLogicalId(s.rawReplicaStack.bucket.node.defaultChild as never);
  const logsId = s.rawReplicaStack.getLogicalId(
    s.rawReplicaStack.accessLogs.node.defaultChild as never,
  );
  return { resources, id, logsId };
}

const rawProps = (s: Synthesised) => propertiesOf(s.resources, s.logicalId(s.stack.storage.raw));

describe('raw replication off (the default)', () => {
  it('has no replication rule, no replication role and no replica stack', () => {
    expect(stageConfig('dev').rawReplication).toBeUndefined();
    expect(rawProps(plain).ReplicationConfiguration).toBeUndefined();
    expect(plain.stack.storage.replicationRole).toBeUndefined();
    expect(plain.rawReplicaStack).toBeUndefined();
    expect(plain.app.node.children.filter((c) => c instanceof Stack)).toHaveLength(2);
    expect(plain.stack.dependencies.map((d) => d.stackName)).toEqual(['Rotascope-dev-edge']);
    const trusted = Object.values(ofType(plain.resources, 'AWS::IAM::Role')).map((r) =>
      JSON.stringify(r.Properties?.AssumeRolePolicyDocument),
    );
    expect(trusted.filter((t) => t.includes('s3.amazonaws.com'))).toEqual([]);
  });
});

/** The alarm on failed replications, if the stack has one. */
const replicationAlarm = (s: Synthesised) =>
  Object.values(ofType(s.resources, 'AWS::CloudWatch::Alarm')).find(
    (a) => a.Properties?.MetricName === 'OperationsFailedReplication',
  )?.Properties;

describe('raw replication on', () => {
  it('alarms when an export fails to replicate (S3 replication metrics), and not when off', () => {
    expect(replicationAlarm(plain)).toBeUndefined();
    const alarm = replicationAlarm(on);
    expect(alarm).toMatchObject({
      Namespace: 'AWS/S3',
      Statistic: 'Sum',
      Period: 300,
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: 1,
      TreatMissingData: 'notBreaching',
    });
    expect(alarm?.Dimensions).toEqual([
      { Name: 'DestinationBucket', Value: replicaName() },
      { Name: 'RuleId', Value: 'raw-exports-to-replica' },
      { Name: 'SourceBucket', Value: { Ref: on.logicalId(on.stack.storage.raw) } },
    ]);
    expect(alarm?.AlarmActions).toEqual([
      { Ref: on.logicalId(on.stack.observability.topic as never) },
    ]);
  });

  it('puts the replica bucket in its own stack in the other region, deployed first', () => {
    const replica = on.rawReplicaStack;
    expect(replica?.stackName).toBe('Rotascope-dev-raw-replica');
    expect(replica?.region).toBe(REPLICA_REGION);
    expect(on.stack.dependencies.map((d) => d.stackName).sort()).toEqual([
      'Rotascope-dev-edge',
      'Rotascope-dev-raw-replica',
    ]);
    expect(on.app.node.children.filter((c) => c instanceof Stack)).toHaveLength(3);
  });

  it('replicates every new raw version to the replica, Standard-IA, delete markers kept here', () => {
    expect(rawProps(on).ReplicationConfiguration).toEqual({
      Role: { 'Fn::GetAtt': [on.logicalId(on.stack.storage.replicationRole as never), 'Arn'] },
      Rules: [
        {
          Id: 'raw-exports-to-replica',
          Status: 'Enabled',
          Filter: { Prefix: '' },
          DeleteMarkerReplication: { Status: 'Disabled' },
          // Replication metrics on (no Replication Time Control), for the failure alarm below.
          Destination: {
            Bucket: replicaArn(),
            StorageClass: 'STANDARD_IA',
            Metrics: { Status: 'Enabled' },
          },
        },
      ],
    });
    // Replication needs versioning on both sides.
    expect(rawProps(on).VersioningConfiguration).toEqual({ Status: 'Enabled' });
  });

  it('lets only S3 assume the replication role (the trust policy AWS documents)', () => {
    const role = propertiesOf(
      on.resources,
      on.logicalId(on.stack.storage.replicationRole as never),
    );
    expect(role.AssumeRolePolicyDocument).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Action: 'sts:AssumeRole',
          Effect: 'Allow',
          Principal: { Service: 's3.amazonaws.com' },
        },
      ],
    });
    expect(role.ManagedPolicyArns).toBeUndefined();
    expect(role.Policies).toBeUndefined();
  });

  it('gives the replication role exactly what live replication needs, and no delete', () => {
    const rawArn = { 'Fn::GetAtt': [on.logicalId(on.stack.storage.raw), 'Arn'] };
    const statements = (s: Synthesised) =>
      roleStatements(s.resources, s.logicalId(s.stack.storage.replicationRole as never));
    const replicate = {
      Effect: 'Allow',
      Action: ['s3:ReplicateObject', 's3:ReplicateTags'],
      Resource: [replicaArn('/*')],
    };
    expect(statements(on)).toEqual([
      {
        Effect: 'Allow',
        Action: ['s3:GetReplicationConfiguration', 's3:ListBucket'],
        Resource: [rawArn],
      },
      {
        Effect: 'Allow',
        Action: [
          's3:GetObjectVersionAcl',
          's3:GetObjectVersionForReplication',
          's3:GetObjectVersionTagging',
        ],
        Resource: [{ 'Fn::Join': ['', [rawArn, '/*']] }],
      },
      replicate,
    ]);
    // With Object Lock, S3 also reads each version's retention and legal hold.
    const lockedRaw = { 'Fn::GetAtt': [locked.logicalId(locked.stack.storage.raw), 'Arn'] };
    expect(statements(locked)[1]).toEqual({
      Effect: 'Allow',
      Action: [
        's3:GetObjectLegalHold',
        's3:GetObjectRetention',
        's3:GetObjectVersionAcl',
        's3:GetObjectVersionForReplication',
        's3:GetObjectVersionTagging',
      ],
      Resource: [{ 'Fn::Join': ['', [lockedRaw, '/*']] }],
    });
  });

  it('keeps the replica as raw is kept: versioned, private, TLS, SSE-S3, logged, same lifecycle', () => {
    const { resources, id, logsId } = replicaTemplate(on);
    expect(resources[id]).toEqual({
      Type: 'AWS::S3::Bucket',
      Properties: {
        BucketName: replicaName(),
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [
            { ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } },
          ],
        },
        VersioningConfiguration: { Status: 'Enabled' },
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
        LoggingConfiguration: {
          DestinationBucketName: { Ref: logsId },
          LogFilePrefix: 'raw-replica/',
        },
        LifecycleConfiguration: {
          Rules: [
            {
              Id: 'abort-incomplete-multipart-uploads',
              Status: 'Enabled',
              AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
            },
            {
              Id: 'noncurrent-versions-to-glacier-then-expire',
              Status: 'Enabled',
              NoncurrentVersionTransitions: [{ StorageClass: 'GLACIER', TransitionInDays: 90 }],
              NoncurrentVersionExpiration: { NoncurrentDays: 365 },
            },
            { Id: 'expire-exports', Status: 'Enabled', ExpirationInDays: 2557 },
          ],
        },
        Tags: [
          { Key: 'project', Value: 'rotascope' },
          { Key: 'stage', Value: 'dev' },
        ],
      },
      UpdateReplacePolicy: 'Retain',
      DeletionPolicy: 'Retain',
    });
    // The same lifecycle as raw's own.
    expect(resources[id]?.Properties?.LifecycleConfiguration).toEqual(
      rawProps(on).LifecycleConfiguration,
    );
  });

  it('denies deleting export versions in the replica, and non-TLS 1.2 access', () => {
    const { resources, id } = replicaTemplate(on);
    const policy = Object.values(ofType(resources, 'AWS::S3::BucketPolicy')).find(
      (p) => JSON.stringify(p.Properties?.Bucket) === JSON.stringify({ Ref: id }),
    );
    if (!policy) throw new Error('the replica bucket has no policy');
    const document = policy.Properties?.PolicyDocument as { Statement: unknown[] } | undefined;
    const statements = document?.Statement;
    const arn = { 'Fn::GetAtt': [id, 'Arn'] };
    const objects = { 'Fn::Join': ['', [arn, '/*']] };
    expect(statements).toEqual([
      {
        Action: 's3:*',
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Resource: [arn, objects],
      },
      {
        Action: 's3:*',
        Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } },
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Resource: [arn, objects],
      },
      {
        Sid: 'DenyDeletingExportVersions',
        Action: 's3:DeleteObjectVersion',
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Resource: objects,
      },
    ]);
  });

  it('locks the replica in governance mode when raw is locked, and not otherwise', () => {
    const { resources, id } = replicaTemplate(locked);
    expect(resources[id]?.Properties?.ObjectLockEnabled).toBe(true);
    expect(resources[id]?.Properties?.ObjectLockConfiguration).toEqual({
      ObjectLockEnabled: 'Enabled',
      Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 30 } },
    });
    expect(rawProps(locked).ObjectLockConfiguration).toEqual({
      ObjectLockEnabled: 'Enabled',
      Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 30 } },
    });
    const unlocked = replicaTemplate(on);
    expect(unlocked.resources[unlocked.id]?.Properties?.ObjectLockEnabled).toBeUndefined();
    expect(unlocked.resources[unlocked.id]?.Properties?.ObjectLockConfiguration).toBeUndefined();
  });

  it('passes cdk-nag across all three stacks, acknowledging only the two object wildcards', () => {
    for (const s of [on, locked]) {
      expect(new AwsSolutionsChecks().validateScope(s.app).violations).toEqual([]);
    }
    const policy = Object.values(ofType(on.resources, 'AWS::IAM::Policy')).find((p) =>
      JSON.stringify(p.Properties?.Roles).includes(
        on.logicalId(on.stack.storage.replicationRole as never),
      ),
    );
    const metadata = policy?.Metadata as
      | { cdk_nag: { rules_to_suppress: { id: string }[] } }
      | undefined;
    const rules = metadata?.cdk_nag.rules_to_suppress ?? [];
    expect(rules.map((r) => r.id)).toEqual([
      `AwsSolutions-IAM5[Resource::<${on.logicalId(on.stack.storage.raw)}.Arn>/*]`,
      'AwsSolutions-IAM5[Resource::arn:aws:s3:::rotascope-dev-raw-replica-<AWS::AccountId>-eu-west-1/*]',
    ]);
    // Nothing in the replica stack is acknowledged.
    const { resources } = replicaTemplate(on);
    expect(Object.values(resources).filter((r) => r.Metadata?.cdk_nag)).toEqual([]);
  });

  it('refuses a replica in the stack region itself', () => {
    expect(() => stageConfig('dev', { rawReplication: { region: 'eu-west-2' } })).toThrow(
      "Stage dev setting rawReplication.region is invalid: it is the stack's own region",
    );
    expect(() => stageConfig('dev', { rawReplication: { region: 'London' } })).toThrow(
      'Stage dev setting rawReplication.region is invalid',
    );
  });
});
