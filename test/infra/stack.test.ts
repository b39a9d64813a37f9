/**
 * RotascopeStack: CDK assertions on the synthesised template (private, TLS-only, encrypted,
 * logged buckets; versioned, retained raw bucket) and the cdk-nag AWS Solutions checks.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { Bucket, type CfnBucket } from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/build-app.js';

// The context the CLI would pass (feature flags included), so tests synthesise what `cdk synth` does.
const cdkJson = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as {
  context: Record<string, unknown>;
};
const context = cdkJson.context;

type Resource = { Properties?: Record<string, unknown>; [key: string]: unknown };
type Statement = {
  Effect: string;
  Action: string | string[];
  Principal?: unknown;
  Condition?: Record<string, Record<string, unknown>>;
  Resource: unknown;
};

function build() {
  const { app, stack } = buildApp({ context });
  const { storage } = stack;
  const logicalId = (bucket: Bucket) => stack.getLogicalId(bucket.node.defaultChild as CfnBucket);
  const template = Template.fromStack(stack);
  return { app, stack, storage, template, logicalId };
}

const { app, stack, storage, template, logicalId } = build();
const buckets = template.findResources('AWS::S3::Bucket') as Record<string, Resource>;
const policies = template.findResources('AWS::S3::BucketPolicy') as Record<string, Resource>;

function policyOf(bucketId: string): Statement[] {
  const found = Object.values(policies).filter(
    (p) => JSON.stringify(p.Properties?.Bucket) === JSON.stringify({ Ref: bucketId }),
  );
  expect(found, `bucket policies on ${bucketId}`).toHaveLength(1);
  const document = found[0]?.Properties?.PolicyDocument as { Statement: Statement[] };
  return document.Statement;
}

function bucketArnAndObjects(bucketId: string) {
  const arn = { 'Fn::GetAtt': [bucketId, 'Arn'] };
  return [arn, { 'Fn::Join': ['', [arn, '/*']] }];
}

describe('Storage buckets', () => {
  it('has exactly the access-log, raw, curated and site buckets', () => {
    const ids = [storage.accessLogs, storage.raw, storage.curated, storage.site].map(logicalId);
    expect(Object.keys(buckets).sort()).toEqual([...ids].sort());
  });

  it('blocks all public access and disables ACLs on every bucket', () => {
    for (const [id, bucket] of Object.entries(buckets)) {
      expect(bucket.Properties?.PublicAccessBlockConfiguration, id).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
      expect(bucket.Properties?.OwnershipControls, id).toEqual({
        Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }],
      });
    }
  });

  it('denies every request without TLS, or with TLS older than 1.2, on every bucket', () => {
    for (const id of Object.keys(buckets)) {
      const statements = policyOf(id);
      const denyAll = { Effect: 'Deny', Action: 's3:*', Principal: { AWS: '*' } };
      expect(statements, id).toContainEqual({
        ...denyAll,
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        Resource: bucketArnAndObjects(id),
      });
      expect(statements, id).toContainEqual({
        ...denyAll,
        Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } },
        Resource: bucketArnAndObjects(id),
      });
    }
  });

  it('encrypts every bucket at rest with S3-managed keys', () => {
    for (const [id, bucket] of Object.entries(buckets)) {
      expect(bucket.Properties?.BucketEncryption, id).toEqual({
        ServerSideEncryptionConfiguration: [
          { ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } },
        ],
      });
    }
  });

  it('versions the raw bucket and retains it when the stack is deleted or replaced', () => {
    const raw = buckets[logicalId(storage.raw)];
    expect(raw?.Properties?.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(raw?.DeletionPolicy).toBe('Retain');
    expect(raw?.UpdateReplacePolicy).toBe('Retain');
  });

  it('logs access to raw, curated and site into the access-log bucket, one prefix each', () => {
    const logsId = logicalId(storage.accessLogs);
    const logged = { raw: storage.raw, curated: storage.curated, site: storage.site };
    const deliveries = policyOf(logsId).filter((s) => s.Effect === 'Allow');
    for (const [prefix, bucket] of Object.entries(logged)) {
      const id = logicalId(bucket);
      expect(buckets[id]?.Properties?.LoggingConfiguration, prefix).toEqual({
        DestinationBucketName: { Ref: logsId },
        LogFilePrefix: `${prefix}/`,
      });
      // S3 log delivery may write under that prefix, for that source bucket only.
      expect(deliveries, prefix).toContainEqual(
        expect.objectContaining({
          Action: 's3:PutObject',
          Principal: { Service: 'logging.s3.amazonaws.com' },
          Condition: {
            ArnLike: { 'aws:SourceArn': { 'Fn::GetAtt': [id, 'Arn'] } },
            StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
          },
          Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [logsId, 'Arn'] }, `/${prefix}/*`]] },
        }),
      );
    }
    expect(deliveries).toHaveLength(3);
    expect(buckets[logsId]?.Properties?.LoggingConfiguration).toBeUndefined();
  });
});

describe('stage', () => {
  it("defaults to 'dev'", () => {
    expect(stack.stage).toBe('dev');
    expect(stack.stackName).toBe('Rotascope-dev');
  });

  it('is read from the stage context value', () => {
    const { stack: prod } = buildApp({ context: { ...context, stage: 'prod' } });
    expect(prod.stackName).toBe('Rotascope-prod');
    Template.fromStack(prod).hasResourceProperties('AWS::S3::Bucket', {
      Tags: Match.arrayWith([{ Key: 'stage', Value: 'prod' }]),
    });
  });

  it('rejects an unknown stage with the allowed values', () => {
    expect(() => buildApp({ context: { ...context, stage: 'production' } })).toThrow(
      'Context value "stage" is "production"; expected one of dev, staging, prod.',
    );
  });
});

describe('cdk-nag AwsSolutions checks', () => {
  // cdk-nag 3 reports through CDK's policy-validation plugins, not through annotations, so
  // Annotations.findError/findWarning would see nothing. The findings are read from the pack
  // itself and from the validation report that synthesis writes.
  const ruleIds = (violations: { ruleName: string }[]) => violations.map((v) => v.ruleName);

  it('finds no unacknowledged error or warning', () => {
    const report = new AwsSolutionsChecks().validateScope(app);
    expect(ruleIds(report.violations)).toEqual([]);
  });

  it('runs on synth, and synth writes a report with no AwsSolutions violation', () => {
    const assembly = app.synth();
    const written = JSON.parse(
      readFileSync(join(assembly.directory, 'validation-report.json'), 'utf8'),
    ) as { pluginReports: { pluginName: string; violations: { ruleName: string }[] }[] };
    const nag = written.pluginReports.filter((r) => r.pluginName === 'AwsSolutions');
    expect(nag.flatMap((r) => ruleIds(r.violations))).toEqual([]);
  });

  it('would fail synth on an unprotected bucket (the checks are wired in)', () => {
    const { app: probe, stack: probeStack } = buildApp({ context });
    new Bucket(probeStack, 'Unprotected');
    expect(() => probe.synth()).toThrow(/AwsSolutions-S1[\s\S]*AwsSolutions-S10/);
  });

  it('acknowledges no finding', () => {
    // buildApp writes every acknowledgement, with its reason, into the resource's Metadata.
    // Adding one should be a reviewed change to this list.
    const acknowledged = Object.entries(template.toJSON().Resources as Record<string, Resource>)
      .map(([id, r]) => ({ id, nag: (r.Metadata as Record<string, unknown> | undefined)?.cdk_nag }))
      .filter((a) => a.nag !== undefined);
    expect(acknowledged).toEqual([]);
  });

  it('leaves no CDK warning or error annotation', () => {
    const annotations = Annotations.fromStack(stack);
    expect(annotations.findWarning('*', Match.anyValue())).toEqual([]);
    expect(annotations.findError('*', Match.anyValue())).toEqual([]);
  });
});
