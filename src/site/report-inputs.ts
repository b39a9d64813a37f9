/**
 * What a weekly report shows, as a fingerprint, so an archived report is rebuilt when its week's
 * figures change. Reports are kept from week to week (site-versions.ts carries them over); a late
 * export can change a week already reported, and an old report beside the new network page then
 * gave a difference of one clinician's pay (£2,220 - £1,500 = one locum's week; two audits found
 * it). The fingerprints are kept in the curated store, never published: a hash of a few figures
 * could be tried against guesses of a suppressed one.
 */
import { createHash } from 'node:crypto';
import type { Reference } from '../reference/organisations.js';
import { networkDatasets } from './network-page.js';
import type { NetworkMetrics } from './site-data.js';

/** Where the fingerprints of the published reports are kept, in the curated store. */
export const REPORT_INPUTS_KEY = 'metrics/report-inputs.json';

/** `<network>/<ISO week>` -> the fingerprint of what that report shows. */
export type ReportInputs = Map<string, string>;

export const reportInputsKey = (code: string, isoWeek: string) => `${code}/${isoWeek}`;

/** The fingerprint of the figures the report of `code` for the week of `weekStart` shows. */
export function reportFingerprint(
  metrics: NetworkMetrics,
  reference: Reference,
  weekStart: string,
): string {
  const shown = {
    data: networkDatasets(metrics, reference, weekStart),
    arrs: metrics.arrs.filter((r) => r.week_start <= weekStart),
    enhancedAccess: metrics.enhancedAccess.filter((r) => r.week_start === weekStart),
  };
  return createHash('sha256').update(JSON.stringify(shown)).digest('hex');
}

export function parseReportInputs(text: string): ReportInputs {
  try {
    const value = JSON.parse(text) as unknown;
    if (value && typeof value === 'object' && !Array.isArray(value))
      return new Map(
        Object.entries(value).filter((e): e is [string, string] => typeof e[1] === 'string'),
      );
  } catch {
    // A damaged file: every archived report is rebuilt once.
  }
  return new Map();
}

export function formatReportInputs(inputs: ReportInputs): string {
  return `${JSON.stringify(Object.fromEntries([...inputs].sort()), null, 1)}\n`;
}
