/**
 * The Athena stand-in (test/helpers/athena-rules.ts) refuses what Athena refuses against the
 * catalog infra/catalog.ts declares: a query string over 262,144 bytes (StartQueryExecution throws
 * InvalidRequestException), a table the catalog lacks (TABLE_NOT_FOUND, SCHEMA_NOT_FOUND) and a
 * column a catalog table lacks (COLUMN_NOT_FOUND). And every query file, rendered for Athena,
 * passes.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import {
  AthenaClient,
  GetQueryExecutionCommand,
  InvalidRequestException,
  StartQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_METRIC_PARAMETERS } from '../../../src/metrics/metric-parameters.js';
import { readFragments, readStagingQueries } from '../../../src/metrics/query-files.js';
import { renderForAthena } from '../../../src/metrics/render-for-athena.js';
import { packageRoot } from '../../../src/package-root.js';
import {
  athenaStandIn,
  CATALOG_COLUMNS,
  catalogViolations,
  MAX_QUERY_BYTES,
  queryTooLong,
} from '../../helpers/athena-rules.js';

const DATABASE = 'rotascope_test';
const violations = (sql: string) => catalogViolations(sql, DATABASE);
const shifts = `(select * from "${DATABASE}"."shifts" where network_code in ('U1'))`;

describe('the catalog the stand-in checks against', () => {
  it('is the one infra/catalog.ts declares: curated and metric tables, partition columns too', () => {
    expect(CATALOG_COLUMNS.get('shifts')).toContain('network_code');
    expect(CATALOG_COLUMNS.get('shifts')).toContain('week_start');
    expect(CATALOG_COLUMNS.get('rejects')).toContain('source_system');
    expect(CATALOG_COLUMNS.get('network_week')).toContain('fill_rate_hours');
  });
});

describe('every query file rendered for Athena names only what the catalog holds', async () => {
  const queries = path.join(packageRoot, 'queries');
  const names = (await readdir(queries))
    .filter((name) => name.endsWith('.sql'))
    .map((name) => name.replace(/\.sql$/, ''))
    .sort();
  const staging = await readStagingQueries();
  const fragments = await readFragments();
  const { readFile } = await import('node:fs/promises');
  it.each(names)('%s', async (name) => {
    const sql = renderForAthena(await readFile(path.join(queries, `${name}.sql`), 'utf8'), {
      database: DATABASE,
      parameters: DEFAULT_METRIC_PARAMETERS,
      staging,
      fragments,
      networks: ['U60865', 'U12345'],
    });
    expect(queryTooLong(sql)).toBeUndefined();
    expect(violations(sql)).toEqual([]);
  });
});

describe('a real query broken on purpose is refused', async () => {
  const staging = await readStagingQueries();
  const fragments = await readFragments();
  const render = (sql: string) =>
    renderForAthena(sql, {
      database: DATABASE,
      parameters: DEFAULT_METRIC_PARAMETERS,
      staging,
      fragments,
      networks: ['U60865'],
    });
  it('a misspelt column in the staging view of shifts: COLUMN_NOT_FOUND', () => {
    const broken = render('select * from {{shifts}}').replace(
      's.exported_at desc',
      's.exported desc',
    );
    expect(violations(broken)).toEqual([
      expect.stringMatching(/^COLUMN_NOT_FOUND: .*'s\.exported'/),
    ]);
  });
  it('a misspelt curated table: TABLE_NOT_FOUND', () => {
    const broken = render('select * from {{curated_rejects}}').replace('"rejects"', '"reject"');
    expect(violations(broken)).toEqual([expect.stringMatching(/^TABLE_NOT_FOUND: .*\.reject'/)]);
  });
});

describe('the stand-in refuses a query string over 262,144 bytes', () => {
  const padded = (bytes: number, fill: string) => {
    const head = `select 1 as one from "${DATABASE}"."rejects" -- `;
    const room = bytes - Buffer.byteLength(head, 'utf8');
    return head + fill.repeat(Math.floor(room / Buffer.byteLength(fill, 'utf8')));
  };
  it('accepts exactly the limit', () => {
    const sql = padded(MAX_QUERY_BYTES, 'x');
    expect(Buffer.byteLength(sql, 'utf8')).toBe(MAX_QUERY_BYTES);
    expect(queryTooLong(sql)).toBeUndefined();
  });
  it('refuses one byte more', () => {
    expect(queryTooLong(`${padded(MAX_QUERY_BYTES, 'x')}x`)).toMatch(
      /Member must have length less than or equal to 262144 \(the query string is 262145 bytes\)/,
    );
  });
  it('counts bytes, not characters (UTF-8)', () => {
    // 'é' is two bytes: under the limit in characters, over it in bytes.
    const sql = `${padded(MAX_QUERY_BYTES, 'é')}éé`;
    expect(sql.length).toBeLessThan(MAX_QUERY_BYTES);
    expect(queryTooLong(sql)).toMatch(/less than or equal to 262144/);
  });
});

describe('the stand-in refuses tables the catalog lacks', () => {
  it.each([
    [
      'a misspelt curated table',
      `select * from "${DATABASE}"."shift" where network_code = 'U1'`,
      /^TABLE_NOT_FOUND: line 1:15: Table 'awsdatacatalog.rotascope_test.shift' does not exist/,
    ],
    [
      'a metric table not declared',
      `select * from ${DATABASE}.network_month`,
      /^TABLE_NOT_FOUND: .*rotascope_test\.network_month/,
    ],
    [
      'an unqualified name that is no WITH entry',
      'select * from stg_shifts',
      /^TABLE_NOT_FOUND: .*rotascope_test\.stg_shifts/,
    ],
    [
      'in a subquery',
      `select * from (select * from "${DATABASE}"."gapz") as g`,
      /^TABLE_NOT_FOUND: .*gapz/,
    ],
    ['another database', 'select * from "other_db"."shifts"', /^SCHEMA_NOT_FOUND: .*'other_db'/],
  ])('%s', (_name, sql, expected) => {
    expect(violations(sql)[0]).toMatch(expected);
  });
  it.each([
    ['a curated table', `select * from "${DATABASE}"."rejects"`],
    ['a metric table, unquoted', `select * from ${DATABASE}.network_week`],
    ['with the data catalog named', `select * from awsdatacatalog.${DATABASE}.gaps`],
    ['a WITH entry', 'with stg_shifts as (select 1 as a) select * from stg_shifts'],
  ])('accepts %s', (_name, sql) => {
    expect(violations(sql)).toEqual([]);
  });
});

describe('the stand-in refuses columns a catalog table lacks', () => {
  it.each([
    ['in the select list', `select r.reason from "${DATABASE}"."rejects" as r`, "'r.reason'"],
    [
      'in WHERE',
      `select 1 as a from "${DATABASE}"."rejects" r where r.kind = 'x' and r.reasn_code = 'y'`,
      "'r.reasn_code'",
    ],
    [
      'in a join condition',
      `select 1 as a from "${DATABASE}"."network_week" as n join "${DATABASE}"."icb_week" as i on n.icb_code = i.icb`,
      "'i.icb'",
    ],
    [
      'in an expression',
      `select sum(n.fill_rate + 1) as f from "${DATABASE}"."network_week" as n`,
      "'n.fill_rate'",
    ],
    [
      'the table read without an alias',
      `select network_week.nope from "${DATABASE}"."network_week"`,
      "'network_week.nope'",
    ],
    [
      'an outer alias from a subquery',
      `select (select max(n.nope) from "${DATABASE}"."gaps" as g) as m from "${DATABASE}"."network_week" as n`,
      "'n.nope'",
    ],
    [
      'shifts, the column ingest does not write',
      `select s.shift_hours from "${DATABASE}"."shifts" as s where s.network_code = 'U1'`,
      "'s.shift_hours'",
    ],
    [
      "the renderer's subquery over shifts",
      `select s.shift_hours from ${shifts} as s`,
      "'s.shift_hours'",
    ],
  ])('%s', (_name, sql, column) => {
    const found = violations(sql);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^COLUMN_NOT_FOUND: line \d+:\d+: Column /);
    expect(found[0]).toContain(column);
  });
  it.each([
    [
      'known columns, any case and quoting',
      `select r."KIND", R.reason_code, r.source_system from "${DATABASE}"."rejects" as r`,
    ],
    [
      'an alias of another subquery (its columns are not checked)',
      `select s.anything from (select s.role as anything from ${shifts} as s) as s`,
    ],
    [
      "the renderer's subquery over shifts, with its columns",
      `select s.shift_id, s.network_code, s.week_start from ${shifts} as s`,
    ],
    ['an alias of a WITH entry', 'with n as (select 1 as x) select n.x from n'],
    [
      'an inner alias shadowing an outer one',
      `select (select max(n.x) from (select 1 as x) as n) as m from "${DATABASE}"."network_week" as n`,
    ],
    ['unqualified columns (not checked)', `select nope from "${DATABASE}"."network_week"`],
  ])('accepts %s', (_name, sql) => {
    expect(violations(sql)).toEqual([]);
  });
});

describe('the stand-in answers as Athena does', () => {
  const client = new AthenaClient({
    region: 'eu-west-2',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  const athena = mockClient(client);
  afterEach(() => {
    athena.reset();
  });
  const standIn = () =>
    athenaStandIn(athena, {
      database: DATABASE,
      start: () => 'ok-1',
      execution: { StatementType: 'DML', Status: { State: 'SUCCEEDED' } },
    });
  const failure = async (sql: string) => {
    const { QueryExecutionId } = await client.send(
      new StartQueryExecutionCommand({ QueryString: sql }),
    );
    const { QueryExecution } = await client.send(
      new GetQueryExecutionCommand({ QueryExecutionId }),
    );
    return QueryExecution?.Status;
  };

  it('StartQueryExecution throws InvalidRequestException for a query string too long', async () => {
    const { refused } = standIn();
    const sql = `select 1 as a -- ${'x'.repeat(MAX_QUERY_BYTES)}`;
    const start = client.send(new StartQueryExecutionCommand({ QueryString: sql }));
    await expect(start).rejects.toBeInstanceOf(InvalidRequestException);
    await expect(start).rejects.toThrow(/less than or equal to 262144/);
    expect(refused).toEqual([sql]);
  });
  it('an unknown table fails the query with TABLE_NOT_FOUND', async () => {
    standIn();
    const status = await failure(`select * from "${DATABASE}"."nope"`);
    expect(status?.State).toBe('FAILED');
    expect(status?.StateChangeReason).toMatch(/^TABLE_NOT_FOUND/);
  });
  it('an unknown column fails the query with COLUMN_NOT_FOUND', async () => {
    standIn();
    const status = await failure(`select g.nope from "${DATABASE}"."gaps" as g`);
    expect(status?.State).toBe('FAILED');
    expect(status?.AthenaError?.ErrorMessage).toMatch(/^COLUMN_NOT_FOUND/);
  });
  it('a query the catalog holds runs', async () => {
    standIn();
    const status = await failure(`select g.unfilled_hours from "${DATABASE}"."gaps" as g`);
    expect(status?.State).toBe('SUCCEEDED');
  });
});
