import { TrinoSQL } from 'dt-sql-parser';
import { describe, expect, it } from 'vitest';
import { DEFAULT_METRIC_PARAMETERS } from '../../../src/metrics/metric-parameters.js';
import { renderForAthena } from '../../../src/metrics/render-for-athena.js';

const staging = {
  shifts: '-- shifts (staging)\nselect * from {{curated_shifts}} -- current versions\n',
  availability: 'select * from {{curated_availability}}',
};
const options = {
  database: 'rotascope',
  parameters: DEFAULT_METRIC_PARAMETERS,
  staging,
  fragments: { measures: 'count(*) as shifts,\nsum(hours) as hours' },
};

describe('renderForAthena', () => {
  it('names catalog tables for curated placeholders and adds no WITH when no view is used', () => {
    expect(renderForAthena('select * from {{curated_shifts}} as s', options)).toBe(
      'select * from "rotascope"."shifts" as s',
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
        'select * from "rotascope"."shifts" -- current versions',
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
        'select * from "rotascope"."shifts" -- current versions',
        '),',
        'stg_availability as (',
        'select * from "rotascope"."availability"',
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
        'from "rotascope"."shifts"',
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

  it('produces SQL a Trino grammar accepts, even with a comment on the last line of a view', () => {
    const sql = 'with s as (select * from {{shifts}})\nselect count(*) as n from s';
    expect(new TrinoSQL().validate(renderForAthena(sql, options))).toEqual([]);
  });
});
