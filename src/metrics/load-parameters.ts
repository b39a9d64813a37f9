/**
 * Metric parameters from configuration: k, and the optional rate-cap and budget CSV files
 * (amounts in pounds, as finance teams write them; stored in pence).
 *
 *   rate caps: role,cap_gbp_per_hour        e.g. gp,110.00
 *   budgets:   network_code,financial_year_start,budget_gbp[,agency_budget_gbp][,arrs_allocation_gbp]
 *              e.g. U60865,2026-04-01,1250000,150000 (the agency column and its cells may be
 *              left out or empty: no agency budget; likewise the ARRS allocation)
 *   populations: code,population[,note]     (src/metrics/populations.ts)
 *   ARRS rates: financial_year_start,role,max_gbp_per_wte[,source] (src/metrics/arrs-rates.ts)
 */
import { readFile } from 'node:fs/promises';
import type { Config } from '../config.js';
import { ROLES } from '../domain.js';
import { ConfigError } from '../errors.js';
import { parseCsvRecords } from '../reference/csv.js';
import { networkIcbOverrides, type Reference } from '../reference/organisations.js';
import { readArrsRates } from './arrs-rates.js';
import { DEFAULT_METRIC_PARAMETERS, type MetricParameters } from './metric-parameters.js';
import { networkPopulations, readPopulationFile } from './populations.js';

function pence(file: string, line: number, text: string | undefined): number {
  const value = Number((text ?? '').replace(/[£,\s]/g, ''));
  if (!Number.isFinite(value) || value < 0 || (text ?? '').trim() === '') {
    throw new ConfigError(`${file} line ${line}: "${text ?? ''}" is not an amount in pounds`);
  }
  return Math.round(value * 100);
}

async function records(file: string, columns: string[]): Promise<Record<string, string>[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new ConfigError(`Cannot read ${file}`);
  }
  const rows = parseCsvRecords(text.replace(/^\uFEFF/, ''));
  const missing = columns.filter((c) => rows.length > 0 && !(c in (rows[0] ?? {})));
  if (missing.length > 0) throw new ConfigError(`${file} has no column ${missing.join(', ')}`);
  return rows;
}

export async function loadMetricParameters(
  config: Config,
  reference: Reference,
): Promise<MetricParameters> {
  const { minClinicians, rateCapsFile, budgetsFile } = config.metrics;
  let rateCaps = DEFAULT_METRIC_PARAMETERS.rateCapsPencePerHour;
  if (rateCapsFile) {
    const rows = await records(rateCapsFile, ['role', 'cap_gbp_per_hour']);
    rateCaps = Object.fromEntries(
      rows.map((r, i) => {
        const role = (r.role ?? '').trim();
        if (!(ROLES as string[]).includes(role)) {
          throw new ConfigError(`${rateCapsFile} line ${i + 2}: "${role}" is not a Rotascope role`);
        }
        return [role, pence(rateCapsFile, i + 2, r.cap_gbp_per_hour)];
      }),
    );
  }
  const budgets = budgetsFile
    ? (await records(budgetsFile, ['network_code', 'financial_year_start', 'budget_gbp'])).map(
        (r, i) => {
          const start = (r.financial_year_start ?? '').trim();
          if (!/^\d{4}-04-01$/.test(start)) {
            throw new ConfigError(
              `${budgetsFile} line ${i + 2}: financial_year_start "${start}" is not a 1 April (YYYY-04-01)`,
            );
          }
          const agency = (r.agency_budget_gbp ?? '').trim();
          // ARRS ledger: the network's ARRS allocation, optional like the agency budget.
          const arrs = (r.arrs_allocation_gbp ?? '').trim();
          return {
            networkCode: (r.network_code ?? '').trim().toUpperCase(),
            financialYearStart: start,
            budgetPence: pence(budgetsFile, i + 2, r.budget_gbp),
            ...(agency === '' ? {} : { agencyBudgetPence: pence(budgetsFile, i + 2, agency) }),
            ...(arrs === '' ? {} : { arrsAllocationPence: pence(budgetsFile, i + 2, arrs) }),
          };
        },
      )
    : [];
  return {
    minClinicians,
    rateCapsPencePerHour: rateCaps,
    budgets,
    ...(await enhancedAccessParameters(config, reference)),
    ...(await loadArrs(config)),
  };
}

// Enhanced Access and per-patient figures (issue 20).
async function enhancedAccessParameters(
  config: Config,
  reference: Reference,
): Promise<Pick<MetricParameters, 'populations' | 'networkIcbs' | 'enhancedAccess'>> {
  const { populationFile, enhancedAccess } = config.metrics;
  let overrides: ReturnType<typeof readPopulationFile> = [];
  if (populationFile) {
    let text: string;
    try {
      text = await readFile(populationFile, 'utf8');
    } catch {
      throw new ConfigError(`Cannot read ${populationFile}`);
    }
    overrides = readPopulationFile(populationFile, text, reference);
  }
  return {
    populations: networkPopulations(reference, overrides),
    networkIcbs: networkIcbOverrides(reference),
    enhancedAccess: { windows: config.extendedHours, ...enhancedAccess },
  };
}

/** ARRS ledger: the maximum reimbursable amounts file (shipped or configured) and WTE hours. */
async function loadArrs(
  config: Config,
): Promise<Pick<MetricParameters, 'arrsRates' | 'arrsWteHours'>> {
  const { arrsRatesFile, arrsWteHours } = config.metrics;
  let text: string;
  try {
    text = await readFile(arrsRatesFile, 'utf8');
  } catch {
    throw new ConfigError(`Cannot read ${arrsRatesFile}`);
  }
  return { arrsRates: readArrsRates(arrsRatesFile, text), arrsWteHours };
}
