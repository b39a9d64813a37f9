import { describe, expect, it } from 'vitest';
import { sharedDomain, sparklineSvg } from '../../../src/site/sparkline.js';

const points = (svg: string) => svg.match(/points="([^"]*)"/)?.[1];
const percent = (v: number) => `${(v * 100).toFixed(1)}%`;

describe('sharedDomain', () => {
  it('spans every finite value of every series', () => {
    expect(sharedDomain([[0.9, null], [0.85, 0.95], []])).toEqual([0.85, 0.95]);
    expect(sharedDomain([[null], [Number.NaN]])).toBeNull();
  });
});

describe('sparklineSvg on a shared scale', () => {
  it('draws a 1-point wobble as 1 point of the column’s range, not the full height', () => {
    // Width 96, height 24, padding 2: x from 2 to 94, y from 22 (min) to 2 (max), 20 px tall.
    // Own scale: 90% at the bottom (22), 91% at the top (2).
    expect(points(sparklineSvg([0.9, 0.91], 'x', percent))).toBe('2.0,22.0 94.0,2.0');
    // Shared 80-100%: 90% is halfway (22 - 10 = 12), 91% is 0.55 of the way (22 - 11 = 11).
    const shared = sparklineSvg([0.9, 0.91], 'Fill rate, A', percent, [0.8, 1]);
    expect(points(shared)).toBe('2.0,12.0 94.0,11.0');
    expect(shared).toContain(
      'aria-label="Fill rate, A: 2 weeks, from 90.0% to 91.0%; scale 80.0% to 100.0%, shared by the column"',
    );
  });

  it('puts the same value at the same height in every row', () => {
    const a = sparklineSvg([0.85, 0.95], 'a', percent, [0.85, 0.95]);
    const b = sparklineSvg([0.95, 0.9], 'b', percent, [0.85, 0.95]);
    // 95% is the top (2.0) in both; 90% is halfway (12.0); 85% the bottom (22.0).
    expect(points(a)).toBe('2.0,22.0 94.0,2.0');
    expect(points(b)).toBe('2.0,2.0 94.0,12.0');
  });
});
