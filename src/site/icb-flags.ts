/**
 * Why the commissioner overview flags a network, each reason a plain sentence (docs/dashboards.md
 * "ICB flags" defines every rule and threshold). Pure: the network's weeks (oldest first), the
 * ICB's pooled weeks and the network's latest export in, flags out.
 *
 * Fill-rate rules read `fill_rate_shifts`, the "Fill rate" the ICB table, sparklines and small
 * multiples show, so every flag can be checked against the figures beside it. Rates are compared
 * at the precision the page shows (0.1 of a point), so a "fall" is a fall a reader can see.
 */
import { onCalendar } from './calendar-weeks.js';
import { formatDate, formatHours, formatPercent } from './format.js';
import { exportAgeDays, STALE_AFTER_DAYS } from './kpis.js';
import { publishedNumber } from './published-number.js';
import type { CoverFigures, EnhancedAccessRow } from './site-data.js';

export type IcbFlagKind =
  | 'falling'
  | 'below-usual'
  | 'unfilled-share'
  | 'below-icb'
  | 'agency-above-icb'
  | 'ea-short'
  | 'stale';

export interface IcbFlag {
  kind: IcbFlagKind;
  /** What a commissioner reads, e.g. "Fill rate fell 3 weeks running: 92.5% → 83.8%". */
  sentence: string;
}

/** Each kind's short name, for the filter and the flag tags, in the order pages list them. */
export const FLAG_LABELS: Record<IcbFlagKind, string> = {
  falling: 'Fill rate falling',
  'below-usual': 'Below its usual range',
  'unfilled-share': 'Large share of unfilled hours',
  'below-icb': 'Fill rate far below the ICB',
  'agency-above-icb': 'Agency share far above the ICB',
  'ea-short': 'Enhanced Access short',
  stale: 'Export out of date',
};

/** Sustained decline: this many week-on-week falls in a row, at least this many points in all. */
export const FALLING_WEEKS = 3;
export const FALLING_MIN_POINTS = 2;
/** Usual range: the weeks before the latest it is taken from, and how many need a fill rate. */
export const USUAL_RANGE_WEEKS = 12;
export const USUAL_RANGE_MIN_WEEKS = 6;
/** Below the usual range: under the mean by more than 2 standard deviations and 2 points. */
export const USUAL_RANGE_SDS = 2;
export const USUAL_RANGE_MIN_POINTS = 2;
/** Out-of-proportion unfilled hours: share of the ICB's unfilled > 1.5 x share of its demand. */
export const UNFILLED_SHARE_RATIO = 1.5;
/** ... and at least a full-time clinician's week of unfilled hours. */
export const UNFILLED_SHARE_MIN_HOURS = 37.5;
/** Gap to the ICB's pooled figure in the same week. */
export const GAP_FILL_RATE_POINTS = 10;
export const GAP_AGENCY_SHARE_POINTS = 15;

/** Enhanced Access short: in the latest week, or in this many of the latest EA_RECENT_WEEKS. */
export const EA_SHORT_WEEKS = 3;
export const EA_RECENT_WEEKS = 4;

/** A ratio in tenths of a percentage point, as the page shows it: 0.8379 -> 838. */
function tenths(ratio: number): number {
  return Math.round(publishedNumber(ratio * 1000));
}

function points(tenthsOfPoint: number): string {
  return (tenthsOfPoint / 10).toFixed(1);
}

function isRate(value: number | null | undefined): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/**
 * Sustained decline: the fill rate fell in each of the latest 3 (or more) weeks, 2 or more points
 * in all. The run is counted back as far as it goes; a week without a fill rate ends it.
 */
export function fallingFlag(weeks: readonly CoverFigures[]): IcbFlag | null {
  const run: number[] = [];
  // Calendar weeks: a week with no row (no data) ends the run like a week without a fill rate.
  const calendar = onCalendar(weeks);
  for (let i = calendar.length - 1; i >= 0; i -= 1) {
    const rate = calendar[i]?.fill_rate_shifts;
    if (!isRate(rate)) break;
    const value = tenths(rate);
    if (run.length > 0 && value <= (run[0] as number)) break;
    run.unshift(value);
  }
  const falls = run.length - 1;
  const first = run[0] as number;
  const last = run.at(-1) as number;
  if (falls < FALLING_WEEKS || first - last < FALLING_MIN_POINTS * 10) return null;
  const shown = run.length <= 5 ? run : [first, last];
  const path = shown.map((v) => `${points(v)}%`).join(run.length <= 5 ? ' → ' : ' → … → ');
  return { kind: 'falling', sentence: `Fill rate fell ${falls} weeks running: ${path}` };
}

/**
 * Fall beyond the network's usual variation: the latest fill rate is under the mean of the 12
 * weeks before it by more than 2 sample standard deviations and by more than 2 points (so a very
 * steady network is not flagged for a small dip). Needs a fill rate in 6 of those 12 weeks.
 */
export function belowUsualFlag(weeks: readonly CoverFigures[]): IcbFlag | null {
  const latest = weeks.at(-1)?.fill_rate_shifts;
  if (!isRate(latest)) return null;
  // The 12 calendar weeks before: a week without data is one of them, with no fill rate.
  const before = onCalendar(weeks, USUAL_RANGE_WEEKS + 1)
    .slice(0, -1)
    .map((w) => w?.fill_rate_shifts)
    .filter(isRate);
  if (before.length < USUAL_RANGE_MIN_WEEKS) return null;
  const mean = before.reduce((s, v) => s + v, 0) / before.length;
  const variance = before.reduce((s, v) => s + (v - mean) ** 2, 0) / (before.length - 1);
  const margin = Math.max(USUAL_RANGE_SDS * Math.sqrt(variance), USUAL_RANGE_MIN_POINTS / 100);
  const floor = mean - margin;
  if (tenths(latest) >= tenths(floor)) return null;
  return {
    kind: 'below-usual',
    sentence: `Fill rate ${formatPercent(latest)} is under its usual range: ${formatPercent(floor)} or more, from the ${before.length} weeks before (average ${formatPercent(mean)})`,
  };
}

/**
 * Out-of-proportion unfilled hours: the network's share of the ICB's unfilled hours that week is
 * more than 1.5 times its share of the ICB's hours needed, and it has 37.5 or more unfilled hours.
 */
export function unfilledShareFlag(
  network: CoverFigures,
  icb: CoverFigures | undefined,
): IcbFlag | null {
  if (!icb || icb.unfilled_hours <= 0 || icb.demand_hours <= 0) return null;
  if (network.unfilled_hours < UNFILLED_SHARE_MIN_HOURS) return null;
  const unfilledShare = network.unfilled_hours / icb.unfilled_hours;
  const demandShare = network.demand_hours / icb.demand_hours;
  if (unfilledShare <= UNFILLED_SHARE_RATIO * demandShare) return null;
  return {
    kind: 'unfilled-share',
    sentence: `Holds ${formatHours(network.unfilled_hours)} of the ICB's ${formatHours(icb.unfilled_hours)} unfilled (${formatPercent(unfilledShare)}), against ${formatPercent(demandShare)} of the hours needed`,
  };
}

/**
 * Gap to the ICB's pooled figure the same week: fill rate 10 or more points below it, agency
 * share of spend 15 or more points above it. NULL figures never flag.
 */
export function gapFlags(network: CoverFigures, icb: CoverFigures | undefined): IcbFlag[] {
  if (!icb) return [];
  const flags: IcbFlag[] = [];
  const n = network.fill_rate_shifts;
  const i = icb.fill_rate_shifts;
  if (isRate(n) && isRate(i) && tenths(i) - tenths(n) >= GAP_FILL_RATE_POINTS * 10)
    flags.push({
      kind: 'below-icb',
      sentence: `Fill rate ${points(tenths(i) - tenths(n))} points below the ICB's (${formatPercent(n)} against ${formatPercent(i)})`,
    });
  const na = network.agency_share_of_spend;
  const ia = icb.agency_share_of_spend;
  if (isRate(na) && isRate(ia) && tenths(na) - tenths(ia) >= GAP_AGENCY_SHARE_POINTS * 10)
    flags.push({
      kind: 'agency-above-icb',
      sentence: `Agency share of spend ${points(tenths(na) - tenths(ia))} points above the ICB's (${formatPercent(na)} against ${formatPercent(ia)})`,
    });
  return flags;
}

/** The Enhanced Access figures a flag reads (queries/enhanced_access.sql). */
export type EnhancedAccessWeek = Pick<
  EnhancedAccessRow,
  'week_start' | 'required_hours' | 'filled_hours' | 'shortfall_hours' | 'meets_minimum'
>;

/**
 * Enhanced Access short: below the required minimum in the network's latest week, or in 3 of its
 * latest 4 weeks (up to and including the latest). A week whose minimum is unknown (population
 * unknown or partial: `meets_minimum` NULL) is never counted as short, so it never flags.
 */
export function enhancedAccessFlag(
  weeks: readonly EnhancedAccessWeek[],
  latestWeek: string | undefined,
): IcbFlag | null {
  if (latestWeek === undefined) return null;
  // The latest 4 calendar weeks, of which those with data.
  const recent = onCalendar(
    weeks.filter((w) => w.week_start <= latestWeek),
    EA_RECENT_WEEKS,
  ).filter((w) => w !== undefined);
  const latest = recent.at(-1);
  if (!latest || latest.week_start !== latestWeek) return null;
  const short = recent.filter((w) => w.meets_minimum === false).length;
  const of = `short in ${short} of the latest ${recent.length} week${recent.length === 1 ? '' : 's'}`;
  if (latest.meets_minimum === false)
    return {
      kind: 'ea-short',
      sentence: `Enhanced Access ${formatHours(latest.filled_hours)} filled of the ${formatHours(latest.required_hours)} required, ${formatHours(latest.shortfall_hours)} short in the latest week (${of})`,
    };
  if (short >= EA_SHORT_WEEKS)
    return {
      kind: 'ea-short',
      sentence: `Enhanced Access ${of}${latest.meets_minimum === true ? ', though it met the minimum in the latest week' : ''}`,
    };
  return null;
}

/** No rota (shifts) export for more than 8 days, or none at all (availability exports do not count). */
export function staleFlag(lastExport: string | null | undefined, now: Date): IcbFlag | null {
  const age = exportAgeDays(lastExport, now);
  if (age !== null && age <= STALE_AFTER_DAYS) return null;
  return {
    kind: 'stale',
    sentence:
      age === null
        ? 'No rota export received'
        : `Latest rota export ${formatDate(String(lastExport).slice(0, 10))}, ${age} days ago (more than ${STALE_AFTER_DAYS})`,
  };
}

/** Every flag of a network at its latest week, in the order of FLAG_LABELS. */
export function icbFlags(input: {
  /** The network's weeks, oldest first. */
  weeks: readonly CoverFigures[];
  /** The ICB's pooled weeks. */
  icbWeeks: readonly CoverFigures[];
  lastExport: string | null | undefined;
  now: Date;
  /** The network's Enhanced Access weeks, oldest first (none: no Enhanced Access flag). */
  enhancedAccess?: readonly EnhancedAccessWeek[];
}): IcbFlag[] {
  const latest = input.weeks.at(-1);
  const icb = latest && input.icbWeeks.find((w) => w.week_start === latest.week_start);
  const flags = [
    fallingFlag(input.weeks),
    belowUsualFlag(input.weeks),
    ...(latest ? [unfilledShareFlag(latest, icb), ...gapFlags(latest, icb)] : []),
    enhancedAccessFlag(input.enhancedAccess ?? [], latest?.week_start),
    staleFlag(input.lastExport, input.now),
  ];
  return flags.filter((f): f is IcbFlag => f !== null);
}
