import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../../src/package-root.js';
import { localSvgIds, renderChartSvg } from '../../../src/site/svg-chart.js';

const spec = JSON.parse(
  await readFile(path.join(packageRoot, 'dashboards/network-fill-rate.vl.json'), 'utf8'),
) as Record<string, unknown>;

describe('renderChartSvg', () => {
  it('draws the network fill-rate chart in Node, one point per week', async () => {
    const weeks = [
      { week_start: '2026-11-02', fill_rate_shifts: 0.9, filled_shifts: 90, unfilled_shifts: 10 },
      { week_start: '2026-11-09', fill_rate_shifts: 0.913, filled_shifts: 95, unfilled_shifts: 9 },
      { week_start: '2026-11-16', fill_rate_shifts: 0.871, filled_shifts: 88, unfilled_shifts: 13 },
    ];
    const svg = await renderChartSvg(spec, { network_week: weeks }, 'fill');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('width="');
    // The line and its three points are drawn; the axis carries the title from the spec.
    expect(svg).toMatch(/class="mark-line role-mark/);
    expect(svg.match(/aria-roledescription="point"/g)).toHaveLength(3);
    expect(svg).toContain('Fill rate (shifts)');
    // Nothing in it points at another site.
    expect(svg).not.toMatch(/https?:\/\/(?!www\.w3\.org\/)/);
  });

  it('escapes data-derived text in the SVG', async () => {
    const bar = {
      data: { name: 'practices' },
      mark: 'bar',
      encoding: {
        x: { field: 'name', type: 'nominal' },
        y: { field: 'hours', type: 'quantitative' },
      },
    };
    const svg = await renderChartSvg(
      bar,
      { practices: [{ name: '<script>alert(1)</script> & "Co"', hours: 3 }] },
      'bar',
    );
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; ');
  });

  it('refuses data under a name the spec does not use', async () => {
    await expect(renderChartSvg(spec, { other: [] }, 'x')).rejects.toThrow('network_week');
  });
});

describe('renderChartSvg with a reused view', () => {
  it('draws each call from its own data, also when calls overlap', async () => {
    const weeks = (n: number) =>
      Array.from({ length: n }, (_, i) => ({
        week_start: `2026-10-${String(5 + 7 * (i % 4)).padStart(2, '0')}`,
        fill_rate_shifts: 0.8 + i / 100,
      })).slice(0, Math.min(n, 4));
    const [one, four, two] = await Promise.all([
      renderChartSvg(spec, { network_week: weeks(1) }, 'a'),
      renderChartSvg(spec, { network_week: weeks(4) }, 'b'),
      renderChartSvg(spec, { network_week: weeks(2) }, 'c'),
    ]);
    const points = (svg: string) => svg.match(/aria-roledescription="point"/g)?.length ?? 0;
    expect([points(one), points(four), points(two)]).toEqual([1, 4, 2]);
  });
});

describe('the ids inside a drawing', () => {
  // A colour scale over numbers draws its legend with a gradient, which Vega gives an id.
  const heat = {
    data: { name: 'cells' },
    mark: 'rect',
    encoding: {
      x: { field: 'day', type: 'nominal' },
      color: { field: 'hours', type: 'quantitative' },
    },
  };
  const cells = {
    cells: [
      { day: 'Mon', hours: 3 },
      { day: 'Tue', hours: 8 },
    ],
  };

  it('are the same whatever was drawn before, and named by the drawing', async () => {
    const first = await renderChartSvg(heat, cells, 'report-heat');
    // Other drawings in between move Vega's own counters on.
    await renderChartSvg(heat, cells, 'other');
    await renderChartSvg(spec, { network_week: [] }, 'other-2');
    expect(await renderChartSvg(heat, cells, 'report-heat')).toBe(first);
    expect(first).toContain('id="report-heat-0"');
    expect(first).toContain('url(#report-heat-0)');
    expect(first).not.toMatch(/gradient_\d/);
  });

  it('draws the same from sums that differ only in their last bit', async () => {
    const bars = (hours: number) =>
      renderChartSvg(
        {
          data: { name: 'weeks' },
          mark: 'bar',
          encoding: {
            x: { field: 'week', type: 'nominal' },
            y: { field: 'hours', type: 'quantitative' },
          },
        },
        {
          weeks: [
            { week: 'w1', hours },
            { week: 'w2', hours: 977.3 },
          ],
        },
        'bars',
      );
    expect(await bars(460.20000000000005)).toBe(await bars(460.2));
  });

  it('renames ids and their references alike, and nothing else', () => {
    const svg =
      '<defs><linearGradient id="gradient_7"/><clipPath id="clip12"/></defs>' +
      '<path fill="url(#gradient_7)" clip-path="url(#clip12)"/><text>gradient_7 clip12</text>';
    expect(localSvgIds(svg, 'f')).toBe(
      '<defs><linearGradient id="f-0"/><clipPath id="f-1"/></defs>' +
        '<path fill="url(#f-0)" clip-path="url(#f-1)"/><text>gradient_7 clip12</text>',
    );
  });
});
