/**
 * The Athena stand-in (test/helpers/athena-rules.ts) refuses what Athena refuses against the
 * catalog infra/catalog.ts declares: a query string over 262,144 bytes (StartQueryExecution throws
 * InvalidRequestException), a table the catalog lacks (TABLE_NOT_FOUND, SCHEMA_NOT_FOUND) and a
 * column a catalog table lacks (COLUMN_NOT_FOUND), a comparison, arithmetic or aggregate Trino
 * cannot type for the columns' Glue types (TYPE_MISMATCH, FUNCTION_NOT_FOUND); it runs, and
 * reports, a filter asking only for weeks outside the date projection range (Athena reads no
 * partition for them); a table read projecting more than 1,000,000 partitions
 * (HIVE_EXCEEDED_PARTITION_LIMIT). And every query file, rendered for Athena, passes.
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
import { PROJECTED_WEEKS_AHEAD } from '../../../infra/catalog.js';
import { defaultsFor } from '../../../infra/stage-config.js';
import { DEFAULT_DATE_WINDOW } from '../../../src/ingest/date-window.js';
import { DEFAULT_METRIC_PARAMETERS } from '../../../src/metrics/metric-parameters.js';
import { readFragments, readStagingQueries } from '../../../src/metrics/query-files.js';
import { renderForAthena } from '../../../src/metrics/render-for-athena.js';
import { packageRoot } from '../../../src/package-root.js';
import {
  athenaStandIn,
  CATALOG_COLUMNS,
  catalogColumns,
  catalogViolations,
  injectedProjectionViolations,
  MAX_QUERY_BYTES,
  parametersInvalid,
  parameterViolations,
  partitionLimitViolations,
  queryTooLong,
  reservedWordViolations,
} from '../../helpers/athena-rules.js';
import {
  DATE_PROJECTIONS,
  projectedDates,
  projectedWeekCount,
  STAND_IN_FIRST_WEEK,
  typeViolations,
  unprojectedWeeks,
} from '../../helpers/athena-types.js';

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
      weeks: { first: '2026-01-05', last: '2026-11-30' },
    });
    expect(queryTooLong(sql)).toBeUndefined();
    expect(violations(sql)).toEqual([]);
    expect(reservedWordViolations(sql)).toEqual([]);
    const columns = catalogColumns(sql, DATABASE);
    expect(typeViolations(sql, columns)).toEqual([]);
    expect(unprojectedWeeks(sql, columns, '2026-11-30')).toEqual([]);
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
      weeks: { first: '2026-01-05', last: '2026-11-30' },
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
  it('the network filter dropped: CONSTRAINT_VIOLATION', () => {
    const sql = render('select * from {{shifts}}');
    expect(injectedProjectionViolations(sql, DATABASE)).toEqual([]);
    const broken = sql.replace(" where network_code in ('U60865')", '');
    expect(broken).not.toBe(sql);
    expect(injectedProjectionViolations(broken, DATABASE)).toEqual([
      expect.stringMatching(/^CONSTRAINT_VIOLATION: .*network_code.*\(table shifts\)$/),
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

describe("the stand-in refuses Athena's reserved keywords as unquoted identifiers", () => {
  const rejects = `"${DATABASE}"."rejects"`;
  it.each([
    ['an alias', `select min(source_row) as first from ${rejects}`, 'first'],
    ['a WITH name', `with last as (select kind from ${rejects}) select kind from last`, 'last'],
    ['a column', `select r.of from ${rejects} as r`, 'of'],
  ])('%s', (_name, sql, word) => {
    const found = reservedWordViolations(sql);
    expect(found.length).toBeGreaterThan(0);
    for (const violation of found) {
      expect(violation).toMatch(
        new RegExp(`^SYNTAX_ERROR: line 1:\\d+: ${word} is a reserved keyword`),
      );
    }
  });
  it('accepts them quoted, and as keywords', () => {
    expect(
      reservedWordViolations(
        `select min(source_row) as "first", kind from ${rejects} order by kind nulls first`,
      ),
    ).toEqual([]);
  });
});

describe('the stand-in holds execution parameters to what Athena documents', () => {
  const rejects = `"${DATABASE}"."rejects"`;
  it('takes one value per ? when every ? is in a WHERE', () => {
    const sql = `select kind from ${rejects} where kind = ? and source_row > ?`;
    expect(parameterViolations(sql, ["'shifts'", '4'])).toEqual([]);
    expect(parameterViolations(`select kind from ${rejects}`, undefined)).toEqual([]);
    // A ? in quotes or a comment is text, not a parameter.
    expect(parameterViolations(`select '?' as q from ${rejects} -- why?`, undefined)).toEqual([]);
  });
  it('fails a count that does not match the ? of the query', () => {
    const sql = `select kind from ${rejects} where kind = ?`;
    expect(parameterViolations(sql, undefined)).toEqual([
      'INVALID_PARAMETER_USAGE: Incorrect number of parameters: expected 1 but found 0',
    ]);
    expect(parameterViolations(sql, ["'a'", "'b'"])[0]).toMatch(/expected 1 but found 2/);
  });
  it('fails a ? outside a WHERE clause (select list, HAVING)', () => {
    for (const sql of [
      `select ? as v from ${rejects}`,
      `select kind, count(*) as n from ${rejects} group by kind having count(*) > ?`,
    ]) {
      expect(parameterViolations(sql, ['1'])).toEqual([
        expect.stringMatching(
          /^INVALID_PARAMETER_USAGE: line 1:\d+: a \? parameter outside a WHERE/,
        ),
      ]);
    }
  });
  it('refuses an empty list, an empty value and one over 1,024 characters at the call', () => {
    expect(parametersInvalid(undefined)).toBeUndefined();
    expect(parametersInvalid(['1', `'${'x'.repeat(1022)}'`])).toBeUndefined();
    expect(parametersInvalid([])).toMatch(/greater than or equal to 1/);
    expect(parametersInvalid(['1', ''])).toMatch(/executionParameters\.2\.member/);
    expect(parametersInvalid([`'${'x'.repeat(1023)}'`])).toMatch(
      /between 1 and 1024 \(it has 1025\)/,
    );
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

describe('the stand-in refuses what Trino cannot type (athena-types.ts)', () => {
  const types = (sql: string) => typeViolations(sql, catalogColumns(sql, DATABASE));
  it.each([
    [
      'a date column compared to a string',
      `select s.shift_id from ${shifts} as s where s.week_start = '2026-01-05'`,
      /^TYPE_MISMATCH: line 1:\d+: Cannot apply operator: date = varchar\(10\)$/,
    ],
    [
      'a date column in a list of strings',
      `select 1 as a from ${shifts} as s where s.shift_date in ('2026-01-05', '2026-01-06')`,
      /^TYPE_MISMATCH: .*IN value and list items must be the same type: date/,
    ],
    [
      'a number column compared to a string, unqualified in a one-table SELECT',
      `select 1 as a from "${DATABASE}"."network_week" where fill_rate_hours > '0.5'`,
      /^TYPE_MISMATCH: .*Cannot apply operator: double > varchar\(3\)/,
    ],
    [
      'arithmetic on a string column',
      `select r.reason_code + 1 as x from "${DATABASE}"."rejects" as r`,
      /^TYPE_MISMATCH: .*Cannot apply operator: varchar \+ integer/,
    ],
    [
      'sum of a boolean column',
      `select sum(s.arrs_funded) as n from ${shifts} as s`,
      /^FUNCTION_NOT_FOUND: line 1:8: Unexpected parameters \(boolean\) for function sum\. Expected: sum\(double\)/,
    ],
    [
      'avg of a string column',
      `select avg(s.role) as n from ${shifts} as s`,
      /^FUNCTION_NOT_FOUND: .*\(varchar\) for function avg/,
    ],
  ])('%s', (_name, sql, expected) => {
    const found = types(sql);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(expected);
  });
  it.each([
    ['a date literal', `select 1 as a from ${shifts} as s where s.week_start = date '2026-01-05'`],
    [
      'a string cast to date',
      `select 1 as a from ${shifts} as s where s.week_start >= cast('2026-01-05' as date)`,
    ],
    ['integer against double', `select 1 as a from ${shifts} as s where s.hours > 4`],
    ['date against timestamp', `select 1 as a from ${shifts} as s where s.shift_date < s.start_at`],
    ['sum of a number', `select sum(s.hours * 2) as h, sum(s.cost_pence) as c from ${shifts} as s`],
    ['a string column and a string', `select 1 as a from ${shifts} as s where s.role = 'GP'`],
    [
      'an unknown type (a function result): not checked',
      `select 1 as a from ${shifts} as s where upper(s.role) = 3`,
    ],
  ])('accepts %s', (_name, sql) => {
    expect(types(sql)).toEqual([]);
  });

  it('a real metric query broken on purpose: its week compared to a string', async () => {
    const { readFile } = await import('node:fs/promises');
    const sql = renderForAthena(
      await readFile(path.join(packageRoot, 'queries', 'network_week.sql'), 'utf8'),
      {
        database: DATABASE,
        parameters: DEFAULT_METRIC_PARAMETERS,
        staging: await readStagingQueries(),
        fragments: await readFragments(),
        networks: ['U60865'],
        weeks: { first: '2026-01-05', last: '2026-11-30' },
      },
    );
    expect(types(sql)).toEqual([]);
    const broken = sql.replace(
      /where network_code in \('U60865'\) and week_start between [^)]*\)/,
      "where network_code in ('U60865') and week_start = '2026-01-05')",
    );
    expect(broken).not.toBe(sql);
    expect(types(broken)).toEqual([
      expect.stringMatching(/^TYPE_MISMATCH: .*date = varchar\(10\)/),
    ]);
  });
});

describe('weeks outside the date projection range read nothing, as Athena documents', () => {
  const TODAY = '2026-11-30';
  const outside = (sql: string) => unprojectedWeeks(sql, catalogColumns(sql, DATABASE), TODAY);
  // NOW+59WEEKS on 30 Nov 2026: the week of 17 Jan 2028 is the last projected.
  const RANGE = `${STAND_IN_FIRST_WEEK},NOW+${PROJECTED_WEEKS_AHEAD}WEEKS`;
  it('the catalog the stand-in holds projects week_start from its first week to weeks after NOW', () => {
    expect(DATE_PROJECTIONS.get('shifts')).toEqual(new Map([['week_start', RANGE]]));
    expect(DATE_PROJECTIONS.get('availability')).toEqual(new Map([['week_start', RANGE]]));
    expect(DATE_PROJECTIONS.has('rejects')).toBe(false);
    expect(projectedDates(RANGE, TODAY)).toEqual({
      first: STAND_IN_FIRST_WEEK,
      last: '2028-01-17',
    });
  });
  it('projects every week ingest accepts a shift in: the rota published ahead is read', () => {
    // The last date ingest accepts from an export of today (src/ingest/date-window.ts), and its
    // Monday. Before, the range ended at NOW and next week's open shifts were never read.
    const latest = new Date(`${TODAY}T00:00:00Z`);
    latest.setUTCDate(latest.getUTCDate() + DEFAULT_DATE_WINDOW.maxDaysAhead);
    const monday = new Date(latest);
    monday.setUTCDate(monday.getUTCDate() - ((monday.getUTCDay() + 6) % 7));
    expect(monday.toISOString().slice(0, 10) <= projectedDates(RANGE, TODAY).last).toBe(true);
    expect(
      outside(`select 1 as a from ${shifts} as s where s.week_start = date '2026-12-07'`),
    ).toEqual([]);
  });
  it('reads a range end as Athena documents relative dates, and refuses others', () => {
    expect(projectedDates('2026-01-05,NOW', TODAY).last).toBe(TODAY);
    expect(projectedDates('2026-01-05, NOW - 2 DAYS', TODAY).last).toBe('2026-11-28');
    expect(projectedDates('2026-01-05,NOW+1MONTH', TODAY).last).toBe('2026-12-30');
    expect(projectedDates('NOW-1YEAR,NOW', TODAY).first).toBe('2025-11-30');
    for (const bad of ['2026-01-05,NOW+1FORTNIGHT', '2026-01-05,TODAY', '2026-01-05'])
      expect(() => projectedDates(bad, TODAY)).toThrow(/projection range/);
  });
  it.each([
    ['a week before the first', `= date '2025-12-29'`],
    ['a week after the last projected', `= date '2028-01-24'`],
    ['a list of weeks all outside', `in (date '2025-12-29', date '2028-01-24')`],
    ['everything before the first week', `< date '2026-01-05'`],
    ['everything after the last projected', `> date '2028-01-17'`],
    ['a range wholly before', `between date '2025-01-06' and date '2025-12-29'`],
  ])('%s', (_name, filter) => {
    const found = outside(`select 1 as a from ${shifts} as s where s.week_start ${filter}`);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(
      /shifts\.week_start .* outside projection\.week_start\.range \(2026-01-05,NOW\+59WEEKS: 2026-01-05 to 2028-01-17 on 2026-11-30\): Athena reads no partition/,
    );
  });
  it.each([
    ['the first week', `= date '2026-01-05'`],
    ['next week, published ahead', `= date '2026-12-07'`],
    ['the last projected week', `= date '2028-01-17'`],
    ['a list with one week inside', `in (date '2025-12-29', date '2026-03-02')`],
    ['from before the first week onwards', `>= date '2025-01-06'`],
    ['a range overlapping', `between date '2025-12-01' and date '2026-02-02'`],
  ])('accepts %s', (_name, filter) => {
    expect(outside(`select 1 as a from ${shifts} as s where s.week_start ${filter}`)).toEqual([]);
  });
  it('the stand-in runs such a query (Athena does not refuse it) and reports it', async () => {
    const client = new AthenaClient({
      region: 'eu-west-2',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    const athena = mockClient(client);
    try {
      const { unprojected, refused } = athenaStandIn(athena, {
        database: DATABASE,
        start: () => 'ok-1',
        execution: { StatementType: 'DML', Status: { State: 'SUCCEEDED' } },
        today: TODAY,
      });
      const sql = `select count(*) as n from ${shifts} as s where s.week_start = date '2025-06-02'`;
      const started = await client.send(new StartQueryExecutionCommand({ QueryString: sql }));
      expect(started.QueryExecutionId).toBe('ok-1');
      expect(refused).toEqual([]);
      expect(unprojected).toEqual([{ sql, notes: [expect.stringContaining('2025-06-02')] }]);
    } finally {
      athena.restore();
    }
  });
});

describe('at most 1,000,000 partitions a table read, as Athena documents', () => {
  // "Athena cannot read more than 1 million partitions in a single scan" (Athena service quotas).
  // A read of shifts projects the networks named times the weeks of week_start's range it keeps.
  const FIRST_WEEK = defaultsFor('prod').firstWeek;
  const england = Array.from({ length: 1_250 }, (_, i) => `U${String(10_000 + i * 7)}`);
  const inList = england.map((code) => `'${code}'`).join(', ');
  const read = (where: string) =>
    `select count(*) as n from (select * from "${DATABASE}"."shifts" where network_code in (${inList})${where}) as s`;
  const limit = (sql: string, today: string) =>
    partitionLimitViolations(sql, DATABASE, { today, firstWeek: FIRST_WEEK });

  it('counts the networks named times the weeks of the range the WHERE keeps', () => {
    // 2019-07-01 to 59 weeks after 2026-11-30 (2028-01-17): 447 Mondays.
    expect(projectedWeekCount(`${FIRST_WEEK},NOW+59WEEKS`, '2026-11-30', {})).toBe(447);
    const range = `${FIRST_WEEK},NOW+59WEEKS`;
    expect(projectedWeekCount(range, '2026-11-30', { from: '2026-01-05', to: '2026-11-30' })).toBe(
      48,
    );
    expect(limit(read(''), '2026-11-30')).toEqual([]); // 1,250 x 447 = 558,750
  });

  it('refuses a read of every network over the whole range once that passes a million', () => {
    // In mid-2034 (within the 7 years' retention of data ingested from 2026): 1,250 networks x 842
    // weeks (2019-07-01 to 2035-08-17). With the weeks that have data (2026 on): 1,250 x 443.
    expect(limit(read(''), '2034-06-30')).toEqual([
      expect.stringMatching(
        /^HIVE_EXCEEDED_PARTITION_LIMIT: Query over table 'rotascope_test\.shifts' can potentially read more than 1000000 partitions \(1052500 projected\)$/,
      ),
    ]);
    const weeks = " and week_start between date '2026-01-05' and date '2034-06-26'";
    expect(limit(read(weeks), '2034-06-30')).toEqual([]);
    expect(limit(read(" and week_start >= date '2026-01-05'"), '2034-06-30')).toEqual([]);
  });

  it('every metric query for England, rendered with the weeks that have data, stays inside it', async () => {
    const { readFile } = await import('node:fs/promises');
    const queries = path.join(packageRoot, 'queries');
    const names = (await readdir(queries)).filter((name) => name.endsWith('.sql'));
    const options = {
      database: DATABASE,
      parameters: DEFAULT_METRIC_PARAMETERS,
      staging: await readStagingQueries(),
      fragments: await readFragments(),
      networks: england,
      weeks: { first: '2026-01-05', last: '2034-06-26' },
    };
    for (const name of names) {
      const sql = renderForAthena(await readFile(path.join(queries, name), 'utf8'), options);
      expect(limit(sql, '2034-06-30'), name).toEqual([]);
    }
  });
});
