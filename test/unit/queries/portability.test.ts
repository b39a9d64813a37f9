/**
 * Every query file in queries/ (metric tables) and queries/staging/ (staging views) is in the SQL
 * subset both DuckDB and Athena (Trino) accept (DESIGN §2): rendered exactly as it would be sent
 * to Athena, it parses with a Trino grammar and uses only the functions, types and date fields of
 * src/engine/portable-sql.ts. DuckDB itself runs every file in the integration tests; this is the
 * Athena half. New files are found, not listed. queries/ingest/ is DuckDB-only and not checked.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_METRIC_PARAMETERS } from '../../../src/metrics/metric-parameters.js';
import { readFragments, readStagingQueries } from '../../../src/metrics/query-files.js';
import { renderForAthena } from '../../../src/metrics/render-for-athena.js';
import { packageRoot } from '../../../src/package-root.js';
import { injectedProjectionViolations } from '../../helpers/athena-rules.js';
import { portabilityProblems } from '../../helpers/trino-portability.js';

const QUERIES = path.join(packageRoot, 'queries');
const DATABASE = 'rotascope_test';
const NETWORKS = ['U60865', 'U12345'];
const WEEKS = { first: '2026-01-05', last: '2026-11-30' };

async function sqlFiles(folder: string): Promise<string[]> {
  const entries = await readdir(path.join(QUERIES, folder), { withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith('.sql'))
    .map((e) => path.posix.join('queries', folder, e.name))
    .sort();
}

const files = [...(await sqlFiles('.')), ...(await sqlFiles('staging'))];
const staging = await readStagingQueries();
/** Fragments (queries/fragments/) are checked where they are used: inside the tables above. */
const fragments = await readFragments();

/**
 * Parameters as shipped, and the other way round: no rate caps (an empty typed table), a budget,
 * populations (one partial), no Enhanced Access windows and the GP check off.
 */
const PARAMETER_SETS = {
  default: DEFAULT_METRIC_PARAMETERS,
  other: {
    minClinicians: 5,
    rateCapsPencePerHour: {},
    budgets: [
      { networkCode: 'U60865', financialYearStart: '2026-04-01', budgetPence: 250_000_00 },
      {
        networkCode: 'U12345',
        financialYearStart: '2026-04-01',
        budgetPence: 250_000_00,
        agencyBudgetPence: 30_000_00,
        arrsAllocationPence: 1_200_000_00,
      },
    ],
    populations: [
      {
        networkCode: 'U60865',
        patients: 16_000,
        practicesMissing: 0,
        basis: 'registered' as const,
        source: 'registered patients, 2026-04-01',
      },
      {
        networkCode: 'U12345',
        patients: 9_000,
        practicesMissing: 1,
        basis: 'adjusted' as const,
        source: 'weighted',
      },
    ],
    // A network with practices in two ICBs, counted in one.
    networkIcbs: [{ networkCode: 'U41591', icbCode: 'QJK' }],
    enhancedAccess: { windows: [], minutesPer1000Patients: 45.5, gpCheck: false },
    // ARRS: a rate table with rows (the default has none) and a part-time WTE.
    arrsRates: [
      { financialYearStart: '2025-04-01', role: 'clinical_pharmacist', maxPencePerWte: 6_697_200 },
    ],
    arrsWteHours: 36,
  },
};

function problemsOf(sql: string, parameters = DEFAULT_METRIC_PARAMETERS): string[] {
  return portabilityProblems(
    renderForAthena(sql, {
      database: DATABASE,
      parameters,
      staging,
      fragments,
      networks: NETWORKS,
      weeks: WEEKS,
    }),
    {
      database: DATABASE,
    },
  );
}

describe('query files are portable SQL (DuckDB and Athena)', () => {
  it('finds the query files', () => {
    expect(files).toContain('queries/network_week.sql');
    expect(files).toContain('queries/staging/shifts.sql');
  });

  describe.each(Object.entries(PARAMETER_SETS))('with %s parameters', (_name, parameters) => {
    // Parsing the largest file (arrs.sql, with its staging views inlined) with the Trino grammar
    // takes about 2 s on a quiet machine: the default 5 s ran out on a loaded one.
    it.each(files)(
      '%s',
      async (file) => {
        const problems = problemsOf(
          await readFile(path.join(packageRoot, file), 'utf8'),
          parameters,
        );
        expect(problems, `${file}, rendered for Athena:\n${problems.join('\n')}`).toEqual([]);
      },
      30_000,
    );
  });

  // Athena refuses a read of a table whose network_code is projected `injected` unless the
  // query fixes it (test/helpers/athena-rules.ts); every file rendered for Athena does.
  it.each(files)(
    '%s: names its networks wherever it reads shifts or availability',
    async (file) => {
      const sql = await readFile(path.join(packageRoot, file), 'utf8');
      const rendered = renderForAthena(sql, {
        database: DATABASE,
        parameters: DEFAULT_METRIC_PARAMETERS,
        staging,
        fragments,
        networks: NETWORKS,
        weeks: WEEKS,
      });
      expect(injectedProjectionViolations(rendered, DATABASE)).toEqual([]);
    },
  );
});

describe('the stand-in refuses what Athena refuses on injected partition columns', () => {
  const refused = (sql: string) => injectedProjectionViolations(sql, DATABASE);
  const shifts = '"rotascope_test"."shifts"';
  it.each([
    ['no WHERE', `select * from ${shifts}`],
    ['a WHERE on another column', `select * from ${shifts} where role = 'gp'`],
    ['an OR', `select * from ${shifts} where network_code = 'U1' or role = 'gp'`],
    ['a non-constant', `select * from ${shifts} where network_code = upper(role)`],
    ['a subquery', `select * from ${shifts} where network_code in (select 'U1')`],
    [
      'the filter only outside',
      `select * from (select * from ${shifts}) as s where s.network_code = 'U1'`,
    ],
    [
      'one of two tables',
      `select * from (select * from ${shifts} where network_code = 'U1') as s join "rotascope_test"."availability" as a on true`,
    ],
  ])('%s', (_name, sql) => {
    expect(refused(sql)[0]).toMatch(
      /^CONSTRAINT_VIOLATION: For the injected projected partition column network_code/,
    );
  });
  it.each([
    ['=', `select * from ${shifts} where network_code = 'U1'`],
    [
      'IN, with another condition',
      `select * from ${shifts} as s where s.week_start > date '2026-01-05' and s.network_code in ('U1', 'U2')`,
    ],
    ['rejects (an enum projection)', 'select * from "rotascope_test"."rejects"'],
  ])('accepts %s', (_name, sql) => {
    expect(refused(sql)).toEqual([]);
  });
});

describe('the portability check fails on DuckDB-only SQL', () => {
  const grammar = /grammar:/;
  const notPortable = /not portable/;
  it.each([
    ['a :: cast', 'select hours::integer as h from {{shifts}}', grammar],
    ['ILIKE', "select role from {{shifts}} where role ilike 'gp%'", grammar],
    ['quantile_cont', 'select quantile_cont(hours, 0.5) as q from {{shifts}}', notPortable],
    ['median', 'select median(hours) as m from {{shifts}}', notPortable],
    ['a list literal', 'select [1, 2] as l from {{shifts}}', grammar],
    ['a struct literal', "select {'a': 1} as s from {{shifts}}", grammar],
    ['select * exclude', 'select * exclude (hours) from {{shifts}}', grammar],
    ['COLUMNS(*)', 'select columns(*) from {{shifts}}', notPortable],
    ['read_parquet in FROM', "select * from read_parquet('curated/shifts/*.parquet')", grammar],
    [
      'read_parquet as a call',
      "select read_parquet('x.parquet') as r from {{shifts}}",
      notPortable,
    ],
    ['dayofweek', 'select dayofweek(shift_date) as d from {{shifts}}', notPortable],
    ['isodow', 'select isodow(shift_date) as d from {{shifts}}', notPortable],
    ["Trino's day_of_week", 'select day_of_week(shift_date) as d from {{shifts}}', notPortable],
    ['extract(dow ...)', 'select extract(dow from shift_date) as d from {{shifts}}', notPortable],
    ['date_add', "select date_add(shift_date, interval '1' day) as d from {{shifts}}", notPortable],
    ['greatest', 'select greatest(hours, 0) as h from {{shifts}}', notPortable],
    ['concat', "select concat(role, '-', engagement) as c from {{shifts}}", notPortable],
    ['now()', 'select now() as t from {{shifts}}', notPortable],
    ['current_date', 'select current_date as t from {{shifts}}', notPortable],
    ['approx_percentile', 'select approx_percentile(hours, 0.5) as m from {{shifts}}', notPortable],
    ['a DuckDB type', 'select cast(hours as string) as h from {{shifts}}', notPortable],
    ['varchar(n)', 'select cast(role as varchar(3)) as r from {{shifts}}', notPortable],
    [
      'decimal without precision',
      'select cast(hours as decimal) as h from {{shifts}}',
      notPortable,
    ],
    [
      "DuckDB's interval '1 day'",
      "select shift_date + interval '1 day' as d from {{shifts}}",
      /interval/,
    ],
    ['interval 1 day', 'select shift_date + interval 1 day as d from {{shifts}}', grammar],
    [
      'a date_trunc unit DuckDB only',
      "select date_trunc('isoyear', shift_date) as y from {{shifts}}",
      notPortable,
    ],
    [
      'date_diff in seconds between raw timestamps (DuckDB: boundaries, Trino: elapsed)',
      "select date_diff('second', published_at, start_at) as s from {{shifts}}",
      /date_diff\('second', \.\.\.\) on published_at: DuckDB counts second boundaries/,
    ],
    [
      'date_diff in hours with one side truncated to another unit',
      "select date_diff('hour', date_trunc('hour', filled_at), date_trunc('second', start_at)) as h from {{shifts}}",
      /date_diff\('hour', \.\.\.\) on date_trunc\('second', start_at\)/,
    ],
    ['// integer division', 'select start_hour // 2 as h from {{shifts}}', grammar],
    ['group by all', 'select role, count(*) as n from {{shifts}} group by all', grammar],
    ['order by all', 'select role from {{shifts}} order by all', /order by all/],
    [
      'anti join',
      'select s.role from {{shifts}} as s anti join {{availability}} as a on true',
      /anti join/,
    ],
    ['QUALIFY', 'select role from {{shifts}} qualify row_number() over () = 1', grammar],
    [
      'percentile_cont',
      'select percentile_cont(0.5) within group (order by hours) as m from {{shifts}}',
      grammar,
    ],
    [
      'two statements',
      'select 1 as a from {{shifts}}; select 2 as b from {{shifts}}',
      /one statement/,
    ],
    ['a DuckDB temp view name', 'select * from stg_availability', /neither a WITH entry/],
    ['a table outside the catalog', 'select * from shifts', /neither a WITH entry/],
  ])('%s', (_name, sql, expected) => {
    const problems = problemsOf(sql);
    expect(problems.join('\n')).toMatch(expected);
  });

  it('passes portable SQL that uses the same ideas the portable way', () => {
    const sql = `-- header comment with a call-like word: median(x), and {{shifts}}
      with ranked as (
        select
          network_code,
          hours,
          date_diff('day', week_start, shift_date) as weekday, -- 0 = Monday
          date_diff('second', date_trunc('second', published_at), date_trunc('second', start_at)) as lead_seconds,
          cast(date_trunc('week', shift_date) as date) as week,
          shift_date + interval '6' day as week_end,
          row_number() over (partition by network_code order by hours) as position_in_network,
          count(*) over (partition by network_code) as shifts_in_network
        from {{shifts}}
        where role like 'gp%' and status in ('filled', 'unfilled')
      )
      select
        network_code,
        avg(hours) as median_hours,
        case when count(*) = 0 then null else cast(sum(hours) as double) / count(*) end as mean
      from ranked
      where 2 * position_in_network between shifts_in_network and shifts_in_network + 2
      group by network_code
      order by network_code`;
    expect(problemsOf(sql)).toEqual([]);
  });
});
