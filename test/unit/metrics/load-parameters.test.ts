import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.js';
import { readArrsRates } from '../../../src/metrics/arrs-rates.js';
import { loadMetricParameters } from '../../../src/metrics/load-parameters.js';
import {
  DEFAULT_ENHANCED_ACCESS,
  DEFAULT_METRIC_PARAMETERS,
} from '../../../src/metrics/metric-parameters.js';
import { bundledReference } from '../../helpers/reference.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'rotascope-params-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const configWith = (env: Record<string, string>) => loadConfig(env, {}, dir);
const load = async (env: Record<string, string>) =>
  loadMetricParameters(configWith(env), await bundledReference());

describe('metric parameters from configuration', () => {
  it('default to k = 3, the built-in rate caps, no budgets and the shipped ARRS rates', async () => {
    expect(await load({})).toMatchObject({
      minClinicians: 3,
      rateCapsPencePerHour: DEFAULT_METRIC_PARAMETERS.rateCapsPencePerHour,
      budgets: [],
      enhancedAccess: DEFAULT_ENHANCED_ACCESS,
      // data/arrs/max-reimbursable.csv (sources in data/arrs/README.md).
      arrsRates: [
        {
          financialYearStart: '2025-04-01',
          role: 'clinical_pharmacist',
          maxPencePerWte: 6_697_200,
        },
        {
          financialYearStart: '2025-04-01',
          role: 'pharmacy_technician',
          maxPencePerWte: 4_335_200,
        },
      ],
      arrsWteHours: 37.5,
    });
  });

  it('read k and CSV files in pounds, stored in pence', async () => {
    await writeFile(
      path.join(dir, 'caps.csv'),
      'role,cap_gbp_per_hour\ngp,110.00\npractice_nurse,45.5\n',
    );
    await writeFile(
      path.join(dir, 'budgets.csv'),
      'network_code,financial_year_start,budget_gbp\nu60865,2026-04-01,"£1,250,000"\n',
    );
    const params = await load({
      ROTASCOPE_MIN_CLINICIANS: '5',
      ROTASCOPE_RATE_CAPS_FILE: 'caps.csv',
      ROTASCOPE_BUDGETS_FILE: 'budgets.csv',
    });
    expect(params).toMatchObject({
      minClinicians: 5,
      rateCapsPencePerHour: { gp: 11000, practice_nurse: 4550 },
      budgets: [
        { networkCode: 'U60865', financialYearStart: '2026-04-01', budgetPence: 125000000 },
      ],
    });
  });

  it('read an optional agency budget column, empty cells meaning none', async () => {
    await writeFile(
      path.join(dir, 'agency-budgets.csv'),
      'network_code,financial_year_start,budget_gbp,agency_budget_gbp\n' +
        'U60865,2026-04-01,"£2,000,000","£150,000.50"\nU12345,2026-04-01,1250000,\n',
    );
    const params = await load({ ROTASCOPE_BUDGETS_FILE: 'agency-budgets.csv' });
    expect(params.budgets).toStrictEqual([
      {
        networkCode: 'U60865',
        financialYearStart: '2026-04-01',
        budgetPence: 200_000_000,
        agencyBudgetPence: 15_000_050,
      },
      { networkCode: 'U12345', financialYearStart: '2026-04-01', budgetPence: 125_000_000 },
    ]);
    await writeFile(
      path.join(dir, 'bad-agency.csv'),
      'network_code,financial_year_start,budget_gbp,agency_budget_gbp\nU60865,2026-04-01,100,lots\n',
    );
    await expect(load({ ROTASCOPE_BUDGETS_FILE: 'bad-agency.csv' })).rejects.toThrow(
      /bad-agency\.csv line 2: "lots" is not an amount in pounds/,
    );
  });

  it('say which line of which file is wrong', async () => {
    await writeFile(path.join(dir, 'bad-caps.csv'), 'role,cap_gbp_per_hour\nsurgeon,200\n');
    await expect(load({ ROTASCOPE_RATE_CAPS_FILE: 'bad-caps.csv' })).rejects.toThrow(
      /bad-caps\.csv line 2: "surgeon" is not a Rotascope role/,
    );
    await writeFile(
      path.join(dir, 'bad-budgets.csv'),
      'network_code,financial_year_start,budget_gbp\nU60865,2026-01-01,100\n',
    );
    await expect(load({ ROTASCOPE_BUDGETS_FILE: 'bad-budgets.csv' })).rejects.toThrow(
      /line 2: financial_year_start "2026-01-01" is not a 1 April/,
    );
  });

  // Enhanced Access and per-patient figures (issue 20).
  it('take populations from the list sizes, or a population file, and the Enhanced Access settings', async () => {
    const registered = await load({});
    const u60865 = registered.populations.find((p) => p.networkCode === 'U60865');
    expect(u60865).toMatchObject({ basis: 'registered' });
    expect(u60865?.patients).toBeGreaterThan(0);
    await writeFile(
      path.join(dir, 'population.csv'),
      'code,population,note\nU60865,55120,weighted\n',
    );
    const params = await load({
      ROTASCOPE_POPULATION_FILE: 'population.csv',
      ROTASCOPE_EA_MINUTES_PER_1000: '72.5',
      ROTASCOPE_EA_GP_CHECK: 'off',
      ROTASCOPE_EXTENDED_HOURS: 'mon-thu 18:00-20:00',
    });
    expect(params.populations.find((p) => p.networkCode === 'U60865')).toEqual({
      networkCode: 'U60865',
      patients: 55120,
      practicesMissing: 0,
      basis: 'adjusted',
      source: 'weighted',
    });
    expect(params.enhancedAccess).toEqual({
      windows: [{ days: [1, 2, 3, 4], from: '18:00', to: '20:00' }],
      minutesPer1000Patients: 72.5,
      gpCheck: false,
    });
    await writeFile(path.join(dir, 'bad-population.csv'), 'code,population\nU99999,100\n');
    await expect(load({ ROTASCOPE_POPULATION_FILE: 'bad-population.csv' })).rejects.toThrow(
      /bad-population\.csv line 2: "U99999" is not a known network or practice code/,
    );
    expect(() => configWith({ ROTASCOPE_EA_GP_CHECK: 'maybe' })).toThrow(/ROTASCOPE_EA_GP_CHECK/);
    expect(() => configWith({ ROTASCOPE_EA_MINUTES_PER_1000: '0' })).toThrow(
      /ROTASCOPE_EA_MINUTES_PER_1000/,
    );
  });

  it('read an ARRS allocation column and the ARRS rates and WTE hours configured', async () => {
    await writeFile(
      path.join(dir, 'arrs-budgets.csv'),
      'network_code,financial_year_start,budget_gbp,agency_budget_gbp,arrs_allocation_gbp\n' +
        'U60865,2026-04-01,2000000,,"£1,468,203.12"\nU12345,2026-04-01,1250000,100,\n',
    );
    await writeFile(
      path.join(dir, 'arrs-rates.csv'),
      'financial_year_start,role,max_gbp_per_wte,source\n2026-04-01,paramedic,"£61,000.50",ICB letter\n',
    );
    const params = await load({
      ROTASCOPE_BUDGETS_FILE: 'arrs-budgets.csv',
      ROTASCOPE_ARRS_RATES_FILE: 'arrs-rates.csv',
      ROTASCOPE_ARRS_WTE_HOURS: '36',
    });
    expect(params.budgets).toStrictEqual([
      {
        networkCode: 'U60865',
        financialYearStart: '2026-04-01',
        budgetPence: 200_000_000,
        arrsAllocationPence: 146_820_312,
      },
      {
        networkCode: 'U12345',
        financialYearStart: '2026-04-01',
        budgetPence: 125_000_000,
        agencyBudgetPence: 10_000,
      },
    ]);
    expect(params.arrsRates).toEqual([
      { financialYearStart: '2026-04-01', role: 'paramedic', maxPencePerWte: 6_100_050 },
    ]);
    expect(params.arrsWteHours).toBe(36);
    await expect(load({ ROTASCOPE_ARRS_RATES_FILE: 'missing.csv' })).rejects.toThrow(
      /Cannot read .*missing\.csv/,
    );
  });
});

describe('ARRS rates file', () => {
  const header = 'financial_year_start,role,max_gbp_per_wte,source\n';
  const good = '2025-04-01,clinical_pharmacist,66972,DES 2025/26\n';
  it.each([
    [
      'a role Rotascope does not have',
      'pharmacist',
      '2025-04-01,pharmacist,66972,x',
      /rates\.csv line 3: "pharmacist" is not a Rotascope role/,
    ],
    [
      'an amount that is not pounds',
      'lots',
      '2025-04-01,pharmacy_technician,lots,x',
      /rates\.csv line 3: max_gbp_per_wte "lots" is not an amount in pounds above 0/,
    ],
    [
      'an amount of nothing',
      '0',
      '2025-04-01,pharmacy_technician,0,x',
      /rates\.csv line 3: max_gbp_per_wte "0" is not an amount/,
    ],
    [
      'an empty amount',
      '',
      '2025-04-01,pharmacy_technician,,x',
      /rates\.csv line 3: max_gbp_per_wte "" is not an amount/,
    ],
    [
      'a year not named by its 1 April',
      '2025/26',
      '2025/26,pharmacy_technician,43352,x',
      /rates\.csv line 3: financial_year_start "2025\/26" is not a 1 April \(YYYY-04-01\)/,
    ],
    [
      'the same role and year twice',
      'dup',
      '2025-04-01,clinical_pharmacist,1,x',
      /rates\.csv line 3: clinical_pharmacist for 2025-04-01 appears twice/,
    ],
  ])('refuse %s, naming file and line', (_name, _value, line, message) => {
    expect(() => readArrsRates('rates.csv', `${header}${good}${line}\n`)).toThrow(message);
  });

  it('refuse a file without the columns, and read the shipped one', async () => {
    expect(() => readArrsRates('rates.csv', 'role,amount\ngp,1\n')).toThrow(
      /rates\.csv has no column financial_year_start, max_gbp_per_wte/,
    );
    expect(readArrsRates('rates.csv', `\uFEFF${header}${good}`)).toEqual([
      { financialYearStart: '2025-04-01', role: 'clinical_pharmacist', maxPencePerWte: 6_697_200 },
    ]);
  });
});
