/**
 * The top of a network page: the answer first. One or two sentences, then tiles with context:
 * cover last week against the week before, the ICB and the network's own 12-week range; open
 * shifts in the next two weeks; agency spend and agency share; and any tiles passed in (`extra`,
 * e.g. the budget position). Every tile's good/bad cue is a word and an arrow in an NHS tag, with
 * the comparison read out to screen readers, not colour alone. Pure.
 */

import { onCalendar, weekBefore } from './calendar-weeks.js';
import {
  formatCount,
  formatDate,
  formatHours,
  formatPercent,
  formatPointsChange,
  formatPounds,
  formatRelativeChange,
  NO_DATA,
  pointsBetween,
  SUPPRESSED,
} from './format.js';
import { escapeHtml } from './html.js';
import { type Cue, changeCue, type Kpi } from './kpis.js';
import type { CoverFigures } from './site-data.js';

/** Weeks of the network's own range the latest week is compared with (itself included). */
export const RANGE_WEEKS = 12;

export interface OpenShiftTotals {
  shifts: number;
  hours: number;
}

export interface SummaryBandInput {
  /** The network's name as the page shows it. */
  name: string;
  /** The network's complete weeks, oldest first; the last is "last week". */
  weeks: CoverFigures[];
  /** The ICB's figures for the same week, if any. */
  icbWeek: CoverFigures | undefined;
  /** Open (unfilled) shifts in the next two weeks, and in each of them. */
  open: { total: OpenShiftTotals; thisWeek: OpenShiftTotals; nextWeek: OpenShiftTotals };
  /** More tiles, shown after the band's own (the budget position). */
  extra?: Kpi[];
}

/** "9.6 points below the ICB (93.4%)", "level with the ICB (93.4%)", or undefined. */
export function versusIcb(
  value: number | null | undefined,
  icb: number | null | undefined,
): string | undefined {
  if (typeof value !== 'number' || typeof icb !== 'number') return undefined;
  const diff = pointsBetween(value, icb);
  const where =
    diff === 0
      ? 'level with'
      : `${Math.abs(diff).toFixed(1)} points ${diff > 0 ? 'above' : 'below'}`;
  return `${where} the ICB (${formatPercent(icb)})`;
}

/**
 * Where the last value sits in its own recent range: "lowest in 12 weeks (83.8% to 92.5%)",
 * "highest in ...", or "within its 12-week range (83.8% to 92.5%)". Undefined with fewer than 3 weeks of values.
 */
export function versusRange(
  values: (number | null)[],
  format: (v: unknown) => string,
): string | undefined {
  const recent = values.slice(-RANGE_WEEKS);
  const last = recent.at(-1);
  const known = recent.filter((v): v is number => typeof v === 'number');
  if (typeof last !== 'number' || known.length < 3) return undefined;
  const low = Math.min(...known);
  const high = Math.max(...known);
  const span = `${format(low)} to ${format(high)}`;
  const weeks = `${known.length} weeks`;
  if (low === high) return `the same in all ${weeks}`;
  if (last === low) return `lowest in ${weeks} (${span})`;
  if (last === high) return `highest in ${weeks} (${span})`;
  return `within its ${known.length}-week range (${span})`;
}

const defined = (lines: (string | undefined)[]) => lines.filter((l): l is string => !!l);

export function coverKpi(weeks: CoverFigures[], icbWeek: CoverFigures | undefined): Kpi {
  const last = weeks.at(-1);
  const previous = weekBefore(weeks, last);
  const value = last?.fill_rate_shifts ?? null;
  const cue = changeCue(value, previous?.fill_rate_shifts, {
    lowerIsBetter: false,
    step: 0.001,
    against: 'the previous week',
  });
  return {
    label: 'Cover last week (shifts filled)',
    value: formatPercent(value),
    change: formatPointsChange(value, previous?.fill_rate_shifts),
    context: defined([
      versusIcb(value, icbWeek?.fill_rate_shifts),
      versusRange(
        onCalendar(weeks).map((w) => w?.fill_rate_shifts ?? null),
        formatPercent,
      ),
    ]),
    raw: value,
    ...(cue ? { cue } : {}),
  };
}

export function openKpi(open: SummaryBandInput['open']): Kpi {
  const { total, thisWeek, nextWeek } = open;
  return {
    label: 'Open shifts, next two weeks',
    value: formatCount(total.shifts),
    change: `${formatHours(total.hours)} still to fill`,
    context: [
      `this week ${formatCount(thisWeek.shifts)}, next week ${formatCount(nextWeek.shifts)}`,
    ],
    raw: total.shifts,
    cue:
      total.shifts === 0
        ? { tone: 'good', word: 'All filled', hidden: ' for the next two weeks' }
        : { tone: 'bad', word: 'To fill', hidden: ' in the next two weeks' },
  };
}

export function agencyKpis(weeks: CoverFigures[], icbWeek: CoverFigures | undefined): Kpi[] {
  const last = weeks.at(-1);
  const previous = weekBefore(weeks, last);
  const spend = last?.agency_spend_pence ?? null;
  const share = last?.agency_share_of_spend ?? null;
  const spendCue = changeCue(spend, previous?.agency_spend_pence, {
    lowerIsBetter: true,
    step: 100,
    against: 'the previous week',
  });
  const shareCue = changeCue(share, previous?.agency_share_of_spend, {
    lowerIsBetter: true,
    step: 0.001,
    against: 'the previous week',
  });
  return [
    {
      label: 'Agency spend last week',
      value: formatPounds(spend),
      change: formatRelativeChange(spend, previous?.agency_spend_pence),
      context: defined([
        versusRange(
          onCalendar(weeks).map((w) => w?.agency_spend_pence ?? null),
          formatPounds,
        ),
      ]),
      raw: spend,
      ...(spendCue ? { cue: spendCue } : {}),
    },
    {
      label: 'Agency share of spend',
      value: formatPercent(share),
      change: formatPointsChange(share, previous?.agency_share_of_spend),
      context: defined([versusIcb(share, icbWeek?.agency_share_of_spend)]),
      raw: share,
      ...(shareCue ? { cue: shareCue } : {}),
    },
  ];
}

const TAGS: Record<Cue['tone'], string> = { good: 'green', bad: 'red', neutral: 'grey' };

function cueTag(cue: Cue): string {
  const arrow = cue.direction
    ? `<span aria-hidden="true">${cue.direction === 'up' ? '▲' : '▼'} </span>`
    : '';
  return `<strong class="nhsuk-tag nhsuk-tag--${TAGS[cue.tone]} tile-cue">${arrow}${escapeHtml(
    cue.word,
  )}${cue.hidden ? `<span class="nhsuk-u-visually-hidden">${escapeHtml(cue.hidden)}</span>` : ''}</strong>`;
}

/** Tiles with their context lines and cue (the band's; also fine for any `Kpi[]`). */
export function contextTiles(kpis: Kpi[]): string {
  const tiles = kpis.map((k) => {
    const missing = k.value === NO_DATA || k.value === SUPPRESSED ? ' no-data' : '';
    const lines = [k.change, ...(k.context ?? [])].filter((l) => l !== '');
    return `<li class="tile"><span class="tile-label">${escapeHtml(k.label)}</span><span class="tile-value${missing}">${escapeHtml(
      k.value,
    )}</span>${k.cue ? cueTag(k.cue) : ''}${lines
      .map((l) => `<span class="tile-change">${escapeHtml(l)}</span>`)
      .join('')}</li>`;
  });
  return `<ul class="tiles">\n${tiles.join('\n')}\n</ul>`;
}

/** The one or two sentences at the top: last week's cover, what is open, agency spend. */
export function summarySentences(input: SummaryBandInput): string[] {
  const { name, weeks, icbWeek, open } = input;
  const last = weeks.at(-1);
  if (!last) return [`There is no complete week of data for ${name} yet.`];
  const previous = weekBefore(weeks, last);
  const when = `In the week of ${formatDate(last.week_start)}`;
  const openText =
    open.total.shifts === 0
      ? 'No shifts are open in the next two weeks.'
      : `${formatCount(open.total.shifts)} shift${open.total.shifts === 1 ? ' is' : 's are'} still open in the next two weeks (${formatHours(open.total.hours)}).`;
  const rate = last.fill_rate_shifts;
  if (rate === null) return [`${when}, ${name} needed no shifts.`, openText];
  const clauses = defined([
    typeof previous?.fill_rate_shifts === 'number'
      ? formatPointsChange(rate, previous.fill_rate_shifts).replace(
          ' on previous week',
          ' on the week before',
        )
      : undefined,
    versusIcb(rate, icbWeek?.fill_rate_shifts)?.replace(/ \(.*\)$/, ''),
    versusRange(
      onCalendar(weeks).map((w) => w?.fill_rate_shifts ?? null),
      formatPercent,
    )?.replace(/ \(.*\)$/, ''),
  ]);
  const cover = `${when}, ${name} filled ${formatPercent(rate)} of its shifts (${formatCount(
    last.filled_shifts,
  )} of ${formatCount(last.demand_shifts)})${clauses.length > 0 ? `: ${clauses.join(', ')}` : ''}.`;
  const agency =
    typeof last.agency_spend_pence === 'number'
      ? ` Agency spend was ${formatPounds(last.agency_spend_pence)}${
          typeof last.agency_share_of_spend === 'number'
            ? `, ${formatPercent(last.agency_share_of_spend)} of spend`
            : ''
        }.`
      : '';
  return [cover, `${openText}${agency}`];
}

export function summaryBand(input: SummaryBandInput): string {
  const kpis = [
    coverKpi(input.weeks, input.icbWeek),
    openKpi(input.open),
    ...agencyKpis(input.weeks, input.icbWeek),
    ...(input.extra ?? []),
  ];
  const sentences = summarySentences(input)
    .map((s) => `<p class="summary-sentence">${escapeHtml(s)}</p>`)
    .join('\n');
  return `<section class="summary-band" id="summary" aria-labelledby="summary-title">
<h2 id="summary-title" class="nhsuk-u-visually-hidden">Summary</h2>
${sentences}
${contextTiles(kpis)}
</section>`;
}
