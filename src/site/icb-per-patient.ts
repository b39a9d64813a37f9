/**
 * The ICB page's per-patient figures (issue 20): each network's population with its source, its
 * filled and unfilled hours and agency spend per 1,000 patients a week (network_week), its
 * Enhanced Access hours against the required minimum (enhanced_access), and the ICB's pooled
 * figures (icb_week). Pure: rows in, text out; docs/metrics.md defines the columns,
 * docs/dashboards.md the page.
 */
import type { Reference } from '../reference/organisations.js';
import { formatCount, formatDate, formatHours, formatPounds, NO_DATA } from './format.js';
import { escapeHtml } from './html.js';
import type { EnhancedAccessRow, IcbWeekRow, NetworkWeekRow } from './site-data.js';

/** A cell's text (escaped later) and the value it sorts by (null sorts last). */
export interface Figure {
  text: string;
  sort: number | null;
}

const practices = (n: number) => `${n} practice${n === 1 ? '' : 's'}`;

/** Where the populations come from, as the page says it under the table. */
export function populationSource(reference: Reference): string {
  const sizes = reference.listSizes;
  const registered = sizes
    ? `registered patients from NHS Digital's "Patients registered at a GP practice", extract of ${formatDate(sizes.asOf)}`
    : 'registered patients (no list-size extract in the reference data)';
  return `Patients: ${registered}; "adjusted" marks a figure from the deployment's population file. Per 1,000 figures are per week, and "no data" where a network's population is unknown or lacks a practice's list size.`;
}

/** "55,120", "55,120 (adjusted)", "4,000, unknown for 1 practice", or "no data". */
export function populationFigure(
  row: Pick<NetworkWeekRow, 'population' | 'population_basis' | 'population_practices_missing'>,
): Figure {
  const { population, population_basis: basis } = row;
  if (population == null) return { text: NO_DATA, sort: null };
  const missing = row.population_practices_missing ?? 0;
  const note =
    missing > 0 ? `, unknown for ${practices(missing)}` : basis === 'adjusted' ? ' (adjusted)' : '';
  return { text: `${formatCount(population)}${note}`, sort: population };
}

/** Filled hours, unfilled hours and agency spend per 1,000 patients in one network week. */
export function perThousandFigures(
  row:
    | Pick<
        NetworkWeekRow,
        'filled_hours_per_1000' | 'unfilled_hours_per_1000' | 'agency_spend_pence_per_1000'
      >
    | undefined,
): { filled: Figure; unfilled: Figure; agency: Figure } {
  const hours = (v: number | null | undefined): Figure => ({
    text: formatHours(v),
    sort: v ?? null,
  });
  const agency = row?.agency_spend_pence_per_1000;
  return {
    filled: hours(row?.filled_hours_per_1000),
    unfilled: hours(row?.unfilled_hours_per_1000),
    agency: { text: formatPounds(agency), sort: agency ?? null },
  };
}

/**
 * The Enhanced Access cell for the network's latest week: "11.2 h of 12 h, 0.8 h short",
 * "12.5 h of 12 h, met", or "3 h filled, minimum unknown" when the population is unknown or
 * partial. Sorts by filled / required (short first when ascending), unknown last.
 */
export function enhancedAccessFigure(
  row:
    | Pick<
        EnhancedAccessRow,
        'filled_hours' | 'required_hours' | 'shortfall_hours' | 'meets_minimum'
      >
    | undefined,
): Figure {
  if (!row) return { text: NO_DATA, sort: null };
  const { filled_hours: filled, required_hours: required } = row;
  if (required == null || row.meets_minimum == null)
    return { text: `${formatHours(filled)} filled, minimum unknown`, sort: null };
  const verdict = row.meets_minimum ? 'met' : `${formatHours(row.shortfall_hours)} short`;
  return {
    text: `${formatHours(filled)} of ${formatHours(required)}, ${verdict}`,
    sort: required > 0 ? filled / required : null,
  };
}

/**
 * The ICB's pooled per-patient figures for its latest week, and how many networks met the
 * Enhanced Access minimum that week, in a sentence or two.
 */
export function icbPerPatientSummary(
  latest: IcbWeekRow | undefined,
  enhancedAccess: readonly (EnhancedAccessRow | undefined)[],
): string {
  if (!latest) return '';
  const counted = latest.population_networks ?? 0;
  const pooled =
    latest.population == null || counted === 0
      ? `<p>Per 1,000 patients: ${NO_DATA} (no network reporting this week has a known population for all its practices).</p>`
      : `<p>Per 1,000 patients a week, pooled over ${escapeHtml(`${counted} of ${latest.networks_reporting}`)} networks (${escapeHtml(formatCount(latest.population))} patients${
          (latest.population_practices_missing ?? 0) > 0
            ? `; networks lacking list sizes for ${escapeHtml(practices(latest.population_practices_missing ?? 0))} left out`
            : ''
        }): <strong>${escapeHtml(formatHours(latest.filled_hours_per_1000))}</strong> filled, <strong>${escapeHtml(formatHours(latest.unfilled_hours_per_1000))}</strong> unfilled, agency spend <strong>${escapeHtml(formatPounds(latest.agency_spend_pence_per_1000))}</strong>, all spend ${escapeHtml(formatPounds(latest.spend_pence_per_1000))}.</p>`;
  const rows = enhancedAccess.filter((r): r is EnhancedAccessRow => r !== undefined);
  if (rows.length === 0) return pooled;
  const met = rows.filter((r) => r.meets_minimum === true).length;
  const short = rows.filter((r) => r.meets_minimum === false).length;
  const unknown = rows.length - met - short;
  return `${pooled}
<p>Enhanced Access in each network's latest week: ${escapeHtml(
    [
      `${met} met the minimum`,
      `${short} short`,
      ...(unknown > 0 ? [`${unknown} minimum unknown`] : []),
    ].join(', '),
  )}.</p>`;
}
