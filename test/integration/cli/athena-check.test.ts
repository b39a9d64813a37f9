/**
 * `rotascope athena-check` through the CLI (main.ts), as an operator runs it: settings from the
 * environment (the same ROTASCOPE_ATHENA_* and ROTASCOPE_CURATED as `--engine athena`), the
 * curated bucket on s3rver (127.0.0.1), Athena's API mocked for every AthenaClient (no AWS call
 * can happen) with the Athena stand-in's rules; the report on stdout, one line on stderr and exit
 * 1 when a table fails.
 */
import { AthenaClient, StartQueryExecutionCommand } from '@aws-sdk/client-athena';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../../src/cli/main.js';
import { METRIC_COLUMNS } from '../../../src/curated/metric-columns.js';
import { S3Store } from '../../../src/store/s3-store.js';
import { answerChecks } from '../../helpers/athena-check-answers.js';
import { type RunningS3rver, startS3rver } from '../../helpers/s3rver.js';

const athena = mockClient(AthenaClient);
let s3: RunningS3rver;
let env: Record<string, string>;

beforeAll(async () => {
  s3 = await startS3rver(['curated']);
  const curated = new S3Store({ client: s3.client, bucket: 'curated' });
  await curated.put('shifts/network_code=U60865/week_start=2026-11-09/a.parquet', Buffer.from('x'));
  await curated.put(
    'availability/network_code=U60865/week_start=2026-11-09/b.parquet',
    Buffer.from('x'),
  );
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'S3RVER');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'S3RVER');
  env = {
    ROTASCOPE_CURATED: 's3://curated',
    ROTASCOPE_S3_ENDPOINT: s3.endpoint,
    ROTASCOPE_ATHENA_WORKGROUP: 'rotascope-test',
    ROTASCOPE_ATHENA_DATABASE: 'rotascope_test',
  };
});
afterEach(() => athena.reset());
afterAll(async () => {
  athena.restore();
  vi.unstubAllEnvs();
  await s3?.stop();
});

async function run(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l), env });
  return { code, out, err };
}

const rows = (table: string): Record<string, string> =>
  table === 'shifts' || table === 'availability'
    ? { row_count: '7', networks: '1', first_week: '2026-11-09', last_week: '2026-11-09' }
    : table === 'rejects'
      ? { row_count: '0', source_systems: '0' }
      : 'week_start' in (METRIC_COLUMNS[table] ?? {})
        ? { row_count: '2', first_week: '2026-11-09', last_week: '2026-11-09' }
        : { row_count: '2' };
const TABLES = 3 + Object.keys(METRIC_COLUMNS).length;

describe('rotascope athena-check', () => {
  it('checks every table in the configured workgroup and database, whatever ROTASCOPE_ENGINE says, and exits 0', async () => {
    const { refused } = answerChecks(athena, { database: 'rotascope_test', rows });
    env.ROTASCOPE_ENGINE = 'duckdb';
    const { code, out, err } = await run(['athena-check']);
    delete env.ROTASCOPE_ENGINE;
    expect(err.filter((line) => !line.startsWith('  athena: '))).toEqual([]);
    expect(code).toBe(0);
    expect(refused).toEqual([]);
    const inputs = athena.commandCalls(StartQueryExecutionCommand).map((c) => c.args[0].input);
    expect(inputs).toHaveLength(TABLES);
    for (const input of inputs) {
      expect(input.WorkGroup).toBe('rotascope-test');
      expect(input.QueryExecutionContext).toEqual({ Database: 'rotascope_test' });
    }
    expect(out[0]).toBe(
      'Athena workgroup rotascope-test, database rotascope_test, curated s3://curated/',
    );
    expect(out[1]).toMatch(/^table +rows +found +scanned +est\. cost$/);
    expect(out[2]).toMatch(
      /^shifts +7 +1 network, weeks 2026-11-09\.\.2026-11-09 +2\.5 MB +\$0\.000050$/,
    );
    expect(out[TABLES + 2]).toMatch(
      new RegExp(`^total \\(${TABLES} of ${TABLES} ok\\) +\\d+ +${(2.5 * TABLES).toFixed(1)} MB`),
    );
    expect(out).toHaveLength(TABLES + 3);
  });

  it('reports each failing table in one line, checks the rest, and exits 1', async () => {
    answerChecks(athena, {
      database: 'rotascope_test',
      rows,
      failing: {
        availability: Object.assign(new Error('Insufficient permissions to execute the query'), {
          name: 'AccessDeniedException',
        }),
        ytd: Object.assign(new Error('Database rotascope_test does not exist'), {
          name: 'InvalidRequestException',
        }),
      },
    });
    const { code, out, err } = await run(['athena-check']);
    expect(code).toBe(1);
    expect(athena.commandCalls(StartQueryExecutionCommand)).toHaveLength(TABLES);
    expect(out.filter((line) => line.startsWith('FAILED '))).toEqual([
      'FAILED availability: Athena StartQueryExecution failed: Insufficient permissions to execute the query',
      'FAILED ytd: Athena StartQueryExecution failed: Database rotascope_test does not exist',
    ]);
    expect(out).toContainEqual(
      expect.stringMatching(new RegExp(`^total \\(${TABLES - 2} of ${TABLES} ok\\)`)),
    );
    expect(err.at(-1)).toBe(
      `rotascope athena-check: 2 of ${TABLES} tables failed: availability, ytd (see above)`,
    );
  });
});
