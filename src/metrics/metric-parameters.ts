/**
 * Settings the metric SQL reads, rendered into queries/*.sql as `{{name}}` (src/engine/render-sql.ts
 * renderSql): numbers as literals, small configuration tables as inline VALUES, which DuckDB and
 * Athena both accept. Nothing here is personal data.
 */
import {
  DEFAULT_EXTENDED_HOURS,
  type ExtendedHoursWindow,
  parseExtendedHours,
} from '../ingest/session-rule.js';
import { inlineTable } from './inline-table.js';
import { type NetworkPopulation, populationsSql } from './populations.js';

export { inlineTable } from './inline-table.js';

export interface NetworkBudget {
  networkCode: string;
  /** 1 April that starts the NHS financial year, YYYY-04-01. */
  financialYearStart: string;
  budgetPence: number;
  /** Optional: the part of the budget for agency staff, when the network sets one. */
  agencyBudgetPence?: number;
  /** Optional: the network's ARRS allocation (Additional Roles Reimbursement Sum) for the year. */
  arrsAllocationPence?: number;
}

/** ARRS: the maximum reimbursable amount per whole-time equivalent for a role and year. */
export interface ArrsRate {
  /** 1 April that starts the NHS financial year, YYYY-04-01. */
  financialYearStart: string;
  role: string;
  maxPencePerWte: number;
}

export interface MetricParameters {
  /** k: values derived from fewer than k distinct clinicians are suppressed (DESIGN §4). */
  minClinicians: number;
  /** Cost per hour above which a shift counts as over the cap, pence, per canonical role. */
  rateCapsPencePerHour: Readonly<Record<string, number>>;
  /**
   * Optional spend budgets (and agency budgets) per network and financial year, for the
   * year-to-date projection.
   */
  budgets: readonly NetworkBudget[];
  // Enhanced Access and per-patient figures (issue 20).
  /** Each network's population (src/metrics/populations.ts); a network not listed has none. */
  populations: readonly NetworkPopulation[];
  /**
   * The networks whose practices are in more than one ICB, with the one ICB each counts in
   * (networkIcbOverrides, src/reference/organisations.ts); others take their practices' ICB.
   */
  networkIcbs: readonly { networkCode: string; icbCode: string }[];
  /** queries/enhanced_access.sql. */
  enhancedAccess: EnhancedAccessSettings;
  // ARRS ledger (queries/arrs.sql)
  /** Maximum reimbursable amounts per WTE by role and year (data/arrs/max-reimbursable.csv). */
  arrsRates: readonly ArrsRate[];
  /** Hours a week that make one whole-time equivalent. */
  arrsWteHours: number;
}

// Enhanced Access (issue 20) -------------------------------------------------------------------

export interface EnhancedAccessSettings {
  /** The Enhanced Access windows: the configured extended-hours rule (src/ingest/session-rule.ts). */
  windows: readonly ExtendedHoursWindow[];
  /**
   * The required minimum, minutes per 1,000 patients per week. 60 is the Network Contract DES
   * Enhanced Access requirement (docs/metrics.md); configuration, not law.
   */
  minutesPer1000Patients: number;
  /** Count window sessions with no GP filled on the rota; off: `sessions_without_gp` is NULL. */
  gpCheck: boolean;
}

export const DEFAULT_ENHANCED_ACCESS: EnhancedAccessSettings = {
  windows: parseExtendedHours(DEFAULT_EXTENDED_HOURS),
  minutesPer1000Patients: 60,
  gpCheck: true,
};

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/**
 * The windows as rows (weekday 1-7, from_minute, to_minute), one per weekday and window, with
 * overlapping or touching windows of one weekday merged, so no minute is counted twice.
 */
export function enhancedAccessWindows(
  windows: readonly ExtendedHoursWindow[],
): [number, number, number][] {
  const byDay = new Map<number, [number, number][]>();
  for (const w of windows) {
    for (const day of w.days) {
      const list = byDay.get(day) ?? [];
      list.push([minutesOf(w.from), minutesOf(w.to)]);
      byDay.set(day, list);
    }
  }
  const rows: [number, number, number][] = [];
  for (const day of [...byDay.keys()].sort((a, b) => a - b)) {
    const spans = (byDay.get(day) ?? []).sort((a, b) => a[0] - b[0]);
    let current: [number, number] | undefined;
    for (const span of spans) {
      if (current && span[0] <= current[1]) current[1] = Math.max(current[1], span[1]);
      else {
        if (current) rows.push([day, current[0], current[1]]);
        current = [span[0], span[1]];
      }
    }
    if (current) rows.push([day, current[0], current[1]]);
  }
  return rows;
}

/** The `{{ea_windows}}`, `{{ea_minutes_per_1000}}` and `{{ea_gp_check}}` replacements. */
function enhancedAccessSql(ea: EnhancedAccessSettings): Record<string, string> {
  if (!Number.isFinite(ea.minutesPer1000Patients) || ea.minutesPer1000Patients <= 0) {
    throw new Error(
      `Enhanced Access minutes per 1,000 patients must be a positive number, not ${ea.minutesPer1000Patients}`,
    );
  }
  return {
    ea_windows: inlineTable(
      [
        { name: 'weekday', type: 'bigint' },
        { name: 'from_minute', type: 'bigint' },
        { name: 'to_minute', type: 'bigint' },
      ],
      enhancedAccessWindows(ea.windows),
    ),
    ea_minutes_per_1000: `cast(${String(ea.minutesPer1000Patients)} as double)`,
    ea_gp_check: ea.gpCheck ? 'true' : 'false',
  };
}

// ----------------------------------------------------------------------------------------------

/**
 * Illustrative rate caps, pence per hour of cost to the network (incl. agency commission): round
 * numbers a network might pick as its own ceiling, not NHS figures. NHS agency price caps bind
 * trusts, not practices (DESIGN §4), so a cap here is configuration: replace these with your own
 * (parameters.rateCapsPencePerHour); a role without an entry has no cap (shifts_above_cap NULL).
 */
export const ILLUSTRATIVE_RATE_CAPS_PENCE_PER_HOUR: Readonly<Record<string, number>> = {
  gp: 11_000,
  advanced_practitioner: 7_000,
  practice_nurse: 4_500,
  hca: 2_500,
  clinical_pharmacist: 5_500,
  first_contact_physio: 5_000,
  paramedic: 5_000,
  physician_associate: 5_500,
  mental_health_practitioner: 5_000,
  social_prescribing_link_worker: 3_000,
  care_coordinator: 2_800,
};

export const DEFAULT_METRIC_PARAMETERS: MetricParameters = {
  minClinicians: 3,
  rateCapsPencePerHour: ILLUSTRATIVE_RATE_CAPS_PENCE_PER_HOUR,
  budgets: [],
  populations: [],
  networkIcbs: [],
  enhancedAccess: DEFAULT_ENHANCED_ACCESS,
  // ARRS: no rates unless loaded (loadMetricParameters reads the shipped file by default).
  arrsRates: [],
  arrsWteHours: 37.5,
};

/** The `{{name}}` replacements for metric parameters. */
export function parameterSql(p: MetricParameters): Record<string, string> {
  if (!Number.isInteger(p.minClinicians) || p.minClinicians < 1) {
    throw new Error(`minClinicians must be a whole number >= 1, not ${p.minClinicians}`);
  }
  return {
    min_clinicians: String(p.minClinicians),
    rate_caps: inlineTable(
      [
        { name: 'role', type: 'varchar' },
        { name: 'cap_pence_per_hour', type: 'bigint' },
      ],
      Object.entries(p.rateCapsPencePerHour),
    ),
    budgets: inlineTable(
      [
        { name: 'network_code', type: 'varchar' },
        { name: 'financial_year_start', type: 'date' },
        { name: 'budget_pence', type: 'bigint' },
        { name: 'agency_budget_pence', type: 'bigint' },
        { name: 'arrs_allocation_pence', type: 'bigint' },
      ],
      p.budgets.map((b) => [
        b.networkCode,
        b.financialYearStart,
        b.budgetPence,
        b.agencyBudgetPence ?? null,
        b.arrsAllocationPence ?? null,
      ]),
    ),
    // Enhanced Access and per-patient figures (issue 20).
    populations: populationsSql(p.populations),
    network_icbs: inlineTable(
      [
        { name: 'network_code', type: 'varchar' },
        { name: 'icb_code', type: 'varchar' },
      ],
      p.networkIcbs.map((n) => [n.networkCode, n.icbCode]),
    ),
    ...enhancedAccessSql(p.enhancedAccess),
    ...arrsParameterSql(p),
  };
}

/** ARRS ledger parameters: `{{arrs_rates}}` and `{{arrs_wte_hours}}` (queries/arrs.sql). */
function arrsParameterSql(p: MetricParameters): Record<string, string> {
  if (!Number.isFinite(p.arrsWteHours) || p.arrsWteHours <= 0 || p.arrsWteHours > 168) {
    throw new Error(`arrsWteHours must be a number of hours above 0, not ${p.arrsWteHours}`);
  }
  return {
    arrs_wte_hours: String(p.arrsWteHours),
    arrs_rates: inlineTable(
      [
        { name: 'financial_year_start', type: 'date' },
        { name: 'role', type: 'varchar' },
        { name: 'max_pence_per_wte', type: 'bigint' },
      ],
      p.arrsRates.map((r) => [r.financialYearStart, r.role, r.maxPencePerWte]),
    ),
  };
}
