import { describe, expect, it } from 'vitest';
import { staleWarning } from '../../../src/site/components.js';
import { isStale, networkKpis, outlierReasons, weekUtilisation } from '../../../src/site/kpis.js';
import type { UtilisationRow } from '../../../src/site/site-data.js';
import { sparklineSvg } from '../../../src/site/sparkline.js';
import { cover } from '../../fixtures/site/site-metrics.js';

const WEEK = '2026-11-16';

function role(
  name: string,
  available: number | null,
  worked: number | null,
  suppressed = false,
): UtilisationRow {
  return {
    network_code: 'U00001',
    week_start: WEEK,
    role: name,
    session_type: 'all',
    clinicians_with_availability: suppressed ? 1 : 4,
    suppressed,
    available_hours: available,
    worked_hours: worked,
    utilisation: available ? (worked ?? 0) / available : null,
  };
}

describe('weekUtilisation', () => {
  it('pools hours over the published roles, never averaging their rates', () => {
    // GP 120 of 160 h (75%), nurse 10 of 40 h (25%): 130 / 200 = 65%, not (75% + 25%) / 2 = 50%.
    const figure = weekUtilisation([role('GP', 160, 120), role('Nurse', 40, 10)], WEEK);
    expect(figure).toEqual({ kind: 'value', utilisation: 0.65, rolesSuppressed: 0 });
  });

  it('leaves suppressed roles out and counts them; all suppressed is "suppressed"', () => {
    expect(
      weekUtilisation([role('GP', 160, 120), role('Paramedic', null, null, true)], WEEK),
    ).toEqual({
      kind: 'value',
      utilisation: 0.75,
      rolesSuppressed: 1,
    });
    expect(weekUtilisation([role('Paramedic', null, null, true)], WEEK)).toEqual({
      kind: 'suppressed',
    });
    expect(weekUtilisation([], WEEK)).toEqual({ kind: 'no data' });
  });
});

describe('networkKpis', () => {
  it('gives each figure with its change on the previous week, "no data" when NULL', () => {
    const kpis = networkKpis({
      current: cover(WEEK, 87, 13, 20),
      previous: cover('2026-11-09', 90, 10, 10),
      utilisation: [],
    });
    // 87 of 100 filled (90 the week before); 13 x 4 h unfilled (10 x 4 h); agency 20 x £400 = £8,000
    // of £8,000 + 67 x £240 = £24,080 spend = 33.2% (£4,000 of £23,200 = 17.2%); agency hours
    // 20 / 87 = 23.0% of filled hours (10 / 90 = 11.1%).
    expect(kpis.map((k) => [k.label, k.value, k.change])).toEqual([
      ['Fill rate (shifts)', '87.0%', 'down 3.0 points on previous week'],
      ['Unfilled hours', '52 h', 'up 12 h on previous week'],
      ['Agency spend', '£8,000', 'up 100% on previous week'],
      ['Agency share of spend', '33.2%', 'up 16.0 points on previous week'],
      ['Temporary staffing share', '23.0%', 'up 11.9 points on previous week'],
      ['Utilisation', 'no data', ''],
    ]);
    const empty = networkKpis({ current: cover(WEEK, 0, 0), previous: undefined });
    expect(empty[0]?.value).toBe('no data');
    expect(empty[0]?.change).toBe('no comparison');
    expect(empty).toHaveLength(5); // no utilisation tile for an ICB
  });
});

describe('isStale', () => {
  const now = new Date('2026-11-23T08:00:00Z');
  it('is stale after more than 8 whole days, or with no export at all', () => {
    expect(isStale('2026-11-15T08:00:00Z', now)).toBe(false); // 8 days
    expect(isStale('2026-11-14T07:59:00Z', now)).toBe(true); // 9 days
    expect(isStale(null, now)).toBe(true);
    expect(isStale('not a date', now)).toBe(true);
  });

  it('warns on the network page that the rota (shifts) export is out of date, naming it so', () => {
    // The date is the latest shifts export's: an availability export does not make figures current.
    expect(staleWarning('2026-11-15T08:00:00Z', now)).toBe('');
    expect(staleWarning('2026-11-14T07:59:00Z', now)).toContain(
      'The latest rota (shifts) export was received 14 Nov 2026',
    );
    expect(staleWarning(null, now)).toContain(
      'No rota (shifts) export has been received from this network.',
    );
  });
});

describe('outlierReasons', () => {
  it('flags a fill rate 10 or more points below the ICB and agency share 15 or more above', () => {
    const icb = cover(WEEK, 80, 20, 10); // 80% filled; agency 10 of 80 shifts
    expect(outlierReasons(cover(WEEK, 70, 30), icb)).toEqual([
      'fill rate 10.0 points below the ICB',
    ]);
    expect(outlierReasons(cover(WEEK, 71, 29), icb)).toEqual([]);
    // Agency 40 of 80 filled shifts: 40 x £400 / (40 x £400 + 40 x £240) = 62.5% vs ICB 19.2%.
    expect(outlierReasons(cover(WEEK, 80, 20, 40), icb)).toEqual([
      'agency share of spend 43.3 points above the ICB',
    ]);
    expect(outlierReasons(cover(WEEK, 0, 0), icb)).toEqual([]); // NULL never flags
    expect(outlierReasons(cover(WEEK, 10, 90), undefined)).toEqual([]);
  });
});

describe('sparklineSvg', () => {
  it('draws the known weeks, breaks the line at a NULL week and names first and last values', () => {
    const svg = sparklineSvg([0.5, 0.6, null, 0.7, 0.8], 'Fill rate, A & B', (v) => `${v * 100}%`);
    expect(svg.match(/<polyline/g)).toHaveLength(2);
    expect(svg).toContain('aria-label="Fill rate, A &amp; B: 5 weeks, from 50% to 80%"');
    expect(sparklineSvg([null, null], 'x', String)).toBe('<span class="no-data">no data</span>');
  });
});
