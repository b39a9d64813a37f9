/**
 * The weekly report's opening sentences, written from one network's `network_week` rows for the
 * report week and the week before: "Fill rate fell 4.2 points to 87.1%." Pure; every sentence
 * says "no data" rather than guessing when a figure is NULL, and changes are only described
 * when both weeks have the figure.
 */
import { formatPounds, formatPercent as percent, pointsBetween } from './format.js';
import { publishedNumber } from './published-number.js';

/** The `network_week` columns the summary reads (docs/metrics.md). */
export interface SummaryWeek {
  fill_rate_shifts: number | null;
  unfilled_hours: number;
  demand_shifts: number;
  agency_spend_pence: number | null;
  agency_share_of_spend: number | null;
  temporary_staffing_share: number | null;
}

const isNumber = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value);

/** Whole pounds from pence, with thousands separators: 1234050 -> "£12,341". */
export const pounds = (pence: number): string => formatPounds(pence);

const hours = (value: number) =>
  `${publishedNumber(value).toLocaleString('en-GB', { maximumFractionDigits: 1 })} hour${value === 1 ? '' : 's'}`;

/** A ratio and its change in percentage points, e.g. "fell 4.2 points to 87.1%". */
function pointsMove(current: number, previous: number | null | undefined): string {
  if (!isNumber(previous)) return `was ${percent(current)}`;
  const points = pointsBetween(current, previous);
  if (points === 0) return `held at ${percent(current)}`;
  return `${points > 0 ? 'rose' : 'fell'} ${Math.abs(points).toFixed(1)} points to ${percent(current)}`;
}

/** An amount and its relative change, e.g. "rose 18% to £12,340". */
function relativeMove(current: number, previous: number | null | undefined): string {
  if (!isNumber(previous)) return `was ${pounds(current)}`;
  if (previous === 0) return current === 0 ? 'stayed at £0' : `was ${pounds(current)}, from £0`;
  const change = Math.round(publishedNumber(((current - previous) / previous) * 100));
  if (change === 0) return `held at ${pounds(current)}`;
  return `${change > 0 ? 'rose' : 'fell'} ${Math.abs(change)}% to ${pounds(current)}`;
}

export function summarySentences(current: SummaryWeek, previous?: SummaryWeek): string[] {
  if (current.demand_shifts === 0) {
    return [
      'No shifts were needed this week (no filled or unfilled shifts), so there is no fill rate.',
    ];
  }
  const sentences: string[] = [];
  sentences.push(
    isNumber(current.fill_rate_shifts)
      ? `Fill rate ${pointsMove(current.fill_rate_shifts, previous?.fill_rate_shifts)}.`
      : 'Fill rate: no data.',
  );
  sentences.push(
    current.unfilled_hours === 0
      ? 'Every shift needed was filled.'
      : `${hours(current.unfilled_hours)} went unfilled.`,
  );
  if (isNumber(current.agency_spend_pence)) {
    const share = isNumber(current.agency_share_of_spend)
      ? ` (${percent(current.agency_share_of_spend)} of spend)`
      : '';
    sentences.push(
      `Agency spend ${relativeMove(current.agency_spend_pence, previous?.agency_spend_pence)}${share}.`,
    );
  } else {
    sentences.push('Agency spend: no data (no agency shift had a cost).');
  }
  if (isNumber(current.temporary_staffing_share)) {
    sentences.push(
      `Bank, locum and agency staff worked ${percent(current.temporary_staffing_share)} of filled hours.`,
    );
  }
  return sentences;
}
