import { describe, expect, it } from 'vitest';
import { flaggedLine, indexPage } from '../../../src/site/index-page.js';
import { manyNetworks } from '../../fixtures/site/many-networks.js';

function index(count: number) {
  const { networks, icbWeeks, reference, quality, now } = manyNetworks(count);
  return indexPage({
    icbs: new Map([['QZZ', [...networks.keys()]]]),
    icbWeeks: new Map([['QZZ', icbWeeks]]),
    reference,
    access: 'open',
    icbOf: () => 'QZZ',
    networks,
    quality,
    now,
  }).body;
}

describe('flaggedLine', () => {
  it('counts and names flagged networks in plain English', () => {
    expect(flaggedLine([], 1)).toBe('no network flagged');
    expect(flaggedLine(['A'], 1)).toBe('1 of 1 network flagged: A');
    expect(flaggedLine(['A', 'B'], 6)).toBe('2 of 6 networks flagged: A and B');
    expect(flaggedLine(['A', 'B', 'C'], 6)).toBe('3 of 6 networks flagged: A, B and C');
    expect(flaggedLine(['A', 'B', 'C', 'D', 'E'], 30)).toBe(
      '5 of 30 networks flagged: A, B, C and 2 more',
    );
  });
});

describe('the index', () => {
  it('gets its plurals right', () => {
    expect(index(1)).toContain('<p class="lede">1 network in 1 ICB.');
    expect(index(6)).toContain('<p class="lede">6 networks in 1 ICB.');
  });

  it('gives each ICB a status line with its week and flagged networks, and tags them', () => {
    // manyNetworks(6), last week: 5,424 of 6,000 shifts filled = 90.4%; Network 03 flagged.
    const body = index(6);
    expect(body).toContain(
      '<p class="icb-status">Fill rate 90.4% in the week of 23 Nov 2026; 1 of 6 networks flagged: Network 03.</p>',
    );
    expect(body).toContain(
      '<a href="networks/U90003/index.html">Network 03</a> <span class="code">U90003</span> <strong class="flag-tag">flagged</strong></li>',
    );
    expect(body).toContain(
      '<a href="networks/U90001/index.html">Network 01</a> <span class="code">U90001</span></li>',
    );
  });
});
