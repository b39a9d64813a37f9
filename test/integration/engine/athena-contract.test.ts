/**
 * The Athena adapter's contract with the DuckDB one: the same rows give the same Arrow table,
 * field names, types and values alike, so nothing downstream can tell the engines apart.
 *
 * The metric tables are computed for real (ingest and metrics on DuckDB) from the hand-made
 * U60865 exports (with the ARRS one, for the `arrs` table), which give every table rows (see
 * data-quality.test.ts). Athena cannot run here, so its side is built the way Athena would answer, without the code under test: DuckDB reads
 * each stored metric table again with every column cast to text in Athena's formats (timestamps
 * `YYYY-MM-DD HH:MM:SS.fff`, dates `YYYY-MM-DD`, booleans `true`/`false`, numbers as printed),
 * and the column types are named as Athena names them. That text goes through
 * `athenaResultToArrow`, and also through AthenaQueryEngine end to end (the metric's SQL rendered
 * for Athena, a mocked client serving the text as GetQueryResults pages with the header row).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  AthenaClient,
  GetQueryResultsCommand,
  type GetQueryResultsInput,
  StartQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import type { Table } from 'apache-arrow';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { metricKey } from '../../../src/curated/curated-layout.js';
import { tableRows } from '../../../src/engine/arrow-types.js';
import { AthenaQueryEngine } from '../../../src/engine/athena-engine.js';
import { athenaResultToArrow } from '../../../src/engine/athena-results.js';
import { DuckDbEngine, sqlString } from '../../../src/engine/duckdb-engine.js';
import { curatedPartitions } from '../../../src/metrics/athena-metrics.js';
import {
  computeMetrics,
  type MetricTables,
  metricTable,
} from '../../../src/metrics/compute-metrics.js';
import { DEFAULT_METRIC_PARAMETERS } from '../../../src/metrics/metric-parameters.js';
import {
  metricTableNames,
  readFragments,
  readQuery,
  readStagingQueries,
} from '../../../src/metrics/query-files.js';
import { renderForAthena } from '../../../src/metrics/render-for-athena.js';
import { athenaStandIn } from '../../helpers/athena-rules.js';
import { athenaShaped, resultPages } from '../../helpers/athena-shaped.js';
import {
  ingestTestStores,
  openTestStores,
  putU60865Exports,
  type TestStores,
} from '../../helpers/stores.js';

const NAMES = await metricTableNames();

/** Field names and Arrow types, for comparing schemas. */
const fields = (table: Table) => table.schema.fields.map((f) => [f.name, String(f.type)]);

let stores: TestStores;
let engine: DuckDbEngine;
let tables: MetricTables;
let tmp: string;

beforeAll(async () => {
  stores = await openTestStores('local');
  engine = await DuckDbEngine.open();
  tmp = await mkdtemp(path.join(os.tmpdir(), 'rotascope-athena-contract-'));
  await putU60865Exports(stores, ['shifts', 'amended', 'availability', 'arrs']);
  await ingestTestStores(stores, engine);
  tables = await computeMetrics({ engine, curated: stores.curated });
});
afterAll(async () => {
  await engine?.close();
  await stores?.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

/** A select over the stored metric table, in stored order (what readMetrics reads). */
async function storedTable(name: string): Promise<string> {
  const file = path.join(tmp, `${name}.parquet`);
  await writeFile(file, await stores.curated.get(metricKey(name)));
  return `select * from read_parquet(${sqlString(file)})`;
}

describe('Athena results match DuckDB results', () => {
  it('for every metric table, most of them with rows', () => {
    expect(NAMES.length).toBeGreaterThan(5);
    const withRows = NAMES.filter((name) => metricTable(tables, name).numRows > 0);
    expect(withRows.length).toBeGreaterThan(0);
    // The fixture gives every table rows today; keep it so, or the comparison proves less.
    expect(withRows).toEqual(NAMES);
  });

  it.each(NAMES)('%s: same field names, types and values', async (name) => {
    const duckDb = metricTable(tables, name);
    const athena = await athenaShaped(engine, await storedTable(name));

    const fromAthena = athenaResultToArrow(athena.columns, athena.rows);

    expect(fields(fromAthena)).toEqual(fields(duckDb));
    expect(tableRows(fromAthena)).toEqual(tableRows(duckDb));
  });

  it('for the types the metric tables do not have yet (decimal, smallint, hugeint, timestamp)', async () => {
    const select = `select * from (values
        (cast(123.45 as decimal(18,2)), cast(7 as smallint), cast(9007199254740991 as hugeint),
         timestamp '2026-11-16 09:00:00.123', timestamptz '2026-07-01 09:30:00+01', 1e21, 1/3),
        (null, null, null, null, null, null, null)
      ) as t(money, small, huge, ts, tz, big_double, third)`;
    const athena = await athenaShaped(engine, select);
    const duckDb = await engine.query(select);

    const fromAthena = athenaResultToArrow(athena.columns, athena.rows);

    expect(fields(fromAthena)).toEqual(fields(duckDb));
    expect(tableRows(fromAthena)).toEqual(tableRows(duckDb));
    expect(tableRows(fromAthena)[0]).toMatchObject({
      ts: '2026-11-16T09:00:00.123Z',
      tz: '2026-07-01T08:30:00.000Z',
    });
  });
});

describe('AthenaQueryEngine end to end over Athena-shaped pages', () => {
  const client = new AthenaClient({
    region: 'eu-west-2',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  const athena = mockClient(client);
  afterEach(() => {
    athena.reset();
  });
  /** Athena's rules (athena-rules.ts) for the catalog in rotascope_curated. */
  const standIn = (id: string) =>
    athenaStandIn(athena, {
      database: 'rotascope_curated',
      start: () => id,
      execution: {
        StatementType: 'DML',
        Status: { State: 'SUCCEEDED' },
        Statistics: { DataScannedInBytes: 1_000_000, EngineExecutionTimeInMillis: 10 },
      },
    });
  const athenaEngine = () =>
    new AthenaQueryEngine({ client, workGroup: 'rotascope-test', database: 'rotascope_curated' });

  // Every query but rejects_by_reason reads shifts or availability.
  it.each(NAMES.filter((name) => name !== 'rejects_by_reason'))(
    '%s: without its networks named (the SQL before the fix), Athena refuses it',
    async (name) => {
      const sql = renderForAthena(await readQuery(name), {
        database: 'rotascope_curated',
        parameters: DEFAULT_METRIC_PARAMETERS,
        staging: await readStagingQueries(),
        fragments: await readFragments(),
        networks: ['U60865'],
        weeks: { first: '2026-01-05', last: '2026-11-30' },
      }).replaceAll(
        /\(select \* from ("rotascope_curated"\."\w+") where network_code in \([^)]*\)[^()]*\)/g,
        '$1',
      );
      expect(sql).toMatch(/from "rotascope_curated"\."(?:shifts|availability)"/);
      expect(sql).not.toContain('network_code in');
      const { refused } = standIn(`q-${name}`);

      await expect(athenaEngine().query(sql)).rejects.toThrow(
        /FAILED: CONSTRAINT_VIOLATION: For the injected projected partition column network_code/,
      );
      expect(refused).toEqual([sql]);
    },
  );

  it.each(NAMES)('%s: the metric SQL rendered for Athena gives the DuckDB table', async (name) => {
    const staging = await readStagingQueries();
    const sql = renderForAthena(await readQuery(name), {
      database: 'rotascope_curated',
      parameters: DEFAULT_METRIC_PARAMETERS,
      staging,
      fragments: await readFragments(),
      ...(await curatedPartitions(stores.curated)),
    });
    const served = resultPages(await athenaShaped(engine, await storedTable(name)), 2);
    const { refused } = standIn(`q-${name}`);
    athena
      .on(GetQueryResultsCommand)
      .callsFake((input: GetQueryResultsInput) => served.get(input.NextToken ?? ''));
    const fromAthena = await athenaEngine().query(sql);

    expect(refused).toEqual([]);
    expect(athena.commandCalls(StartQueryExecutionCommand)[0]?.args[0].input.QueryString).toBe(sql);
    expect(athena.commandCalls(GetQueryResultsCommand)).toHaveLength(served.size);
    const duckDb = metricTable(tables, name);
    expect(fields(fromAthena)).toEqual(fields(duckDb));
    expect(tableRows(fromAthena)).toEqual(tableRows(duckDb));
  });
});
