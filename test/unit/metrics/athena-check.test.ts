/**
 * `rotascope athena-check`'s core (src/metrics/athena-check.ts) against the Athena stand-in
 * (test/helpers/athena-rules.ts: every query it sends must pass Athena's rules for the catalog
 * infra/catalog.ts declares) and a curated store in a temp folder. No AWS call: the Athena client
 * is mocked.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { AthenaClient } from '@aws-sdk/client-athena';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { METRIC_COLUMNS } from '../../../src/curated/metric-columns.js';
import { AthenaQueryEngine } from '../../../src/engine/athena-engine.js';
import {
  athenaCheck,
  formatAthenaCheck,
  type TableCheck,
} from '../../../src/metrics/athena-check.js';
import { LocalFolderStore } from '../../../src/store/local-folder-store.js';
import { answerChecks } from '../../helpers/athena-check-answers.js';

const DATABASE = 'rotascope_test';
const client = new AthenaClient({
  region: 'eu-west-2',
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
});
const athena = mockClient(client);
let dir: string;
let curated: LocalFolderStore;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'rotascope-athena-check-'));
  curated = new LocalFolderStore(dir);
  for (const key of [
    'shifts/network_code=U60865/week_start=2026-11-09/a.parquet',
    'shifts/network_code=U12345/week_start=2026-11-16/b.parquet',
    'availability/network_code=U60865/week_start=2026-11-09/c.parquet',
  ]) {
    await curated.put(key, Buffer.from('x'));
  }
});
afterEach(() => athena.reset());
afterAll(async () => {
  athena.restore();
  await rm(dir, { recursive: true, force: true });
});

const engine = () =>
  new AthenaQueryEngine({
    client,
    workGroup: 'rotascope-test',
    database: DATABASE,
    sleep: () => Promise.resolve(),
  });

/** What Athena finds: both networks in shifts, one in availability, 3 weeks in each metric. */
const rows = (table: string): Record<string, string> =>
  table === 'shifts'
    ? { row_count: '120', networks: '2', first_week: '2026-11-09', last_week: '2026-11-16' }
    : table === 'availability'
      ? { row_count: '40', networks: '1', first_week: '2026-11-09', last_week: '2026-11-09' }
      : table === 'rejects'
        ? { row_count: '3', source_systems: '1' }
        : 'week_start' in (METRIC_COLUMNS[table] ?? {})
          ? { row_count: '12', first_week: '2026-11-02', last_week: '2026-11-16' }
          : { row_count: '12' };

describe('athenaCheck', () => {
  it('queries every catalog table once, each query passing the stand-in, and reports each', async () => {
    const { refused, sent } = answerChecks(athena, { database: DATABASE, rows });
    const results = await athenaCheck({ engine: engine(), curated, database: DATABASE });
    expect(refused).toEqual([]);
    const tables = ['shifts', 'availability', 'rejects', ...Object.keys(METRIC_COLUMNS)];
    expect(results.map((r) => r.table)).toEqual(tables);
    expect(sent).toHaveLength(tables.length);
    // The curated tables name the networks with folders in the store (injected projection).
    expect(sent[0]).toContain("where network_code in ('U12345', 'U60865')");
    expect(sent[1]).toContain("where network_code in ('U60865')");
    expect(results.every((r) => r.ok)).toBe(true);
    expect(results[0]).toEqual({
      table: 'shifts',
      ok: true,
      rows: 120,
      found: '2 networks, weeks 2026-11-09..2026-11-16',
      bytesScanned: 2_500_000,
      // 2.5 MB is billed as the 10 MB minimum: 10e6 / 1e12 * $5 = $0.00005.
      costUsd: 0.00005,
    });
    expect(results.find((r) => r.table === 'rejects')).toMatchObject({ found: '1 source system' });
    expect(results.find((r) => r.table === 'network_week')).toMatchObject({
      found: 'weeks 2026-11-02..2026-11-16',
    });
  });

  it('checks every table when some fail, with a reason for each', async () => {
    answerChecks(athena, {
      database: DATABASE,
      // Athena sees only one of the two networks with shifts folders.
      rows: (table) => (table === 'shifts' ? { ...rows(table), networks: '1' } : rows(table)),
      failing: {
        // What an IAM policy missing the table's folder gives (not retryable).
        gaps: Object.assign(
          new Error('User is not authorized to perform: athena:StartQueryExecution'),
          { name: 'AccessDeniedException' },
        ),
      },
    });
    const results = await athenaCheck({ engine: engine(), curated, database: DATABASE });
    expect(results).toHaveLength(3 + Object.keys(METRIC_COLUMNS).length);
    expect(results.filter((r) => !r.ok)).toEqual([
      {
        table: 'shifts',
        ok: false,
        reason: expect.stringMatching(
          /^Athena found 1 of the 2 networks with files under shifts\//,
        ),
      },
      {
        table: 'gaps',
        ok: false,
        reason: expect.stringMatching(/StartQueryExecution failed: .*not authorized/),
      },
    ]);
  });

  it('fails a curated table with no folders to name, without querying it', async () => {
    const empty = new LocalFolderStore(path.join(dir, 'empty'));
    const { sent } = answerChecks(athena, { database: DATABASE, rows });
    const results = await athenaCheck({ engine: engine(), curated: empty, database: DATABASE });
    expect(results.slice(0, 2)).toEqual([
      { table: 'shifts', ok: false, reason: expect.stringContaining('ingest an export first') },
      {
        table: 'availability',
        ok: false,
        reason: expect.stringContaining('ingest an export first'),
      },
    ]);
    expect(sent.some((sql) => sql.includes('"shifts"'))).toBe(false);
  });
});

describe('formatAthenaCheck', () => {
  const results: TableCheck[] = [
    {
      table: 'shifts',
      ok: true,
      rows: 12_345,
      found: '6 networks, weeks 2026-01-05..2026-11-23',
      bytesScanned: 1_500_000,
      costUsd: 0.00005,
    },
    { table: 'gaps', ok: false, reason: 'Athena query q-1 FAILED: TABLE_NOT_FOUND: gaps' },
    {
      table: 'icb_week',
      ok: true,
      rows: 40,
      found: '-',
      bytesScanned: 20_000_000,
      costUsd: 0.0001,
    },
  ];
  it('prints a column-aligned table, a total over the tables that answered, then each failure', () => {
    expect(formatAthenaCheck(results)).toEqual([
      'table                rows  found                                     scanned  est. cost',
      'shifts             12,345  6 networks, weeks 2026-01-05..2026-11-23   1.5 MB  $0.000050',
      'gaps                    -  FAILED (below)                                  -          -',
      'icb_week               40  -                                         20.0 MB  $0.000100',
      'total (2 of 3 ok)  12,385                                            21.5 MB  $0.000150',
      'FAILED gaps: Athena query q-1 FAILED: TABLE_NOT_FOUND: gaps',
    ]);
  });
});
