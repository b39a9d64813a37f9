/**
 * The headline figures of a network's week, as the pages show them: value and week-on-week change,
 * "no data" or "suppressed" where the metric is NULL. Also the two flags the commissioner overview
 * raises: an export older than 8 days, and a network far from its ICB (an outlier). Pure.
 */
import {
  formatHours,
  formatHoursChange,
  formatPercent,
  formatPointsChange,
  formatPounds,
  formatRelativeChange,
  NO_DATA,
  SUPPRESSED,
} from './format.js';
import { publishedNumber } from './published-number.js';
import type { CoverFigures, UtilisationRow } from './site-data.js';

export interface Kpi {
  label: string;
  value: string;
  change: string;
  /** For sorting and sparklines: the number behind `value`, or null. */
  raw: number | null;
  /** More lines of context under `change` (vs the ICB, vs the network's own range). */
  context?: string[];
  /** Good or bad, said in words (and an arrow), not colour alone (summary-band.ts renders it). */
  cue?: Cue;
}

/**
 * A tile's good/bad cue: `word` is shown ("Better", "Worse"), `hidden` is read after it by screen
 * readers only (" than the previous week"); `tone` picks the NHS tag colour and the arrow.
 */
export interface Cue {
  tone: 'good' | 'bad' | 'neutral';
  word: string;
  hidden?: string;
  /** Which way the figure moved, shown as an arrow beside the word. */
  direction?: 'up' | 'down';
}

/**
 * The cue for a change where `lowerIsBetter` says which way is good: rounded to `step` first, so a
 * change the tile shows as "no change" is not called better or worse. NULLs give no cue.
 */
export function changeCue(
  current: number | null | undefined,
  previous: number | null | undefined,
  options: { lowerIsBetter: boolean; step: number; against: string },
): Cue | undefined {
  if (typeof current !== 'number' || typeof previous !== 'number') return undefined;
  const steps = Math.round(publishedNumber((current - previous) / options.step));
  if (steps === 0) return { tone: 'neutral', word: 'No change', hidden: ` on ${options.against}` };
  const better = options.lowerIsBetter ? steps < 0 : steps > 0;
  const direction = steps > 0 ? 'up' : 'down';
  return better
    ? { tone: 'good', word: 'Better', hidden: ` than ${options.against}`, direction }
    : { tone: 'bad', word: 'Worse', hidden: ` than ${options.against}`, direction };
}

/** A network's utilisation in one week, or why there is none. */
export type UtilisationFigure =
  | { kind: 'value'; utilisation: number; rolesSuppressed: number }
  | { kind: 'suppressed' }
  | { kind: 'no data' };

/**
 * Utilisation over every role of a week: worked hours / available hours summed over the `all`
 * session rows that are published. Roles suppressed for small numbers are left out (their hours
 * are NULL) and counted, so the page can say so; if every role is suppressed, so is the figure.
 */
export function weekUtilisation(rows: UtilisationRow[], weekStart: string): UtilisationFigure {
  const week = rows.filter((r) => r.week_start === weekStart && r.session_type === 'all');
  const published = week.filter((r) => !r.suppressed && r.available_hours !== null);
  const rolesSuppressed = week.filter((r) => r.suppressed).length;
  const available = published.reduce((sum, r) => sum + (r.available_hours ?? 0), 0);
  const worked = published.reduce((sum, r) => sum + (r.worked_hours ?? 0), 0);
  if (available > 0) return { kind: 'value', utilisation: worked / available, rolesSuppressed };
  return rolesSuppressed > 0 ? { kind: 'suppressed' } : { kind: 'no data' };
}

function utilisationKpi(current: UtilisationFigure, previous: UtilisationFigure | undefined): Kpi {
  if (current.kind !== 'value')
    return {
      label: 'Utilisation',
      value: current.kind === 'suppressed' ? SUPPRESSED : NO_DATA,
      change: '',
      raw: null,
    };
  const before = previous?.kind === 'value' ? previous.utilisation : null;
  const note =
    current.rolesSuppressed > 0
      ? `; ${current.rolesSuppressed} role${current.rolesSuppressed === 1 ? '' : 's'} not included (too few clinicians to publish without identifying them)`
      : '';
  return {
    label: 'Utilisation',
    value: formatPercent(current.utilisation),
    change: `${formatPointsChange(current.utilisation, before)}${note}`,
    raw: current.utilisation,
  };
}

/** The KPI tiles of a network page and weekly report (an ICB's: without utilisation). */
export function networkKpis(options: {
  current: CoverFigures;
  previous: CoverFigures | undefined;
  utilisation?: UtilisationRow[];
}): Kpi[] {
  const { current: c, previous: p, utilisation } = options;
  return [
    {
      label: 'Fill rate (shifts)',
      value: formatPercent(c.fill_rate_shifts),
      change: formatPointsChange(c.fill_rate_shifts, p?.fill_rate_shifts),
      raw: c.fill_rate_shifts,
    },
    {
      label: 'Unfilled hours',
      value: formatHours(c.unfilled_hours),
      change: formatHoursChange(c.unfilled_hours, p?.unfilled_hours),
      raw: c.unfilled_hours,
    },
    {
      label: 'Agency spend',
      value: formatPounds(c.agency_spend_pence),
      change: formatRelativeChange(c.agency_spend_pence, p?.agency_spend_pence),
      raw: c.agency_spend_pence,
    },
    {
      label: 'Agency share of spend',
      value: formatPercent(c.agency_share_of_spend),
      change: formatPointsChange(c.agency_share_of_spend, p?.agency_share_of_spend),
      raw: c.agency_share_of_spend,
    },
    {
      label: 'Temporary staffing share',
      value: formatPercent(c.temporary_staffing_share),
      change: formatPointsChange(c.temporary_staffing_share, p?.temporary_staffing_share),
      raw: c.temporary_staffing_share,
    },
    ...(utilisation
      ? [
          utilisationKpi(
            weekUtilisation(utilisation, c.week_start),
            p ? weekUtilisation(utilisation, p.week_start) : undefined,
          ),
        ]
      : []),
  ];
}

/** Days after which a network's latest export counts as stale on the overview. */
export const STALE_AFTER_DAYS = 8;

/** Whole days from the latest export to `now`, or null when there was none. */
export function exportAgeDays(lastExport: string | null | undefined, now: Date): number | null {
  if (!lastExport) return null;
  const at = new Date(lastExport).getTime();
  if (Number.isNaN(at)) return null;
  return Math.floor((now.getTime() - at) / 86_400_000);
}

/** True when the latest export is more than 8 days old, or there is none. */
export function isStale(lastExport: string | null | undefined, now: Date): boolean {
  const age = exportAgeDays(lastExport, now);
  return age === null || age > STALE_AFTER_DAYS;
}

/** Outlier rules (docs/dashboards.md): how far from the ICB's own figure a network must be. */
export const OUTLIER_FILL_RATE_POINTS = 10;
export const OUTLIER_AGENCY_SHARE_POINTS = 15;

/**
 * Why a network's week stands out from its ICB's same week, if it does: fill rate 10 or more
 * points below the ICB's (pooled over all its networks), or agency share of spend 15 or more
 * points above it. NULL figures never make an outlier.
 */
export function outlierReasons(network: CoverFigures, icb: CoverFigures | undefined): string[] {
  if (!icb) return [];
  const reasons: string[] = [];
  const below = (icb.fill_rate_shifts ?? Number.NaN) - (network.fill_rate_shifts ?? Number.NaN);
  if (below * 100 >= OUTLIER_FILL_RATE_POINTS - 1e-9)
    reasons.push(`fill rate ${publishedNumber(below * 100).toFixed(1)} points below the ICB`);
  const above =
    (network.agency_share_of_spend ?? Number.NaN) - (icb.agency_share_of_spend ?? Number.NaN);
  if (above * 100 >= OUTLIER_AGENCY_SHARE_POINTS - 1e-9)
    reasons.push(`agency share of spend ${(above * 100).toFixed(1)} points above the ICB`);
  return reasons;
}
