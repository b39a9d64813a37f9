/**
 * A network's dashboard (`networks/<code>/index.html`), answer first: the summary band (sentences
 * and tiles with context, summary-band.ts) and the latest weekly report with the archive, then the
 * rota coordinator's panels (coordinator.ts), then the trends (cover, fill mix, spend, year to date
 * against budget, utilisation by role, the gaps heatmap, practices, shared working), then data
 * quality and the full report archive. The latest week is the network's last complete week at the
 * run date (`now`): rows of the rota published ahead never count as a week reported on.
 */
import { financialYearStart, isoWeekMonday, lastCompleteWeekStart } from '../calendar.js';
import { label } from '../labels.js';
import type { Reference } from '../reference/organisations.js';
import { arrsLedger, arrsPanel } from './arrs-panel.js';
import { budgetKpi, budgetSection } from './budget.js';
import { chartFigure, dataTable, type Row, requireSpec, type TableColumn } from './chart.js';
import {
  COVER_COLUMNS,
  MIX_COLUMNS,
  type PageContent,
  panel,
  SPEND_COLUMNS,
  staleWarning,
  text,
  unlessSuppressed,
  WEEK_COLUMN,
} from './components.js';
import {
  coordinatorPanels,
  coordinatorWindows,
  openShiftsBetween,
  openTotals,
} from './coordinator.js';
import { type NetworkDataQuality, qualityPanel } from './data-quality.js';
import { displayName } from './display-name.js';
import {
  enhancedAccessKpi,
  enhancedAccessPanel,
  enhancedAccessTrend,
} from './enhanced-access-panel.js';
import {
  formatCount,
  formatHours,
  formatPercent,
  formatPounds,
  formatWeekOf,
  NO_DATA,
} from './format.js';
import { escapeHtml } from './html.js';
import type { Kpi } from './kpis.js';
import type {
  CoverRow,
  GapRow,
  IcbWeekRow,
  NetworkMetrics,
  PracticeWeekRow,
  UtilisationRow,
  YtdRow,
} from './site-data.js';
import { summaryBand } from './summary-band.js';

/** Weeks the trend charts show, at most. */
export const TREND_WEEKS = 52;
/** Weeks the gaps heatmap adds up. */
export const GAP_WEEKS = 4;

export interface NetworkPageInput {
  code: string;
  metrics: NetworkMetrics;
  reference: Reference;
  quality: NetworkDataQuality | undefined;
  /** Specs by file name (dashboards/<name>.vl.json), themed. */
  specs: Record<string, Record<string, unknown>>;
  /** ISO weeks with a weekly report for this network, newest first. */
  reportWeeks: string[];
  now: Date;
  /** The ICB's weeks (icb_week), for the summary band's comparison; none: no comparison. */
  icbWeeks?: IcbWeekRow[];
  /** More summary-band tiles after the band's own (the budget position: budget.ts). */
  extraKpis?: Kpi[];
}

/** The network's name as pages show it: title case, acronyms kept (display-name.ts). */
export function networkName(reference: Reference, code: string): string {
  const name = reference.networks.get(code)?.name;
  return name ? displayName(name) : code;
}

export function practiceName(reference: Reference, code: string): string {
  const name = reference.practices.get(code)?.name;
  return name ? displayName(name) : code;
}

const optional = <T>(value: T | undefined): T[] => (value === undefined ? [] : [value]);

/** A utilisation row with nothing to show: no clinician declared availability for the role. */
const noAvailability = (r: UtilisationRow) =>
  !r.suppressed && r.clinicians_with_availability === 0 && r.available_hours === null;

function utilisationSection(
  input: NetworkPageInput,
  data: NetworkDatasets,
  latestWeek: string | undefined,
): string {
  const week = input.metrics.utilisation.filter((r) => r.week_start === latestWeek);
  const roles = [...new Set(week.map((r) => r.role))];
  const empty = roles.filter((role) => week.filter((r) => r.role === role).every(noAvailability));
  const shown = week
    .filter((r) => !noAvailability(r))
    .map((r) => ({
      ...unlessSuppressed(r, ['available_hours', 'utilisation']),
      role: label('role', r.role),
      session: label('session', r.session_type),
    }));
  const bySessionDropped = week.some(
    (r) => noAvailability(r) && r.session_type !== 'all' && !empty.includes(r.role),
  );
  const emptyNames = empty.map((r) => label('role', r)).sort();
  const lines = [
    emptyNames.length === 0
      ? ''
      : `${emptyNames.length} role${emptyNames.length === 1 ? ' has' : 's have'} shifts but no availability data, so no utilisation: ${emptyNames.join(', ')}.`,
    bySessionDropped
      ? 'Core and extended hours are shown only where availability was given per session.'
      : '',
  ].filter((l) => l !== '');
  const note = lines.length === 0 ? undefined : escapeHtml(lines.join(' '));
  return chartFigure({
    id: 'utilisation',
    title: 'Utilisation by role',
    spec: requireSpec(input.specs, 'network-utilisation'),
    rows: data.utilisation_by_role,
    ...(note ? { note } : {}),
    table: dataTable(
      `Utilisation by role, ${formatWeekOf(latestWeek)}`,
      [
        { field: 'role', title: 'Role', format: text },
        { field: 'session', title: 'Session', format: text },
        {
          field: 'clinicians_with_availability',
          title: 'Clinicians with availability',
          format: formatCount,
          numeric: true,
        },
        { field: 'available_hours', title: 'Available', format: formatHours, numeric: true },
        { field: 'worked_hours', title: 'Worked', format: formatHours, numeric: true },
        { field: 'utilisation', title: 'Utilisation', format: formatPercent, numeric: true },
      ],
      shown,
    ),
  });
}

/**
 * The columns without those whose every value is 0 among `rows`, for the fields in `droppable`
 * (a zero there is not news: "Filled shifts without a cost" when every shift has one).
 */
export function withoutZeroColumns(
  columns: readonly TableColumn[],
  rows: readonly Row[],
  droppable: readonly string[],
): TableColumn[] {
  return columns.filter(
    (c) => !droppable.includes(c.field) || rows.length === 0 || rows.some((r) => r[c.field] !== 0),
  );
}

function gapsSection(input: NetworkPageInput, data: NetworkDatasets): string {
  const rows = data.gaps;
  const weeks = new Set(rows.map((r) => r.week_start)).size;
  const cells = new Map<string, Row>();
  for (const r of rows) {
    const key = `${r.weekday}|${r.hour_band_start}`;
    const cell = cells.get(key) ?? {
      weekday: r.weekday,
      weekday_name: r.weekday_name,
      hour_band_start: r.hour_band_start,
      hour_band: r.hour_band,
      unfilled_shifts: 0,
      unfilled_hours: 0,
    };
    cell.unfilled_shifts = (cell.unfilled_shifts as number) + r.unfilled_shifts;
    cell.unfilled_hours = (cell.unfilled_hours as number) + r.unfilled_hours;
    cells.set(key, cell);
  }
  const sorted = [...cells.values()].sort(
    (a, b) => (b.unfilled_hours as number) - (a.unfilled_hours as number),
  );
  return chartFigure({
    id: 'gaps',
    title: `Where the gaps are, last ${Math.max(weeks, 1)} week${weeks === 1 ? '' : 's'}`,
    spec: requireSpec(input.specs, 'network-gaps'),
    rows,
    table: dataTable(
      'Unfilled hours by weekday and start time, most first',
      [
        { field: 'weekday_name', title: 'Day', format: text },
        { field: 'hour_band', title: 'Shift starts', format: text },
        { field: 'unfilled_shifts', title: 'Unfilled shifts', format: formatCount, numeric: true },
        { field: 'unfilled_hours', title: 'Unfilled hours', format: formatHours, numeric: true },
      ],
      sorted,
    ),
  });
}

function practicesSection(
  input: NetworkPageInput,
  data: NetworkDatasets,
  latestWeek: string | undefined,
): string {
  const rows = data.practice_week;
  return chartFigure({
    id: 'practices',
    title: 'Practices and hub sites',
    spec: requireSpec(input.specs, 'network-practices'),
    rows,
    table: dataTable(
      `Practices, ${formatWeekOf(latestWeek)}`,
      [
        { field: 'practice_name', title: 'Practice', format: text },
        { field: 'practice_code', title: 'Code', format: text },
        ...COVER_COLUMNS.slice(1),
        { field: 'agency_spend_pence', title: 'Agency spend', format: formatPounds, numeric: true },
      ],
      // Spend closed for small numbers (docs/metrics.md) reads "suppressed", not "no data".
      rows.map((r) => unlessSuppressed(r, ['agency_spend_pence'])),
    ),
  });
}

function sharedWorkingSection(input: NetworkPageInput): string {
  const rows = input.metrics.sharedWorking
    .slice(-12)
    .reverse()
    .map((r) =>
      unlessSuppressed(r, [
        'hours_away_from_home',
        'away_from_home_share',
        'clinicians_multi_practice',
      ]),
    );
  const content =
    rows.length === 0
      ? `<p class="no-data">${NO_DATA}</p>`
      : `<p>How much clinicians work away from their home practice, across the network's sites. Weeks with fewer clinicians than the privacy threshold show "suppressed".</p>
${dataTable(
  'Shared working by week',
  [
    WEEK_COLUMN,
    { field: 'clinicians', title: 'Clinicians', format: formatCount, numeric: true },
    { field: 'filled_hours', title: 'Filled hours', format: formatHours, numeric: true },
    {
      field: 'hours_away_from_home',
      title: 'Hours away from home practice',
      format: formatHours,
      numeric: true,
    },
    {
      field: 'away_from_home_share',
      title: 'Share away',
      format: formatPercent,
      numeric: true,
    },
    {
      field: 'clinicians_multi_practice',
      title: 'Clinicians at 2+ practices',
      format: formatCount,
      numeric: true,
    },
  ],
  rows,
)}`;
  return panel('shared', 'Shared working', content);
}

const reportHref = (week: string, code: string) =>
  `../../reports/${escapeHtml(week)}/${escapeHtml(code)}/index.html`;

/** Monday of an ISO week label, or undefined for a label that is not one. */
function mondayOf(isoWeek: string): string | undefined {
  try {
    return isoWeekMonday(isoWeek);
  } catch {
    return undefined;
  }
}

/** Near the top: the latest weekly report and a link to the archive further down. */
function latestReport(input: NetworkPageInput): string {
  const latest = input.reportWeeks[0];
  if (!latest) return '';
  const archive =
    input.reportWeeks.length > 1
      ? ` · <a href="#reports">All ${input.reportWeeks.length} weekly reports</a>`
      : '';
  return `<p class="latest-report" id="latest-report"><a href="${reportHref(latest, input.code)}">Weekly report, ${escapeHtml(
    formatWeekOf(mondayOf(latest)),
  )}</a>${archive}</p>`;
}

function reportsSection(input: NetworkPageInput): string {
  if (input.reportWeeks.length === 0) return '';
  const links = input.reportWeeks
    .map(
      (w) =>
        `<li><a href="${reportHref(w, input.code)}">${escapeHtml(formatWeekOf(mondayOf(w)))}</a> <span class="report-week">(${escapeHtml(w)})</span></li>`,
    )
    .join('\n');
  return panel('reports', 'Weekly reports', `<ul class="report-list">\n${links}\n</ul>`);
}

/** The datasets a network page's charts name, cut from its metrics (also the report's). */
export interface NetworkDatasets {
  network_week: CoverRow[];
  ytd: YtdRow[];
  /** With `role_label`, the role in plain English, for the chart. */
  utilisation_by_role: (UtilisationRow & { role_label: string })[];
  gaps: GapRow[];
  practice_week: (PracticeWeekRow & { practice_name: string })[];
}

/** Up to `TREND_WEEKS` weeks ending with `lastWeek` (default: the network's latest week). */
export function networkDatasets(
  metrics: NetworkMetrics,
  reference: Reference,
  lastWeek?: string,
): NetworkDatasets {
  const end = lastWeek ?? metrics.networkWeek.at(-1)?.week_start ?? '';
  const weeks = metrics.networkWeek.filter((r) => r.week_start <= end).slice(-TREND_WEEKS);
  const latest = weeks.at(-1)?.week_start === end ? end : undefined;
  const fy = latest ? financialYearStart(latest) : undefined;
  const gapWeeks = new Set(weeks.slice(-GAP_WEEKS).map((w) => w.week_start));
  return {
    network_week: weeks,
    ytd: metrics.ytd.filter((r) => r.financial_year_start === fy && r.week_start <= end),
    utilisation_by_role: metrics.utilisation
      .filter((r) => r.week_start === latest && r.utilisation !== null)
      .map((r) => ({ ...r, role_label: label('role', r.role) })),
    gaps: metrics.gaps.filter((r) => gapWeeks.has(r.week_start)),
    practice_week: metrics.practiceWeek
      .filter((r) => r.week_start === latest)
      .map((r) => ({ ...r, practice_name: practiceName(reference, r.practice_code) }))
      .sort((a, b) => a.practice_name.localeCompare(b.practice_name)),
  };
}

export function networkPage(input: NetworkPageInput): PageContent {
  const { code, metrics, reference, quality, specs, now } = input;
  const name = networkName(reference, code);
  const network = reference.networks.get(code);
  const icb = network?.icbCode ? reference.icbs.get(network.icbCode) : undefined;
  // The latest week is the last complete one: the rota published ahead is the coordinator's.
  const lastComplete = lastCompleteWeekStart(now);
  const complete = metrics.networkWeek.filter((r) => r.week_start <= lastComplete);
  const data = networkDatasets(metrics, reference, complete.at(-1)?.week_start ?? '');
  const weeks = data.network_week;
  const latest = weeks.at(-1);
  const practices = (network?.practiceCodes ?? []).map((p) => practiceName(reference, p));
  const windows = coordinatorWindows(lastComplete);
  const ahead = (w: { from: string; to: string }) =>
    openTotals(openShiftsBetween(metrics.openShifts, w.from, w.to, reference));
  const band = summaryBand({
    name,
    weeks,
    icbWeek: input.icbWeeks?.find((r) => r.week_start === latest?.week_start),
    open: {
      total: ahead(windows.nextTwoWeeks),
      thisWeek: ahead(windows.thisWeek),
      nextWeek: ahead(windows.nextWeek),
    },
    extra: [
      ...(input.extraKpis ?? []),
      ...optional(budgetKpi(data.ytd)),
      ...optional(enhancedAccessKpi(metrics.enhancedAccess, latest?.week_start)),
    ],
  });
  const icbLink = icb
    ? ` · <a href="../../icb/${escapeHtml(icb.code)}/index.html">${escapeHtml(displayName(icb.name))}</a>`
    : '';
  const newest = [...weeks].reverse();
  const spendColumns = withoutZeroColumns(SPEND_COLUMNS, newest, ['filled_shifts_without_cost']);
  const body = `<h1>${escapeHtml(name)}</h1>
${latestReport(input)}
<p class="lede">Network ${escapeHtml(code)}${icbLink} · ${escapeHtml(practices.length)} practice${practices.length === 1 ? '' : 's'}: ${escapeHtml(practices.join(', '))}</p>
${staleWarning(quality?.lastExport, now)}
${band}
${coordinatorPanels({ openShifts: metrics.openShifts, leadTime: metrics.leadTime, reference, lastComplete })}
<h2 class="section-heading" id="trends">Trends to the ${escapeHtml(formatWeekOf(latest?.week_start))}</h2>
${chartFigure({
  id: 'fill-rate',
  title: 'Fill rate by week',
  spec: requireSpec(specs, 'network-fill-rate'),
  rows: weeks,
  table: dataTable(`Weekly cover, ${name}`, COVER_COLUMNS, newest),
})}
${chartFigure({
  id: 'fill-mix',
  title: 'Fill mix by engagement',
  spec: requireSpec(specs, 'network-fill-mix'),
  rows: weeks,
  table: dataTable('Filled hours by engagement', MIX_COLUMNS, newest),
})}
${chartFigure({
  id: 'spend',
  title: 'Spend by engagement',
  spec: requireSpec(specs, 'network-spend'),
  rows: weeks,
  table: dataTable('Spend by engagement', spendColumns, newest),
})}
${budgetSection(requireSpec(specs, 'network-ytd'), data.ytd)}
${enhancedAccessPanel({ rows: metrics.enhancedAccess, latestWeek: latest?.week_start, spec: requireSpec(specs, 'network-enhanced-access'), listSizes: reference.listSizes })}
${arrsPanel({ rows: metrics.arrs, latestWeek: latest?.week_start })}
${utilisationSection(input, data, latest?.week_start)}
${gapsSection(input, data)}
${practicesSection(input, data, latest?.week_start)}
${sharedWorkingSection(input)}
${qualityPanel(quality, metrics)}
${reportsSection(input)}`;
  return {
    title: name,
    breadcrumbs: `<a href="../../index.html">All ICBs</a>${icbLink.replace(' · ', ' › ')} › ${escapeHtml(name)}`,
    body,
    datasets: {
      ...data,
      enhanced_access: enhancedAccessTrend(metrics.enhancedAccess, latest?.week_start),
      arrs: arrsLedger(metrics.arrs, latest?.week_start).series,
    },
  };
}
