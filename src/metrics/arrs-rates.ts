/**
 * ARRS maximum reimbursable amounts per whole-time equivalent, by role and NHS financial year,
 * from a CSV file (data/arrs/max-reimbursable.csv as shipped, or ROTASCOPE_ARRS_RATES_FILE):
 *
 *   financial_year_start,role,max_gbp_per_wte[,source]     e.g. 2025-04-01,clinical_pharmacist,66972,"DES 2025/26"
 *
 * Amounts in pounds as the DES writes them (£ and thousands separators allowed), stored in pence.
 * Every problem names the file and the line. `source` is provenance only.
 */
import { ROLES } from '../domain.js';
import { ConfigError } from '../errors.js';
import { parseCsvRecords } from '../reference/csv.js';
import type { ArrsRate } from './metric-parameters.js';

const COLUMNS = ['financial_year_start', 'role', 'max_gbp_per_wte'];

export function readArrsRates(file: string, text: string): ArrsRate[] {
  const rows = parseCsvRecords(text.replace(/^\uFEFF/, ''));
  const first = rows[0];
  const missing = first ? COLUMNS.filter((c) => !(c in first)) : [];
  if (missing.length > 0) {
    throw new ConfigError(
      `${file} has no column ${missing.join(', ')} (financial_year_start,role,max_gbp_per_wte[,source])`,
    );
  }
  const seen = new Set<string>();
  return rows.map((r, i) => {
    const line = i + 2;
    const start = (r.financial_year_start ?? '').trim();
    if (!/^\d{4}-04-01$/.test(start)) {
      throw new ConfigError(
        `${file} line ${line}: financial_year_start "${start}" is not a 1 April (YYYY-04-01)`,
      );
    }
    const role = (r.role ?? '').trim();
    if (!(ROLES as string[]).includes(role)) {
      throw new ConfigError(`${file} line ${line}: "${role}" is not a Rotascope role`);
    }
    const amount = (r.max_gbp_per_wte ?? '').trim();
    const pounds = Number(amount.replace(/[£,\s]/g, ''));
    if (amount === '' || !Number.isFinite(pounds) || pounds <= 0) {
      throw new ConfigError(
        `${file} line ${line}: max_gbp_per_wte "${amount}" is not an amount in pounds above 0`,
      );
    }
    const key = `${start} ${role}`;
    if (seen.has(key)) {
      throw new ConfigError(`${file} line ${line}: ${role} for ${start} appears twice`);
    }
    seen.add(key);
    return { financialYearStart: start, role, maxPencePerWte: Math.round(pounds * 100) };
  });
}
