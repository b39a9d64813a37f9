import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { addDays } from '../../../src/calendar.js';
import {
  enhancedAccessKpi,
  enhancedAccessPanel,
  enhancedAccessSentence,
  enhancedAccessTrend,
} from '../../../src/site/enhanced-access-panel.js';
import type { EnhancedAccessRow } from '../../../src/site/site-data.js';
import { eaRow } from '../../fixtures/site/site-metrics.js';

const SPEC = JSON.parse(
  readFileSync(
    new URL('../../../dashboards/network-enhanced-access.vl.json', import.meta.url),
    'utf8',
  ),
);
const LIST_SIZES = {
  asOf: '2026-04-01',
  source: 'gp-reg-pat-prac-all_2026-04.csv',
  patients: new Map<string, number>(),
};
const row = (filled: number, required: number | null, extra: Partial<EnhancedAccessRow> = {}) =>
  ({ ...eaRow('U60865', '2026-11-09', filled, required), ...extra }) as EnhancedAccessRow;

describe('enhancedAccessSentence', () => {
  it('says filled against required and the shortfall, to one decimal', () => {
    // 52,309 patients x 60 min / 1,000 / 60 = 52.309 h; 52.309 - 41.46 = 10.849 -> "10.8 h short".
    expect(enhancedAccessSentence(row(41.46, 52.309))).toBe(
      'Enhanced Access: 41.5 of 52.3 required hours filled (10.8 h short).',
    );
    expect(enhancedAccessSentence(row(55, 52.309))).toBe(
      'Enhanced Access: 55.0 of 52.3 required hours filled (minimum met).',
    );
  });

  it('never claims a shortfall when the population is unknown', () => {
    const unknown = row(20, null, { population_practices_missing: 2 });
    expect(enhancedAccessSentence(unknown)).toBe(
      'Enhanced Access: 20.0 hours filled; the required minimum is unknown (no list size for 2 practices).',
    );
    expect(enhancedAccessSentence(undefined)).toBe(
      'Enhanced Access: no clinical shifts on the rota this week.',
    );
  });
});

describe('enhancedAccessPanel', () => {
  it('names the population with its date and source, the GP check and the breakdown', () => {
    const html = enhancedAccessPanel({
      rows: [row(41.46, 52.309)],
      latestWeek: '2026-11-09',
      spec: SPEC,
      listSizes: LIST_SIZES,
    });
    expect(html).toContain('41.5 of 52.3 required hours filled (10.8 h short)');
    expect(html).toContain('60 minutes per 1,000 patients a week × 52,309 patients');
    expect(html).toContain('1 Apr 2026, gp-reg-pat-prac-all_2026-04.csv) = 52.3 h');
    expect(html).toContain('1 session of 6 had no GP on the rota.');
    // 41.46 x 0.2 remote = 8.292 -> 8.3 h; Saturday 41.46 x 0.6 = 24.876 -> 24.9 h.
    expect(html).toMatch(/Remote<\/td><td[^>]*>8\.3 h/);
    expect(html).toMatch(/Saturday \(filled\)<\/td><td[^>]*>24\.9 h/);
    expect(html).toContain('data-dataset-name="enhanced_access"');
  });

  it('says which practices lack a list size and how to fix it, with no shortfall', () => {
    const html = enhancedAccessPanel({
      rows: [row(20, null, { population_practices_missing: 2, sessions_without_gp: null })],
      latestWeek: '2026-11-09',
      spec: SPEC,
      listSizes: LIST_SIZES,
    });
    expect(html).toContain(
      'unknown for 2 practices (no registered list size) — set ROTASCOPE_POPULATION_FILE',
    );
    expect(html).not.toContain('short');
    // The GP check is off (NULL): nothing said about GPs on the rota.
    expect(html).not.toContain('GP on the rota');
  });

  it('trends the last 12 complete weeks, leaving out the rota ahead', () => {
    const weeks = Array.from({ length: 15 }, (_, i) => addDays('2026-08-17', i * 7));
    const rows = weeks.map((w, i) => ({ ...row(40 + i, 52.309), week_start: w }));
    const trend = enhancedAccessTrend(rows, weeks[13]);
    expect(trend).toHaveLength(12);
    expect(trend[0]?.week_start).toBe(weeks[2]);
    expect(trend.at(-1)?.week_start).toBe(weeks[13]);
  });
});

describe('enhancedAccessKpi', () => {
  it('cues a shortfall as bad in words, and gives no cue when the minimum is unknown', () => {
    const short = enhancedAccessKpi([row(41.46, 52.309)], '2026-11-09');
    expect(short).toMatchObject({
      value: '41.5 h of 52.3 h',
      change: '10.8 h short of the minimum',
      cue: { tone: 'bad', word: 'Short' },
    });
    expect(enhancedAccessKpi([row(55, 52.309)], '2026-11-09')?.cue?.tone).toBe('good');
    expect(enhancedAccessKpi([row(20, null)], '2026-11-09')?.cue).toBeUndefined();
    expect(enhancedAccessKpi([row(20, null)], '2026-11-16')).toBeUndefined();
  });
});
