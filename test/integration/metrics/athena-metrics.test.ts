/**
 * `rotascope metrics --engine athena` end to end, with only Athena's API mocked (it cannot run
 * here): the pipeline's `metrics` step builds its Athena client and engine from config, sends
 * every metric query rendered for Athena to the configured workgroup and database, and stores
 * each answer in the curated bucket (s3rver on 127.0.0.1) where the DuckDB engine would, with the
 * declared column types. The mocked Athena answers each query with what DuckDB computed for the
 * same table from the same fixture, as Athena-shaped text pages, so the tables read back must
 * equal DuckDB's exactly.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  AthenaClient,
  GetQueryResultsCommand,
  type GetQueryResultsInput,
  type GetQueryResultsOutput,
  StartQueryExecutionCommand,
  type StartQueryExecutionInput,
} from '@aws-sdk/client-athena';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../../src/clock.js';
import { loadConfig } from '../../../src/config.js';
import { METRIC_RUN_KEY, metricKey } from '../../../src/curated/curated-layout.js';
import { METRIC_COLUMNS } from '../../../src/curated/metric-columns.js';
import { tableRows } from '../../../src/engine/arrow-types.js';
import { DuckDbEngine, sqlString } from '../../../src/engine/duckdb-engine.js';
import { curatedPartitions } from '../../../src/metrics/athena-metrics.js';
import { computeMetrics, type MetricTables } from '../../../src/metrics/compute-metrics.js';
import { loadMetricParameters } from '../../../src/metrics/load-parameters.js';
import {
  metricTableNames,
  readFragments,
  readQuery,
  readStagingQueries,
} from '../../../src/metrics/query-files.js';
import { renderForAthena } from '../../../src/metrics/render-for-athena.js';
import { metrics, openRuntime } from '../../../src/pipeline.js';
import { athenaStandIn } from '../../helpers/athena-rules.js';
import { athenaShaped, resultPages } from '../../helpers/athena-shaped.js';
import { bundledReference } from '../../helpers/reference.js';
import {
  ingestTestStores,
  openTestStores,
  putU60865Exports,
  type TestStores,
} from '../../helpers/stores.js';

const NAMES = await metricTableNames();
const ENV = {
  ROTASCOPE_ENGINE: 'athena',
  ROTASCOPE_CURATED: 's3://curated',
  ROTASCOPE_ATHENA_WORKGROUP: 'rotascope-test',
  ROTASCOPE_ATHENA_DATABASE: 'rotascope_test',
};

const athena = mockClient(AthenaClient);
let stores: TestStores;
let duckDb: DuckDbEngine;
/** What DuckDB computed from the fixture: the expected tables. */
let expected: MetricTables;
/** What the pipeline returned with the Athena engine. */
let fromAthena: MetricTables;
const log: string[] = [];

/** Each metric table's Athena SQL, as the pipeline renders it for this config. */
async function renderedQueries(): Promise<Map<string, string>> {
  const config = loadConfig(ENV);
  const render = {
    database: 'rotascope_test',
    parameters: await loadMetricParameters(config, await bundledReference()),
    staging: await readStagingQueries(),
    fragments: await readFragments(),
    ...(await curatedPartitions(stores.curated)),
  };
  const byQuery = new Map<string, string>();
  for (const name of NAMES) byQuery.set(renderForAthena(await readQuery(name), render), name);
  return byQuery;
}

/** Serve each metric query the pages of DuckDB's answer, 3 rows a page. */
async function answerLikeAthena(): Promise<void> {
  const byQuery = await renderedQueries();
  const pagesByTable = new Map<string, Map<string, GetQueryResultsOutput>>();
  for (const name of NAMES) {
    const file = path.join(stores.dir, `${name}.parquet`);
    await writeFile(file, await stores.curated.get(metricKey(name)));
    const shaped = await athenaShaped(duckDb, `select * from read_parquet(${sqlString(file)})`);
    pagesByTable.set(name, resultPages(shaped, 3));
  }
  athenaStandIn(athena, {
    database: 'rotascope_test',
    start: (input: StartQueryExecutionInput) => {
      const name = byQuery.get(input.QueryString ?? '');
      if (!name) throw new Error('Athena was sent SQL that is no metric query');
      return `q-${name}`;
    },
    execution: {
      StatementType: 'DML',
      Status: { State: 'SUCCEEDED' },
      Statistics: { DataScannedInBytes: 25_000_000, EngineExecutionTimeInMillis: 900 },
    },
  });
  athena.on(GetQueryResultsCommand).callsFake((input: GetQueryResultsInput) => {
    const name = (input.QueryExecutionId ?? '').slice('q-'.length);
    return pagesByTable.get(name)?.get(input.NextToken ?? '');
  });
}

beforeAll(async () => {
  // Prepare: the fixture ingested into curated on s3rver, DuckDB's metric tables from it.
  stores = await openTestStores('s3');
  duckDb = await DuckDbEngine.open();
  await putU60865Exports(stores, ['shifts', 'availability']);
  await ingestTestStores(stores, duckDb);
  expected = await computeMetrics({ engine: duckDb, curated: stores.curated });
  await answerLikeAthena();
  await stores.curated.deletePrefix('metrics/');
  // Act
  const runtime = openRuntime(loadConfig(ENV), fixedClock('2026-11-23T06:00:00Z'), (line) =>
    log.push(line),
  );
  // Every table read back (publish would read only what the site reads: SITE_READ).
  fromAthena = await metrics(
    { ...runtime, curated: stores.curated },
    { read: Object.fromEntries(NAMES.map((name) => [name, '*'])) },
  );
});
afterAll(async () => {
  athena.restore();
  await duckDb?.close();
  await stores?.close();
});

describe('metrics on the Athena engine', () => {
  it('sends every metric query, rendered for Athena, to the configured workgroup and database', async () => {
    const rendered = await renderedQueries();
    const inputs = athena.commandCalls(StartQueryExecutionCommand).map((c) => c.args[0].input);
    // One query per metric table, in name order, each exactly as rendered for this database.
    expect(inputs.map((i) => rendered.get(i.QueryString ?? ''))).toEqual(NAMES);
    for (const input of inputs) {
      expect(input.WorkGroup).toBe('rotascope-test');
      expect(input.QueryExecutionContext).toEqual({ Database: 'rotascope_test' });
      expect(input.QueryString).toContain('"rotascope_test".');
      expect(input.QueryString).not.toContain('read_parquet');
      // The fixture's one network, named wherever a table partitioned by network is read.
      expect(input.QueryString).not.toMatch(
        /"rotascope_test"\."(?:shifts|availability)"(?! where network_code in \('U60865'\))/,
      );
    }
  });

  it('returns exactly the tables DuckDB computes from the same data', () => {
    expect(Object.keys(fromAthena).sort()).toEqual(NAMES);
    const withRows = NAMES.filter((name) => (expected[name]?.numRows ?? 0) > 0);
    expect(withRows.length).toBeGreaterThan(NAMES.length / 2);
    for (const name of NAMES) {
      const [a, d] = [fromAthena[name], expected[name]];
      expect(a?.schema.fields.map(String), name).toEqual(d?.schema.fields.map(String));
      expect(tableRows(a as NonNullable<typeof a>), name).toEqual(
        tableRows(d as NonNullable<typeof d>),
      );
    }
  });

  it('stores each table where DuckDB would, with the declared column types', async () => {
    const keys = (await stores.curated.list('metrics/')).map((o) => o.key).sort();
    expect(keys).toEqual([...NAMES.map(metricKey), METRIC_RUN_KEY].sort());
    for (const name of NAMES) {
      const file = path.join(stores.dir, `stored-${name}.parquet`);
      await writeFile(file, await stores.curated.get(metricKey(name)));
      const described = tableRows<{ column_name: string; column_type: string }>(
        await duckDb.query(`describe select * from read_parquet(${sqlString(file)})`),
      );
      expect(
        Object.fromEntries(described.map((c) => [c.column_name, c.column_type.toLowerCase()])),
        name,
      ).toEqual(METRIC_COLUMNS[name]);
    }
  });

  it('reports the data scanned and the estimated cost', () => {
    const totals = log.find((line) => line.startsWith('metrics: Athena ran'));
    // N queries x 25 MB; at $5 per TB, each costs 25e6 / 1e12 x $5 = $0.000125.
    expect(totals).toBe(
      `metrics: Athena ran ${NAMES.length} queries in workgroup rotascope-test, scanned ${(
        (NAMES.length * 25_000_000) / 1e9
      ).toFixed(3)} GB, estimated $${(NAMES.length * 0.000125).toFixed(4)}`,
    );
    // 12 tables, then open_shifts (issue 19), enhanced_access and arrs (issue 20).
    expect(NAMES).toHaveLength(15);
  });
});
