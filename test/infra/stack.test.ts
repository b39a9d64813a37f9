/**
 * RotascopeStack: CDK assertions on the synthesised template (private, TLS-only, encrypted,
 * logged buckets with their lifecycle rules; versioned, retained raw bucket), the stage, and the
 * cdk-nag AWS Solutions checks over the whole app (the main stack and the edge authoriser's
 * us-east-1 stack) with the findings acknowledged and why.
 */
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Stack, Validations } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/build-app.js';
import { makeFakeArtefacts } from './fake-artefacts.js';
import {
  assemblyDir,
  CDK_CONTEXT,
  PRODUCTION_READY,
  type Resource,
  type Statement,
  synthesise,
} from './synthesise.js';

const synthesised = synthesise();
const { app, stack, edgeStack, template, resources, edgeResources, logicalId } = synthesised;
const { storage } = stack;
afterAll(() => synthesised.cleanup());

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

type LifecycleRule = Record<string, unknown> & { Id: string; Status: string };
const lifecycleOf = (bucket: Bucket) =>
  (buckets[logicalId(bucket)]?.Properties?.LifecycleConfiguration as { Rules: LifecycleRule[] })
    ?.Rules ?? [];

describe('Storage buckets', () => {
  it('has exactly the access-log, raw, curated, site, Athena results and CloudFront log buckets', () => {
    const ids = storage.all.map(logicalId);
    expect(storage.all).toEqual([
      storage.accessLogs,
      storage.raw,
      storage.curated,
      storage.site,
      storage.athenaResults,
      storage.cdnLogs,
    ]);
    expect(Object.keys(buckets).sort()).toEqual([...ids].sort());
  });

  it('blocks all public access on every bucket', () => {
    for (const [id, bucket] of Object.entries(buckets)) {
      expect(bucket.Properties?.PublicAccessBlockConfiguration, id).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
    }
  });

  it('disables ACLs on every bucket but the CloudFront log bucket, which needs them', () => {
    const cdnLogs = logicalId(storage.cdnLogs);
    for (const [id, bucket] of Object.entries(buckets)) {
      expect(bucket.Properties?.OwnershipControls, id).toEqual({
        Rules: [{ ObjectOwnership: id === cdnLogs ? 'ObjectWriter' : 'BucketOwnerEnforced' }],
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

  it('versions the raw bucket and retains every bucket when the stack is deleted or replaced', () => {
    const raw = buckets[logicalId(storage.raw)];
    expect(raw?.Properties?.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    for (const [id, bucket] of Object.entries(buckets)) {
      expect(bucket.DeletionPolicy, id).toBe('Retain');
      expect(bucket.UpdateReplacePolicy, id).toBe('Retain');
    }
  });

  it('logs access to every other bucket into the access-log bucket, one prefix each', () => {
    const logsId = logicalId(storage.accessLogs);
    const logged = {
      raw: storage.raw,
      curated: storage.curated,
      site: storage.site,
      'athena-results': storage.athenaResults,
      'cdn-logs': storage.cdnLogs,
    };
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
    expect(deliveries).toHaveLength(5);
    expect(buckets[logsId]?.Properties?.LoggingConfiguration).toBeUndefined();
  });
});

describe('Storage lifecycle rules', () => {
  const abortAfter7Days = {
    Id: 'abort-incomplete-multipart-uploads',
    Status: 'Enabled',
    AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
  };

  it('aborts incomplete multipart uploads after 7 days on every bucket', () => {
    for (const bucket of storage.all) {
      expect(lifecycleOf(bucket), bucket.node.id).toContainEqual(abortAfter7Days);
    }
  });

  it('expires raw exports after 7 years, old versions to Glacier after 90 days, gone after 365', () => {
    expect(lifecycleOf(storage.raw)).toEqual([
      abortAfter7Days,
      {
        Id: 'noncurrent-versions-to-glacier-then-expire',
        Status: 'Enabled',
        NoncurrentVersionTransitions: [{ StorageClass: 'GLACIER', TransitionInDays: 90 }],
        NoncurrentVersionExpiration: { NoncurrentDays: 365 },
      },
      { Id: 'expire-exports', Status: 'Enabled', ExpirationInDays: 2557 },
    ]);
    expect(buckets[logicalId(storage.raw)]?.Properties?.ObjectLockEnabled).toBeUndefined();
  });

  it('denies deleting any version of an export to every principal', () => {
    const policy = Object.values(policies).find(
      (p) =>
        JSON.stringify(p.Properties?.Bucket) === JSON.stringify({ Ref: logicalId(storage.raw) }),
    );
    const document = policy?.Properties?.PolicyDocument as {
      Statement: (Statement & { Sid?: string })[];
    };
    expect(document.Statement.filter((s) => s.Sid === 'DenyDeletingExportVersions')).toEqual([
      {
        Sid: 'DenyDeletingExportVersions',
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: 's3:DeleteObjectVersion',
        Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [logicalId(storage.raw), 'Arn'] }, '/*']] },
      },
    ]);
  });

  it('takes retention from the stage config, with Object Lock in governance mode on request', () => {
    const locked = synthesise({
      config: { retention: { dataYears: 3, rawNoncurrentDays: 120, rawObjectLockDays: 30 } },
    });
    const raw = locked.resources[locked.logicalId(locked.stack.storage.raw)]?.Properties;
    expect(raw?.ObjectLockEnabled).toBe(true);
    expect(raw?.ObjectLockConfiguration).toEqual({
      ObjectLockEnabled: 'Enabled',
      Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 30 } },
    });
    const lifecycle = raw?.LifecycleConfiguration as { Rules: LifecycleRule[] };
    expect(
      lifecycle.Rules.map((r) => [r.Id, r.ExpirationInDays, r.NoncurrentVersionExpiration]),
    ).toEqual([
      ['abort-incomplete-multipart-uploads', undefined, undefined],
      ['noncurrent-versions-to-glacier-then-expire', undefined, { NoncurrentDays: 120 }],
      ['expire-exports', 1096, undefined],
    ]);
    locked.cleanup();
  });

  it('expires Athena results after 30 days and logs after 365 days', () => {
    expect(lifecycleOf(storage.athenaResults)).toContainEqual({
      Id: 'expire-results',
      Status: 'Enabled',
      ExpirationInDays: 30,
    });
    for (const bucket of [storage.accessLogs, storage.cdnLogs]) {
      expect(lifecycleOf(bucket), bucket.node.id).toContainEqual({
        Id: 'expire-logs',
        Status: 'Enabled',
        ExpirationInDays: 365,
      });
    }
  });

  it('expires curated rows with their exports (7 years), and never the site (publish prunes it)', () => {
    expect(lifecycleOf(storage.curated)).toEqual([
      abortAfter7Days,
      { Id: 'expire-curated', Status: 'Enabled', ExpirationInDays: 2557 },
    ]);
    expect(lifecycleOf(storage.site)).toEqual([abortAfter7Days]);
  });
});

describe('stage', () => {
  it("defaults to 'dev'", () => {
    expect(stack.stage).toBe('dev');
    expect(stack.stackName).toBe('Rotascope-dev');
  });

  it('is read from the stage context value', () => {
    // Prepare
    const prod = synthesise({ stage: 'prod', config: PRODUCTION_READY });
    // Act
    const name = prod.stack.stackName;
    // Assess
    expect(name).toBe('Rotascope-prod');
    prod.template.hasResourceProperties('AWS::S3::Bucket', {
      Tags: Match.arrayWith([{ Key: 'stage', Value: 'prod' }]),
    });
    prod.template.hasResourceProperties('AWS::Glue::Database', {
      DatabaseInput: Match.objectLike({ Name: 'rotascope_prod' }),
    });
    prod.cleanup();
  });

  it('rejects an unknown stage with the allowed values', () => {
    expect(() =>
      buildApp({ outdir: assemblyDir(), context: { ...CDK_CONTEXT, stage: 'production' } }),
    ).toThrow('Context value "stage" is "production"; expected one of dev, staging, prod.');
  });

  it('takes setting overrides from the config context value, as JSON text', () => {
    // Prepare
    const config = JSON.stringify({ alarmEmails: ['ops@example.nhs.uk'], publishMemoryMiB: 2048 });
    // Act
    const overridden = synthesise({ config });
    // Assess
    overridden.template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.nhs.uk',
    });
    overridden.template.hasResourceProperties('AWS::Lambda::Function', { MemorySize: 2048 });
    overridden.cleanup();
  });

  it('says where the Lambda artefacts were expected when they are missing', () => {
    // The edge authoriser is built first (the distribution needs it), so it is the first missed.
    const missing = join(tmpdir(), 'rotascope-no-artefacts-here');
    expect(() =>
      buildApp({ outdir: assemblyDir(), context: { ...CDK_CONTEXT, artefactsDir: missing } }),
    ).toThrow(`Lambda artefact not found: ${join(missing, 'edge-auth', 'bundle', 'index.js')}`);
  });

  it('says which pipeline artefact is missing when the edge authoriser is there', () => {
    const artefactsDir = makeFakeArtefacts();
    rmSync(join(artefactsDir, 'ingest'), { recursive: true });
    expect(() =>
      buildApp({ outdir: assemblyDir(), context: { ...CDK_CONTEXT, artefactsDir } }),
    ).toThrow(`Lambda artefact not found: ${join(artefactsDir, 'ingest', 'bundle', 'index.mjs')}`);
    rmSync(artefactsDir, { recursive: true, force: true });
  });
});

/** Every acknowledgement in the app: the construct it is on, the finding and the reason. */
function acknowledgements(root: IConstruct) {
  return root.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) => Object.entries(entry.data as Record<string, string>))
      .map(([id, reason]) => ({
        path: construct.node.path,
        id: id.replace(/^annotation::/i, ''),
        reason,
      })),
  );
}

describe('cdk-nag AwsSolutions checks', () => {
  // cdk-nag 3 reports through CDK's policy-validation plugins, not through annotations, so
  // Annotations.findError/findWarning would see nothing. The findings are read from the pack
  // itself and from the validation report that synthesis writes.
  const ruleIds = (violations: { ruleName: string }[]) => violations.map((v) => v.ruleName);

  it('finds no unacknowledged error or warning, in the main stack or the edge stack', () => {
    // validateScope walks the whole app: both stacks.
    expect(app.node.children.filter((c) => c instanceof Stack)).toEqual([stack, edgeStack]);
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
    const artefactsDir = makeFakeArtefacts();
    const { app: probe, stack: probeStack } = buildApp({
      outdir: assemblyDir(),
      context: { ...CDK_CONTEXT, artefactsDir },
    });
    new Bucket(probeStack, 'Unprotected');
    expect(() => probe.synth()).toThrow(/AwsSolutions-S1[\s\S]*AwsSolutions-S10/);
    rmSync(artefactsDir, { recursive: true, force: true });
  });

  it('acknowledges exactly the reviewed findings, each on its own resource with a reason', () => {
    // Adding an acknowledgement should be a reviewed change to this list.
    const arn = (bucket: Bucket) => `<${logicalId(bucket)}.Arn>`;
    const { raw, curated, site } = storage;
    const ingestPolicy = 'Ingest/Lambda/Role/DefaultPolicy/Resource';
    const publishPolicy = 'Publish/Lambda/Role/DefaultPolicy/Resource';
    const iam5 = (path: string, resource: string) => [
      path,
      `AwsSolutions-IAM5[Resource::${resource}]`,
    ];
    const edgeLogs =
      'arn:aws:logs:*:<AWS::AccountId>:log-group:/aws/lambda/us-east-1.rotascope-dev-edge-auth';
    const inEdgeStack = [
      ['EdgeAuthFunction/Resource', 'AwsSolutions-L1'],
      iam5('EdgeAuthRole/DefaultPolicy/Resource', edgeLogs),
      iam5('EdgeAuthRole/DefaultPolicy/Resource', `${edgeLogs}:*`),
    ].map(([path, id]) => `${edgeStack.stackName}/${path} ${id}`);
    const inMainStack = [
      ['Publish/Failures/Resource', 'AwsSolutions-SQS3'],
      ['WeeklySchedule/DeadLetterQueue/Resource', 'AwsSolutions-SQS3'],
      ['Ingest/Lambda/Function/Resource', 'AwsSolutions-L1'],
      ['Publish/Lambda/Function/Resource', 'AwsSolutions-L1'],
      iam5(ingestPolicy, `${arn(raw)}/*`),
      iam5(ingestPolicy, `${arn(curated)}/shifts/*`),
      iam5(ingestPolicy, `${arn(curated)}/availability/*`),
      iam5(ingestPolicy, `${arn(curated)}/rejects/*`),
      iam5(ingestPolicy, `${arn(curated)}/ingests/*`),
      iam5(ingestPolicy, `${arn(curated)}/sources/*`),
      iam5(ingestPolicy, 'arn:aws:kms:eu-west-2:<AWS::AccountId>:key/*'),
      iam5(publishPolicy, `${arn(curated)}/*`),
      iam5(publishPolicy, `${arn(site)}/*`),
      iam5(publishPolicy, `${arn(curated)}/compacted/*`),
      iam5(publishPolicy, `${arn(curated)}/metrics/*`),
      iam5(publishPolicy, `${arn(curated)}/announced/*`),
      iam5(publishPolicy, `${arn(stack.storage.athenaResults)}/*`),
      [
        'BucketNotificationsHandler050a0587b7544547bf325f094a3db834/Role/Resource',
        'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      ],
      ['Site/Distribution/Resource', 'AwsSolutions-CFR1'],
      ['Site/Distribution/Resource', 'AwsSolutions-CFR2'],
      ['Site/Distribution/Resource', 'AwsSolutions-CFR4'],
      ['SignIn/UserPool/Resource', 'AwsSolutions-COG8'],
      ['SignIn/UserPool/Resource', 'AwsSolutions-COG2'],
    ].map(([path, id]) => `${stack.stackName}/${path} ${id}`);
    const expected = [...inMainStack, ...inEdgeStack];

    const found = acknowledgements(app);

    expect(found.map((a) => `${a.path} ${a.id}`).sort()).toEqual(expected.sort());
    for (const { path, id, reason } of found) {
      expect(reason.length, `${path} ${id}`).toBeGreaterThanOrEqual(20);
    }
  });

  it('acknowledges only findings the checks really make', () => {
    // Prepare: the same pack, blind to acknowledgements.
    const blind = new AwsSolutionsChecks();
    Object.assign(blind, { isAcknowledged: () => false });
    // Act
    const all = blind.validateScope(app).violations;
    // Assess
    const made = new Set(
      all.flatMap((v) => v.violatingResources.map((r) => `${r.constructPath} ${v.ruleName}`)),
    );
    for (const { path, id } of acknowledgements(app)) {
      expect(made.has(`${path} ${id}`), `${path} ${id}`).toBe(true);
    }
  });

  it('writes every acknowledgement, with its reason, into the template Metadata', () => {
    const written = [...Object.values(resources), ...Object.values(edgeResources)]
      .flatMap((r) => {
        const nag = (r.Metadata as { cdk_nag?: { rules_to_suppress: { id: string }[] } })?.cdk_nag;
        return nag?.rules_to_suppress ?? [];
      })
      .map((rule) => rule.id);
    expect(written.sort()).toEqual(
      acknowledgements(app)
        .map((a) => a.id)
        .sort(),
    );
  });

  it('leaves no CDK warning or error annotation, in either stack', () => {
    for (const checked of [stack, edgeStack]) {
      const annotations = Annotations.fromStack(checked);
      expect(annotations.findWarning('*', Match.anyValue()), checked.stackName).toEqual([]);
      expect(annotations.findError('*', Match.anyValue()), checked.stackName).toEqual([]);
    }
  });
});
