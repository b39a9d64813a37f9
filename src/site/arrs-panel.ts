/**
 * The network page's ARRS panel (`arrs`, docs/metrics.md "The ARRS ledger"): spend on
 * ARRS-funded shifts by role so far this financial year, whole-time equivalents, cost per WTE
 * against the maximum reimbursable amount, the roles over it, and the allocation used when the
 * budgets file gives one. Suppressed role figures read "suppressed" and the panel says why; a year
 * with no maximum configured says so rather than showing nothing. Pure: rows in, HTML out.
 */
import { financialYearStart } from '../calendar.js';
import { label } from '../labels.js';
import { financialYearName } from './budget.js';
import { dataTable, downloadLinks, type Row } from './chart.js';
import { text, unlessSuppressed } from './components.js';
import { oneDecimal } from './enhanced-access-panel.js';
import { formatPercent, formatPounds, formatWeekOf } from './format.js';
import { escapeHtml } from './html.js';
import type { ArrsRow } from './site-data.js';

const isNumber = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value);

/** Role figures that are pay, and so closed when the role is suppressed. */
const PAY_FIELDS = [
  'ytd_spend_pence',
  'cost_per_wte_pence',
  'claimable_pence',
  'excess_not_claimable_pence',
] as const;

/**
 * The year's ledger up to `latestWeek`: the rows of its financial year (the series, for the
 * download) and those of the latest week in it, one per role, by role name.
 */
export function arrsLedger(
  rows: readonly ArrsRow[],
  latestWeek: string | undefined,
): { financialYear: string | undefined; series: ArrsRow[]; latest: ArrsRow[] } {
  if (!latestWeek) return { financialYear: undefined, series: [], latest: [] };
  const fy = financialYearStart(latestWeek);
  const series = rows.filter((r) => r.financial_year_start === fy && r.week_start <= latestWeek);
  const week = series.reduce<string | undefined>(
    (max, r) => (max === undefined || r.week_start > max ? r.week_start : max),
    undefined,
  );
  const latest = series
    .filter((r) => r.week_start === week)
    .sort((a, b) => label('role', a.role).localeCompare(label('role', b.role)));
  return { financialYear: fy, series, latest };
}

/**
 * The weekly report's sentence: "ARRS: £61,230 spent so far in 2026/27 on 5 roles (9.8 WTE), 20.4%
 * of the £300,000 allocation; 1 role over its maximum reimbursable amount."
 */
export function arrsSentence(
  latest: readonly ArrsRow[],
  financialYear: string | undefined,
): string {
  const year = financialYear ? financialYearName(financialYear) : 'this financial year';
  const first = latest[0];
  if (!first) return `ARRS: no ARRS-funded shifts filled so far in ${year}.`;
  const wte = latest.reduce((s, r) => s + r.wte, 0);
  const roles = `${latest.length} role${latest.length === 1 ? '' : 's'} (${oneDecimal(wte)} WTE)`;
  const spend =
    first.network_suppressed || !isNumber(first.network_ytd_spend_pence)
      ? `ARRS: ${roles} so far in ${year}; spend suppressed for the rest of the year (privacy threshold)`
      : `ARRS: ${formatPounds(first.network_ytd_spend_pence)} spent so far in ${year} on ${roles}`;
  const allocation =
    isNumber(first.allocation_used_share) && isNumber(first.arrs_allocation_pence)
      ? `, ${formatPercent(first.allocation_used_share)} of the ${formatPounds(first.arrs_allocation_pence)} allocation`
      : '';
  const over = latest.filter(
    (r) => isNumber(r.excess_not_claimable_pence) && r.excess_not_claimable_pence > 0,
  );
  const noMax = latest.every((r) => !isNumber(r.max_reimbursable_per_wte_pence));
  const tail = noMax
    ? `; no maximum reimbursable amount is configured for ${year}`
    : over.length > 0
      ? `; ${over.length} role${over.length === 1 ? '' : 's'} over the maximum reimbursable amount`
      : '; every role within its maximum reimbursable amount';
  return `${spend}${allocation}${tail}.`;
}

/** What the panel says under its table: suppression, missing maximums, roles over them. */
function notes(latest: readonly ArrsRow[], year: string): string[] {
  const out: string[] = [];
  const suppressed = latest.filter((r) => r.suppressed);
  if (suppressed.length > 0) {
    out.push(
      `${suppressed.length} role${suppressed.length === 1 ? ' reads' : 's read'} “suppressed”: in a week this year ${suppressed.length === 1 ? 'its' : 'their'} spend came from fewer clinicians than the privacy threshold, or would give back a figure hidden elsewhere, and a total so far would let that week be worked out, so pay figures are not published for the rest of the financial year. Hours and WTE are not pay and are shown.`,
    );
  }
  const noMax = latest.filter((r) => !isNumber(r.max_reimbursable_per_wte_pence));
  if (noMax.length === latest.length) {
    out.push(
      `No maximum reimbursable amount is configured for ${year}, so cost per WTE is not compared with one and nothing is counted as not claimable. A deployment sets the year’s amounts with ROTASCOPE_ARRS_RATES_FILE (data/arrs/).`,
    );
  } else if (noMax.length > 0) {
    out.push(
      `No maximum reimbursable amount is configured for ${year} for: ${noMax.map((r) => label('role', r.role)).join(', ')}.`,
    );
  }
  const over = latest.filter(
    (r) => isNumber(r.excess_not_claimable_pence) && r.excess_not_claimable_pence > 0,
  );
  if (over.length > 0) {
    out.push(
      `Over the maximum reimbursable amount: ${over
        .map(
          (r) =>
            `${label('role', r.role)} (${formatPounds(r.cost_per_wte_pence)} per WTE against ${formatPounds(r.max_reimbursable_per_wte_pence)}; ${formatPounds(r.excess_not_claimable_pence)} so far cannot be claimed)`,
        )
        .join('; ')}.`,
    );
  } else if (noMax.length < latest.length) {
    out.push('No role costs more per WTE than its maximum reimbursable amount.');
  }
  return out;
}

function allocationLine(first: ArrsRow, year: string): string {
  if (!isNumber(first.arrs_allocation_pence))
    return `No ARRS allocation is set for ${year} (arrs_allocation_gbp in the budgets file), so allocation used is not shown.`;
  if (first.network_suppressed || !isNumber(first.allocation_used_share))
    return `Allocation: ${formatPounds(first.arrs_allocation_pence)}; the share used is suppressed with the network’s total, for the rest of the year: minus the roles shown, it would give a suppressed role back.`;
  return `Allocation used: ${formatPercent(first.allocation_used_share)} of ${formatPounds(first.arrs_allocation_pence)}.`;
}

const money = (field: string, title: string) => ({
  field,
  title,
  format: formatPounds,
  numeric: true,
});

export interface ArrsPanelInput {
  /** The network's `arrs` rows, oldest first. */
  rows: readonly ArrsRow[];
  /** The page's latest (complete) week. */
  latestWeek: string | undefined;
}

/** The panel as HTML; its download is the `arrs` dataset (the year's series, `arrsLedger`). */
export function arrsPanel(input: ArrsPanelInput): string {
  const { financialYear, latest } = arrsLedger(input.rows, input.latestWeek);
  const year = financialYear ? financialYearName(financialYear) : 'this financial year';
  const first = latest[0];
  const title = `ARRS roles, ${year} to the ${formatWeekOf(first?.week_start ?? input.latestWeek)}`;
  if (!first) {
    return `<section class="panel" aria-labelledby="arrs-title"><h2 class="nhsuk-heading-m" id="arrs-title">${escapeHtml(title)}</h2>
<p class="no-data">No ARRS-funded shifts filled so far in ${escapeHtml(year)} (shifts with arrs_funded true).</p>
</section>`;
  }
  const shown: Row[] = latest.map((r) => ({
    ...unlessSuppressed(r, PAY_FIELDS),
    role_label: label('role', r.role),
  }));
  const table = dataTable(
    `ARRS spend by role, ${year} so far`,
    [
      { field: 'role_label', title: 'Role', format: text },
      {
        field: 'wte',
        title: 'WTE',
        format: (v) => (isNumber(v) ? oneDecimal(v) : text(v)),
        numeric: true,
      },
      money('ytd_spend_pence', 'Spend so far'),
      money('cost_per_wte_pence', 'Cost per WTE'),
      {
        ...money('max_reimbursable_per_wte_pence', 'Maximum per WTE'),
        // NULL here is a year or role with no amount configured, not missing data.
        format: (v: unknown) => (isNumber(v) ? formatPounds(v) : 'not set'),
      },
      money('excess_not_claimable_pence', 'Not claimable'),
    ],
    shown,
  );
  const lines = [allocationLine(first, year), ...notes(latest, year)];
  return `<section class="panel" aria-labelledby="arrs-title"><h2 class="nhsuk-heading-m" id="arrs-title">${escapeHtml(title)}</h2>
<p><strong>${escapeHtml(arrsSentence(latest, financialYear))}</strong></p>
<p>Filled shifts marked ARRS-funded, by role. WTE is hours worked so far over one whole-time post’s hours a week (37.5 unless ROTASCOPE_ARRS_WTE_HOURS says otherwise); cost per WTE is what one whole-time post costs a year at this rate.</p>
${lines.map((l) => `<p>${escapeHtml(l)}</p>`).join('\n')}
${table}
${downloadLinks('arrs', 'the ARRS ledger by week')}
</section>`;
}
