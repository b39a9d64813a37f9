/**
 * The weekly report of one network for one ISO week, archived at a stable address
 * (`reports/2026-W46/U60865/index.html`): summary sentences written from the numbers, the week's
 * KPIs, charts drawn in Node as inline SVG (no script: it prints to a clean A4 PDF and opens
 * anywhere) each followed by its figures as a table, and the practices' week.
 */
import { addDays } from '../calendar.js';
import type { Reference } from '../reference/organisations.js';
import { arrsLedger, arrsSentence } from './arrs-panel.js';
import { weekBefore } from './calendar-weeks.js';
import { dataTable, type Row, requireSpec } from './chart.js';
import {
  COVER_COLUMNS,
  kpiTiles,
  type PageContent,
  SPEND_COLUMNS,
  text,
  unlessSuppressed,
} from './components.js';
import type { NetworkDataQuality } from './data-quality.js';
import { enhancedAccessSentence } from './enhanced-access-panel.js';
import {
  formatDate,
  formatHours,
  formatInstant,
  formatPercent,
  formatPounds,
  formatWeekOf,
} from './format.js';
import { escapeHtml } from './html.js';
import { isStale, networkKpis } from './kpis.js';
import { networkDatasets, networkName, practiceName } from './network-page.js';
import type { NetworkMetrics } from './site-data.js';
import { summarySentences } from './summary.js';
import { renderChartSvg } from './svg-chart.js';

/** Weeks of trend in a report's charts and tables. */
export const REPORT_TREND_WEEKS = 12;

export interface ReportInput {
  code: string;
  /** ISO week label, e.g. 2026-W46, and its Monday. */
  isoWeek: string;
  weekStart: string;
  metrics: NetworkMetrics;
  reference: Reference;
  quality: NetworkDataQuality | undefined;
  specs: Record<string, Record<string, unknown>>;
  now: Date;
}

async function svgFigure(options: {
  id: string;
  title: string;
  spec: Record<string, unknown>;
  datasets: Record<string, Row[]>;
  rows: number;
  table: string;
}): Promise<string> {
  const { id, title, spec, datasets, rows, table } = options;
  // Drawn as wide as a phone allows (REPORT_CHART_WIDTH), so its text is never shrunk; on wider
  // screens and on paper the chart sits beside its table (site.css).
  const chart =
    rows === 0
      ? '<p class="no-data">No data for this chart.</p>'
      : `<div class="report-chart" role="img" aria-labelledby="${id}-title" aria-describedby="${id}-desc">${await renderChartSvg(spec, datasets, `${id}-svg`)}</div>`;
  return `<figure class="panel report-figure" aria-labelledby="${id}-title">
<h2 class="nhsuk-heading-s" id="${id}-title">${escapeHtml(title)}</h2>
<p id="${id}-desc">${escapeHtml(String(spec.description ?? title))}</p>
${chart}
${table}
</figure>`;
}

export async function reportPage(input: ReportInput): Promise<PageContent> {
  const { code, isoWeek, weekStart, metrics, reference, quality, specs, now } = input;
  const name = networkName(reference, code);
  const data = networkDatasets(metrics, reference, weekStart);
  const trend = data.network_week.slice(-REPORT_TREND_WEEKS);
  const current = trend.at(-1)?.week_start === weekStart ? trend.at(-1) : undefined;
  const previous = weekBefore(trend, current);
  const weekGaps = data.gaps.filter((g) => g.week_start === weekStart);
  const newest = [...trend].reverse();
  const ledger = arrsLedger(metrics.arrs, weekStart);
  const summary = current
    ? [
        ...summarySentences(current, previous),
        enhancedAccessSentence(metrics.enhancedAccess.find((r) => r.week_start === weekStart)),
        arrsSentence(ledger.latest, ledger.financialYear),
      ]
    : ['No shifts were reported for this week: no export covered it.'];
  const staleNote = isStale(quality?.lastExport, now)
    ? `<p class="stale-note"><strong>Export out of date:</strong> the latest rota (shifts) export was received ${escapeHtml(formatInstant(quality?.lastExport))}.</p>`
    : '';
  const figures = await Promise.all([
    svgFigure({
      id: 'fill-rate',
      title: 'Fill rate by week',
      spec: requireSpec(specs, 'network-fill-rate'),
      datasets: { network_week: trend },
      rows: trend.length,
      table: dataTable('Weekly cover', COVER_COLUMNS, newest),
    }),
    svgFigure({
      id: 'spend',
      title: 'Spend by engagement',
      spec: requireSpec(specs, 'network-spend'),
      datasets: { network_week: trend },
      rows: trend.length,
      table: dataTable('Spend by engagement', SPEND_COLUMNS, newest),
    }),
    svgFigure({
      id: 'gaps',
      title: 'Where the gaps were this week',
      spec: requireSpec(specs, 'network-gaps'),
      datasets: { gaps: weekGaps },
      rows: weekGaps.length,
      table: dataTable(
        'Unfilled shifts by practice, day and start time',
        [
          { field: 'practice_name', title: 'Practice', format: text },
          { field: 'weekday_name', title: 'Day', format: text },
          { field: 'hour_band', title: 'Shift starts', format: text },
          { field: 'unfilled_hours', title: 'Unfilled hours', format: formatHours, numeric: true },
        ],
        weekGaps.map((g) => ({
          ...g,
          practice_name: practiceName(reference, g.practice_code),
        })),
      ),
    }),
  ]);
  const practices = data.practice_week;
  const week = formatWeekOf(weekStart);
  const body = `<h1 class="nhsuk-heading-l">Weekly report: ${escapeHtml(name)}</h1>
<p class="lede">Network ${escapeHtml(code)} · ${escapeHtml(week)}: Monday ${escapeHtml(formatDate(weekStart))} to Sunday ${escapeHtml(
    formatDate(addDays(weekStart, 6)),
  )} (ISO week ${escapeHtml(isoWeek)})</p>
${staleNote}
<section class="nhsuk-card summary" aria-labelledby="summary-title"><div class="nhsuk-card__content"><h2 class="nhsuk-card__heading nhsuk-heading-s" id="summary-title">Summary</h2>
<ul class="nhsuk-list nhsuk-list--bullet">${summary.map((s) => `<li>${escapeHtml(s)}</li>`).join('')}</ul></div></section>
${current ? kpiTiles(networkKpis({ current, previous, utilisation: metrics.utilisation })) : ''}
${figures.join('\n')}
<section class="panel report-practices" aria-labelledby="practices-title"><h2 class="nhsuk-heading-s" id="practices-title">Practices this week</h2>
${
  practices.length === 0
    ? '<p class="no-data">No data.</p>'
    : dataTable(
        'Practices and hub sites',
        [
          { field: 'practice_name', title: 'Practice', format: text },
          { field: 'fill_rate_shifts', title: 'Fill rate', format: formatPercent, numeric: true },
          { field: 'unfilled_hours', title: 'Unfilled hours', format: formatHours, numeric: true },
          {
            field: 'agency_spend_pence',
            title: 'Agency spend',
            format: formatPounds,
            numeric: true,
          },
        ],
        // Spend closed for small numbers reads "suppressed", as on the network page.
        practices.map((r) => unlessSuppressed(r, ['agency_spend_pence'])),
      )
}
</section>
<p class="no-print"><a href="../../../networks/${escapeHtml(code)}/index.html">Open the ${escapeHtml(name)} dashboard</a></p>`;
  return {
    title: `${name}, ${week}`,
    breadcrumbs: `<a href="../../../index.html">All ICBs</a> › <a href="../../../networks/${escapeHtml(code)}/index.html">${escapeHtml(name)}</a> › Report for the ${escapeHtml(week)}`,
    body,
    datasets: {},
    printHeader: `Weekly report: ${name} (${code}), ${week}`,
    dataAsOf: quality?.lastExport
      ? `${formatInstant(quality.lastExport)} (latest rota export)`
      : undefined,
  };
}
