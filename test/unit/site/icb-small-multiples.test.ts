import { describe, expect, it } from 'vitest';
import {
  middleHalf,
  multiplesDomain,
  quantile,
  smallMultiples,
} from '../../../src/site/icb-small-multiples.js';

describe('the band and the scale', () => {
  it('interpolates quartiles as a spreadsheet does', () => {
    // [1, 2, 3, 4]: 25th at position 0.75 -> 1.75; 75th at 2.25 -> 3.25.
    expect(quantile([1, 2, 3, 4], 0.25)).toBe(1.75);
    expect(quantile([1, 2, 3, 4], 0.75)).toBe(3.25);
  });

  it('draws the middle half only where 3 or more networks have a rate', () => {
    const band = middleHalf(
      [
        [0.8, 0.8],
        [0.9, null],
        [1, 0.9],
      ],
      2,
    );
    // Week 1: [0.8, 0.9, 1.0] -> 25th 0.85, 75th 0.95. Week 2: two rates, no band.
    expect(band[0]?.[0]).toBeCloseTo(0.85, 12);
    expect(band[0]?.[1]).toBeCloseTo(0.95, 12);
    expect(band[1]).toBeNull();
  });

  it('widens the shared scale to whole 5 points within 0-100%', () => {
    expect(multiplesDomain([[0.838, 0.971]])).toEqual([0.8, 1]);
    expect(multiplesDomain([[0.85, 0.9]])).toEqual([0.85, 0.9]);
    expect(multiplesDomain([[0.9, 0.9]])).toEqual([0.85, 0.95]);
    expect(multiplesDomain([[null]])).toEqual([0, 1]);
  });
});

describe('smallMultiples', () => {
  const weeks = ['2026-11-09', '2026-11-16', '2026-11-23'];
  const html = smallMultiples({
    weeks,
    icb: [0.9, 0.9, 0.88],
    networks: [
      {
        code: 'U2',
        name: 'Falling & Co',
        href: 'u2.html',
        values: [0.9, 0.85, 0.8],
        flags: [{ kind: 'falling', sentence: 'Fill rate fell' }],
      },
      { code: 'U1', name: 'Steady', href: 'u1.html', values: [0.95, null, 0.95], flags: [] },
      { code: 'U3', name: 'Third', href: 'u3.html', values: [0.9, 0.9, 0.9], flags: [] },
    ],
  });

  it('draws a panel per network in the order given, flags in words', () => {
    const names = [...html.matchAll(/data-name="([^"]*)" data-flags="([^"]*)"/g)].map((m) => [
      m[1],
      m[2],
    ]);
    expect(names).toEqual([
      ['falling &amp; co u2', 'falling'],
      ['steady u1', ''],
      ['third u3', ''],
    ]);
    expect(html).toContain('<strong class="flag-tag">Fill rate falling</strong>');
    expect(html).toContain(
      'aria-label="Fill rate of Falling &amp; Co: 90.0% in the week of 9 Nov 2026 to 80.0% in the week of 23 Nov 2026; the ICB 88.0% that week"',
    );
  });

  it('puts every panel on one scale, with the ICB line and band in each', () => {
    // Values 80-95%: the scale is 80-95%, stated once and on each panel's axis.
    expect(html).toContain('Every panel runs from 80% to 95%');
    expect(html.match(/>95%<\/text>/g)).toHaveLength(3);
    expect(html.match(/>80%<\/text>/g)).toHaveLength(3);
    expect(html.match(/<path class="icb"/g)).toHaveLength(3);
    expect(html.match(/<path class="band"/g)).toHaveLength(3);
    // Steady's missing week breaks its line: two separate moves.
    expect(html).toMatch(/<path class="network" d="M36\.0,[\d.]+M232\.0,[\d.]+"/);
  });

  it('says "no data" with no weeks or no networks', () => {
    expect(smallMultiples({ weeks: [], icb: [], networks: [] })).toBe(
      '<p class="no-data">no data</p>',
    );
  });
});
