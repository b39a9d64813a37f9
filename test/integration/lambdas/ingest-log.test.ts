/**
 * The ingest Lambda's log says what went wrong with each message in full: a wrong mapping's
 * problems one per entry, the key escaped, a misplaced key with what was expected. The handler
 * from source, on local folders (the built bundle against s3rver is handlers.test.ts); its log
 * is read from stdout and stderr, where Powertools writes one JSON object per line, and so are its
 * business metrics (Powertools Metrics writes them to stdout as one EMF line per invocation).
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { handler } from '../../../lambdas/ingest.js';
import { packageRoot } from '../../../src/package-root.js';
import { LocalFolderStore } from '../../../src/store/local-folder-store.js';

let dir: string;

const GENERIC = `shift_id,practice_code,role,date,start_time,end_time,status
L-1,F84698,gp,2026-11-10,08:30,12:30,unfilled
`;

function message(messageId: string, key: string) {
  const body = {
    Records: [
      {
        eventSource: 'aws:s3',
        eventName: 'ObjectCreated:Put',
        s3: { bucket: { name: 'raw' }, object: { key: encodeURIComponent(key) } },
      },
    ],
  };
  return { messageId, body: JSON.stringify(body), eventSource: 'aws:sqs' };
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'rotascope-lambda-log-'));
  const mappings = path.join(dir, 'mappings');
  await cp(path.join(packageRoot, 'mappings'), mappings, { recursive: true });
  const generic = JSON.parse(await readFile(path.join(mappings, 'generic.json'), 'utf8'));
  generic.name = 'acme';
  generic.shifts.fields.cost.unit = 'gbp';
  generic.shifts.fields.break.unit = 'mins';
  await writeFile(path.join(mappings, 'acme.json'), JSON.stringify(generic));
  const raw = new LocalFolderStore(path.join(dir, 'raw'));
  // One good row and one that is rejected (no such date), for the row metrics.
  await raw.put(
    'generic/U60865/shifts/good.csv',
    `${GENERIC}L-9,F84698,gp,2026-11-31,08:30,12:30,unfilled\n`,
  );
  await raw.put('acme/U60865/shifts/w46\u001b[2J.csv', GENERIC.replace('L-1', 'L-2'));
  await raw.put('generic/u60865/shifts/x.csv', GENERIC.replace('L-1', 'L-3'));
  vi.stubEnv('ROTASCOPE_RAW', path.join(dir, 'raw'));
  vi.stubEnv('ROTASCOPE_CURATED', path.join(dir, 'curated'));
  vi.stubEnv('ROTASCOPE_SITE', path.join(dir, 'site'));
  vi.stubEnv('ROTASCOPE_MAPPINGS_DIR', mappings);
  vi.stubEnv('ROTASCOPE_PSEUDONYM_KEY_FILE', path.join(dir, 'key'));
  vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'INFO');
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await rm(dir, { recursive: true, force: true });
});

describe('the ingest Lambda log', () => {
  it('names each failed message’s problems in full, and the rest succeed', async () => {
    const written: string[] = [];
    const capture = (chunk: unknown) => {
      written.push(String(chunk));
      return true;
    };
    const spies = [
      vi.spyOn(process.stdout, 'write').mockImplementation(capture),
      vi.spyOn(process.stderr, 'write').mockImplementation(capture),
    ];
    let result: unknown;
    try {
      result = await handler({
        Records: [
          message('m-good', 'generic/U60865/shifts/good.csv'),
          message('m-mapping', 'acme/U60865/shifts/w46\u001b[2J.csv'),
          message('m-misplaced', 'generic/u60865/shifts/x.csv'),
        ],
      });
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
    expect(result).toEqual({
      batchItemFailures: [{ itemIdentifier: 'm-mapping' }, { itemIdentifier: 'm-misplaced' }],
    });
    const entries = written
      .join('')
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const failed = entries.find((e) => e.message === 'export failed');
    expect(failed).toMatchObject({
      level: 'ERROR',
      key: 'acme/U60865/shifts/w46\\x1b[2J.csv',
      kind: 'unreadable',
      problems: [
        expect.stringMatching(
          /^Cannot read export acme\/U60865\/shifts\/w46\\x1b\[2J\.csv: Mapping .*acme\.json is not valid:$/,
        ),
        'shifts.fields.break: "mins" is not one of minutes, hours, duration, clock',
        'shifts.fields.cost: "gbp" is not one of pounds, pence',
      ],
    });
    expect(
      entries.find((e) => e.message === 'key ignored: not where an export belongs'),
    ).toMatchObject({
      key: 'generic/u60865/shifts/x.csv',
      reason: 'network folder must be a PCN code like U60865 (upper case: U60865)',
    });
    expect(entries.find((e) => e.message === 'ingested')).toMatchObject({
      keys: ['generic/U60865/shifts/good.csv'],
      ingested: 1,
    });
    expect(written.join('')).not.toContain('\u001b');
    // The business metrics: one EMF line for the batch (lambdas/business-metrics.ts).
    const emf = entries.filter((e) => '_aws' in e);
    expect(emf).toHaveLength(1);
    expect(emf[0]).toMatchObject({
      _aws: {
        CloudWatchMetrics: [
          {
            Namespace: 'Rotascope',
            Dimensions: [['service', 'stage']],
            Metrics: [
              { Name: 'FilesIngested', Unit: 'Count' },
              { Name: 'FilesFailed', Unit: 'Count' },
              { Name: 'RowsIn', Unit: 'Count' },
              { Name: 'RowsAccepted', Unit: 'Count' },
              { Name: 'RowsRejected', Unit: 'Count' },
            ],
          },
        ],
      },
      service: 'rotascope-ingest',
      // ROTASCOPE_STAGE is unset here: lambdas/business-metrics.ts falls back to 'local'.
      stage: 'local',
      // good.csv ingested: 2 rows in = 1 accepted + 1 rejected (31 November); the acme export
      // failed; the misplaced key is ignored, not a file that failed.
      FilesIngested: 1,
      FilesFailed: 1,
      RowsIn: 2,
      RowsAccepted: 1,
      RowsRejected: 1,
    });
  });
});
