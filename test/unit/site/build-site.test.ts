/**
 * The site built from the hand-made metrics in test/fixtures/site/site-metrics.ts: its layout,
 * escaping, "no data" and "suppressed", the ICB overview's flags, the weekly report and the data
 * files behind the charts.
 */
import { tableFromIPC } from 'apache-arrow';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  assertSafeSiteCodes,
  buildSite,
  cssString,
  OPEN_SITE_NOTICE,
  pageScripts,
  type SiteFile,
  type SiteInput,
  UnsafeSiteCodeError,
} from '../../../src/site/build-site.js';
import { loadSiteAssets } from '../../../src/site/site-assets.js';
import { EVIL, quality, reference, siteMetrics } from '../../fixtures/site/site-metrics.js';

const ESCAPED = '&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Co&quot;';
const NOW = new Date('2026-11-23T08:00:00Z');

let files: SiteFile[];
const body = (p: string) => {
  const found = files.find((f) => f.path === p);
  if (!found) throw new Error(`no ${p} in ${files.map((f) => f.path).join(', ')}`);
  return typeof found.body === 'string' ? found.body : new TextDecoder().decode(found.body);
};
const bytes = (p: string) => files.find((f) => f.path === p)?.body as Uint8Array;
const htmlPages = () => files.filter((f) => f.path.endsWith('.html'));

/** The fixture site, with any other options. */
const buildFixtureSite = async (options: Partial<SiteInput> = {}) =>
  buildSite({
    metrics: siteMetrics(),
    reference,
    quality: quality(NOW),
    assets: await loadSiteAssets(),
    generatedAt: NOW,
    sourceLabel: 'test data',
    ...options,
  });

beforeAll(async () => {
  files = await buildFixtureSite({ archivedReports: new Map([['U00001', ['2026-W40']]]) });
});

describe('buildSite', () => {
  it('writes the index, the ICB overview, each network page and this week’s reports', () => {
    const pages = htmlPages()
      .map((f) => f.path)
      .sort();
    expect(pages).toEqual([
      'icb/QXX/index.html',
      'index.html',
      'networks/U00001/index.html',
      'networks/U00002/index.html',
      'reports/2026-W47/U00001/index.html',
      'reports/2026-W47/U00002/index.html',
    ]);
    expect(files.map((f) => f.path)).toEqual(
      expect.arrayContaining([
        'networks/U00001/data/network_week.csv',
        'networks/U00001/data/network_week.arrow',
        'icb/QXX/data/network_week.arrow',
        'assets/nhsuk-frontend.min.css',
        'assets/vega.min.js',
        'assets/vega-embed.min.js',
      ]),
    );
  });

  it('escapes data-derived text on every page and keeps it intact in the data files', () => {
    for (const page of htmlPages()) {
      const html = body(page.path);
      expect(html, page.path).not.toContain('<script>alert(1)</script>');
      expect(html, page.path).not.toContain(EVIL);
    }
    for (const page of ['index.html', 'icb/QXX/index.html', 'networks/U00001/index.html'])
      expect(body(page), page).toContain(ESCAPED);
    // The practice name reaches the practices chart's data as text, unchanged.
    const practices = tableFromIPC(bytes('networks/U00001/data/practice_week.arrow'));
    expect(practices.getChild('practice_name')?.toArray()).toContain(EVIL);
    expect(body('networks/U00001/data/practice_week.csv')).toContain(
      '"<script>alert(1)</script> & ""Co"""',
    );
  });

  it('shows missing figures as "no data" or "suppressed", never 0% or NaN', () => {
    const page = body('networks/U00001/index.html');
    // The latest week (16 Nov) has no demand: the fill rate is NULL.
    expect(page).toContain(
      '<span class="tile-label">Fill rate (shifts)</span><span class="tile-value no-data">no data</span>',
    );
    // The Paramedic row and the shared-working week were suppressed for small numbers.
    const num = '<td class="nhsuk-table__cell nhsuk-table__cell--numeric num">';
    expect(page).toContain(
      `<td class="nhsuk-table__cell">Paramedic</td><td class="nhsuk-table__cell">All sessions</td>${num}1</td>${num}suppressed</td>`,
    );
    expect(page).toContain(`${num}348 h</td>${num}suppressed</td>`);
    // A practice whose agency spend was closed for small numbers reads "suppressed".
    expect(body('networks/U00002/index.html')).toMatch(
      /<td[^>]*>P00003<\/td>(?:<td[^>]*>[^<]*<\/td>)*<td class="[^"]*numeric[^"]*">suppressed<\/td><\/tr>/,
    );
    for (const html of htmlPages().map((f) => body(f.path)))
      expect(html).not.toMatch(/NaN|undefined/);
  });

  it('puts the network’s figures in KPI tiles with the change on the previous week', () => {
    const page = body('networks/U00002/index.html');
    expect(page).toContain(
      '<span class="tile-value">45.0%</span><span class="tile-change">down 15.0 points on previous week</span>',
    );
    expect(page).toContain(
      '<span class="tile-value">£12,000</span><span class="tile-change">up from £0</span>',
    );
    expect(page).toContain(
      '£104,000 spent from 1 Apr 2026 to the week of 16 Nov 2026; projected outturn £180,000; budget £150,000 (£30,000 over).',
    );
  });

  it('warns about a network whose latest export is more than 8 days old', () => {
    expect(body('icb/QXX/index.html')).toContain(
      '1 network has sent no export for more than 8 days: Hill Network.',
    );
    expect(body('networks/U00002/index.html')).toContain('20 days ago (more than 8)');
    expect(body('networks/U00001/index.html')).not.toContain('nhsuk-warning-callout');
  });

  it('lists every network of the ICB in a sortable table with trend sparklines', () => {
    const page = body('icb/QXX/index.html');
    expect(page).toContain('<table class="nhsuk-table sortable" data-sortable>');
    expect(page.match(/<svg class="sparkline"/g)).toHaveLength(2);
    expect(page).toContain('aria-label="Fill rate, Hill Network: 3 weeks, from 50.0% to 45.0%"');
    expect(page).toContain('<td class="num" data-sort="0.45">45.0%</td>');
  });

  it('writes the weekly report with summary sentences and inline SVG charts', () => {
    const report = body('reports/2026-W47/U00002/index.html');
    expect(report).toContain('<li>Fill rate fell 15.0 points to 45.0%.</li>');
    expect(report).toContain('<li>Agency spend was £12,000, from £0 (76.9% of spend).</li>');
    expect(report.match(/<div class="report-chart" role="img"[^>]*><svg/g)).toHaveLength(3);
    // A network with nothing that week says so rather than showing zeros.
    expect(body('reports/2026-W47/U00001/index.html')).toContain('No shifts were needed this week');
  });

  it('links the weekly reports, old and new, from the network page', () => {
    const page = body('networks/U00001/index.html');
    expect(page).toContain('href="../../reports/2026-W47/U00001/index.html"');
    expect(page).toContain('href="../../reports/2026-W40/U00001/index.html"');
  });

  it("writes each network's own report week, and none for a network left out", async () => {
    const own = await buildFixtureSite({
      reportWeeks: new Map([['U00002', '2026-11-09']]),
      archivedReports: new Map([['U00002', ['2026-W40', '2026-W47']]]),
    });
    const reports = own.filter((f) => /^reports\/.*index\.html$/.test(f.path)).map((f) => f.path);
    expect(reports).toEqual(['reports/2026-W46/U00002/index.html']);
    // The archive on the page: every built week, newest first (2 archived + the new one).
    const page = own.find((f) => f.path === 'networks/U00002/index.html')?.body as string;
    const linked = [...page.matchAll(/reports\/(\d{4}-W\d{2})\/U00002\//g)].map((m) => m[1]);
    expect([...new Set(linked)]).toEqual(['2026-W47', '2026-W46', '2026-W40']);
  });

  it('embeds each chart dataset once as JSON, the same rows as the download', () => {
    const page = body('networks/U00001/index.html');
    const embedded =
      /<script type="application\/json" data-dataset="network_week">([^<]+)<\/script>/.exec(
        page,
      )?.[1];
    const rows = JSON.parse(embedded ?? '[]') as Record<string, unknown>[];
    expect(rows).toHaveLength(3);
    expect(rows.map((r) => r.fill_rate_shifts)).toEqual(
      tableFromIPC(bytes('networks/U00001/data/network_week.arrow'))
        .toArray()
        .map((r) => r.toJSON().fill_rate_shifts),
    );
    expect(rows[2]?.fill_rate_shifts).toBeNull();
    expect(page.match(/data-dataset="network_week"/g)).toHaveLength(1);
  });

  it('loads the chart library only on pages that draw charts in the browser', () => {
    const scripts = (p: string) =>
      [...body(p).matchAll(/<script src="(?:\.\.\/)*assets\/([^"]+)"/g)].map((m) => m[1]);
    expect(scripts('index.html')).toEqual(['site.js']);
    expect(scripts('reports/2026-W47/U00002/index.html')).toEqual(['site.js']);
    expect(scripts('networks/U00001/index.html')).toEqual([
      'vega.min.js',
      'vega-embed.min.js',
      'site.js',
    ]);
    // A page may name its own list.
    expect(
      pageScripts({ title: '', breadcrumbs: '', body: '', datasets: {}, scripts: ['x.js'] }),
    ).toEqual(['x.js']);
    // No page of the index or a report carries chart data either.
    expect(body('reports/2026-W47/U00002/index.html')).not.toContain('data-dataset=');
  });

  it('prints a running header (network, week) and footer (generated, data as of, page n of m)', () => {
    const report = body('reports/2026-W47/U00002/index.html');
    const style = /<style>(@page\{.*\})<\/style>/.exec(report)?.[1] ?? '';
    const text = (css: string) =>
      css.replace(/\\([0-9a-f]+) /g, (_m, hex: string) => String.fromCodePoint(parseInt(hex, 16)));
    expect(text(style)).toContain(
      '@top-left{content:"Weekly report: Hill Network (U00002), week of 16 Nov 2026"',
    );
    expect(text(style)).toMatch(
      /@bottom-left\{content:"Generated 23 Nov 2026, 08:00 · data as of [^"]+ \(latest export\)"/,
    );
    expect(style).toContain('@bottom-right{content:"Page " counter(page) " of " counter(pages)');
  });

  it('writes text into CSS strings as escapes, so no name can end the string or the style', () => {
    const css = cssString('</style>"; x \\ ·');
    expect(css).toBe('"\\3c \\2f style\\3e \\22 \\3b  x \\5c  \\b7 "');
    expect(css.slice(1, -1)).not.toMatch(/[<>"]/);
  });

  it('links pages relatively so the site works from file:// and any host path', () => {
    expect(body('index.html')).toContain('href="icb/QXX/index.html"');
    expect(body('networks/U00001/index.html')).toContain('src="../../assets/vega-embed.min.js"');
    expect(body('reports/2026-W47/U00001/index.html')).toContain('href="../../../assets/site.css"');
    for (const page of htmlPages())
      expect(body(page.path), page.path).not.toMatch(/(src|href)="(https?:)?\/\//);
  });
});

describe('access modes', () => {
  it('says on every page of an open (local) site that it is open to anyone with the files', () => {
    for (const page of htmlPages()) expect(body(page.path), page.path).toContain(OPEN_SITE_NOTICE);
  });

  it('behind sign-in labels each index entry with the grants that open it, and shows no ICB figures', async () => {
    // Act
    const signedIn = await buildFixtureSite({ access: 'signed-in' });
    // Assess
    const html = (p: string) => String(signedIn.find((f) => f.path === p)?.body);
    const index = html('index.html');
    expect(index).toContain('<a href="icb/QXX/index.html" data-grants="icb:QXX">');
    expect(index).toContain(
      '<li data-grants="network:U00001 icb:QXX"><a href="networks/U00001/index.html">',
    );
    expect(index).toContain(
      '<li data-grants="network:U00002 icb:QXX"><a href="networks/U00002/index.html">',
    );
    expect(index).not.toContain('fill rate');
    for (const f of signedIn.filter((x) => x.path.endsWith('.html'))) {
      expect(html(f.path), f.path).not.toContain(OPEN_SITE_NOTICE);
      expect(html(f.path), f.path).toContain('<a href="/_auth/sign-out">Sign out</a>');
    }
    expect(body('index.html')).not.toContain('Sign out');
    // The open site's index has no labels.
    expect(body('index.html')).not.toContain('data-grants');
  });

  it('refuses a network or ICB code that cannot be a folder, naming the exports it came from', () => {
    const sourcesOf = (code: string) =>
      code === '..' ? ['generic/U00001/shifts/b.csv', 'generic/U00001/shifts/a.csv'] : [];
    expect(() => assertSafeSiteCodes(siteMetrics(), sourcesOf)).not.toThrow();
    const metrics = siteMetrics();
    metrics.practiceWeek = metrics.practiceWeek.map((r, i) =>
      i === 0 ? { ...r, network_code: '..' } : r,
    );
    const refuse = () => assertSafeSiteCodes(metrics, sourcesOf);
    expect(refuse).toThrow(UnsafeSiteCodeError);
    expect(refuse).toThrow(
      'Refusing to publish: network code ".." cannot be a folder of the site (codes are letters ' +
        'and digits, like U60865); it came from generic/U00001/shifts/a.csv, ' +
        'generic/U00001/shifts/b.csv. Nothing was written.',
    );
    const icb = siteMetrics();
    icb.networkWeek = icb.networkWeek.map((r) => ({ ...r, icb_code: 'Q/X' }));
    expect(() => assertSafeSiteCodes(icb, () => ['generic/U00002/shifts/c.csv'])).toThrow(
      /ICB code "Q\/X" .* it came from generic\/U00002\/shifts\/c.csv/,
    );
  });
});
