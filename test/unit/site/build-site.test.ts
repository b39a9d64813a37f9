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
  it('builds the same bytes from the same metrics, built again in the same process', async () => {
    // Nothing process-wide (a counter, a cache) may leak into a file: a publish that changed
    // nothing must upload nothing different.
    const again = await buildFixtureSite({
      archivedReports: new Map([['U00001', ['2026-W40']]]),
    });
    expect(again.map((f) => f.path)).toEqual(files.map((f) => f.path));
    const differ = again.filter((f) => {
      const a = typeof f.body === 'string' ? new TextEncoder().encode(f.body) : f.body;
      const b = bytes(f.path) ?? new TextEncoder().encode(body(f.path));
      return !Buffer.from(a).equals(Buffer.from(b));
    });
    expect(differ.map((f) => f.path)).toEqual([]);
  });

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
      '<span class="tile-label">Cover last week (shifts filled)</span><span class="tile-value no-data">no data</span>',
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

  it('opens the network page with its answer: sentences and tiles with context and a cue', () => {
    const page = body('networks/U00002/index.html');
    // 45 of 100 filled, 60 the week before; the ICB pools both networks: (0 + 45) / (0 + 100).
    expect(page).toContain(
      'In the week of 16 Nov 2026, Hill Network filled 45.0% of its shifts (45 of 100): down 15.0 points on the week before, level with the ICB, lowest in 3 weeks.',
    );
    // Open in 23 Nov - 6 Dec: 1 + 3 + 2 + 1 = 7 shifts, 2 + 12 + 8 + 4 = 26 h (7 Dec is outside).
    expect(page).toContain('7 shifts are still open in the next two weeks (26 h).');
    expect(page).toContain(
      '<span class="tile-value">45.0%</span><strong class="nhsuk-tag nhsuk-tag--red tile-cue"><span aria-hidden="true">▼ </span>Worse<span class="nhsuk-u-visually-hidden"> than the previous week</span></strong><span class="tile-change">down 15.0 points on previous week</span><span class="tile-change">level with the ICB (45.0%)</span><span class="tile-change">lowest in 3 weeks (45.0% to 60.0%)</span>',
    );
    expect(page).toContain(
      '<span class="tile-value">£12,000</span><strong class="nhsuk-tag nhsuk-tag--red tile-cue"><span aria-hidden="true">▲ </span>Worse<span class="nhsuk-u-visually-hidden"> than the previous week</span></strong><span class="tile-change">up from £0</span>',
    );
    // The order of the page: answer, latest report, coordinator, trends, data quality, archive.
    const at = (s: string) => page.indexOf(s);
    expect(at('id="latest-report"')).toBeGreaterThan(at('<h1>'));
    expect(at('id="summary"')).toBeGreaterThan(at('id="latest-report"'));
    expect(at('id="open-shifts-title"')).toBeGreaterThan(at('id="summary"'));
    expect(at('id="unfilled-last-week-title"')).toBeGreaterThan(at('id="open-shifts-title"'));
    expect(at('id="lead-time-title"')).toBeGreaterThan(at('id="unfilled-last-week-title"'));
    expect(at('id="fill-rate"')).toBeGreaterThan(at('id="lead-time-title"'));
    expect(at('id="reports-title"')).toBeGreaterThan(at('id="fill-rate"'));
    expect(page).toContain(
      '£12,000 spent in 2026/27 from week of 2 Nov 2026 (data starts) to week of 16 Nov 2026 (3 weeks with data). At £4,000 a week (the mean of the 3 weeks with data) for the 19 weeks left to 31 Mar 2027, the projected outturn is £88,000. The 30 weeks of 2026/27 before the data starts are not in these figures (about £120,000 at the same rate). Against the £80,000 budget that is £8,000 over; counting the weeks before the data at the same rate, about £128,000 over. Agency: £3,000 spent, projected £22,000, £2,000 over the £20,000 agency budget, leaving out the weeks before the data starts.',
    );
  });

  it('gives the coordinator empty states, and leaves out rows and columns with nothing to say', () => {
    const page = body('networks/U00001/index.html');
    expect(page).toContain('No open shifts in the next two weeks (23 Nov 2026 to 6 Dec 2026).');
    expect(page).toContain('No shifts went unfilled last week.');
    // Healthcare assistants have no availability: one line, no "no data" rows.
    expect(page).toContain(
      '1 role has shifts but no availability data, so no utilisation: Healthcare assistant.',
    );
    expect(page).not.toContain('<td>Healthcare assistant</td>');
    expect(page).toContain(
      'Core and extended hours are shown only where availability was given per session.',
    );
    expect(page).not.toContain('<td>Paramedic</td><td>Core hours</td>');
    expect(page).toMatch(
      /<td class="nhsuk-table__cell">GP<\/td><td class="nhsuk-table__cell">Core hours<\/td>/,
    );
    // Every filled shift has a cost in the fixture: the column of zeros is dropped.
    expect(page).not.toContain('Filled shifts without a cost');
  });

  it('warns about a network whose latest rota export is more than 8 days old', () => {
    const icb = body('icb/QXX/index.html');
    expect(icb).toContain(
      '1 network has sent no rota (shifts) export for more than 8 days: Hill Network.',
    );
    // The column and the flag say which export is meant: the rota (shifts) export, as the
    // network page's data-quality panel does, not an availability file.
    expect(icb).toContain('<th scope="col">Latest rota export</th>');
    expect(icb).toContain('agency spend and the latest rota export</caption>');
    expect(icb).toMatch(
      /Export out of date<\/strong> Latest rota export \d+ \w+ \d{4}, 20 days ago/,
    );
    expect(icb).not.toMatch(/Latest export|no export for/);
    expect(body('networks/U00002/index.html')).toContain('20 days ago (more than 8)');
    expect(body('networks/U00001/index.html')).not.toContain('nhsuk-warning-callout');
  });

  it('lists every network of the ICB in a sortable table with trend sparklines on one scale', () => {
    const page = body('icb/QXX/index.html');
    expect(page).toContain('<table class="nhsuk-table sortable" data-sortable data-filter-table>');
    expect(page.match(/<svg class="sparkline"/g)).toHaveLength(2);
    // The column's scale: lowest 45.0% (Hill Network), highest 90.0% (the other network).
    expect(page).toContain(
      'aria-label="Fill rate, Hill Network: 3 weeks, from 50.0% to 45.0%; scale 45.0% to 90.0%, shared by the column"',
    );
    expect(page).toContain('<td class="num" data-sort="0.45">45.0%</td>');
  });

  it('flags Hill Network first on the ICB page, and says so on the index', () => {
    const page = body('icb/QXX/index.html');
    // Hill Network: 45.0% against the ICB's 45.0% that week (the other network had no demand),
    // but its export is 20 days old, and its Enhanced Access hours were short that week (41.5 h
    // filled against 52.3 h required for 52,309 patients at 60 minutes per 1,000).
    const rows = [
      ...page.matchAll(/<tr[^>]*data-filter-item data-name="([^"]*)" data-flags="([^"]*)"/g),
    ];
    // A row in each of the two networks tables (cover, then the comparison per 1,000 patients).
    const hill = ['hill network u00002', 'ea-short stale'];
    const other = ['network &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;co&quot; u00001', ''];
    expect(rows.map((r) => [r[1], r[2]])).toEqual([hill, other, hill, other]);
    expect(page).toContain('<script src="../../assets/icb-filter.js" defer></script>');
    expect(page).not.toContain('data-chart=');
    expect(body('index.html')).toContain(
      '<p class="icb-status">Fill rate 45.0% in the week of 16 Nov 2026; 1 of 2 networks flagged: Hill Network.</p>',
    );
    expect(body('index.html')).toContain('2 networks in 1 ICB.');
    expect(body('networks/U00001/index.html')).not.toContain('icb-filter.js');
  });

  it('shows a practice’s suppressed spend as "suppressed" in the report, as on the network page', () => {
    // P00003's agency spend was closed for small numbers (the fixture's disclosure rule row).
    const practices = (page: string) =>
      page.slice(page.indexOf('id="practices-title"')).split('</table>')[0] ?? '';
    for (const page of ['reports/2026-W47/U00002/index.html', 'networks/U00002/index.html']) {
      expect(practices(body(page))).toContain('>suppressed</td>');
      expect(practices(body(page))).not.toContain('>no data</td>');
    }
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
      /@bottom-left\{content:"Generated 23 Nov 2026, 08:00 · data as of [^"]+ \(latest rota export\)"/,
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
