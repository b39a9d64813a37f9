/**
 * Settings the metric SQL reads, rendered into queries/*.sql as `{{name}}` (src/engine/render-sql.ts
 * renderSql): numbers as literals, small configuration tables as inline VALUES, which DuckDB and
 * Athena both accept. Nothing here is personal data.
 */
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
  // ARRS ledger (queries/arrs.sql)
  /** Maximum reimbursable amounts per WTE by role and year (data/arrs/max-reimbursable.csv). */
  arrsRates: readonly ArrsRate[];
  /** Hours a week that make one whole-time equivalent. */
  arrsWteHours: number;
}

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
  // ARRS: no rates unless loaded (loadMetricParameters reads the shipped file by default).
  arrsRates: [],
  arrsWteHours: 37.5,
};

const text = (value: string) => `'${value.replaceAll("'", "''")}'`;

/**
 * An inline table: `(select * from (values (...), (...)) as t(a, b))`, or an empty typed
 * `select ... where 1 = 0` when there are no rows (VALUES cannot be empty). A null value is a
 * typed `cast(null as <type>)`, so a column of nulls keeps its type.
 */
export function inlineTable(
  columns: readonly { name: string; type: 'varchar' | 'bigint' | 'date' }[],
  rows: readonly (readonly (string | number | null)[])[],
): string {
  const literal = (value: string | number | null, type: string) =>
    value === null
      ? `cast(null as ${type})`
      : type === 'varchar'
        ? text(String(value))
        : type === 'date'
          ? `date ${text(String(value))}`
          : String(Math.trunc(Number(value)));
  if (rows.length === 0) {
    const nulls = columns.map((c) => `cast(null as ${c.type}) as ${c.name}`).join(', ');
    return `(select ${nulls} where 1 = 0)`;
  }
  const values = rows
    .map(
      (row) =>
        `(${columns.map((c, i) => literal(row[i] as string | number | null, c.type)).join(', ')})`,
    )
    .join(', ');
  return `(select * from (values ${values}) as t(${columns.map((c) => c.name).join(', ')}))`;
}

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
