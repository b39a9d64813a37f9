import { describe, expect, it } from 'vitest';
import { icbPage } from '../../../src/site/icb-page.js';
import type { NetworkMetrics } from '../../../src/site/site-data.js';
import { MANY_WEEKS, manyNetworks } from '../../fixtures/site/many-networks.js';

/** The networks tables' HTML: cover first, then the comparison per 1,000 patients. */
function networksTables(body: string): string[] {
  return [...body.matchAll(/<table[^>]*data-filter-table[\s\S]*?<\/table>/g)].map((m) => m[0]);
}

/**
 * [data-name, data-flags] of each row of the cover table, in page order; the comparison table
 * must list the same rows in the same order.
 */
function tableRows(body: string): [string, string][] {
  const rows = networksTables(body).map((table) =>
    [...table.matchAll(/<tr[^>]*data-filter-item data-name="([^"]*)" data-flags="([^"]*)"/g)].map(
      (m): [string, string] => [m[1] as string, m[2] as string],
    ),
  );
  expect(rows).toHaveLength(2);
  expect(rows[1]).toEqual(rows[0]);
  return rows[0] ?? [];
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

describe('the ICB page when a network sent nothing for the latest week', () => {
  it('says which networks the week is pooled over, and that the change is partly a change of networks', () => {
    // Three networks; Network 02 has no row for the latest week (w = 12), so the ICB's latest
    // week is pooled over 2 of 3, and its week before over 3.
    const input = manyNetworks(3);
    const two = input.networks.get('U90002') as NetworkMetrics;
    two.networkWeek = two.networkWeek.slice(0, -1);
    const last = input.icbWeeks.at(-1);
    if (last) last.networks_reporting = 2;
    const page = icbPage({ icbCode: 'QZZ', ...input });
    expect(page.body).toContain(
      '<p class="icb-coverage">2 of 3 networks reported this week; no data from Network 02. The week before had 3 networks reporting, so changes on it are partly a change of networks.</p>',
    );
    // With every network reporting, the line says so and no more.
    const whole = icbPage({ icbCode: 'QZZ', ...manyNetworks(3) });
    expect(whole.body).toContain('<p class="icb-coverage">3 of 3 networks reported this week.</p>');
  });
});

describe('the ICB page per 1,000 patients and Enhanced Access', () => {
  // Network 01's latest week (w = 12): 850 + 37 + 5 = 892 of 1000 four-hour shifts filled =
  // 3,568 h, 108 unfilled = 432 h, no agency. With 50,000 patients: 3,568 x 1000 / 50,000 =
  // 71.36 h per 1,000 -> "71.4 h"; 432 / 50 = 8.64 -> "8.6 h"; agency £0. Enhanced Access:
  // 60 min x 50,000 / 1,000 / 60 = 50 h required, 46.5 filled: 3.5 h short.
  // Network 02: 4,000 patients with one practice lacking a list size: no per-1,000 figures and
  // no Enhanced Access minimum.
  const input = manyNetworks(6);
  const one = input.networks.get('U90001') as NetworkMetrics;
  const two = input.networks.get('U90002') as NetworkMetrics;
  const week = MANY_WEEKS[12] as string;
  Object.assign(one.networkWeek[12] as object, {
    population: 50_000,
    population_basis: 'registered',
    population_practices_missing: 0,
    filled_hours_per_1000: 71.36,
    unfilled_hours_per_1000: 8.64,
    agency_spend_pence_per_1000: 0,
  });
  Object.assign(two.networkWeek[12] as object, {
    population: 4_000,
    population_basis: 'registered',
    population_practices_missing: 1,
    filled_hours_per_1000: null,
    unfilled_hours_per_1000: null,
    agency_spend_pence_per_1000: null,
  });
  const ea = (network_code: string, filled: number, required: number | null) => ({
    network_code,
    week_start: week,
    population: required === null ? 4_000 : 50_000,
    population_basis: 'registered',
    population_practices_missing: required === null ? 1 : 0,
    minutes_per_1000_patients: 60,
    required_hours: required,
    // What the ICB page does not read, filled so the row is whole.
    demand_hours: filled,
    filled_hours: filled,
    unfilled_hours: 0,
    filled_hours_gp: filled,
    filled_hours_nurse: 0,
    filled_hours_direct_patient_care: 0,
    filled_hours_on_site: filled,
    filled_hours_remote: 0,
    filled_hours_weekday: filled,
    filled_hours_saturday: 0,
    shortfall_hours: required === null ? null : Math.max(required - filled, 0),
    meets_minimum: required === null ? null : filled >= required,
    sessions: 6,
    sessions_without_gp: 0,
  });
  one.enhancedAccess = [ea('U90001', 46.5, 50)];
  two.enhancedAccess = [ea('U90002', 3, null)];
  // The ICB pools over Network 01 alone (the one whole population): the same per-1,000 figures;
  // its spend 892 x £240 = £214,080 -> £4,281.6 per 1,000 -> "£4,282".
  Object.assign(input.icbWeeks[12] as object, {
    population: 50_000,
    population_networks: 1,
    population_practices_missing: 1,
    filled_hours_per_1000: 71.36,
    unfilled_hours_per_1000: 8.64,
    spend_pence_per_1000: 428_160,
    agency_spend_pence_per_1000: 0,
  });
  input.reference.listSizes = { asOf: '2026-04-01', source: 'x.csv', patients: new Map() };
  const page = icbPage({ icbCode: 'QZZ', ...input });
  const [cover = '', compared = ''] = networksTables(page.body);
  const row = (table: string, code: string) =>
    table.match(new RegExp(`<tr[^>]*data-name="[^"]*${code}"[\\s\\S]*?</tr>`))?.[0] ?? '';

  it('shows patients, figures per 1,000 and Enhanced Access for each network', () => {
    const numbers = (table: string, code: string) =>
      [...row(table, code).matchAll(/<td class="num[^"]*"[^>]*>([^<]*)<\/td>/g)].map((m) => m[1]);
    // Patients, filled and unfilled hours per 1,000 and agency spend per 1,000 (the comparison
    // table's first three and last figures), then Enhanced Access (the cover table's last).
    const cells = (code: string) => {
      const [patients, filled, unfilled, , , agency] = numbers(compared, code);
      return [patients, filled, unfilled, agency, numbers(cover, code).at(-1)];
    };
    expect(cells('u90001')).toEqual([
      '50,000',
      '71.4 h',
      '8.6 h',
      '£0',
      '46.5 h of 50 h, 3.5 h short',
    ]);
    expect(cells('u90002')).toEqual([
      '4,000, unknown for 1 practice',
      'no data',
      'no data',
      'no data',
      '3 h filled, minimum unknown',
    ]);
    // A network with no population at all says so; never 0.
    expect(cells('u90003')).toEqual(['no data', 'no data', 'no data', 'no data', 'no data']);
    // Sorted by filled / required: 46.5 / 50 = 0.93.
    expect(row(cover, 'u90001')).toContain('data-sort="0.93">46.5 h of 50 h, 3.5 h short');
  });

  it('flags the network short of the minimum and says how flags are set', () => {
    expect(tableRows(page.body)).toContainEqual(['network 01 u90001', 'ea-short']);
    expect(row(cover, 'u90001')).toContain(
      'Enhanced Access 46.5 h filled of the 50 h required, 3.5 h short in the latest week (short in 1 of the latest 1 week)',
    );
    expect(page.body).toContain('<option value="ea-short">Enhanced Access short</option>');
    expect(page.body).toContain(
      '<strong>Enhanced Access short</strong>: filled hours in the Enhanced Access windows below the required minimum in the latest week, or in 3 of the latest 4 weeks',
    );
  });

  it('gives the ICB pooled figures, the networks they cover and the population source', () => {
    expect(page.body).toContain(
      'Per 1,000 patients a week, pooled over 1 of 6 networks (50,000 patients; networks lacking list sizes for 1 practice left out): <strong>71.4 h</strong> filled, <strong>8.6 h</strong> unfilled, agency spend <strong>£0</strong>, all spend £4,282.',
    );
    expect(page.body).toContain(
      "Enhanced Access in each network's latest week: 0 met the minimum, 1 short, 1 minimum unknown.",
    );
    expect(page.body).toContain(
      'Patients: registered patients from NHS Digital&#39;s &quot;Patients registered at a GP practice&quot;, extract of 1 Apr 2026',
    );
  });
});
