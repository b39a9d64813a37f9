/**
 * The pipeline's moving parts in the synthesised template: raw-bucket events -> queue -> ingest
 * Lambda (with its dead-letter queue), the weekly schedule -> publish Lambda, the Lambdas'
 * settings and environment, and least-privilege IAM for each role.
 */

import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { afterAll, describe, expect, it } from 'vitest';
import { ARTEFACT_MANIFEST } from '../../infra/lambda-architecture.js';
import { PipelineFunction } from '../../infra/pipeline-function.js';
import { PUBLISH_TIMEOUT } from '../../infra/publish.js';
import { loadConfig } from '../../src/config.js';
import { LOCK_DEADLINE_MARGIN_MS } from '../../src/site/site-versions.js';
import { makeFakeArtefacts } from './fake-artefacts.js';
import {
  assemblyDir,
  ofType,
  refersTo,
  resolveText,
  roleStatements,
  synthesise,
} from './synthesise.js';

const synthesised = synthesise();
const { stack, template, resources, logicalId } = synthesised;
afterAll(() => synthesised.cleanup());

const { raw, curated, site } = stack.storage;
const ingest = stack.ingest;
const publish = stack.publish;
const ids = {
  raw: logicalId(raw),
  curated: logicalId(curated),
  site: logicalId(site),
  queue: logicalId(ingest.queue),
  deadLetters: logicalId(ingest.deadLetterQueue),
  ingestFunction: logicalId(ingest.lambda.function),
  ingestRole: logicalId(ingest.lambda.role),
  publishFunction: logicalId(publish.lambda.function),
  publishRole: logicalId(publish.lambda.role),
  publishFailures: logicalId(publish.failures),
  scheduleRole: logicalId(stack.schedule.role),
  scheduleDeadLetters: logicalId(stack.schedule.deadLetterQueue),
};

const functionProps = (id: string) => resources[id]?.Properties as Record<string, unknown>;
const environmentOf = (id: string) =>
  (functionProps(id).Environment as { Variables: Record<string, unknown> }).Variables;

const S3_WRITE = ['s3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload'];

describe('ingest: raw bucket events -> queue -> ingest Lambda', () => {
  it('sends every ObjectCreated event of the raw bucket, and only those, to the ingest queue', () => {
    const notifications = Object.values(ofType(resources, 'Custom::S3BucketNotifications'));
    expect(notifications).toHaveLength(1);
    expect(notifications[0]?.Properties).toMatchObject({
      BucketName: { Ref: ids.raw },
      NotificationConfiguration: {
        QueueConfigurations: [
          { Events: ['s3:ObjectCreated:*'], QueueArn: { 'Fn::GetAtt': [ids.queue, 'Arn'] } },
        ],
      },
    });
  });

  it('lets S3 send to the queue only from the raw bucket', () => {
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: ids.queue }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 's3.amazonaws.com' },
            Action: Match.arrayWith(['sqs:SendMessage']),
            Condition: { ArnLike: { 'aws:SourceArn': { 'Fn::GetAtt': [ids.raw, 'Arn'] } } },
          }),
        ]),
      },
    });
  });

  it('refuses S3 sending to the queue for any other account', () => {
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: ids.queue }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Sid: 'OnlyThisAccountsS3',
            Effect: 'Deny',
            Principal: { Service: 's3.amazonaws.com' },
            Action: 'sqs:SendMessage',
            Resource: { 'Fn::GetAtt': [ids.queue, 'Arn'] },
            Condition: { StringNotEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
          },
        ]),
      },
    });
  });

  it('moves a message to the dead-letter queue after 3 receives', () => {
    expect(resources[ids.queue]?.Properties?.RedrivePolicy).toEqual({
      deadLetterTargetArn: { 'Fn::GetAtt': [ids.deadLetters, 'Arn'] },
      maxReceiveCount: 3,
    });
  });

  it('hides a message in work for at least six times the Lambda timeout', () => {
    const timeout = functionProps(ids.ingestFunction).Timeout as number;
    expect(timeout).toBe(300);
    expect(resources[ids.queue]?.Properties?.VisibilityTimeout).toBeGreaterThanOrEqual(6 * timeout);
  });

  it('feeds the Lambda batches of 10 within 10 seconds, at most 5 at once, reporting failed items one by one', () => {
    const mappings = Object.values(ofType(resources, 'AWS::Lambda::EventSourceMapping'));
    expect(mappings).toHaveLength(1);
    expect(mappings[0]?.Properties).toEqual({
      EventSourceArn: { 'Fn::GetAtt': [ids.queue, 'Arn'] },
      FunctionName: { Ref: ids.ingestFunction },
      BatchSize: 10,
      MaximumBatchingWindowInSeconds: 10,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 5 },
      Tags: [
        { Key: 'project', Value: 'rotascope' },
        { Key: 'stage', Value: 'dev' },
      ],
    });
  });

  it('takes the ingest concurrency limit from the stage config', () => {
    const wider = synthesise({ config: { ingestMaxConcurrency: 20 } });
    const [mapping] = Object.values(ofType(wider.resources, 'AWS::Lambda::EventSourceMapping'));
    expect(mapping?.Properties?.ScalingConfig).toEqual({ MaximumConcurrency: 20 });
    wider.cleanup();
  });

  it('encrypts every queue (SSE-SQS) and denies it to requests without TLS', () => {
    const queues = ofType(resources, 'AWS::SQS::Queue');
    expect(Object.keys(queues).sort()).toEqual(
      [ids.queue, ids.deadLetters, ids.publishFailures, ids.scheduleDeadLetters].sort(),
    );
    for (const [id, queue] of Object.entries(queues)) {
      expect(queue.Properties?.SqsManagedSseEnabled, id).toBe(true);
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: id }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Deny',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
          ]),
        },
      });
    }
  });
});

describe('the Lambda functions', () => {
  it('run the built artefacts on Node.js 22, x86_64, handler bundle/index.handler', () => {
    for (const id of [ids.ingestFunction, ids.publishFunction]) {
      expect(functionProps(id), id).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['x86_64'],
        Handler: 'bundle/index.handler',
      });
    }
  });

  /**
   * Exact values, absence included: toMatchObject would let an extra property through, and
   * `ReservedConcurrentExecutions: 0` throttles every invocation (the pipeline stops).
   */
  const SIZING = [
    'MemorySize',
    'Timeout',
    'EphemeralStorage',
    'ReservedConcurrentExecutions',
    'Architectures',
  ] as const;
  const sizingOf = (id: string) =>
    Object.fromEntries(SIZING.map((name) => [name, functionProps(id)[name]]));

  it('gives ingest 2048 MB, 5 minutes, 1 GB of /tmp and no reserved concurrency', () => {
    expect(sizingOf(ids.ingestFunction)).toEqual({
      MemorySize: 2048,
      Timeout: 300,
      EphemeralStorage: { Size: 1024 },
      ReservedConcurrentExecutions: undefined,
      Architectures: ['x86_64'],
    });
  });

  it('gives publish 3008 MB (a new account limit), 15 minutes, 4 GB of /tmp, nothing reserved', () => {
    expect(sizingOf(ids.publishFunction)).toEqual({
      MemorySize: 3008,
      Timeout: 900,
      EphemeralStorage: { Size: 4096 },
      ReservedConcurrentExecutions: undefined,
      Architectures: ['x86_64'],
    });
  });

  it('reserves publish concurrency only where the stage configures it, and warns at synth', () => {
    const reserved = synthesise({
      config: { publishReservedConcurrency: 1, publishMemoryMiB: 4096 },
    });
    const fn = reserved.logicalId(reserved.stack.publish.lambda.function);
    expect(reserved.resources[fn]?.Properties?.ReservedConcurrentExecutions).toBe(1);
    expect(reserved.resources[fn]?.Properties?.MemorySize).toBe(4096);
    const warnings = Annotations.fromStack(reserved.stack).findWarning('*', Match.anyValue());
    expect(warnings.map((w) => String(w.entry.data))).toEqual([
      expect.stringContaining('publishMemoryMiB is 4096 MB: new accounts allow at most 3008 MB'),
      expect.stringContaining('publishReservedConcurrency is 1'),
    ]);
    reserved.cleanup();
  });

  it('run both pipeline functions on arm64 when the stage asks and the artefacts are arm64', () => {
    const arm = synthesise({ config: { architecture: 'arm64' } }, 'arm64');
    const sizing = (construct: PipelineFunction) => {
      const properties = arm.resources[arm.logicalId(construct.function)]?.Properties ?? {};
      return Object.fromEntries(SIZING.map((name) => [name, properties[name]]));
    };
    expect(sizing(arm.stack.ingest.lambda)).toEqual({
      MemorySize: 2048,
      Timeout: 300,
      EphemeralStorage: { Size: 1024 },
      ReservedConcurrentExecutions: undefined,
      Architectures: ['arm64'],
    });
    expect(sizing(arm.stack.publish.lambda)).toEqual({
      MemorySize: 3008,
      Timeout: 900,
      EphemeralStorage: { Size: 4096 },
      ReservedConcurrentExecutions: undefined,
      Architectures: ['arm64'],
    });
    // Lambda@Edge has no arm64: the edge authoriser stays x86_64.
    const edge = Object.values(ofType(arm.edgeResources, 'AWS::Lambda::Function'));
    expect(edge.map((fn) => fn.Properties?.Architectures)).toEqual([['x86_64']]);
    arm.cleanup();
  });

  it('refuses artefacts built for another architecture than the stage runs on', () => {
    expect(() => synthesise({ config: { architecture: 'arm64' } }, 'x86_64')).toThrow(
      /ingest: the stage runs on arm64 but .* was built for x86_64.*--architecture arm64/,
    );
    expect(() => synthesise({}, 'arm64')).toThrow(
      /ingest: the stage runs on x86_64 but .* was built for arm64/,
    );
  });

  it('refuses an artefact without build.json (built before the architecture was recorded)', () => {
    const old = makeFakeArtefacts();
    rmSync(join(old, 'publish', ARTEFACT_MANIFEST));
    expect(
      () =>
        new PipelineFunction(new Stack(new App({ outdir: assemblyDir() })), 'Old', {
          name: 'publish',
          artefactsDir: old,
          architecture: 'x86_64',
          description: 'old',
          memorySize: 128,
          timeout: Duration.minutes(1),
          environment: {},
        }),
    ).toThrow('was built for an unknown architecture (no valid build.json)');
    rmSync(old, { recursive: true, force: true });
  });

  it('refuses to build a function with reserved concurrency 0', () => {
    const stack = new Stack(new App({ outdir: assemblyDir() }));
    expect(
      () =>
        new PipelineFunction(stack, 'Zero', {
          name: 'publish',
          artefactsDir: synthesised.artefactsDir,
          architecture: 'x86_64',
          description: 'zero',
          memorySize: 128,
          timeout: Duration.minutes(1),
          environment: {},
          reservedConcurrency: 0,
        }),
    ).toThrow('publish: reserved concurrency 0 would stop every invocation');
  });

  it('never reserves zero concurrency (which disables a function) anywhere in the stack', () => {
    for (const [id, fn] of Object.entries(ofType(resources, 'AWS::Lambda::Function'))) {
      const reserved = fn.Properties?.ReservedConcurrentExecutions;
      if (reserved !== undefined) expect(reserved, id).toBeGreaterThanOrEqual(1);
    }
  });

  it('configures ingest through the environment src/config.ts reads', () => {
    // Prepare
    const env = environmentOf(ids.ingestFunction);
    const bucketName = (id: string) => `bucket-${id.toLowerCase()}`;
    const asDeployed = Object.fromEntries(
      Object.entries(env).map(([name, value]) => [
        name,
        resolveText(value).replace(/<([^>]+)>/g, (_, id: string) => bucketName(id)),
      ]),
    );
    // Act
    const config = loadConfig(asDeployed as Record<string, string>);
    // Assess
    expect(env.ROTASCOPE_RAW).toEqual({ 'Fn::Join': ['', ['s3://', { Ref: ids.raw }]] });
    expect(env.ROTASCOPE_CURATED).toEqual({ 'Fn::Join': ['', ['s3://', { Ref: ids.curated }]] });
    expect(env.ROTASCOPE_PSEUDONYM_KEY_PARAMETER).toBe('/rotascope/dev/pseudonym-key');
    expect(config.raw).toEqual({ kind: 's3', bucket: bucketName(ids.raw), prefix: '' });
    expect(config.curated).toEqual({ kind: 's3', bucket: bucketName(ids.curated), prefix: '' });
    expect(config.pseudonymKey).toEqual({
      kind: 'ssm',
      parameterName: '/rotascope/dev/pseudonym-key',
    });
    expect(env).not.toHaveProperty('ROTASCOPE_SITE');
  });

  it('configures publish with curated, site, the site address and the announcements topic', () => {
    const env = environmentOf(ids.publishFunction);
    expect(env.ROTASCOPE_CURATED).toEqual({ 'Fn::Join': ['', ['s3://', { Ref: ids.curated }]] });
    expect(env.ROTASCOPE_SITE).toEqual({ 'Fn::Join': ['', ['s3://', { Ref: ids.site }]] });
    expect(env.ROTASCOPE_ANNOUNCE_TOPIC_ARN).toEqual({
      Ref: logicalId(stack.announcements.topic),
    });
    expect(resolveText(env.ROTASCOPE_SITE_URL)).toBe(
      `https://<${logicalId(stack.site.distribution)}.DomainName>`,
    );
    expect(env).not.toHaveProperty('ROTASCOPE_RAW');
    expect(env).not.toHaveProperty('ROTASCOPE_PSEUDONYM_KEY_PARAMETER');
  });

  it('tells publish its metrics engine (DuckDB by default) and the Athena workgroup and database', () => {
    // Prepare: the environment as deployed, bucket names in place of their references.
    const { ROTASCOPE_ANNOUNCE_TOPIC_ARN: _topic, ...env } = environmentOf(ids.publishFunction);
    const asDeployed = Object.fromEntries(
      Object.entries(env).map(([name, value]) => [
        name,
        resolveText(value).replace(/<([^>]+)>/g, (_, id: string) => `bucket-${id.toLowerCase()}`),
      ]),
    ) as Record<string, string>;
    // Act: as the stage says, and as an on-demand `"engine":"athena"` run reads it.
    const stageEngine = loadConfig(asDeployed).engine;
    const onDemand = loadConfig(asDeployed, { engine: 'athena' }).engine;
    // Assess
    expect(env.ROTASCOPE_ENGINE).toBe('duckdb');
    expect(stageEngine).toEqual({ kind: 'duckdb' });
    expect(onDemand).toEqual({
      kind: 'athena',
      workGroup: 'rotascope-dev',
      database: 'rotascope_dev',
      timeoutMs: 600_000,
    });
  });

  it('takes the metrics engine from the stage config', () => {
    const athena = synthesise({ config: JSON.stringify({ metricsEngine: 'athena' }) });
    const id = athena.logicalId(athena.stack.publish.lambda.function);
    expect(athena.resources[id]?.Properties?.Environment).toMatchObject({
      Variables: { ROTASCOPE_ENGINE: 'athena' },
    });
    athena.cleanup();
  });

  it('names the Powertools service and metrics namespace, and gives DuckDB a home in /tmp', () => {
    for (const [id, service] of [
      [ids.ingestFunction, 'rotascope-ingest'],
      [ids.publishFunction, 'rotascope-publish'],
    ] as const) {
      expect(environmentOf(id), id).toMatchObject({
        POWERTOOLS_SERVICE_NAME: service,
        POWERTOOLS_METRICS_NAMESPACE: 'Rotascope',
        HOME: '/tmp',
      });
    }
  });

  it('logs each function to its own log group, kept 90 days', () => {
    for (const fn of [ingest.lambda, publish.lambda]) {
      const group = logicalId(fn.logGroup);
      expect(functionProps(logicalId(fn.function)).LoggingConfig).toEqual({
        LogGroup: { Ref: group },
      });
      expect(resources[group]?.Properties?.RetentionInDays).toBe(90);
    }
  });

  it('records publish runs that fail after one retry on the failures queue', () => {
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: ids.publishFunction },
      MaximumRetryAttempts: 1,
      DestinationConfig: {
        OnFailure: { Destination: { 'Fn::GetAtt': [ids.publishFailures, 'Arn'] } },
      },
    });
  });

  it('retries a publish that timed out once the lock it left can be taken over, within the event’s age', () => {
    // Scheduler invokes publish asynchronously, so a run that fails or times out is retried by
    // Lambda (its retry policy only covers delivery): a minute after the failure, by when the
    // lock of a run stopped at its timeout is takeable (its deadline + LOCK_DEADLINE_MARGIN_MS,
    // src/site/site-versions.ts).
    const LAMBDA_FIRST_RETRY_DELAY_S = 60;
    const timeout = functionProps(ids.publishFunction).Timeout as number;
    const invoke = Object.values(ofType(resources, 'AWS::Lambda::EventInvokeConfig')).find((r) =>
      refersTo(r.Properties?.FunctionName, ids.publishFunction),
    )?.Properties as { MaximumRetryAttempts: number; MaximumEventAgeInSeconds: number };
    expect(timeout).toBe(PUBLISH_TIMEOUT.toSeconds());
    expect(LOCK_DEADLINE_MARGIN_MS / 1000).toBeLessThan(LAMBDA_FIRST_RETRY_DELAY_S);
    expect(invoke.MaximumRetryAttempts).toBeGreaterThanOrEqual(1);
    // The retry starts about timeout + 60 s after the event was queued: it must not have expired.
    expect(invoke.MaximumEventAgeInSeconds).toBeGreaterThan(timeout + LAMBDA_FIRST_RETRY_DELAY_S);
    expect(invoke.MaximumEventAgeInSeconds).toBe(6 * 60 * 60);
  });
});

describe('the weekly schedule', () => {
  const schedules = Object.values(ofType(resources, 'AWS::Scheduler::Schedule'));
  const schedule = schedules[0]?.Properties as Record<string, unknown>;

  it('runs publish every Monday at 06:00 London time, with no flexible window', () => {
    expect(schedules).toHaveLength(1);
    expect(schedule).toMatchObject({
      ScheduleExpression: 'cron(0 6 ? * MON *)',
      ScheduleExpressionTimezone: 'Europe/London',
      FlexibleTimeWindow: { Mode: 'OFF' },
      State: 'ENABLED',
    });
  });

  it('invokes the publish function with {"source":"schedule"}, retries, then dead-letters', () => {
    expect(schedule.Target).toEqual({
      Arn: { 'Fn::GetAtt': [ids.publishFunction, 'Arn'] },
      RoleArn: { 'Fn::GetAtt': [ids.scheduleRole, 'Arn'] },
      Input: '{"source":"schedule"}',
      RetryPolicy: { MaximumRetryAttempts: 5, MaximumEventAgeInSeconds: 3600 },
      DeadLetterConfig: { Arn: { 'Fn::GetAtt': [ids.scheduleDeadLetters, 'Arn'] } },
    });
  });
});

describe('least privilege', () => {
  const ingestStatements = roleStatements(resources, ids.ingestRole);
  const publishStatements = roleStatements(resources, ids.publishRole);
  const writesTo = (statements: typeof ingestStatements, bucketId: string) =>
    statements.filter(
      (s) => s.Action.some((a) => S3_WRITE.includes(a)) && refersTo(s.Resource, bucketId),
    );
  const objectArn = (bucketId: string, prefix: string) => ({
    'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, `/${prefix}*`]],
  });

  it('grants no action wildcard to any role', () => {
    for (const [id] of Object.entries(ofType(resources, 'AWS::IAM::Role'))) {
      for (const statement of roleStatements(resources, id)) {
        expect(
          statement.Action.filter((a) => a.includes('*')),
          id,
        ).toEqual([]);
      }
    }
  });

  it('keeps the ingest role away from the site bucket', () => {
    expect(ingestStatements.filter((s) => refersTo(s.Resource, ids.site))).toEqual([]);
  });

  it('lets ingest read only the ingest reports and source versions in curated', () => {
    const reads = ingestStatements.filter(
      (s) => s.Action.includes('s3:GetObject') && refersTo(s.Resource, ids.curated),
    );
    expect(reads.flatMap((s) => s.Resource.filter((r) => refersTo(r, ids.curated)))).toEqual([
      objectArn(ids.curated, 'ingests/'),
      objectArn(ids.curated, 'sources/'),
    ]);
  });

  it('lets ingest write only the curated prefixes it writes, delete only its data and reports there, and never touch raw', () => {
    expect(writesTo(ingestStatements, ids.raw)).toEqual([]);
    const writes = writesTo(ingestStatements, ids.curated);
    expect(writes).toHaveLength(2);
    const [put, del] = [
      writes.find((s) => s.Action.includes('s3:PutObject')),
      writes.find((s) => s.Action.includes('s3:DeleteObject')),
    ];
    expect(put?.Action.sort()).toEqual(['s3:AbortMultipartUpload', 's3:PutObject']);
    expect(put?.Resource).toEqual(
      ['availability/', 'ingests/', 'rejects/', 'shifts/', 'sources/'].map((p) =>
        objectArn(ids.curated, p),
      ),
    );
    // What an earlier version of a changed export wrote (src/ingest/earlier-outputs.ts).
    expect(del?.Action).toEqual(['s3:DeleteObject']);
    expect(del?.Resource).toEqual(
      ['availability/', 'ingests/', 'rejects/', 'shifts/'].map((p) => objectArn(ids.curated, p)),
    );
  });

  it('lets ingest read the key parameter only, and decrypt only through SSM for it', () => {
    // The stack's region (stage config, eu-west-2 by default) and so its partition are literal.
    const parameterArn = {
      'Fn::Join': [
        '',
        [
          'arn:aws:ssm:eu-west-2:',
          { Ref: 'AWS::AccountId' },
          ':parameter/rotascope/dev/pseudonym-key',
        ],
      ],
    };
    const ssm = ingestStatements.filter((s) => s.Action.some((a) => a.startsWith('ssm:')));
    expect(ssm).toEqual([
      { Effect: 'Allow', Action: ['ssm:GetParameter'], Resource: [parameterArn] },
    ]);
    const kms = ingestStatements.filter((s) => s.Action.some((a) => a.startsWith('kms:')));
    expect(kms).toHaveLength(1);
    expect(kms[0]?.Action).toEqual(['kms:Decrypt']);
    expect(kms[0]?.Condition?.StringEquals).toEqual({
      'kms:ViaService': 'ssm.eu-west-2.amazonaws.com',
      'kms:EncryptionContext:PARAMETER_ARN': parameterArn,
    });
  });

  it('keeps the publish role away from the raw bucket', () => {
    expect(publishStatements.filter((s) => refersTo(s.Resource, ids.raw))).toEqual([]);
  });

  it('lets publish rewrite only the derived curated areas, announcement markers and the site', () => {
    const curatedWrites = writesTo(publishStatements, ids.curated).map((s) => [
      [...s.Action].sort(),
      s.Resource.filter((r) => refersTo(r, ids.curated)),
    ]);
    expect(curatedWrites).toEqual([
      [
        ['s3:AbortMultipartUpload', 's3:PutObject'],
        ['announced/', 'compacted/', 'metrics/'].map((p) => objectArn(ids.curated, p)),
      ],
      [['s3:DeleteObject'], ['compacted/', 'metrics/'].map((p) => objectArn(ids.curated, p))],
    ]);
    expect(writesTo(publishStatements, ids.site)).not.toEqual([]);
  });

  it('lets publish publish to the announcements topic only, and use only the topics key', () => {
    const topic = logicalId(stack.announcements.topic);
    const sns = publishStatements.filter((s) => s.Action.some((a) => a.startsWith('sns:')));
    expect(sns).toEqual([{ Effect: 'Allow', Action: ['sns:Publish'], Resource: [{ Ref: topic }] }]);
    const kms = publishStatements.filter((s) => s.Action.some((a) => a.startsWith('kms:')));
    expect(kms.flatMap((s) => s.Resource)).toEqual([
      { 'Fn::GetAtt': [logicalId(stack.topicKey.key), 'Arn'] },
    ]);
  });

  it('lets publish run queries in the stack workgroup only, over the catalog tables by name', () => {
    const arn = (service: string, resource: string) => ({
      'Fn::Join': [
        '',
        [`arn:aws:${service}:eu-west-2:`, { Ref: 'AWS::AccountId' }, `:${resource}`],
      ],
    });
    const athena = publishStatements
      .filter((s) => s.Action.some((a) => a.startsWith('athena:')))
      .map((s) => ({ ...s, Action: [...s.Action].sort() }));
    expect(athena).toEqual([
      {
        Effect: 'Allow',
        Action: [
          'athena:GetQueryExecution',
          'athena:GetQueryResults',
          'athena:StartQueryExecution',
          'athena:StopQueryExecution',
        ],
        Resource: [arn('athena', 'workgroup/rotascope-dev')],
      },
    ]);
    const glue = publishStatements
      .filter((s) => s.Action.some((a) => a.startsWith('glue:')))
      .map((s) => ({ ...s, Action: [...s.Action].sort() }));
    const tables = Object.keys(stack.catalog.tables).sort();
    expect(tables).toContain('network_week');
    // IAM merges and orders resources as it likes: compare as sets.
    const byText = (values: unknown[]) => values.map((v) => JSON.stringify(v)).sort();
    expect(glue.map((s) => ({ ...s, Resource: byText(s.Resource) }))).toEqual([
      {
        Effect: 'Allow',
        Action: ['glue:GetDatabase', 'glue:GetTable'],
        Resource: byText([
          arn('glue', 'catalog'),
          arn('glue', 'database/rotascope_dev'),
          ...tables.map((t) => arn('glue', `table/rotascope_dev/${t}`)),
        ]),
      },
      // Athena's mandatory access to the catalog's `default` database (Athena user guide,
      // "Fine-grained access to databases and tables in the AWS Glue Data Catalog"): without it
      // every query of a role limited to its own database is refused.
      {
        Effect: 'Allow',
        Action: ['glue:CreateDatabase', 'glue:GetDatabase', 'glue:GetDatabases'],
        Resource: byText([arn('glue', 'catalog'), arn('glue', 'database/default')]),
      },
    ]);
  });

  it('lets publish read and write Athena results only in the results bucket', () => {
    const results = logicalId(stack.storage.athenaResults);
    const touching = publishStatements
      .filter((s) => refersTo(s.Resource, results))
      .map((s) => ({ ...s, Action: [...s.Action].sort() }));
    expect(touching).toEqual([
      {
        Effect: 'Allow',
        Action: ['s3:GetBucketLocation', 's3:ListBucket'],
        Resource: [{ 'Fn::GetAtt': [results, 'Arn'] }],
      },
      {
        Effect: 'Allow',
        Action: ['s3:AbortMultipartUpload', 's3:GetObject', 's3:PutObject'],
        Resource: [objectArn(results, '')],
      },
    ]);
    expect(
      roleStatements(resources, ids.ingestRole).filter((s) => refersTo(s.Resource, results)),
    ).toEqual([]);
  });

  it('lets the scheduler invoke the publish function and send to its dead-letter queue, nothing else', () => {
    expect(roleStatements(resources, ids.scheduleRole)).toEqual([
      {
        Effect: 'Allow',
        Action: ['lambda:InvokeFunction'],
        Resource: [{ 'Fn::GetAtt': [ids.publishFunction, 'Arn'] }],
      },
      {
        Effect: 'Allow',
        Action: ['sqs:SendMessage'],
        Resource: [{ 'Fn::GetAtt': [ids.scheduleDeadLetters, 'Arn'] }],
      },
    ]);
  });

  it('lets only EventBridge Scheduler of this account assume the scheduler role', () => {
    expect(resources[ids.scheduleRole]?.Properties?.AssumeRolePolicyDocument).toMatchObject({
      Statement: [
        {
          Effect: 'Allow',
          Action: 'sts:AssumeRole',
          Principal: { Service: 'scheduler.amazonaws.com' },
          Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
        },
      ],
    });
  });
});
