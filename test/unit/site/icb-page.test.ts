import { describe, expect, it } from 'vitest';
import { icbPage } from '../../../src/site/icb-page.js';
import { manyNetworks } from '../../fixtures/site/many-networks.js';

/** [data-name, data-flags] of each table row, in page order. */
function tableRows(body: string): [string, string][] {
  return [
    ...body.matchAll(/<tr[^>]*data-filter-item data-name="([^"]*)" data-flags="([^"]*)"/g),
  ].map((m) => [m[1] as string, m[2] as string]);
}

describe('the ICB page of six networks, one of them falling', () => {
  // many-networks.ts: network i fills 850 + (37 i mod 120) of 1000 shifts, plus 0, 5 or 10 as
  // (i + week) mod 3; Network 03 falls to 92.5, 88.7, 86.1, 83.8% in weeks 9-12.
  const page = icbPage({ icbCode: 'QZZ', ...manyNetworks(6) });

  it('lists the flagged network first, then the rest by name', () => {
    // Last week unfilled shifts: 108, 66, 162, 117, 75, 48 = 576; Network 03 holds 162 / 576 =
    // 28.1% against 1/6 = 16.7% of demand (1.5 x 16.7% = 25%). Week 8 was 97.1%: 4 falls.
    expect(tableRows(page.body)).toEqual([
      ['network 03 u90003', 'falling below-usual unfilled-share'],
      ['network 01 u90001', ''],
      ['network 02 u90002', ''],
      ['network 04 u90004', ''],
      ['network 05 u90005', ''],
      ['network 06 u90006', ''],
    ]);
    expect(page.body).toContain(
      'Fill rate fell 4 weeks running: 97.1% → 92.5% → 88.7% → 86.1% → 83.8%',
    );
    expect(page.body).toContain(
      // 162 shifts x 4 h = 648 h of 576 x 4 = 2,304 h; 1,000 of 6,000 shifts needed.
      'Holds 648 h of the ICB&#39;s 2,304 h unfilled (28.1%), against 16.7% of the hours needed',
    );
    expect(page.body).toContain('Commissioner overview: 6 primary care networks, 1 flagged.');
    // The answer first: the flagged network named, with its reasons, before the ICB's tiles.
    const attention = page.body.indexOf('<h2 class="icb-attention-title">Needs a look</h2>');
    expect(attention).toBeGreaterThan(0);
    expect(attention).toBeLessThan(page.body.indexOf('<ul class="tiles">'));
    expect(page.body).toContain(
      '<li><a href="../../networks/U90003/index.html">Network 03</a>: Fill rate fell 4 weeks running:',
    );
  });

  it('offers a filter by name and by the flags present, hidden until its script runs', () => {
    expect(page.scripts).toEqual(['site.js', 'icb-filter.js']);
    expect(page.body).toContain('<div class="icb-filter no-print" data-icb-filter hidden>');
    expect(page.body).toContain(
      '<label class="nhsuk-label" for="network-filter-name">Network name or code</label><input class="nhsuk-input" id="network-filter-name" type="text"',
    );
    const options = [...page.body.matchAll(/<option value="([^"]*)">([^<]*)<\/option>/g)].map(
      (m) => `${m[1]}=${m[2]}`,
    );
    expect(options).toEqual([
      '=All networks',
      'any=Any flag',
      'falling=Fill rate falling',
      'below-usual=Below its usual range',
      'unfilled-share=Large share of unfilled hours',
      'none=No flag',
    ]);
    expect(page.body).toContain(
      '<p class="filter-count" role="status" aria-live="polite" data-filter-count></p>',
    );
  });

  it('draws the sparklines on one scale and a panel per network, with no chart library', () => {
    // Lowest 12-week rate 83.8% (Network 03, last week), highest 97.1% (Network 03, week 8).
    expect(page.body).toContain('Trend lines share one scale (83.8% to 97.1%)');
    // In each of the 6 sparklines' accessible name and title.
    expect(page.body.match(/scale 83\.8% to 97\.1%, shared by the column/g)).toHaveLength(12);
    expect(page.body.match(/<li class="multiple/g)).toHaveLength(6);
    expect(page.body).toContain(
      '<li class="multiple flagged" data-filter-item data-name="network 03 u90003"',
    );
    expect(page.body).not.toContain('data-chart=');
  });
});

describe('the ICB page of 36 networks', () => {
  it('has every network in the table and in the panels, flagged first', () => {
    const page = icbPage({ icbCode: 'QZZ', ...manyNetworks(36) });
    const rows = tableRows(page.body);
    expect(rows).toHaveLength(36);
    expect(page.body.match(/<li class="multiple/g)).toHaveLength(36);
    const flagged = rows.findLastIndex(([, flags]) => flags !== '');
    expect(rows.slice(0, flagged + 1).every(([, flags]) => flags !== '')).toBe(true);
    expect(rows[0]).toEqual(['network 03 u90003', 'falling below-usual unfilled-share']);
    // 4 flagged (Network 03 and three with a large share of the unfilled hours): all named.
    const named = page.body.match(/<ul class="icb-attention">[\s\S]*?<\/ul>/)?.[0] ?? '';
    expect(flagged + 1).toBe(4);
    expect(named.match(/<li><a /g)).toHaveLength(4);
    expect(named).not.toContain('more network');
  });

  it('names at most 5 flagged networks at the top and counts the rest', () => {
    // Every export 20 days old: all 36 flagged.
    const input = manyNetworks(36);
    for (const q of input.quality.values()) q.lastExport = '2026-11-13T08:00:00Z';
    const page = icbPage({ icbCode: 'QZZ', ...input });
    const named = page.body.match(/<ul class="icb-attention">[\s\S]*?<\/ul>/)?.[0] ?? '';
    expect(named.match(/<li><a /g)).toHaveLength(5);
    expect(named).toContain('<li>and 31 more networks: see the table.</li>');
  });
});
