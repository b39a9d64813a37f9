/**
 * Pieces every page type uses: KPI tiles, panels, the stale-export warning and the column sets of
 * the weekly tables. Everything data-derived is escaped here.
 */
import type { Row, TableColumn } from './chart.js';
import {
  formatCount,
  formatDate,
  formatHours,
  formatInstant,
  formatPercent,
  formatPounds,
  NO_DATA,
  SUPPRESSED,
} from './format.js';
import { escapeHtml } from './html.js';
import { exportAgeDays, type Kpi, STALE_AFTER_DAYS } from './kpis.js';

/** What a page is: its title, breadcrumbs, body and the datasets its charts name. */
export interface PageContent {
  title: string;
  /** Links joined by ` › `, the current page last (drawn as the NHS.UK breadcrumb). */
  breadcrumbs: string;
  body: string;
  datasets: Record<string, Row[]>;
  /** Printed at the top of every page on paper (default: the title). */
  printHeader?: string;
  /**
   * The scripts (files in `assets/`) the page loads, in order; default (`pageScripts` in
   * build-site.ts): vega and vega-embed if the page draws a chart in the browser, then site.js.
   */
  scripts?: string[];
  /** "Data as of ..." in the printed footer: the latest export behind the page, as people read it. */
  dataAsOf?: string;
}

export function kpiTiles(kpis: Kpi[]): string {
  const tiles = kpis.map((k) => {
    const missing = k.value === NO_DATA || k.value === SUPPRESSED ? ' no-data' : '';
    return `<li class="tile"><span class="tile-label">${escapeHtml(k.label)}</span><span class="tile-value${missing}">${escapeHtml(k.value)}</span>${
      k.change ? `<span class="tile-change">${escapeHtml(k.change)}</span>` : ''
    }</li>`;
  });
  return `<ul class="tiles">\n${tiles.join('\n')}\n</ul>`;
}

export function panel(id: string, title: string, content: string): string {
  return `<section class="panel" aria-labelledby="${id}-title"><h2 class="nhsuk-heading-m" id="${id}-title">${escapeHtml(title)}</h2>
${content}
</section>`;
}

/** The NHS.UK warning callout when a network's latest rota (shifts) export is more than 8 days old. */
export function staleWarning(lastExport: string | null | undefined, now: Date): string {
  const age = exportAgeDays(lastExport, now);
  if (age !== null && age <= STALE_AFTER_DAYS) return '';
  const text =
    age === null
      ? 'No rota (shifts) export has been received from this network.'
      : `The latest rota (shifts) export was received ${escapeHtml(formatInstant(lastExport))}, ${age} days ago (more than ${STALE_AFTER_DAYS}). The figures may be out of date.`;
  return `<div class="nhsuk-warning-callout"><h3 class="nhsuk-warning-callout__label"><span role="text"><span class="nhsuk-u-visually-hidden">Important: </span>Export out of date</span></h3><p>${text}</p></div>`;
}

/** A figure that reads "suppressed" where its row was suppressed for small numbers. */
export function unlessSuppressed(row: Row, fields: readonly string[]): Row {
  if (row.suppressed !== true) return row;
  const out = { ...row };
  for (const f of fields) if (out[f] === null || out[f] === undefined) out[f] = SUPPRESSED;
  return out;
}

export const text = (value: unknown) =>
  value === null || value === undefined ? NO_DATA : String(value);

export const WEEK_COLUMN: TableColumn = {
  field: 'week_start',
  title: 'Week starting',
  format: formatDate,
};

export const COVER_COLUMNS: TableColumn[] = [
  WEEK_COLUMN,
  { field: 'demand_shifts', title: 'Shifts needed', format: formatCount, numeric: true },
  { field: 'filled_shifts', title: 'Filled', format: formatCount, numeric: true },
  { field: 'unfilled_shifts', title: 'Unfilled', format: formatCount, numeric: true },
  { field: 'cancelled_shifts', title: 'Cancelled', format: formatCount, numeric: true },
  { field: 'fill_rate_shifts', title: 'Fill rate (shifts)', format: formatPercent, numeric: true },
  { field: 'fill_rate_hours', title: 'Fill rate (hours)', format: formatPercent, numeric: true },
  { field: 'unfilled_hours', title: 'Unfilled hours', format: formatHours, numeric: true },
];

export const MIX_COLUMNS: TableColumn[] = [
  WEEK_COLUMN,
  { field: 'salaried_hours', title: 'Salaried hours', format: formatHours, numeric: true },
  { field: 'bank_hours', title: 'Bank hours', format: formatHours, numeric: true },
  { field: 'locum_hours', title: 'Locum hours', format: formatHours, numeric: true },
  { field: 'agency_hours', title: 'Agency hours', format: formatHours, numeric: true },
  {
    field: 'temporary_staffing_share',
    title: 'Temporary staffing share',
    format: formatPercent,
    numeric: true,
  },
];

export const SPEND_COLUMNS: TableColumn[] = [
  WEEK_COLUMN,
  { field: 'salaried_spend_pence', title: 'Salaried', format: formatPounds, numeric: true },
  { field: 'bank_spend_pence', title: 'Bank', format: formatPounds, numeric: true },
  { field: 'locum_spend_pence', title: 'Locum', format: formatPounds, numeric: true },
  { field: 'agency_spend_pence', title: 'Agency', format: formatPounds, numeric: true },
  { field: 'spend_pence', title: 'Total', format: formatPounds, numeric: true },
  {
    field: 'agency_share_of_spend',
    title: 'Agency share',
    format: formatPercent,
    numeric: true,
  },
  {
    field: 'filled_shifts_without_cost',
    title: 'Filled shifts without a cost',
    format: formatCount,
    numeric: true,
    onlyIfAnyNonZero: true,
  },
];
