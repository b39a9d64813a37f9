/**
 * The weeks a page reports on are complete weeks. Exports hold the published rota ahead, so the
 * weekly metric tables also have rows for the current and coming weeks, only partly filled: left
 * in, the latest "week" on every page would be next week's half-booked rota. This keeps each
 * weekly table up to the last complete week; `open_shifts` (the coordinator's look ahead) and the
 * data-quality tables (about files received) are kept whole. Pure.
 */
import type { SiteMetrics } from './site-data.js';

const KEPT_WHOLE = new Set<keyof SiteMetrics>(['openShifts', 'dataQuality', 'rejectsByReason']);

/** `metrics` without the rows of weeks after `lastComplete` (a Monday). */
export function completeWeeksOnly(metrics: SiteMetrics, lastComplete: string): SiteMetrics {
  const out = { ...metrics };
  for (const field of Object.keys(metrics) as (keyof SiteMetrics)[]) {
    if (KEPT_WHOLE.has(field)) continue;
    (out[field] as { week_start: string }[]) = (metrics[field] as { week_start: string }[]).filter(
      (r) => r.week_start <= lastComplete,
    );
  }
  return out;
}
