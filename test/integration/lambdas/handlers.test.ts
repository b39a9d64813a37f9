/**
 * The built Lambda artefacts (scripts/build-lambdas.ts: the bundles the stack deploys, with their
 * DuckDB binding and files) run against s3rver on 127.0.0.1 with real event payloads: an SQS batch
 * of S3 ObjectCreated notifications -> ingest handler -> curated objects, with a poison export
 * failing only its own message; EventBridge Scheduler's input -> publish handler -> site objects
 * with that week's reports.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildLambdaArtefacts } from '../../../scripts/build-lambdas.js';
import { S3Store } from '../../../src/store/s3-store.js';
import { type RunningS3rver, startS3rver } from '../../helpers/s3rver.js';

const FIXTURES = path.join(import.meta.dirname, '..', '..', 'fixtures');
type Handler = (
  event: unknown,
  context?: { awsRequestId: string; getRemainingTimeInMillis(): number },
) => Promise<Record<string, unknown>>;

let s3: RunningS3rver;
let scratch: string;
let ingest: Handler;
let publish: Handler;
let s3Event: { Records: { s3: { object: { key: string } } }[] };

/** An SQS record as Lambda's event source mapping delivers it, its body an S3 notification. */
function sqsRecord(messageId: string, body: unknown) {
  return {
    messageId,
    receiptHandle: `handle-${messageId}`,
    body: JSON.stringify(body),
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: '1763276412000',
      SenderId: 'AIDAEXAMPLE',
      ApproximateFirstReceiveTimestamp: '1763276412100',
    },
    messageAttributes: {},
    md5OfBody: '0123456789abcdef0123456789abcdef',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:eu-west-2:123456789012:rotascope-ingest',
    awsRegion: 'eu-west-2',
  };
}

/** The fixture notification, for another (URL-encoded) key. */
function notificationFor(encodedKey: string) {
  const event = structuredClone(s3Event);
  (event.Records[0] as { s3: { object: { key: string } } }).s3.object.key = encodedKey;
  return event;
}

beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), 'rotascope-lambda-'));
  const artefacts = path.join(scratch, 'artefacts');
  const [server] = await Promise.all([
    startS3rver(['raw', 'curated', 'site']),
    buildLambdaArtefacts(artefacts),
  ]);
  s3 = server;
  vi.stubEnv('ROTASCOPE_RAW', 's3://raw');
  vi.stubEnv('ROTASCOPE_CURATED', 's3://curated');
  vi.stubEnv('ROTASCOPE_SITE', 's3://site');
  vi.stubEnv('ROTASCOPE_S3_ENDPOINT', s3.endpoint);
  vi.stubEnv('ROTASCOPE_PSEUDONYM_KEY_FILE', path.join(scratch, 'pseudonym.key'));
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'S3RVER');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'S3RVER');
  vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'SILENT');
  // The stack sets it (infra/rotascope-stack.ts); business metrics read it when the bundle loads.
  vi.stubEnv('ROTASCOPE_STAGE', 'staging');
  const load = async (name: string) =>
    (
      (await import(pathToFileURL(path.join(artefacts, name, 'bundle', 'index.mjs')).href)) as {
        handler: Handler;
      }
    ).handler;
  [ingest, publish] = await Promise.all([load('ingest'), load('publish')]);
  s3Event = JSON.parse(
    await readFile(path.join(FIXTURES, 'events', 's3-object-created.json'), 'utf8'),
  );
  const raw = new S3Store({ client: s3.client, bucket: 'raw' });
  // The event's key is URL-encoded: "2026-11-09+export.csv" is "2026-11-09 export.csv".
  await raw.put(
    'generic/U60865/shifts/2026-11-09 export.csv',
    await readFile(path.join(FIXTURES, 'exports', 'u60865-shifts.csv')),
  );
  await raw.put(
    'generic/U60865/shifts/2026-11-09_amended.csv',
    await readFile(path.join(FIXTURES, 'exports', 'u60865-shifts-amended.csv')),
  );
  await raw.put('generic/U60865/shifts/broken.xlsx', 'this is not a spreadsheet');
  await raw.put('generic/u60865/shifts/x.csv', 'a misplaced export');
}, 120_000);

afterAll(async () => {
  vi.unstubAllEnvs();
  await s3?.stop();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

/**
 * Runs a handler call with stdout captured: its result and the EMF lines it printed (the business
 * metrics, lambdas/business-metrics.ts), which would otherwise land in the test output.
 */
async function withMetrics<T>(
  call: () => Promise<T>,
): Promise<{ result: T; emf: Record<string, unknown>[] }> {
  const stdout: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    stdout.push(String(chunk));
    return true;
  });
  try {
    const result = await call();
    const emf = stdout
      .join('')
      .split('\n')
      .filter((line) => line.includes('"_aws"'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    return { result, emf };
  } finally {
    spy.mockRestore();
  }
}

describe('the built ingest Lambda', () => {
  it('ingests the exports of an SQS batch and fails only the poison message', async () => {
    // Prepare: two good exports (ingested in one run, one batch), a file that cannot be read,
    // the first good one notified twice, and S3's test event.
    const event = {
      Records: [
        sqsRecord('m-good', s3Event),
        sqsRecord('m-good-2', notificationFor('generic/U60865/shifts/2026-11-09_amended.csv')),
        sqsRecord('m-again', s3Event),
        sqsRecord('m-poison', notificationFor('generic/U60865/shifts/broken.xlsx')),
        sqsRecord('m-test', { Service: 'Amazon S3', Event: 's3:TestEvent', Bucket: 'raw' }),
        sqsRecord('m-misplaced', notificationFor('generic/u60865/shifts/x.csv')),
        sqsRecord('m-folder', notificationFor('generic/U60865/shifts/')),
      ],
    };
    // Act
    const { result, emf } = await withMetrics(() => ingest(event));
    // Assess: only the poison message and the misplaced key go back to the queue (and, after 3
    // tries, to the DLQ); a folder marker is not an export and passes.
    expect(result).toEqual({
      batchItemFailures: [{ itemIdentifier: 'm-poison' }, { itemIdentifier: 'm-misplaced' }],
    });
    const curated = await new S3Store({ client: s3.client, bucket: 'curated' }).list();
    expect(new Set(curated.map((o) => o.key.split('/')[0]))).toEqual(
      new Set(['shifts', 'rejects', 'ingests', 'sources']),
    );
    const reports = await Promise.all(
      curated
        .filter((o) => o.key.startsWith('ingests/'))
        .map(async (o) =>
          JSON.parse(
            new TextDecoder().decode(
              await new S3Store({ client: s3.client, bucket: 'curated' }).get(o.key),
            ),
          ),
        ),
    );
    expect(reports.map((r) => r.sourceFile).sort()).toEqual([
      'generic/U60865/shifts/2026-11-09 export.csv',
      'generic/U60865/shifts/2026-11-09_amended.csv',
    ]);
    const report = reports.find((r) => r.sourceFile.endsWith(' export.csv'));
    expect([report.rowsIn, report.accepted, report.rejected]).toEqual([14, 9, 5]);
    // Its business metrics: one EMF line for the invocation, rows in = accepted + rejected over
    // both exports (14 + 1 rows in = 9 + 1 accepted + 5 rejected), in the stage's series.
    expect(emf).toHaveLength(1);
    expect(emf[0]).toMatchObject({
      service: 'rotascope-ingest',
      stage: 'staging',
      FilesIngested: 2,
      FilesFailed: 1,
      RowsIn: 15,
      RowsAccepted: 10,
      RowsRejected: 5,
    });
  });

  it('fails a message whose body is not an S3 notification, and refuses a non-SQS event', async () => {
    const { result } = await withMetrics(() =>
      ingest({ Records: [sqsRecord('m-junk', { hello: 'world' })] }),
    );
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: 'm-junk' }] });
    await expect(ingest(s3Event)).rejects.toThrow();
  });
});

describe('the built publish Lambda', () => {
  it('publishes the site with the requested week’s reports on a scheduled or on-demand event', async () => {
    // Act: on demand for the fixture's week, then as the schedule sends it.
    const { result: onDemand, emf } = await withMetrics(() => publish({ week: '2026-W45' }));
    const { result: scheduled } = await withMetrics(() => publish({ source: 'schedule' }));
    // Assess
    expect(onDemand).toMatchObject({
      networks: 1,
      weeks: 3,
      reportWeek: '2026-11-02',
      announced: 0,
    });
    // Its business metrics: one EMF line (lambdas/business-metrics.ts).
    expect(emf).toHaveLength(1);
    expect(emf[0]).toMatchObject({
      _aws: {
        CloudWatchMetrics: [
          {
            Namespace: 'Rotascope',
            Dimensions: [['service', 'stage']],
            Metrics: [
              { Name: 'PublishDuration', Unit: 'Milliseconds' },
              { Name: 'NetworksPublished', Unit: 'Count' },
              { Name: 'FilesPublished', Unit: 'Count' },
            ],
          },
        ],
      },
      service: 'rotascope-publish',
      stage: 'staging',
      NetworksPublished: 1,
      FilesPublished: onDemand.files,
    });
    expect(onDemand.files).toBeGreaterThan(10);
    expect(emf[0]?.PublishDuration).toBeGreaterThan(0);
    // The schedule reports on the latest week in the data (the fixture's is 9 November).
    expect(scheduled).toMatchObject({ networks: 1, reportWeek: '2026-11-09' });
    // The site is a version under versions/<id>/, made live by current.json (site-versions.ts);
    // the on-demand W45 report was carried into the scheduled run's version.
    const bucket = new S3Store({ client: s3.client, bucket: 'site' });
    const pointer = JSON.parse(new TextDecoder().decode(await bucket.get('current.json')));
    const prefix = `versions/${pointer.version}/`;
    const site = (await bucket.list(prefix)).map((o) => o.key.slice(prefix.length));
    expect(site).toEqual(
      expect.arrayContaining([
        'index.html',
        'networks/U60865/index.html',
        'reports/2026-W45/U60865/index.html',
        'reports/2026-W46/U60865/index.html',
        'assets/vega-embed.min.js',
        'assets/nhsuk-frontend.min.css',
      ]),
    );
  });

  it('as Lambda’s retry of a run that timed out, takes over the lock that run left at once', async () => {
    // Prepare: the lock of a run whose 15 minutes ended two minutes ago (written now: its age is
    // nothing, so only its recorded deadline can tell it is abandoned).
    const bucket = new S3Store({ client: s3.client, bucket: 'site' });
    const deadline = new Date(Date.now() - 2 * 60_000).toISOString();
    await bucket.put(
      'publish.lock',
      JSON.stringify({
        startedAt: deadline,
        pid: 8,
        token: 'a',
        holder: 'Lambda request r-1',
        deadline,
      }),
    );
    const context = { awsRequestId: 'r-1', getRemainingTimeInMillis: () => 15 * 60_000 };
    // Act
    const { result } = await withMetrics(() => publish({ source: 'schedule' }, context));
    // Assess: published, and the lock released.
    expect(result).toMatchObject({ networks: 1, reportWeek: '2026-11-09' });
    expect(await bucket.exists('publish.lock')).toBe(false);
    // A lock whose holder still has time is kept: the run is refused, naming it.
    const later = new Date(Date.now() + 10 * 60_000).toISOString();
    await bucket.put(
      'publish.lock',
      JSON.stringify({ startedAt: deadline, holder: 'Lambda request r-2', deadline: later }),
    );
    await expect(withMetrics(() => publish({ source: 'schedule' }, context))).rejects.toThrow(
      /Another publish is running .*Lambda request r-2\): nothing was changed/,
    );
    await bucket.delete('publish.lock');
  });

  it('refuses a week that is not an ISO week', async () => {
    await expect(publish({ week: '2026-46' })).rejects.toThrow('ISO week');
  });

  it('takes an engine on demand, and refuses one it does not know', async () => {
    await expect(publish({ week: '2026-W45', engine: 'spark' })).rejects.toThrow(/duckdb|athena/);
    // Athena named, but the environment has no workgroup: the config error says what is missing.
    await expect(publish({ week: '2026-W45', engine: 'athena' })).rejects.toThrow(
      'ROTASCOPE_ATHENA_WORKGROUP',
    );
  });
});
