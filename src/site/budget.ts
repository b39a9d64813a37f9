/**
 * Year to date against budget: the network page's panel and the budget tile. Spend so far in the
 * NHS financial year counts from the week the network's data starts, and the outturn is projected
 * from the recent weekly run rate (queries/ytd.sql, docs/metrics.md `ytd`); the panel says both.
 * Over or under budget is said in words, never by colour alone. Pure.
 */
import { chartFigure, dataTable, type TableColumn } from './chart.js';
import { WEEK_COLUMN } from './components.js';
import { formatDate, formatPounds, formatWeekOf } from './format.js';
import { escapeHtml } from './html.js';
import type { Kpi } from './kpis.js';
import type { YtdRow } from './site-data.js';

const DAY_MS = 86_400_000;

/** "2026-04-01" -> "2026/27". */
export function financialYearName(financialYearStart: string): string {
  const year = Number(financialYearStart.slice(0, 4));
  return `${year}/${String((year + 1) % 100).padStart(2, '0')}`;
}

/** 31 March that ends the financial year starting `financialYearStart`, as "31 Mar 2027". */
function yearEnd(financialYearStart: string): string {
  return formatDate(`${Number(financialYearStart.slice(0, 4)) + 1}-03-31`);
}

/**
 * Mondays of the financial year before the network's data starts: their spend is in no figure.
 * 0 when the data starts in the year's first week (its first Monday on or after 1 April).
 */
export function weeksBeforeData(row: YtdRow): number {
  const yearStart = Date.parse(row.financial_year_start);
  const firstMonday = yearStart + ((8 - new Date(yearStart).getUTCDay()) % 7) * DAY_MS;
  return Math.max(0, Math.round((Date.parse(row.data_start_week) - firstMonday) / (7 * DAY_MS)));
}

/**
 * Where the year's figures start: "since 1 Apr 2026" when the data starts in the year's first
 * week, else "from week of 24 Aug 2026 (data starts)".
 */
export function coverageFrom(row: YtdRow): string {
  return weeksBeforeData(row) === 0
    ? `since ${formatDate(row.financial_year_start)}`
    : `from ${formatWeekOf(row.data_start_week)} (data starts)`;
}

/** An estimate, to the nearest £1,000: 93_988_812 pence -> "£940,000". */
const roughly = (pence: number) => formatPounds(Math.round(pence / 100_000) * 100_000);

const weeksText = (n: number) => `${n} week${n === 1 ? '' : 's'}`;

/** "£410,000 over", "£12,000 under", or "level" when it rounds to £0. */
function overUnder(variance: number): string {
  if (Math.round(variance / 100) === 0) return 'level';
  return `${formatPounds(Math.abs(variance))} ${variance > 0 ? 'over' : 'under'}`;
}

/** "£410,000 over budget", "£12,000 under budget", or "on budget" when it rounds to £0. */
function position(variance: number, what: string): string {
  const words = overUnder(variance);
  return words === 'level' ? `on ${what}` : `${words} ${what}`;
}

/** The agency budget, when one is set: "agency projected £22,000, £2,000 over its £20,000 budget". */
function agencyPosition(row: YtdRow): string | undefined {
  if (row.agency_budget_pence === null || row.agency_budget_variance_pence === null) return;
  return `agency projected ${formatPounds(row.projected_agency_outturn_pence)}, ${position(
    row.agency_budget_variance_pence,
    `its ${formatPounds(row.agency_budget_pence)} budget`,
  )}`;
}

/**
 * The budget tile for the network's latest week: with a budget, how far over or under the
 * projected outturn is; without one, the spend so far, where it counts from and the projection.
 * Undefined when the network has no data this financial year.
 */
export function budgetKpi(rows: readonly YtdRow[]): Kpi | undefined {
  const last = rows.at(-1);
  if (!last) return undefined;
  const year = financialYearName(last.financial_year_start);
  const projected = `projected outturn ${formatPounds(last.projected_outturn_pence)}`;
  if (last.budget_pence === null || last.budget_variance_pence === null) {
    return {
      label: `Spend ${year}`,
      value: formatPounds(last.ytd_spend_pence),
      change: `${coverageFrom(last)}; ${projected}; no budget set`,
      raw: last.ytd_spend_pence,
    };
  }
  const agency = agencyPosition(last);
  const before = weeksBeforeData(last);
  return {
    label: `Budget ${year}`,
    value: position(last.budget_variance_pence, 'budget'),
    change: `${projected[0]?.toUpperCase()}${projected.slice(1)} against ${formatPounds(
      last.budget_pence,
    )} budget${agency ? `; ${agency}` : ''}${
      before > 0 && last.run_rate_pence !== null
        ? `; leaves out the ${weeksText(before)} before the data starts (about ${roughly(
            last.run_rate_pence * before,
          )} at this rate)`
        : ''
    }`,
    raw: last.budget_variance_pence,
    cue: budgetCue(last.budget_variance_pence),
  };
}

/** Over or within budget in words, at the precision the tile shows (whole pounds). */
function budgetCue(variancePence: number): Kpi['cue'] {
  const pounds = Math.round(variancePence / 100);
  const hidden = ' on the projected outturn';
  if (pounds === 0) return { tone: 'neutral', word: 'On budget', hidden };
  return pounds > 0
    ? { tone: 'bad', word: 'Over budget', hidden }
    : { tone: 'good', word: 'Within budget', hidden };
}

/** The run rate's weeks in words: "the last 8 weeks with data", "the 3 weeks with data". */
function rateWeeks(row: YtdRow): string {
  if (row.run_rate_weeks === 1) return 'the one week with data';
  return row.run_rate_weeks < row.weeks_with_data
    ? `the last ${row.run_rate_weeks} weeks with data`
    : `the ${row.run_rate_weeks} weeks with data`;
}

/** The panel's summary, in sentences (plain text: escape before use). */
export function budgetNote(rows: readonly YtdRow[]): string | undefined {
  const last = rows.at(-1);
  if (!last) return undefined;
  const year = financialYearName(last.financial_year_start);
  const before = weeksBeforeData(last);
  const sentences = [
    `${formatPounds(last.ytd_spend_pence)} spent in ${year} ${coverageFrom(last)} to ${formatWeekOf(
      last.week_start,
    )} (${weeksText(last.weeks_with_data)} with data).`,
    last.remaining_weeks > 0
      ? `At ${formatPounds(last.run_rate_pence)} a week (the mean of ${rateWeeks(last)}) for the ${weeksText(last.remaining_weeks)} left to ${yearEnd(last.financial_year_start)}, the projected outturn is ${formatPounds(last.projected_outturn_pence)}.`
      : `This is the last week of ${year}: the outturn is the spend, ${formatPounds(last.projected_outturn_pence)}.`,
  ];
  const missing =
    before > 0 && last.run_rate_pence !== null ? last.run_rate_pence * before : undefined;
  if (missing !== undefined)
    sentences.push(
      `The ${weeksText(before)} of ${year} before the data starts are not in these figures (about ${roughly(missing)} at the same rate).`,
    );
  const budget = last.budget_pence;
  const variance = last.budget_variance_pence;
  if (budget === null || variance === null) sentences.push(`No budget is set for ${year}.`);
  else if (missing === undefined)
    sentences.push(`That is ${position(variance, `the ${formatPounds(budget)} budget`)}.`);
  else
    sentences.push(
      `Against the ${formatPounds(budget)} budget that is ${overUnder(variance)}; counting the weeks before the data at the same rate, about ${overUnder(Math.round((variance + missing) / 100_000) * 100_000)}.`,
    );
  if (last.agency_budget_pence !== null && last.agency_budget_variance_pence !== null)
    sentences.push(
      `Agency: ${formatPounds(last.ytd_agency_pence)} spent, projected ${formatPounds(
        last.projected_agency_outturn_pence,
      )}, ${position(
        last.agency_budget_variance_pence,
        `the ${formatPounds(last.agency_budget_pence)} agency budget`,
      )}${missing === undefined ? '' : ', leaving out the weeks before the data starts'}.`,
    );
  return sentences.join(' ');
}

const pounds = (field: string, title: string): TableColumn => ({
  field,
  title,
  format: formatPounds,
  numeric: true,
});

/**
 * The "spend this financial year" panel: the chart (dashboards/network-ytd.vl.json), the summary
 * sentences and the weeks as a table, newest first. Budget columns only where a budget is set.
 */
export function budgetSection(spec: Record<string, unknown>, rows: readonly YtdRow[]): string {
  const last = rows.at(-1);
  const budget = rows.some((r) => r.budget_pence !== null);
  const agency = rows.some((r) => r.agency_budget_pence !== null);
  const note = budgetNote(rows);
  return chartFigure({
    id: 'ytd',
    title: budget ? 'Spend this financial year against budget' : 'Spend this financial year',
    spec,
    rows: [...rows],
    ...(note ? { note: escapeHtml(note) } : {}),
    table: dataTable(
      `Spend so far in ${last ? financialYearName(last.financial_year_start) : 'this financial year'}`,
      [
        WEEK_COLUMN,
        pounds('spend_pence', 'Spent this week'),
        pounds('ytd_spend_pence', 'Spent so far'),
        pounds('projected_outturn_pence', 'Projected outturn'),
        ...(budget ? [pounds('budget_pence', 'Budget')] : []),
        ...(agency
          ? [
              pounds('ytd_agency_pence', 'Agency spent so far'),
              pounds('projected_agency_outturn_pence', 'Projected agency outturn'),
              pounds('agency_budget_pence', 'Agency budget'),
            ]
          : []),
      ],
      [...rows].reverse(),
    ),
  });
}
