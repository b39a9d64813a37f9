import { beforeAll, describe, expect, it } from 'vitest';
import type { Reference } from '../../../src/reference/organisations.js';
import { buildSite, type SiteFile } from '../../../src/site/build-site.js';
import type { NetworkWeekRow } from '../../../src/site/pages.js';
import { loadSiteAssets, type SiteAssets } from '../../../src/site/site-assets.js';

const EVIL = `<script>alert(1)</script> & "Co"`;

function week(
  network: string,
  weekStart: string,
  filled: number,
  unfilled: number,
): NetworkWeekRow {
  const demand = filled + unfilled;
  return {
    network_code: network,
    icb_code: 'QXX',
    week_start: weekStart,
    demand_shifts: demand,
    filled_shifts: filled,
    unfilled_shifts: unfilled,
    cancelled_shifts: 0,
    demand_hours: demand * 4,
    filled_hours: filled * 4,
    unfilled_hours: unfilled * 4,
    fill_rate_shifts: demand === 0 ? null : filled / demand,
    fill_rate_hours: demand === 0 ? null : filled / demand,
  };
}

const reference: Reference = {
  practices: new Map([
    [
      'P00001',
      { code: 'P00001', name: EVIL, postcode: null, networkCode: 'U00001', icbCode: 'QXX' },
    ],
  ]),
  networks: new Map([
    [
      'U00001',
      { code: 'U00001', name: `Network ${EVIL}`, icbCode: 'QXX', practiceCodes: ['P00001'] },
    ],
  ]),
  icbs: new Map([['QXX', { code: 'QXX', name: 'Test ICB' }]]),
};

let assets: SiteAssets;
let files: SiteFile[];
const page = (p: string) => files.find((f) => f.path === p)?.body ?? '';

beforeAll(async () => {
  assets = await loadSiteAssets();
  files = buildSite({
    networkWeek: [
      week('U00001', '2026-11-09', 0, 0),
      week('U00001', '2026-11-02', 87, 13),
      week('U00002', '2026-11-09', 9, 1),
    ],
    reference,
    quality: new Map([
      [
        'U00001',
        {
          files: 2,
          rowsIn: 100,
          rejected: 1,
          rejectsByReason: { bad_date: 1 },
          lastExport: '2026-11-16T07:00:00.000Z',
        },
      ],
    ]),
    assets,
    generatedAt: new Date('2026-11-16T08:00:00Z'),
    sourceLabel: 'test data',
  });
});

describe('buildSite', () => {
  it('writes an overview, one page per network and the vendored assets', () => {
    expect(files.map((f) => f.path).sort()).toEqual([
      'assets/site.css',
      'assets/site.js',
      'assets/vega-embed.min.js',
      'assets/vega-lite.min.js',
      'assets/vega.min.js',
      'index.html',
      'networks/U00001/index.html',
      'networks/U00002/index.html',
    ]);
  });

  it('escapes data-derived text everywhere it appears', () => {
    for (const body of [page('index.html'), page('networks/U00001/index.html')]) {
      expect(body).not.toContain('<script>alert(1)</script>');
      expect(body).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Co&quot;');
    }
  });

  it('shows a week with no demand as "no data", not 0% or NaN', () => {
    const body = page('networks/U00001/index.html');
    expect(body).toContain('<span class="tile-value no-data">no data</span>');
    expect(body).not.toMatch(/NaN|>0\.0%</);
    expect(body).toContain('no comparison'); // latest is NULL, so no change can be computed
  });

  it('binds the rows to the chart spec by name', () => {
    const spec = /<script type="application\/json" id="fill-rate-spec">(.*?)<\/script>/s.exec(
      page('networks/U00001/index.html'),
    )?.[1];
    const parsed = JSON.parse(spec ?? '{}');
    expect(parsed.data).toEqual({ name: 'network_week' });
    expect(parsed.datasets.network_week.map((r: NetworkWeekRow) => r.week_start)).toEqual([
      '2026-11-02',
      '2026-11-09',
    ]);
  });

  it('links pages relatively so the site works from file:// and any host path', () => {
    expect(page('index.html')).toContain('href="networks/U00001/index.html"');
    expect(page('networks/U00001/index.html')).toContain('src="../../assets/vega-embed.min.js"');
    for (const f of files.filter((x) => x.path.endsWith('.html')))
      expect(f.body).not.toMatch(/(src|href)="(https?:)?\/\//);
  });

  it('reports data quality and falls back to the code for a network missing from reference data', () => {
    expect(page('networks/U00001/index.html')).toContain(
      '100 rows received in 2 files; 1 rejected (bad date: 1)',
    );
    expect(page('networks/U00002/index.html')).toContain('<h1>U00002</h1>');
  });
});
