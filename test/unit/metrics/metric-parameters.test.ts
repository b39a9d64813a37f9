import { describe, expect, it } from 'vitest';
import { parseExtendedHours } from '../../../src/ingest/session-rule.js';
import {
  DEFAULT_ENHANCED_ACCESS,
  DEFAULT_METRIC_PARAMETERS,
  enhancedAccessWindows,
  parameterSql,
} from '../../../src/metrics/metric-parameters.js';

describe('parameterSql budgets', () => {
  it('renders an agency budget, and a typed NULL where a network has none', () => {
    // A typed NULL keeps agency_budget_pence a bigint even when no row has an agency budget
    // (an untyped NULL column would be written with another type than metric-columns.ts says).
    const sql = parameterSql({
      ...DEFAULT_METRIC_PARAMETERS,
      budgets: [
        {
          networkCode: 'U60865',
          financialYearStart: '2026-04-01',
          budgetPence: 200_000_000,
          agencyBudgetPence: 15_000_000,
          arrsAllocationPence: 120_000_000,
        },
        { networkCode: "U1'2", financialYearStart: '2026-04-01', budgetPence: 1 },
      ],
    }).budgets;
    expect(sql).toBe(
      "(select * from (values ('U60865', date '2026-04-01', 200000000, 15000000, 120000000), " +
        "('U1''2', date '2026-04-01', 1, cast(null as bigint), cast(null as bigint))) " +
        'as t(network_code, financial_year_start, budget_pence, agency_budget_pence, arrs_allocation_pence))',
    );
  });

  it('renders no budgets as an empty typed table with the agency column', () => {
    expect(parameterSql(DEFAULT_METRIC_PARAMETERS).budgets).toBe(
      '(select cast(null as varchar) as network_code, cast(null as date) as financial_year_start, ' +
        'cast(null as bigint) as budget_pence, cast(null as bigint) as agency_budget_pence, ' +
        'cast(null as bigint) as arrs_allocation_pence where 1 = 0)',
    );
  });
});

describe('parameterSql ARRS', () => {
  it('renders the maximum reimbursable amounts and the WTE hours', () => {
    const sql = parameterSql({
      ...DEFAULT_METRIC_PARAMETERS,
      arrsRates: [
        {
          financialYearStart: '2025-04-01',
          role: 'clinical_pharmacist',
          maxPencePerWte: 6_697_200,
        },
      ],
      arrsWteHours: 37.5,
    });
    expect(sql.arrs_rates).toBe(
      "(select * from (values (date '2025-04-01', 'clinical_pharmacist', 6697200)) " +
        'as t(financial_year_start, role, max_pence_per_wte))',
    );
    expect(sql.arrs_wte_hours).toBe('37.5');
  });

  it('renders no rates as an empty typed table, and refuses a WTE of no hours', () => {
    expect(parameterSql(DEFAULT_METRIC_PARAMETERS).arrs_rates).toBe(
      '(select cast(null as date) as financial_year_start, cast(null as varchar) as role, ' +
        'cast(null as bigint) as max_pence_per_wte where 1 = 0)',
    );
    expect(() => parameterSql({ ...DEFAULT_METRIC_PARAMETERS, arrsWteHours: 0 })).toThrow(
      /arrsWteHours must be a number of hours above 0, not 0/,
    );
  });
});

// Enhanced Access (issue 20).
describe('parameterSql Enhanced Access', () => {
  it('renders the default windows as one row per weekday window, in minutes', () => {
    const sql = parameterSql(DEFAULT_METRIC_PARAMETERS);
    expect(sql.ea_windows).toBe(
      '(select * from (values (1, 1110, 1200), (2, 1110, 1200), (3, 1110, 1200), (4, 1110, 1200), ' +
        '(5, 1110, 1200), (6, 540, 1020)) as t(weekday, from_minute, to_minute))',
    );
    expect(sql.ea_minutes_per_1000).toBe('cast(60 as double)');
    expect(sql.ea_gp_check).toBe('true');
  });

  it('merges overlapping and touching windows of a weekday, so no minute counts twice', () => {
    const windows = parseExtendedHours(
      'mon 18:30-20:00; mon 19:00-21:00; mon 07:00-08:00; mon 08:00-08:30; tue 18:30-20:00',
    );
    expect(enhancedAccessWindows(windows)).toEqual([
      [1, 420, 510],
      [1, 1110, 1260],
      [2, 1110, 1200],
    ]);
  });

  it('renders the GP check off and refuses a minimum that is not positive', () => {
    const off = { ...DEFAULT_ENHANCED_ACCESS, gpCheck: false, windows: [] };
    const sql = parameterSql({ ...DEFAULT_METRIC_PARAMETERS, enhancedAccess: off });
    expect(sql.ea_gp_check).toBe('false');
    expect(sql.ea_windows).toBe(
      '(select cast(null as bigint) as weekday, cast(null as bigint) as from_minute, ' +
        'cast(null as bigint) as to_minute where 1 = 0)',
    );
    expect(() =>
      parameterSql({
        ...DEFAULT_METRIC_PARAMETERS,
        enhancedAccess: { ...off, minutesPer1000Patients: 0 },
      }),
    ).toThrow(/must be a positive number, not 0/);
  });
});
