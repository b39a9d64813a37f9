import { TrinoSQL } from 'dt-sql-parser';
import { describe, expect, it } from 'vitest';
import { DEFAULT_METRIC_PARAMETERS } from '../../../src/metrics/metric-parameters.js';
import {
  metricTableNames,
  readFragments,
  readQuery,
  readStagingQueries,
} from '../../../src/metrics/query-files.js';
import {
  ATHENA_MAX_QUERY_BYTES,
  catalogTable,
  renderForAthena,
} from '../../../src/metrics/render-for-athena.js';

const staging = {
  shifts: '-- shifts (staging)\nselect * from {{curated_shifts}} -- current versions\n',
  availability: 'select * from {{curated_availability}}',
};
const options = {
  database: 'rotascope',
  parameters: DEFAULT_METRIC_PARAMETERS,
  staging,
  fragments: { measures: 'count(*) as shifts,\nsum(hours) as hours' },
  networks: ['U60865', 'U12345', 'U60865'],
  weeks: { first: '2026-01-05', last: '2026-11-30' },
};
const WEEKS = "week_start between date '2026-01-05' and date '2026-11-30'";
const SHIFTS = `(select * from "rotascope"."shifts" where network_code in ('U12345', 'U60865') and ${WEEKS})`;
const AVAILABILITY = `(select * from "rotascope"."availability" where network_code in ('U12345', 'U60865') and ${WEEKS})`;

describe('renderForAthena', () => {
  it('names catalog tables for curated placeholders and adds no WITH when no view is used', () => {
    expect(renderForAthena('select * from {{curated_shifts}} as s', options)).toBe(
      `select * from ${SHIFTS} as s`,
    );
    expect(renderForAthena('select * from {{curated_rejects}}', options)).toBe(
      'select * from "rotascope"."rejects"',
    );
  });

  it("puts the staging views it uses in front of the query's own WITH list, after the header", () => {
    const sql =
      '-- header\n-- Grain: one row\nwith shifts as (\n    select * from {{shifts}}\n)\n\nselect * from shifts\n';
    expect(renderForAthena(sql, options)).toBe(
      [
        '-- header',
        '-- Grain: one row',
        'with',
        'stg_shifts as (',
        '-- shifts (staging)',
        `select * from ${SHIFTS} -- current versions`,
        '),',
        'shifts as (',
        '    select * from stg_shifts',
        ')',
        '',
        'select * from shifts',
        '',
      ].join('\n'),
    );
  });

  it('gives a query without a WITH one of its own, with every view it uses, in order', () => {
    const sql = 'select * from {{availability}} as a join {{shifts}} as s on true';
    expect(renderForAthena(sql, options)).toBe(
      [
        'with',
        'stg_shifts as (',
        '-- shifts (staging)',
        `select * from ${SHIFTS} -- current versions`,
        '),',
        'stg_availability as (',
        `select * from ${AVAILABILITY}`,
        ')',
        'select * from stg_availability as a join stg_shifts as s on true',
      ].join('\n'),
    );
  });

  it('includes the views a staging view uses, before it', () => {
    const withShifts = { ...staging, availability: 'select * from {{shifts}}' };
    const rendered = renderForAthena('select * from {{availability}}', {
      ...options,
      staging: withShifts,
    });
    expect(rendered.indexOf('stg_shifts as (')).toBeLessThan(
      rendered.indexOf('stg_availability as ('),
    );
    const circular = {
      shifts: 'select * from {{availability}}',
      availability: withShifts.availability,
    };
    expect(() =>
      renderForAthena('select * from {{shifts}}', { ...options, staging: circular }),
    ).toThrow('in a circle');
  });

  it('puts fragments in, each line indented like the placeholder', () => {
    const sql = 'select\n    network_code,\n    {{measures}}\nfrom {{curated_shifts}}';
    expect(renderForAthena(sql, options)).toBe(
      [
        'select',
        '    network_code,',
        '    count(*) as shifts,',
        '    sum(hours) as hours',
        `from ${SHIFTS}`,
      ].join('\n'),
    );
  });

  it('keeps WITH RECURSIVE and block comments in the header', () => {
    const sql = '/* header */ WITH RECURSIVE r as (select * from {{shifts}}) select * from r';
    expect(renderForAthena(sql, options)).toMatch(
      /^\/\* header \*\/ WITH RECURSIVE\nstg_shifts as \(/,
    );
  });

  it('renders parameters as for DuckDB and refuses unknown placeholders', () => {
    const parameters = {
      ...DEFAULT_METRIC_PARAMETERS,
      minClinicians: 4,
      rateCapsPencePerHour: { gp: 11000 },
    };
    expect(
      renderForAthena('select {{min_clinicians}} as k, * from {{rate_caps}}', {
        ...options,
        parameters,
      }),
    ).toBe(
      "select 4 as k, * from (select * from (values ('gp', 11000)) as t(role, cap_pence_per_hour))",
    );
    expect(() => renderForAthena('select * from {{shiftz}}', options)).toThrow('{{shiftz}}');
  });

  it('reads the tables partitioned by network for the networks and weeks given, sorted and once each', () => {
    expect(renderForAthena('select * from {{curated_availability}}', options)).toBe(
      `select * from ${AVAILABILITY}`,
    );
    expect(() =>
      renderForAthena('select * from {{curated_shifts}}', { ...options, networks: [] }),
    ).toThrow('No networks to read');
    expect(() =>
      renderForAthena('select * from {{curated_shifts}}', { ...options, networks: ["U1') or ('"] }),
    ).toThrow('Not a network code');
    for (const weeks of [undefined, { first: '2026-11-30', last: '2026-01-05' }]) {
      expect(() =>
        renderForAthena('select * from {{curated_shifts}}', { ...options, weeks }),
      ).toThrow('No weeks to read');
    }
  });

  it("stays inside Athena's query length for every network in England, and refuses past it", () => {
    const england = Array.from({ length: 1_250 }, (_, i) => `U${String(10_000 + i * 7)}`);
    const sql = 'select * from {{curated_shifts}} as s join {{curated_availability}} as a on true';
    const rendered = renderForAthena(sql, { ...options, networks: england });
    // 1,250 codes, twice: about 25 KB of the 262,144 bytes.
    expect(Buffer.byteLength(rendered)).toBeLessThan(ATHENA_MAX_QUERY_BYTES / 10);
    const tooMany = Array.from({ length: 14_000 }, (_, i) => `U${String(100_000 + i)}`);
    expect(() => renderForAthena(sql, { ...options, networks: tooMany })).toThrow(
      /bytes rendered for Athena \(14000 networks\); Athena takes at most 262144/,
    );
  });

  it('renders every metric query for 1,250 networks well inside the limit', async () => {
    const england = Array.from({ length: 1_250 }, (_, i) => `U${String(10_000 + i * 7)}`);
    const real = {
      ...options,
      staging: await readStagingQueries(),
      fragments: await readFragments(),
      networks: england,
    };
    const sizes = await Promise.all(
      (await metricTableNames()).map(async (name) =>
        Buffer.byteLength(renderForAthena(await readQuery(name), real)),
      ),
    );
    // The largest (utilisation: shifts and availability) is about 36 KB.
    expect(Math.max(...sizes)).toBeLessThan(ATHENA_MAX_QUERY_BYTES / 4);
  });

  it('produces SQL a Trino grammar accepts, even with a comment on the last line of a view', () => {
    const sql = 'with s as (select * from {{shifts}})\nselect count(*) as n from s';
    expect(new TrinoSQL().validate(renderForAthena(sql, options))).toEqual([]);
  });
});

describe('catalogTable', () => {
  it('names a quoted catalog table', () => {
    expect(catalogTable('rotascope_curated', 'shifts')).toBe('"rotascope_curated"."shifts"');
  });

  it('refuses names the Glue catalog cannot hold rather than quoting them', () => {
    expect(() => catalogTable('Rotascope', 'shifts')).toThrow('Not an Athena catalog name');
    expect(() => catalogTable('db"; drop', 'shifts')).toThrow('Not an Athena catalog name');
    expect(() => catalogTable('db', 'shifts-2')).toThrow('Not an Athena catalog name');
    expect(() => renderForAthena('select 1', { ...options, database: 'Rotascope' })).toThrow(
      'Not an Athena catalog name',
    );
  });
});
