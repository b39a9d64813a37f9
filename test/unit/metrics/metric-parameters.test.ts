import { describe, expect, it } from 'vitest';
import { DEFAULT_METRIC_PARAMETERS, parameterSql } from '../../../src/metrics/metric-parameters.js';

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
        },
        { networkCode: "U1'2", financialYearStart: '2026-04-01', budgetPence: 1 },
      ],
    }).budgets;
    expect(sql).toBe(
      "(select * from (values ('U60865', date '2026-04-01', 200000000, 15000000), " +
        "('U1''2', date '2026-04-01', 1, cast(null as bigint))) " +
        'as t(network_code, financial_year_start, budget_pence, agency_budget_pence))',
    );
  });

  it('renders no budgets as an empty typed table with the agency column', () => {
    expect(parameterSql(DEFAULT_METRIC_PARAMETERS).budgets).toBe(
      '(select cast(null as varchar) as network_code, cast(null as date) as financial_year_start, ' +
        'cast(null as bigint) as budget_pence, cast(null as bigint) as agency_budget_pence ' +
        'where 1 = 0)',
    );
  });
});
